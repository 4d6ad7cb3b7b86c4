import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { starterAppContract } from './app-contract.js';
import { node24Env } from './node24.js';
import { fencedBlocks, installArgs, readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, freePort, packAll, ROOT, STARTERS, type StartedApp, sh, startApp } from './starter-kit.js';

// A new user of Cloudflare Workers, as they start today: `npm create cloudflare` for a "Hello World"
// Worker in TypeScript (no git, no deploy), then @explo-embed/fetch's Cloudflare Workers section,
// verbatim: its installs and shell lines (not `wrangler secret put` or `wrangler deploy`, which need
// an account), its wrangler.jsonc keys, its .dev.vars (this test's values under the README's names),
// its files. Type-checked by the starter's tsconfig, served by `wrangler dev` on workerd, logged in,
// and read over HTTP and in Chromium. Wrangler needs Node 22 or later: it runs on Node 24.
//
// create-cloudflare and wrangler stay off Cloudflare: --local (no remote bindings), no telemetry, no
// fetch of the `Request.cf` object, no account in the environment.
const KEY = { keyId: '708192a3-b4c5-4d6e-8f70-8192a3b4c5d6', keyValue: 'workers-starter-key-of-32-bytes!' };
const DEV_VARS: Record<string, string> = {
  EXPLO_KEY_ID: KEY.keyId,
  EXPLO_KEY_VALUE: KEY.keyValue,
  SESSION_SECRET: 'workers-starter-session-secret-of-32-chars',
};
const SECTION = readReadme(ROOT, 'packages/fetch/README.md', /^Cloudflare Workers$/);

let work: string;
let dir: string;
let wrangler: NodeJS.ProcessEnv;
let app: StartedApp;
let browser: Browser;

/** Node 24, and nothing that would let wrangler reach Cloudflare. */
async function offlineWranglerEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...(await node24Env()),
    WRANGLER_SEND_METRICS: 'false',
    DO_NOT_TRACK: '1',
    CREATE_CLOUDFLARE_TELEMETRY_DISABLED: '1',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  };
  for (const name of ['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL'])
    delete env[name];
  return env;
}

/** The README's wrangler.jsonc block: keys added at the top of the starter's config (JSON with comments). */
function addWranglerKeys(): void {
  const block = fencedBlocks(SECTION, 'jsonc').find((code) => code.startsWith('// wrangler.jsonc'));
  if (!block) throw new Error('the Cloudflare Workers section has no "// wrangler.jsonc" block');
  const keys = JSON.parse(block.slice(block.indexOf('\n'))) as Record<string, unknown>;
  const file = join(dir, 'wrangler.jsonc');
  const lines = Object.entries(keys).map(([name, value]) => `\t${JSON.stringify(name)}: ${JSON.stringify(value)},`);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^\{$/m, `{\n${lines.join('\n')}`));
}

/** The README's .dev.vars, with this test's values under the same names. */
function writeDevVars(): void {
  const block = fencedBlocks(SECTION, 'ini').find((code) => code.startsWith('# .dev.vars'));
  if (!block) throw new Error('the Cloudflare Workers section has no "# .dev.vars" block');
  const names = [...block.matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1] as string);
  expect(names.sort()).toEqual(Object.keys(DEV_VARS).sort());
  writeFileSync(join(dir, '.dev.vars'), names.map((name) => `${name}=${DEV_VARS[name]}\n`).join(''));
}

/** The README's other shell lines, in order: not its installs (applyRecipe's), nor what needs an account. */
async function runShellLines(): Promise<void> {
  for (const line of fencedBlocks(SECTION, 'sh').flatMap((code) => code.split('\n'))) {
    const command = line.replace(/\s#.*$/, '').trim();
    if (command === '' || command.startsWith('#') || installArgs(command) || /wrangler (secret|deploy)/.test(command)) continue;
    await sh('sh', ['-c', command], dir, wrangler);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-workers-starter-'));
  dir = join(work, 'worker-app');
  wrangler = await offlineWranglerEnv();
  const [tarballs] = await Promise.all([
    packAll(join(work, 'packs')),
    sh(
      'npm',
      [
        'create',
        '-y',
        `cloudflare@${STARTERS.createCloudflare}`,
        'worker-app',
        '--',
        '--type=hello-world',
        '--lang=ts',
        '--no-git',
        '--no-deploy',
        '--no-open',
        '--no-agents',
      ],
      work,
      wrangler,
    ),
  ]);
  await applyRecipe(dir, recipeOf(SECTION), tarballs, { snippetDir: 'src/readme-snippets' });
  addWranglerKeys();
  writeDevVars();
  await runShellLines();
  const [port, inspectorPort] = [await freePort(), await freePort()];
  app = await startApp(
    dir,
    [
      'npx',
      'wrangler',
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--show-interactive-dev-session=false',
    ],
    wrangler,
    port,
  );
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop(); // the process group: wrangler and its workerd
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

describe('create-cloudflare’s Hello World Worker with the fetch README’s Workers section', () => {
  it('type-checks strict with the starter’s tsconfig and the types `wrangler types` wrote', async () => {
    expect(readFileSync(join(dir, 'worker-configuration.d.ts'), 'utf8')).toMatch(/EXPLO_KEY_VALUE: string/);
    await sh('npx', ['tsc', '--noEmit', '-p', '.'], dir, wrangler);
  }, 120_000);

  it('runs without nodejs_compat: wrangler bundles the core’s edge entry (workerd, worker conditions), which loads no node: module', () => {
    const config = readFileSync(join(dir, 'wrangler.jsonc'), 'utf8');
    expect(config).not.toMatch(/nodejs_compat/);
    expect(app.output()).not.toMatch(/wasn't found|nodejs_compat|node:/);
  });

  starterAppContract({
    app: () => app,
    browser: () => browser,
    key: KEY,
    page: '/',
    refresher: 'the script-tag build (served from the static assets)',
  });

  it('answers POST on the token route with 405', async () => {
    expect((await fetch(`${app.url}/explo/token`, { method: 'POST' })).status).toBe(405);
  });
});
