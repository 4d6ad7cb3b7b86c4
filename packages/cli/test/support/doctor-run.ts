import { Readable } from 'node:stream';
import { expect } from '@jest/globals';
import { runCli } from '../../src/index.js';
import { COOKIE, KEY, OTHER_KEY, SAME_ID_OTHER_VALUE, type SiteSpec, startSite, T } from './doctor-site.js';

/** doctor's configuration in these tests: the test key, and the dashboards the sites embed. */
export const ENV = { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, EXPLO_DASHBOARDS: 'sales=emb-sales,ops=emb-ops' };

/** Every check of a page that is right in every way: passed, and the allowlist reminder. */
export const ALL_PASS = {
  page: 'pass',
  embed: 'pass',
  token: 'pass',
  expiry: 'pass',
  lifetime: 'pass',
  customer: 'pass',
  dashboard: 'pass',
  iss: 'pass',
  'frame-src': 'pass',
  'connect-src': 'pass',
  cache: 'pass',
  clock: 'pass',
  route: 'pass',
  'route-cache': 'pass',
  'route-auth': 'pass',
  'route-forged': 'pass',
  allowlist: 'note',
};

/** One in-process run of the command. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A `doctor --json` run, read: each check's status, and its message and fix, by check id. */
export interface Checked extends Run {
  status: Record<string, string>;
  text: Record<string, string>;
}

/**
 * Runs `explo-embed` in process (this machine's clock frozen at T unless told), keeping all it
 * printed so a test file can check, at the end, that no key value, cookie or whole token got out.
 */
export function doctorRunner() {
  const printed: string[] = [];

  async function cli(
    args: string[],
    env: Record<string, string> = ENV,
    options: { now?: number | null; stdin?: string } = {},
  ): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const now = options.now === undefined ? T : options.now;
    const code = await runCli(args, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
      env,
      ...(now === null ? {} : { now: () => now }),
    });
    printed.push(stdout, stderr);
    return { code, stdout, stderr };
  }

  async function doctor(
    url: string,
    args: string[] = ['--cookie', COOKIE],
    env: Record<string, string> = ENV,
    now?: number | null,
  ): Promise<Checked> {
    const run = await cli(['doctor', url, '--json', ...args], env, { now });
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: { check: string; status: string; message: string; fix?: string }[];
    };
    expect(report.ok).toBe(run.code === 0);
    const status: Record<string, string> = {};
    const text: Record<string, string> = {};
    for (const c of report.checks) {
      status[c.check] = c.status;
      text[c.check] = `${c.message} ${c.fix ?? ''}`;
    }
    return { ...run, status, text };
  }

  /** Starts a site, runs `doctor --json` on its /dashboard, stops the site. */
  async function onSite(spec: SiteSpec, args?: string[], env?: Record<string, string>): Promise<Checked & { paths: string[] }> {
    const site = await startSite(spec);
    try {
      return { ...(await doctor(`${site.url}/dashboard`, args, env)), paths: site.paths };
    } finally {
      await site.close();
    }
  }

  /** Whatever the pages held: no key value, no cookie, no whole token in anything printed. */
  function expectNothingSecretPrinted(): void {
    for (const text of printed) {
      for (const secret of [KEY.keyValue, OTHER_KEY.keyValue, SAME_ID_OTHER_VALUE.keyValue, COOKIE])
        expect(text).not.toContain(secret);
      expect(text).not.toMatch(/[\w-]{20,}\.\.[\w-]+\.[\w-]+\.[\w-]+/);
    }
  }

  return { cli, doctor, onSite, expectNothingSecretPrinted };
}
