import { LRUCache } from 'lru-cache';
import { ExploSecretError, ExploSecretUnavailableError } from './errors.js';
import type { ExploSecretProvider } from './options.js';
import type { Reporter } from './reporter.js';
import type { SecretCacheSettings } from './resolve-options.js';
import { assertSecret, type ExploSecret, type PreparedSecret, prepareSecret } from './secret.js';

/** Where the current prepared secret comes from: a fixed secret, or a cached provider. */
export interface SecretSource {
  get(): Promise<PreparedSecret>;
  /** The secret when it is ready and within its TTL, without waiting; else undefined. */
  ready(): PreparedSecret | undefined;
}

/** A fixed secret, imported once on first use. */
export function staticSecretSource(secret: ExploSecret, clock: () => number): SecretSource {
  let prepared: Promise<PreparedSecret> | undefined;
  let resolved: PreparedSecret | undefined;
  return {
    get: () => {
      prepared ??= prepareSecret(secret, clock()).then((value) => (resolved = value));
      return prepared;
    },
    ready: () => resolved,
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
): SecretSource {
  const { ttlMs, maxStaleMs, timeoutMs, retryAfterMs } = options;
  const retryAfter = Math.ceil(retryAfterMs / 1000);
  const cache = new LRUCache<'current', PreparedSecret>({
    max: 1,
    ttl: ttlMs,
    perf: { now: clock },
    // Read the (injectable) clock on every check rather than caching it for a timer tick.
    ttlResolution: 0,
    // ready() must not drop a stale secret: fetch() hands it to fetchMethod as the fallback.
    noDeleteOnStaleGet: true,
    fetchMethod: async (_key, stale, { signal, options: entry }) => {
      try {
        const secret = await callWithTimeout(provider, signal, timeoutMs);
        assertSecret(secret, 'The secret provider result');
        return await prepareSecret(secret, clock());
      } catch (cause) {
        const error =
          cause instanceof ExploSecretError
            ? cause
            : new ExploSecretUnavailableError(describeFailure(cause, timeoutMs), retryAfter, { cause });
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
  const revalidate = () => void cache.fetch('current').catch(() => {});
  const usable = (): PreparedSecret | undefined => {
    const fresh = cache.get('current');
    if (fresh !== undefined) return fresh;
    const stale = cache.get('current', { allowStale: true });
    if (stale === undefined || clock() - stale.obtainedAt > ttlMs + maxStaleMs) return undefined;
    revalidate();
    return stale;
  };
  return {
    ready: usable,
    get: async () => {
      const ready = usable();
      if (ready !== undefined) return ready;
      const secret = await cache.fetch('current');
      // fetch() resolves undefined only when aborted, which this cache never does by itself.
      if (secret === undefined) throw new ExploSecretUnavailableError('The secret fetch was aborted.', retryAfter);
      return secret;
    },
  };
}

async function callWithTimeout(provider: ExploSecretProvider, outer: AbortSignal, timeoutMs: number): Promise<unknown> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(() => provider({ signal: controller.signal })),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new TimeoutError(timeoutMs);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
        // Not unref'd: a process whose only work is waiting for the secret must get its error, not exit.
      }),
    ]);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}

class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The secret provider did not answer within ${timeoutMs} ms.`);
  }
}

function describeFailure(cause: unknown, timeoutMs: number): string {
  if (cause instanceof TimeoutError) return `the secret provider did not answer within ${timeoutMs} ms (secretCache.timeout).`;
  // The provider's own message is not repeated: it could hold anything, secrets included.
  return 'the secret provider threw or rejected (see `cause`).';
}
