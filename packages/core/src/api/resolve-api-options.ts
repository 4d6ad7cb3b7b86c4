import { ExploOptionError } from '../errors/errors.js';
import { durationOption, knownKeys } from '../lib/option-checks.js';
import type { ExploApiOptions } from '../options/options.js';

/** Settings for minting through Explo's API, after validation. */
export interface ResolvedApiOptions {
  readonly token: string;
  /** Base URL without a trailing slash. */
  readonly url: string;
  readonly keyId: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly rateLimit: {
    readonly perMinute: number;
    readonly queue: number;
    readonly maxWaitMs: number;
    readonly localShare: number;
  };
}

const KEYS = ['token', 'url', 'keyId', 'timeout', 'retries', 'retryDelay', 'rateLimit'] as const;
const TOKEN_SHAPE = /^[\x21-\x7e]{8,512}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Validates `api` options once. `fallbackKeyId` is the fixed secret's key id, used as `key_id` when
 * `api.keyId` is not given. Throws {@link ExploOptionError} naming the field; never repeats the token.
 */
export function resolveApiOptions(value: unknown, fallbackKeyId: string | undefined): ResolvedApiOptions {
  const v = knownKeys(value, KEYS, 'api', '{ token, url?, keyId?, timeout?, retries?, retryDelay?, rateLimit? }');
  if (typeof v.token !== 'string' || !TOKEN_SHAPE.test(v.token)) {
    throw new ExploOptionError(
      'api.token',
      typeof v.token === 'string' && v.token.trim() !== v.token
        ? 'has leading or trailing whitespace (often a newline from an env file): trim it.'
        : 'must be the API token from Explo: 8 to 512 visible characters, no spaces.',
    );
  }
  const keyId = v.keyId ?? fallbackKeyId;
  if (keyId !== undefined && (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > 256)) {
    throw new ExploOptionError('api.keyId', 'must be a non-empty key id string.');
  }
  const retries = v.retries ?? 2;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw new ExploOptionError('api.retries', 'must be a whole number from 0 to 10 (default 2).');
  }
  const timeoutMs = durationOption('api.timeout', v.timeout, 10_000);
  if (timeoutMs < 1 || timeoutMs > 120_000) throw new ExploOptionError('api.timeout', 'must be between 1 ms and 2 minutes.');
  return Object.freeze({
    token: v.token,
    url: apiUrl(v.url ?? 'https://api.explo.co'),
    keyId: keyId as string | undefined,
    timeoutMs,
    retries,
    retryDelayMs: durationOption('api.retryDelay', v.retryDelay, 250),
    rateLimit: resolveRateLimit(v.rateLimit),
  });
}

function resolveRateLimit(value: unknown): ResolvedApiOptions['rateLimit'] {
  const v = knownKeys(
    value ?? {},
    ['perMinute', 'queue', 'maxWait', 'localShare'],
    'api.rateLimit',
    '{ perMinute?, queue?, maxWait?, localShare? }',
  );
  const { perMinute = 180, queue = 100, localShare = 0.25 } = v;
  if (typeof perMinute !== 'number' || !Number.isInteger(perMinute) || perMinute < 1 || perMinute > 100_000) {
    throw new ExploOptionError(
      'api.rateLimit.perMinute',
      "must be a whole number of calls from 1 to 100 000 (default 180, Explo's limit).",
    );
  }
  if (typeof queue !== 'number' || !Number.isInteger(queue) || queue < 0 || queue > 100_000) {
    throw new ExploOptionError('api.rateLimit.queue', 'must be a whole number from 0 to 100 000 (default 100).');
  }
  const maxWaitMs = durationOption('api.rateLimit.maxWait', v.maxWait, 10_000);
  if (maxWaitMs > 120_000) throw new ExploOptionError('api.rateLimit.maxWait', 'must be at most 2 minutes (default "10s").');
  if (typeof localShare !== 'number' || !(localShare > 0 && localShare <= 1)) {
    throw new ExploOptionError('api.rateLimit.localShare', 'must be a fraction above 0 and at most 1 (default 0.25).');
  }
  return Object.freeze({ perMinute, queue, maxWaitMs, localShare });
}

// The API token travels in a header: plain http is allowed only to a stand-in on this machine.
function apiUrl(url: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.username || parsed.password)) {
    // Never echoed: they are credentials. Every call would otherwise fail as "the connection failed".
    throw new ExploOptionError('api.url', 'must not carry credentials (user:password@); the API token goes in api.token.');
  }
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    throw new ExploOptionError('api.url', 'must be an https base URL such as "https://api.explo.co".');
  }
  if (parsed.protocol === 'http:' && !LOOPBACK.has(parsed.hostname)) {
    throw new ExploOptionError('api.url', 'must use https: over plain http the API token would travel unencrypted.');
  }
  return parsed.href.replace(/\/+$/, '');
}

/**
 * Checks `api` options exactly as {@link createExploEmbed} does, without creating a minter: for a
 * startup check or a tool. Throws `ERR_EXPLO_OPTION_INVALID` naming the field, never the token.
 */
export function assertApiOptions(api: ExploApiOptions): void {
  resolveApiOptions(api, undefined);
}
