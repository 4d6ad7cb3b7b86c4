import { LRUCache } from 'lru-cache';
import type { NormalizedClaims } from './claims.js';
import { type MaybePromise, whenReady } from './maybe-async.js';
import type { KeyedMinter, MintedToken, Minter, MintInput } from './minter.js';
import type { Reporter } from './reporter.js';

/** Hands out tokens: reused while young, else minted. The only place that calls a minter. */
export interface TokenReuse {
  /**
   * A token for `input`: a reused one while at least `minRemaining` of its lifetime remains, else
   * a new one (one mint for any number of concurrent identical asks). `fresh` always mints, and
   * the new token replaces the reused one.
   */
  get(input: MintInput, fresh: boolean): MaybePromise<MintedToken>;
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
  const mintNow = (keyed: KeyedMinter, input: MintInput): MaybePromise<MintedToken> =>
    whenReady(keyed.mint(input), (token) => {
      reporter.minted(input, token);
      return token;
    });
  const { reuse, lifetimeMs, clock } = settings;
  if (reuse === false) {
    return { get: (input) => whenReady(minter.ready() ?? minter.load(), (keyed) => mintNow(keyed, input)) };
  }
  const cache = new LRUCache<string, MintedToken, Pending>({
    max: reuse.max,
    ttl: Math.max(Math.floor(lifetimeMs * (1 - reuse.minRemaining)), 1),
    perf: { now: clock },
    // Read the (injectable) clock on every check rather than caching it for a timer tick.
    ttlResolution: 0,
    fetchMethod: async (_key, _stale, { context }) => mintNow(context.keyed, context.input),
  });
  // Fixed claims are one frozen object: serialised once, not per request.
  let fixed: { claims: NormalizedClaims; key: string } | undefined;
  const claimsKey = (claims: NormalizedClaims): string => {
    if (fixed?.claims === claims) return fixed.key;
    const key = JSON.stringify(claims);
    if (Object.isFrozen(claims)) fixed = { claims, key };
    return key;
  };
  // Unambiguous read from the right: claims JSON and embed ids (checked at setup) hold no NUL, so
  // whatever a customer id contains, it cannot pass for another customer's key.
  const reuseKey = (scope: string, { customerId, embedId, claims }: MintInput): string =>
    `${scope}\u0000${customerId}\u0000${embedId}\u0000${claimsKey(claims)}`;

  return {
    get: (input, fresh) =>
      // A reuse hit with ready key material returns the token itself, synchronously.
      whenReady(minter.ready() ?? minter.load(), (keyed) => {
        const key = reuseKey(keyed.scope, input);
        if (fresh) {
          return whenReady(mintNow(keyed, input), (token) => {
            cache.set(key, token);
            return token;
          });
        }
        return cache.get(key) ?? cache.fetch(key, { context: { keyed, input } }).then((token) => token ?? mintNow(keyed, input));
      }),
  };
}
