import { resolveApiOptions } from './api/resolve-api-options.js';
import { resolveCustomersOptions } from './customers/resolve-customers-options.js';
import { ExploClaimsError, ExploOptionError, ExploSecretMissingError } from './errors/errors.js';
import { redisSetting } from './fleet/redis-client.js';
import { assertSecrets, missingSecretField } from './keys/key-ring.js';
import type { ExploSecret } from './keys/secret.js';
import { durationOption, functionOption, knownKeys } from './lib/option-checks.js';
import { type NormalizedClaims, normalizeClaims } from './model/claims.js';
import { resolveDashboards } from './model/dashboards.js';
import type {
  ExploClaimsFunction,
  ExploEmbedOptions,
  ExploLogger,
  ExploSecretProvider,
  ExploTokenStore,
} from './options/options.js';
import type { SecretCacheSettings } from './secret/secret-source.js';

/** Options after validation: what {@link resolveOptions} returns. */
export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** Bounds on the token lifetime. */
export const MIN_LIFETIME_MS = 10_000;
export const MAX_LIFETIME_MS = 7 * 86_400_000;

const KEYS = [
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
  'logger',
  'clock',
  'redis',
  'customers',
] as const satisfies readonly (keyof ExploEmbedOptions)[];

/**
 * Validates the core options once, synchronously, into a frozen object; never mutates `options`.
 * Throws {@link ExploOptionError} (or a secret error) naming the field.
 */
export function resolveOptions(options: ExploEmbedOptions) {
  const v = knownKeys(options, KEYS, 'options', '{ secret, dashboards, ... }') as Partial<ExploEmbedOptions>;
  const secret = v.api !== undefined && v.secret === undefined ? undefined : resolveSecret(v.secret);
  const lifetimeMs = durationOption('expiresIn', v.expiresIn, 86_400_000);
  if (lifetimeMs < MIN_LIFETIME_MS || lifetimeMs > MAX_LIFETIME_MS) {
    throw new ExploOptionError('expiresIn', 'must be between 10 seconds and 7 days (default "1d").');
  }
  return Object.freeze({
    secret,
    // Explo's API is asked for the key that mints here: a ring's first, a fixed secret's own.
    api: v.api === undefined ? undefined : resolveApiOptions(v.api, mintingKeyId(secret)),
    customers: resolveCustomersOptions(v.customers, v.api),
    dashboards: resolveDashboards(v.dashboards, v.defaultDashboard),
    // Whole seconds: `exp` and `iat` are integer NumericDates.
    lifetimeMs: Math.floor(lifetimeMs / 1000) * 1000,
    claims: resolveClaims(v.claims),
    reuse: resolveReuse(v.reuse),
    secretCache: resolveSecretCache(v.secretCache),
    authorize: functionOption('authorize', v.authorize),
    onMint: functionOption('onMint', v.onMint),
    onError: functionOption('onError', v.onError),
    logger: resolveLogger(v.logger),
    clock: functionOption('clock', v.clock) ?? Date.now,
    // Its shape checked here; connected when the pipeline is assembled (its failures are reported there).
    redis: redisSetting(v.redis),
  });
}

function mintingKeyId(secret: ReturnType<typeof resolveSecret> | undefined): string | undefined {
  if (secret === undefined || typeof secret === 'function' || secret instanceof ExploSecretMissingError) return undefined;
  return Array.isArray(secret) ? secret[0]?.keyId : (secret as ExploSecret).keyId;
}

function resolveLogger(value: unknown): ExploLogger | false {
  if (value === undefined) return console;
  if (value === false) return false;
  const logger = value as Partial<ExploLogger> | null;
  if (typeof logger?.warn !== 'function' || typeof logger.error !== 'function') {
    throw new ExploOptionError(
      'logger',
      'must be false or an object with warn(message) and error(message), such as console or a pino logger.',
    );
  }
  return logger as ExploLogger;
}

