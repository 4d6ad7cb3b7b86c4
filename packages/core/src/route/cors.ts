import { ExploOptionError } from '../errors/errors.js';
import type { Duration } from '../lib/duration.js';
import { durationOption, knownKeys } from '../lib/option-checks.js';
import { originOption } from '../model/claims.js';

/**
 * Cross-origin access to the token route, for a front end served from another origin than the
 * route (a single-page app on `app.example.com` calling `api.example.com`). Off by default: the
 * route then answers its own origin only.
 */
export interface ExploCorsOptions {
  /**
   * The front ends' origins, exactly: `["https://app.example.com"]`. Each allowed origin is echoed
   * back in `Access-Control-Allow-Origin`; `*` is refused (a token route is per user).
   */
  origins: readonly string[];
  /**
   * The browser sends cookies cross-origin (`fetch(..., { credentials: 'include' })`), so the
   * answer carries `Access-Control-Allow-Credentials: true`. Default `false` (a bearer token in a
   * header needs no cookies). The session cookie must then be `SameSite=None; Secure`.
   */
  credentials?: boolean;
  /** Request headers the front end may send. Default `["authorization"]` (a bearer token). */
  allowHeaders?: readonly string[];
  /** How long a browser may cache the preflight answer. Default `"10m"`. */
  maxAge?: Duration;
}

/** CORS settings after validation. */
export interface ResolvedCors {
  readonly origins: ReadonlySet<string>;
  /** Headers of a preflight answer for an allowed origin, without the origin itself. */
  readonly preflight: Readonly<Record<string, string>>;
  readonly credentials: boolean;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/** Validates the `cors` option once; `undefined` when it is not given. Throws `ERR_EXPLO_OPTION_INVALID`. */
export function resolveCors(value: unknown): ResolvedCors | undefined {
  if (value === undefined || value === false) return undefined;
  const v = knownKeys(
    value,
    ['origins', 'credentials', 'allowHeaders', 'maxAge'],
    'cors',
    '{ origins, credentials?, allowHeaders?, maxAge? }',
  );
  const { origins, credentials = false, allowHeaders = ['authorization'] } = v;
  if (!Array.isArray(origins) || origins.length === 0 || origins.length > 100) {
    throw new ExploOptionError('cors.origins', 'must list 1 to 100 origins, e.g. ["https://app.example.com"].');
  }
  const allowed = new Set(origins.map((origin, i) => corsOrigin(origin, `cors.origins[${i}]`)));
  if (typeof credentials !== 'boolean') throw new ExploOptionError('cors.credentials', 'must be true or false (default false).');
  if (!Array.isArray(allowHeaders) || !allowHeaders.every((name) => typeof name === 'string' && HEADER_NAME.test(name))) {
    throw new ExploOptionError('cors.allowHeaders', 'must be an array of header names, e.g. ["authorization"].');
  }
  const maxAgeMs = durationOption('cors.maxAge', v.maxAge, 600_000);
  if (maxAgeMs < 0 || maxAgeMs > 86_400_000) throw new ExploOptionError('cors.maxAge', 'must be between 0 and 1 day.');
  return Object.freeze({
    origins: allowed,
    credentials,
    preflight: Object.freeze({
      'access-control-allow-methods': 'GET',
      ...(allowHeaders.length > 0 ? { 'access-control-allow-headers': allowHeaders.join(', ') } : {}),
      'access-control-max-age': String(Math.floor(maxAgeMs / 1000)),
    }),
  });
}

function corsOrigin(value: unknown, where: string): string {
  if (value === '*' || value === 'null' || (typeof value === 'string' && value.includes('*'))) {
    throw new ExploOptionError(
      where,
      'must be one origin, e.g. "https://app.example.com": "*", wildcards and "null" are refused.',
    );
  }
  return originOption(value, where);
}

/**
 * The CORS headers of a token-route answer to a request from `origin` (the `Origin` header):
 * the origin echoed when it is allowed, and `Vary: Origin` either way (the answer depends on it).
 */
export function corsHeaders(cors: ResolvedCors, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !cors.origins.has(origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    ...(cors.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'Origin',
  };
}
