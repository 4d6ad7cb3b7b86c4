import { LRUCache } from 'lru-cache';
import type { KeyedMinter, MintedToken, Minter, MintInput } from './minter.js';
import type { Reporter } from './reporter.js';

/** Hands out tokens: reused while young, else minted. The only place that calls a minter. */
export interface TokenReuse {
  /**
   * A token for `input`: a reused one while at least `minRemaining` of its lifetime remains, else
   * a new one (one mint for any number of concurrent identical asks). `fresh` always mints, and
   * the new token replaces the reused one.
   */
  get(input: MintInput, fresh: boolean): Promise<MintedToken>;
}

/** Reuse settings after validation; `false` mints every time. */
export interface ReuseSettings {
  readonly reuse: false | { readonly minRemaining: number; readonly max: number };
  readonly lifetimeMs: number;
  readonly clock: () => number;
}

interface Pending {
  keyed: KeyedMinter;
  input: MintInput;
}

/**
 * Wraps any {@link Minter} with one bounded cache. A token is keyed by the minter's key scope (a
 * digest of the key, so a rotated or corrected key never serves old tokens), the customer, the
 * embed id and the claims: one customer can never be handed another's token.
 */
export function createTokenReuse(minter: Minter, settings: ReuseSettings, reporter: Reporter): TokenReuse {
  const mintNow = async (keyed: KeyedMinter, input: MintInput): Promise<MintedToken> => {
    const token = await keyed.mint(input);
    const { customerId, dashboard, embedId } = input;
    reporter.minted({ customerId, dashboard, embedId, keyId: token.keyId, expiresAt: new Date(token.expMs) });
    return token;
  };
  const { reuse, lifetimeMs, clock } = settings;
  if (reuse === false) {
    return { get: async (input) => mintNow(minter.ready() ?? (await minter.load()), input) };
  }
  const cache = new LRUCache<string, MintedToken, Pending>({
    max: reuse.max,
    ttl: Math.max(Math.floor(lifetimeMs * (1 - reuse.minRemaining)), 1),
    perf: { now: clock },
    // Read the (injectable) clock on every check rather than caching it for a timer tick.
    ttlResolution: 0,
    fetchMethod: (_key, _stale, { context }) => mintNow(context.keyed, context.input),
  });
  return {
    async get(input, fresh) {
      // The hot path (a reuse hit with ready key material) awaits nothing before the cache lookup.
      const keyed = minter.ready() ?? (await minter.load());
      const key = reuseKey(keyed.scope, input);
      if (fresh) {
        const token = await mintNow(keyed, input);
        cache.set(key, token);
        return token;
      }
      return cache.get(key) ?? (await cache.fetch(key, { context: { keyed, input } })) ?? mintNow(keyed, input);
    },
  };
}

// Lengths first, so no customer id or embed id can end where another begins.
function reuseKey(scope: string, { customerId, embedId, claims }: MintInput): string {
  return `${scope}\u0000${customerId.length}:${customerId}\u0000${embedId.length}:${embedId}\u0000${JSON.stringify(claims)}`;
}