function resolveSecret(
  secret: unknown,
): Readonly<ExploSecret> | readonly Readonly<ExploSecret>[] | ExploSecretProvider | ExploSecretMissingError {
  if (typeof secret === 'function') return secret as ExploSecretProvider;
  if (secret === undefined || secret === null) {
    throw new ExploOptionError(
      'secret',
      'is required: { keyId, keyValue }, a key ring [newest, older...], or a function returning one.',
    );
  }
  // Not set where this runs (a build without its environment): an error at use, not at setup.
  const missing = missingSecretField(secret, 'options.secret');
  if (missing !== undefined) return missing;
  // Secret errors keep their own codes (ERR_EXPLO_KEY_LENGTH...), naming the field in the message.
  assertSecrets(secret, 'options.secret');
  const copy = ({ keyId, keyValue }: ExploSecret) => Object.freeze({ keyId, keyValue });
  return Array.isArray(secret) ? Object.freeze(secret.map(copy)) : copy(secret as ExploSecret);
}

function resolveClaims(value: unknown): Readonly<NormalizedClaims> | ExploClaimsFunction {
  if (typeof value === 'function') return value as ExploClaimsFunction;
  try {
    return Object.freeze(normalizeClaims(value, 'options.claims'));
  } catch (error) {
    if (error instanceof ExploClaimsError) throw new ExploOptionError('claims', error.message);
    throw error;
  }
}

/** Reuse settings after validation. */
export interface ReuseOptions {
  readonly minRemaining: number;
  readonly max: number;
  readonly store: ExploTokenStore | undefined;
  readonly storeTimeoutMs: number;
  readonly freshPerMinute: number;
}

function resolveReuse(value: unknown): false | ReuseOptions {
  if (value === false) return false;
  if (value === undefined || value === true) {
    return Object.freeze({ minRemaining: 0.5, max: 10_000, store: undefined, storeTimeoutMs: 250, freshPerMinute: 12 });
  }
  const v = knownKeys(
    value,
    ['minRemaining', 'max', 'store', 'storeTimeout', 'freshPerMinute'],
    'reuse',
    'or false: { minRemaining?, max?, store?, storeTimeout?, freshPerMinute? }',
  );
  const { minRemaining = 0.5, max = 10_000, store, freshPerMinute = 12 } = v;
  if (typeof freshPerMinute !== 'number' || !Number.isInteger(freshPerMinute) || freshPerMinute < 1 || freshPerMinute > 10_000) {
    throw new ExploOptionError(
      'reuse.freshPerMinute',
      'must be a whole number of fresh tokens per customer and minute, 1 to 10 000 (default 12).',
    );
  }
  if (typeof minRemaining !== 'number' || !(minRemaining > 0 && minRemaining < 1)) {
    throw new ExploOptionError('reuse.minRemaining', 'must be a fraction of the lifetime between 0 and 1 (default 0.5).');
  }
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10_000_000) {
    throw new ExploOptionError('reuse.max', 'must be a whole number of tokens from 1 to 10 000 000 (default 10 000).');
  }
  if (store !== undefined) {
    const s = store as Partial<ExploTokenStore> | null;
    if (typeof s?.get !== 'function' || typeof s.set !== 'function') {
      throw new ExploOptionError(
        'reuse.store',
        'must be a Keyv instance (or any object with get(key) and set(key, value, ttl)).',
      );
    }
  }
  const storeTimeoutMs = durationOption('reuse.storeTimeout', v.storeTimeout, 250);
  if (storeTimeoutMs < 1 || storeTimeoutMs > 10_000) {
    throw new ExploOptionError('reuse.storeTimeout', 'must be between 1 ms and 10 seconds (default "250ms").');
  }
  return Object.freeze({ minRemaining, max, store: store as ExploTokenStore | undefined, storeTimeoutMs, freshPerMinute });
}

function resolveSecretCache(value: unknown): SecretCacheSettings {
  const v = knownKeys(
    value ?? {},
    ['ttl', 'maxStale', 'timeout', 'retryAfter'],
    'secretCache',
    '{ ttl?, maxStale?, timeout?, retryAfter? }',
  );
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
