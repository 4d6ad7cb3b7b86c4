import type { ResolvedApiOptions } from './api-minter.js';
import { type ExploClaimOptions, type NormalizedClaims, normalizeClaims } from './claims.js';
import { type Duration, durationToMs } from './duration.js';
import { ExploClaimsError, type ExploEmbedError, ExploOptionError } from './errors.js';
import { assertSecret, type ExploSecret } from './secret.js';

/** Context handed to a secret provider. */
export interface ExploSecretProviderContext {
  /** Aborted when the fetch times out or is no longer wanted. */
  signal: AbortSignal;
}

/** Returns the current secret: from a secret manager, the environment, a rotation scheme... */
export type ExploSecretProvider = (context: ExploSecretProviderContext) => ExploSecret | Promise<ExploSecret>;

/** What a `claims` function is told. */
export interface ExploClaimsContext {
  customerId: string;
  /** Dashboard name (a key of `dashboards`). */
  dashboard: string;
  /** Embed id of that dashboard. */
  embedId: string;
}

/** Told to `onMint` for every newly minted token (not for reused ones). */
export interface ExploMintEvent {
  customerId: string;
  dashboard: string;
  embedId: string;
  keyId: string | undefined;
  expiresAt: Date;
}

/** Told to `onError` with every error the middleware handles itself. */
export interface ExploErrorContext {
  /** Where it happened. */
  phase: 'secret' | 'mint' | 'route' | 'page';
  customerId?: string;
  dashboard?: string;
}

/** Options of {@link createExploEmbed}. Validated once, synchronously; never mutated. */
export interface ExploEmbedOptions {
  /**
   * The embed secret, or a function returning it (sync or async). A function is called once per
   * `secretCache.ttl`, however many requests arrive. Optional when `api` is set (then it is used
   * only by `decrypt()`).
   */
  secret?: ExploSecret | ExploSecretProvider;
  /**
   * Mint through Explo's API (`POST {url}/api/generate_jwt/`) instead of encrypting locally.
   * The API token never reaches a browser, a log or an error.
   */
  api?: ExploApiOptions;
  /** Allowlist of dashboards: `{ name: embedId }`. Requests name dashboards by name only. */
  dashboards: Readonly<Record<string, string>>;
  /** Dashboard used when a request names none. Default: the first key of `dashboards`. */
  defaultDashboard?: string;
  /** Token lifetime, 10 s to 7 days. Default `"1d"` (Explo's default). */
  expiresIn?: Duration;
  /** Optional claims (`rbc`, `des`, `iss`), fixed or computed per customer and dashboard. */
  claims?: ExploClaimOptions | ((context: ExploClaimsContext) => ExploClaimOptions | Promise<ExploClaimOptions>);
  /**
   * Token reuse. A token is handed out again while at least `minRemaining` (a fraction, default
   * 0.5) of its lifetime remains; at most `max` (default 10 000) tokens are kept. `false` disables.
   */
  reuse?: false | { minRemaining?: number; max?: number };
  /** Secret provider caching: see the README's options table. */
  secretCache?: {
    /** How long a fetched secret is used before the provider is asked again. Default `"5m"`. */
    ttl?: Duration;
    /** How long past `ttl` the last good secret may still be used while the provider fails. Default `"1h"`. */
    maxStale?: Duration;
    /** How long a provider call may take. Default `"5s"`. */
    timeout?: Duration;
    /** `Retry-After` sent with 503, and the retry interval while serving a stale secret. Default `"5s"`. */
    retryAfter?: Duration;
  };
  /** Decides whether a customer may have a dashboard (token route and page tokens). */
  authorize?: (customerId: string, dashboard: string) => boolean | Promise<boolean>;
  /** Called after each new mint. Exceptions are ignored. */
  onMint?: (event: ExploMintEvent) => void;
  /** Called with each error the middleware handles (and turns into a response). Exceptions are ignored. */
  onError?: (error: ExploEmbedError, context: ExploErrorContext) => void;
  /** Current time in milliseconds since the epoch. Default `Date.now`. For tests. */
  clock?: () => number;
}

/** Minting through Explo's API. */
export interface ExploApiOptions {
  /** The API token (Explo: Settings, API tokens; one per Data Visibility Group). */
  token: string;
  /** API base URL. Default `"https://api.explo.co"`. */
  url?: string;
  /** Key id sent as `key_id`. Default: the fixed `secret`'s key id, else none (Explo chooses). */
  keyId?: string;
  /** Time allowed per attempt. Default `"10s"`. */
  timeout?: Duration;
  /** Retries after network errors and 5xx. Default 2. */
  retries?: number;
  /** First backoff delay, doubled per retry (with jitter). Default `"250ms"`. */
  retryDelay?: Duration;
}

