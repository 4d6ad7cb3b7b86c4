import { CliError } from '../cli-error.js';
import { type CliIo, nowOf, readStdin } from '../cli-io.js';
import { loadDashboards, loadKeys } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { apiTokenFlag } from '../resource-check.js';
import { quoteHostile } from '../terminal-safe.js';
import { diagnose } from './diagnose.js';
import { renderJson, renderText } from './report.js';

/** Flags of `doctor`. */
export interface DoctorFlags {
  /** The signed-in user's Cookie header, or `-` to read it from stdin. */
  cookie?: string;
  /** The token route, resolved against the page (default `/explo/token`). */
  tokenUrl: string;
  keyFile?: string;
  json?: boolean;
  /** Seconds for each request. */
  timeout: string;
  /** An Explo API token (or `-`: from stdin): the embed ids named are confirmed in Explo's Resource API. */
  apiToken?: string;
}

/**
 * `explo-embed doctor <page-url>`: fetches the page as the signed-in user would and says, line by
 * line, why its embedded dashboard would be blank. Exit 0 when nothing failed, 1 otherwise, 2 for
 * bad flags or configuration (checked before anything is fetched). Prints no key, cookie or whole token.
 */
export async function doctorCommand(pageArg: string, flags: DoctorFlags, io: CliIo): Promise<number> {
  const page = pageUrl(pageArg);
  const route = routeUrl(flags.tokenUrl, page);
  const timeoutMs = timeout(flags.timeout);
  if (flags.cookie === '-' && flags.apiToken === '-') {
    throw new CliError('--cookie - and --api-token - cannot both read stdin: give one of them another way.');
  }
  const cookie =
    flags.cookie === undefined
      ? undefined
      : cookieHeader(flags.cookie === '-' ? await readStdin(io.stdin, 'one Cookie header') : flags.cookie);
  const apiToken = flags.apiToken === undefined ? undefined : await apiTokenFlag(flags.apiToken, io);
  const keys = loadKeys({ env: io.env, keyFile: flags.keyFile });
  const dashboards = io.env.EXPLO_DASHBOARDS?.trim() ? loadDashboards(io.env) : undefined;
  const resources = apiToken === undefined ? undefined : { token: apiToken, env: io.env };
  const findings = await diagnose({ page, route, cookie, keys, dashboards, timeoutMs, now: () => nowOf(io), resources });
  io.stdout(flags.json ? renderJson(page, findings) : renderText(page, findings));
  return findings.some((finding) => finding.status === 'fail') ? EXIT.FAILURE : EXIT.OK;
}

function pageUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      `<page-url> ${quoteHostile(value, 100)} is not a URL: give the page's full address (https://app.example.com/dashboard).`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError('<page-url> must be an http or https URL.');
  if (url.username !== '' || url.password !== '') {
    throw new CliError('<page-url> must not hold a user name or password: pass the session with --cookie.');
  }
  url.hash = '';
  return url;
}

function routeUrl(value: string, page: URL): URL {
  let url: URL;
  try {
    url = new URL(value, page);
  } catch {
    throw new CliError(`--token-url ${quoteHostile(value, 100)} is not a path or URL.`);
  }
  // The cookie goes with it: never to another origin than the page's.
  if (url.origin !== page.origin) {
    throw new CliError(`--token-url must be on the page's origin (${page.origin}): the cookie is sent only there.`);
  }
  return url;
}

function timeout(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds < 1 || seconds > 120) {
    throw new CliError('--timeout: give seconds from 1 to 120 (each request; default 10).');
  }
  return seconds * 1000;
}

// What a browser's developer tools show: "name=value; other=value", with or without "Cookie:".
function cookieHeader(value: string): string {
  const header = value.trim().replace(/^cookie:\s*/i, '');
  if (header === '' || header.length > 8192 || /[^\u0020-\u007e]/.test(header)) {
    throw new CliError('--cookie: give one Cookie header line (name=value; ...), under 8 KiB. It is never printed.');
  }
  return header;
}
