import { LRUCache } from 'lru-cache';
import type { ExploErrorCode } from '../errors/error-codes.js';
import { ExploSecretError, type ExploSecretMissingError, ExploSecretUnavailableError } from '../errors/errors.js';
import { assertSecrets, type PreparedRing, prepareRing } from '../keys/key-ring.js';
import type { ExploSecret } from '../keys/secret.js';
import type { Reporter } from '../operations/reporter.js';
import type { Telemetry } from '../operations/telemetry.js';
import type { ExploSecretProvider } from '../options/options.js';
import { callWithTimeout, describeFailure } from './provider-call.js';

/** How a secret provider is cached, in milliseconds. */
export interface SecretCacheSettings {
  readonly ttlMs: number;
  readonly maxStaleMs: number;
  readonly timeoutMs: number;
  readonly retryAfterMs: number;
}

/** Where the current keys come from: a fixed secret (or ring), or a cached provider. */
export interface SecretSource {
  get(): Promise<PreparedRing>;
  /** The keys when they are ready and usable, without waiting; else undefined. */
  ready(): PreparedRing | undefined;
  /** For a readiness probe: whether usable keys are cached, and the provider's last failure. */
  status(): SecretStatus;
}

/** What `health()` reports about the secret. */
export interface SecretStatus {
  /** `ready`: fresh keys; `stale`: the last good ones, kept while the provider fails; `missing`: none usable. */
  state: 'ready' | 'stale' | 'missing';
  /** The code of the provider's last failure, until it answers well again. */
  lastError?: ExploErrorCode;
}

/** A fixed secret or key ring, imported once on first use. */
export function staticSecretSource(secret: ExploSecret | readonly ExploSecret[], clock: () => number): SecretSource {
  let prepared: Promise<PreparedRing> | undefined;
  let resolved: PreparedRing | undefined;
  return {
    get: () => {
      prepared ??= prepareRing(secret, clock()).then((value) => (resolved = value));
      return prepared;
    },
    ready: () => resolved,
    // A fixed secret was checked at setup: it is ready once imported, which takes a moment at most.
    status: () => ({ state: 'ready' }),
  };
}

/**
 * A fixed secret that is not set where the app runs: every use fails with the same coded error,
 * reported (and so logged, with its fix) at most once a minute, and `health()` says `missing`.
 */
export function missingSecretSource(error: ExploSecretMissingError, reporter: Reporter, clock: () => number): SecretSource {
  let reportedAt: number | undefined;
  return {
    get: async () => {
      const now = clock();
      if (reportedAt === undefined || now - reportedAt >= 60_000) {
        reportedAt = now;
        reporter.failed(error, { phase: 'secret' });
      }
      throw error;
    },
    ready: () => undefined,
    status: () => ({ state: 'missing', lastError: error.code }),
  };
}

/**
 * A provider behind lru-cache's `fetchMethod`: one provider call however many requests wait, a
 * timeout on a hung provider, and the last good secret kept while the provider fails, for at most
 * `maxStale` past its `ttl`. Past `ttl`, requests get the last good secret at once while the provider
 * is asked again in the background: only a cold cache (or one past `maxStale`) waits for it.
 */
export function providerSecretSource(
  provider: ExploSecretProvider,
  options: SecretCacheSettings,
  clock: () => number,
  reporter: Reporter,
  telemetry: Telemetry,
): SecretSource {
  const { ttlMs, maxStaleMs, timeoutMs, retryAfterMs } = options;
  const retryAfter = Math.ceil(retryAfterMs / 1000);
  let lastError: ExploErrorCode | undefined;
  let lastAttemptAt: number | undefined;
  /** One provider call, checked and imported; anything wrong becomes the coded error onError gets. */
  const fetchRing = async (signal: AbortSignal, waited: boolean): Promise<PreparedRing> => {
    try {
      const secret = await callWithTimeout(provider, signal, timeoutMs, waited);
      assertSecrets(secret, 'The secret provider result');
      return await prepareRing(secret, clock());
    } catch (cause) {
      if (cause instanceof ExploSecretError) throw cause;
      throw new ExploSecretUnavailableError(describeFailure(cause, timeoutMs), retryAfter, { cause });
    }
  };
  // `waited`: a caller awaits this fetch (a cold cache), so its timeout must keep the process alive.
  const cache = new LRUCache<'current', PreparedRing, { waited: boolean }>({
    max: 1,
    ttl: ttlMs,
    perf: { now: clock },
    // Read the (injectable) clock on every check rather than caching it for a timer tick.
    ttlResolution: 0,
    // ready() must not drop a stale secret: fetch() hands it to fetchMethod as the fallback.
    noDeleteOnStaleGet: true,
    fetchMethod: async (_key, stale, { signal, options: entry, context }) => {
      lastAttemptAt = clock();
      try {
        // The span covers the whole attempt, checks included: it ends with the code onError gets.
        const ring = await telemetry.span('explo-embed secret fetch', () => fetchRing(signal, context.waited));
        lastError = undefined;
        return ring;
      } catch (caught) {
        const error = caught as ExploSecretError | ExploSecretUnavailableError;
        lastError = error.code;
        reporter.failed(error, { phase: 'secret' });
        if (stale !== undefined && clock() - stale.obtainedAt <= ttlMs + maxStaleMs) {
          // Keep serving the last good secret, and ask the provider again after retryAfter.
          entry.ttl = retryAfterMs;
          return stale;
        }
        throw new ExploSecretUnavailableError(
          `No usable embed secret: ${error.message}${stale ? ' The last good secret is older than secretCache.maxStale.' : ''}`,
          retryAfter,
          { cause: error },
        );
      }
    },
  });
  // Errors are reported by fetchMethod; a background revalidation has no caller to reject.
  const revalidate = () => void cache.fetch('current', { context: { waited: false } }).catch(() => {});
  const usable = (): PreparedRing | undefined => {
    const fresh = cache.get('current');
    if (fresh !== undefined) return fresh;
    const stale = cache.get('current', { allowStale: true });
    if (stale === undefined || clock() - stale.obtainedAt > ttlMs + maxStaleMs) return undefined;
    revalidate();
    return stale;
  };
  // Readiness warms itself: the provider is asked at once, in the background, and a probe that
  // finds no usable keys asks again (at most once per retryAfter), so probes alone bring an
  // instance up, and back after an outage.
  revalidate();
  const warm = () => {
    if (lastAttemptAt === undefined || clock() - lastAttemptAt >= retryAfterMs) revalidate();
  };
  return {
    ready: usable,
    status: () => {
      const fresh = cache.get('current');
      if (fresh === undefined || lastError !== undefined) warm();
      const state =
        fresh !== undefined ? (lastError === undefined ? 'ready' : 'stale') : usable() !== undefined ? 'stale' : 'missing';
      return lastError === undefined ? { state } : { state, lastError };
    },
    get: async () => {
      const ready = usable();
      if (ready !== undefined) return ready;
      // This caller waits: the process must stay alive until the fetch settles, even when it joins a
      // background fetch (whose time limit does not hold a process open).
      const keepAlive = setTimeout(() => {}, timeoutMs + 1_000);
      const secret = await cache.fetch('current', { context: { waited: true } }).finally(() => clearTimeout(keepAlive));
      // fetch() resolves undefined only when aborted, which this cache never does by itself.
      if (secret === undefined) throw new ExploSecretUnavailableError('The secret fetch was aborted.', retryAfter);
      return secret;
    },
  };
}