/** Options after validation. */
export interface ResolvedOptions {
  readonly secret: ExploSecret | ExploSecretProvider | undefined;
  readonly api: ResolvedApiOptions | undefined;
  readonly dashboards: ReadonlyMap<string, string>;
  readonly defaultDashboard: string;
  readonly lifetimeMs: number;
  readonly claims: NormalizedClaims | ((context: ExploClaimsContext) => ExploClaimOptions | Promise<ExploClaimOptions>);
  readonly reuse: false | { readonly minRemaining: number; readonly max: number };
  readonly secretCache: {
    readonly ttlMs: number;
    readonly maxStaleMs: number;
    readonly timeoutMs: number;
    readonly retryAfterMs: number;
  };
  readonly authorize: ((customerId: string, dashboard: string) => boolean | Promise<boolean>) | undefined;
  readonly onMint: ((event: ExploMintEvent) => void) | undefined;
  readonly onError: ((error: ExploEmbedError, context: ExploErrorContext) => void) | undefined;
  readonly clock: () => number;
}

/** Bounds on names and ids, so a query or a config mistake cannot grow without limit. */
export const MAX_DASHBOARD_NAME_LENGTH = 128;
export const MAX_EMBED_ID_LENGTH = 256;
export const MIN_LIFETIME_MS = 10_000;
export const MAX_LIFETIME_MS = 7 * 86_400_000;

const KNOWN = new Set([
  'secret',
  'api',
  'dashboards',
  'defaultDashboard',
  'expiresIn',
  'claims',
  'reuse',
  'secretCache',
  'authorize',
  'onMint',
  'onError',
  'clock',
]);

/** Validates options once. Throws {@link ExploOptionError} (or a secret error) naming the field. */
export function resolveOptions(options: ExploEmbedOptions, extraKeys: readonly string[] = []): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ExploOptionError('options', 'expected an object with at least { secret, dashboards }.');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key) && !extraKeys.includes(key)) {
      throw new ExploOptionError(key, 'unknown option (check the spelling).');
    }
  }
  const api = resolveApi(options.api, options.secret);
  const secret = api !== undefined && options.secret === undefined ? undefined : resolveSecret(options.secret);
  const dashboards = resolveDashboards(options.dashboards);
  const defaultDashboard = options.defaultDashboard ?? (dashboards.keys().next().value as string);
  if (typeof defaultDashboard !== 'string' || !dashboards.has(defaultDashboard)) {
    throw new ExploOptionError('defaultDashboard', 'must be one of the names in "dashboards".');
  }
  const lifetimeMs = durationOption('expiresIn', options.expiresIn, 86_400_000);
  if (lifetimeMs < MIN_LIFETIME_MS || lifetimeMs > MAX_LIFETIME_MS) {
    throw new ExploOptionError('expiresIn', 'must be between 10 seconds and 7 days (default "1d").');
  }
  return Object.freeze({
    secret,
    api,
    dashboards,
    defaultDashboard,
    lifetimeMs: Math.floor(lifetimeMs / 1000) * 1000,
    claims: resolveClaimsOption(options.claims),
    reuse: resolveReuse(options.reuse),
    secretCache: resolveSecretCache(options.secretCache),
    authorize: functionOption('authorize', options.authorize),
    onMint: functionOption('onMint', options.onMint),
    onError: functionOption('onError', options.onError),
    clock: functionOption('clock', options.clock) ?? Date.now,
  });
}

function resolveSecret(secret: unknown): ExploSecret | ExploSecretProvider {
  if (typeof secret === 'function') return secret as ExploSecretProvider;
  if (secret === undefined || secret === null) {
    throw new ExploOptionError('secret', 'is required: { keyId, keyValue } or a function returning one.');
  }
  // Secret errors keep their own codes (ERR_EXPLO_KEY_LENGTH...), naming the field in the message.
  assertSecret(secret, 'options.secret');
  return Object.freeze({ keyId: secret.keyId, keyValue: secret.keyValue });
}

const TOKEN_SHAPE = /^[\x21-\x7e]{8,512}$/;

