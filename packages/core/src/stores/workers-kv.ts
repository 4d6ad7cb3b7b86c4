import { ExploOptionError } from '../errors/errors.js';
import type { ExploTokenStore } from '../options/options.js';

/** A Workers KV namespace binding (`env.TOKENS`), as far as it is used here. */
export interface WorkersKvNamespace {
  /** The value at `key` as text, or `null`. */
  get(key: string, type: 'text'): Promise<string | null>;
  /** Writes `value` at `key`, kept `expirationTtl` seconds (60 at least). */
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<unknown>;
}

/** A token entry is about 2 KiB: nothing longer is taken for one (a huge value written by someone else is a miss). */
const MAX_ENTRY_CHARS = 16_384;
/** Workers KV keeps a value at least this long (seconds): a shorter `expirationTtl` is refused. */
const KV_MIN_TTL_SECONDS = 60;

/**
 * Token reuse shared through a Workers KV namespace, for `reuse.store`:
 * `reuse: { store: workersKvStore(env.TOKENS) }`. KV is eventually consistent (a write can take up
 * to a minute to reach other locations), so it shares tokens, not budgets: for the fresh budget and
 * the API budget across a fleet, use `redis: upstashRedis(...)`. What comes back is checked as the
 * Redis store's is: anything longer than a token entry, or not JSON, is a miss; then the core checks
 * each entry's seal, customer, claims and expiry. Throws `ERR_EXPLO_OPTION_INVALID` for anything but a binding.
 */
export function workersKvStore(namespace: WorkersKvNamespace): ExploTokenStore {
  if (typeof namespace?.get !== 'function' || typeof namespace.put !== 'function') {
    throw new ExploOptionError('workersKvStore', 'needs a Workers KV namespace binding (env.MY_KV), with get() and put().');
  }
  return {
    async get(key) {
      const text = await namespace.get(key, 'text');
      if (typeof text !== 'string' || text.length > MAX_ENTRY_CHARS) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    },
    // KV expires entries in whole seconds, a minute at least: the core still refuses one past its own expiry.
    set: (key, value, ttl) =>
      namespace.put(key, JSON.stringify(value), {
        expirationTtl: Math.max(KV_MIN_TTL_SECONDS, Math.ceil((ttl ?? 0) / 1000)),
      }),
  };
}