function resolveApi(value: unknown, secret: unknown): ResolvedApiOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw new ExploOptionError('api', 'must be an object { token, url?, keyId?, timeout?, retries? }.');
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!['token', 'url', 'keyId', 'timeout', 'retries', 'retryDelay'].includes(key)) {
      throw new ExploOptionError(`api.${key}`, 'unknown option (check the spelling).');
    }
  }
  if (typeof v.token !== 'string' || !TOKEN_SHAPE.test(v.token)) {
    // The token itself is never repeated.
    throw new ExploOptionError(
      'api.token',
      typeof v.token === 'string' && v.token.trim() !== v.token
        ? 'has leading or trailing whitespace (often a newline from an env file): trim it.'
        : 'must be the API token from Explo: 8 to 512 visible characters, no spaces.',
    );
  }
  const url = v.url ?? 'https://api.explo.co';
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    parsed.search ||
    parsed.hash ||
    parsed.username
  ) {
    throw new ExploOptionError('api.url', 'must be an http(s) base URL such as "https://api.explo.co".');
  }
  const keyId = v.keyId ?? (typeof secret === 'object' && secret !== null ? (secret as ExploSecret).keyId : undefined);
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
    url: parsed.href.replace(/\/+$/, ''),
    keyId: keyId as string | undefined,
    timeoutMs,
    retries,
    retryDelayMs: durationOption('api.retryDelay', v.retryDelay, 250),
  });
}

function resolveDashboards(value: unknown): ReadonlyMap<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ExploOptionError('dashboards', 'must be an object { name: embedId }, e.g. { sales: "a1b2c3" }.');
  }
  const map = new Map<string, string>();
  for (const [name, embedId] of Object.entries(value)) {
    if (name.length === 0 || name.length > MAX_DASHBOARD_NAME_LENGTH) {
      throw new ExploOptionError('dashboards', `names must be 1 to ${MAX_DASHBOARD_NAME_LENGTH} characters.`);
    }
    if (typeof embedId !== 'string' || embedId.length === 0 || embedId.length > MAX_EMBED_ID_LENGTH) {
      throw new ExploOptionError(
        `dashboards.${name}`,
        `must be the dashboard's embed id: a non-empty string of at most ${MAX_EMBED_ID_LENGTH} characters.`,
      );
    }
    map.set(name, embedId);
  }
  if (map.size === 0) throw new ExploOptionError('dashboards', 'must name at least one dashboard.');
  return map;
}

function resolveClaimsOption(value: unknown): ResolvedOptions['claims'] {
  if (typeof value === 'function') return value as ResolvedOptions['claims'];
  try {
    return Object.freeze(normalizeClaims(value, 'options.claims'));
  } catch (error) {
    if (error instanceof ExploClaimsError) throw new ExploOptionError('claims', error.message);
    throw error;
  }
}

function resolveReuse(value: unknown): ResolvedOptions['reuse'] {
  if (value === false) return false;
  if (value === undefined || value === true) return Object.freeze({ minRemaining: 0.5, max: 10_000 });
  if (typeof value !== 'object' || value === null) {
    throw new ExploOptionError('reuse', 'must be false or { minRemaining?, max? }.');
  }
  const { minRemaining = 0.5, max = 10_000 } = value as { minRemaining?: unknown; max?: unknown };
  if (typeof minRemaining !== 'number' || !(minRemaining > 0 && minRemaining < 1)) {
    throw new ExploOptionError('reuse.minRemaining', 'must be a fraction of the lifetime between 0 and 1 (default 0.5).');
  }
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10_000_000) {
    throw new ExploOptionError('reuse.max', 'must be a whole number of tokens from 1 to 10 000 000 (default 10 000).');
  }
  return Object.freeze({ minRemaining, max });
}

function resolveSecretCache(value: unknown): ResolvedOptions['secretCache'] {
  if (value === undefined) value = {};
  if (typeof value !== 'object' || value === null) {
    throw new ExploOptionError('secretCache', 'must be an object { ttl?, maxStale?, timeout?, retryAfter? }.');
  }
  const v = value as Record<string, unknown>;
  const ttlMs = durationOption('secretCache.ttl', v.ttl, 300_000);
  const maxStaleMs = durationOption('secretCache.maxStale', v.maxStale, 3_600_000);
  const timeoutMs = durationOption('secretCache.timeout', v.timeout, 5_000);
  const retryAfterMs = durationOption('secretCache.retryAfter', v.retryAfter, 5_000);
  if (ttlMs < 1000) throw new ExploOptionError('secretCache.ttl', 'must be at least 1 second.');
  if (timeoutMs < 1 || timeoutMs > 120_000) {
    throw new ExploOptionError('secretCache.timeout', 'must be between 1 ms and 2 minutes.');
  }
  if (retryAfterMs < 1000) throw new ExploOptionError('secretCache.retryAfter', 'must be at least 1 second.');
  return Object.freeze({ ttlMs, maxStaleMs, timeoutMs, retryAfterMs });
}

function durationOption(name: string, value: unknown, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const ms = durationToMs(value);
  if (ms === undefined) {
    throw new ExploOptionError(name, 'must be a number of seconds or a string such as "90s", "30m", "2h" or "1d".');
  }
  return ms;
}

function functionOption<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ExploOptionError(name, 'must be a function.');
  return value;
}
