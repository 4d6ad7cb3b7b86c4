import { LRUCache } from 'lru-cache';
import { ExploFreshRateLimitedError } from '../errors/errors.js';
import type { FleetLock } from '../fleet/fleet-lock.js';
import type { KeyedMinter, Minter } from '../mint/minter.js';
import type { NormalizedClaims } from '../model/claims.js';
import type { MintedToken, MintInput } from '../model/token.js';
import type { Reporter } from '../operations/reporter.js';
import type { FreshBudget } from './fresh-budget.js';
import type { SharedTokens } from './shared-store.js';

/** Hands out tokens: reused while young, else minted. The only place that calls a minter. */
export interface TokenReuse {
  /**
   * A token for `input`: a reused one while at least `minRemaining` of its lifetime remains (from
   * this process, or from the shared store), else a new one (one mint for any number of concurrent
   * identical asks). `fresh` mints anew, unless a mint of the same token is in flight or less than
   * 2 s old (then that one), and the new token replaces the reused one; `budgeted` counts it against
   * the customer's fresh budget (a browser's `fresh=1`; the app's own `mint()` is trusted).
   */
  get(input: MintInput, fresh?: { budgeted: boolean }): Promise<MintedToken>;
  /**
   * The synchronous path, for a page that reads its token while it renders: this process's reusable
   * token, or one minted here at once (local minting, key material ready, no shared store to ask
   * first). `undefined` when the token cannot be had without waiting.
   */
  now(input: MintInput): MintedToken | undefined;
  /** Whether {@link TokenReuse.now} can answer every ask right now: local minting, key material ready, no shared store. */
  answersNow(): boolean;
}

/** Reuse settings after validation; `false` mints every time. */
export interface ReuseSettings {
  readonly reuse:
    | false
    | {
        readonly minRemaining: number;
        readonly max: number;
        readonly freshPerMinute: number;
        readonly store?: SharedTokens | undefined;
      };
  readonly lifetimeMs: number;
  readonly clock: () => number;
  /** Single flight of API mints across a fleet (Redis), when there is one. */
  readonly lock?: FleetLock | undefined;
  /** The per-customer budget of fresh mints. */
  readonly fresh?: FreshBudget | undefined;
}

/** A fresh request this soon after a mint of the same token gets that token: a burst of tabs mints once. */
export const FRESH_COALESCE_MS = 2_000;
/** Key scopes (key material) whose short cache keys are remembered at once. */
const MAX_SCOPES = 8;
/** Over its fresh budget, a customer gets its current token only while it has at least this much life left. */
const FRESH_FALLBACK_MIN_LIFE_MS = 10_000;

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
  const reported = (keyed: KeyedMinter, input: MintInput, token: MintedToken, started: number): MintedToken => {
    reporter.minted(input, token, performance.now() - started, keyed.kind);
    return token;
  };
  const mint = async (keyed: KeyedMinter, input: MintInput): Promise<MintedToken> => {
    const started = performance.now();
    return reported(keyed, input, await keyed.mint(input), started);
  };
  /** A local mint at once, or undefined when this minter has to wait (Explo's API). */
  const mintAtOnce = (keyed: KeyedMinter, input: MintInput): MintedToken | undefined => {
    if (keyed.mintNow === undefined) return undefined;
    const started = performance.now();
    return reported(keyed, input, keyed.mintNow(input), started);
  };
  const { reuse, lifetimeMs, clock, lock, fresh } = settings;
  if (reuse === false) {
    return {
      get: async (input) => mint(minter.ready() ?? (await minter.load()), input),
      now(input) {
        const ready = minter.ready();
        return ready === undefined ? undefined : mintAtOnce(ready, input);
      },
      answersNow: () => minter.ready()?.mintNow !== undefined,
    };
  }
  const { store } = reuse;
  // How long a token may still be handed out: while `minRemaining` of its own lifetime is left (a
  // token Explo issued for less than asked is reused for less).
  const reusableFor = ({ expMs, mintedAt }: MintedToken) => expMs - Math.max(0, expMs - mintedAt) * reuse.minRemaining - clock();
  const ttlOf = (token: MintedToken) => Math.max(1, Math.floor(reusableFor(token)));
  const cache = new LRUCache<string, MintedToken, Pending>({
    max: reuse.max,
    ttl: Math.max(Math.floor(lifetimeMs * (1 - reuse.minRemaining)), 1),
    perf: { now: clock },
    // Read the (injectable) clock on every check rather than caching it for a timer tick.
    ttlResolution: 0,
    fetchMethod: async (_localKey, _stale, { context, options }) => {
      const { keyed, input } = context;
      // Other instances read and write the store, and wait on the lock, under the full key.
      const key = sharedKey(keyed.scope, input);
      // Another instance may have minted it: the fleet mints once per customer and dashboard. What
      // comes back is checked as Explo's own answer would be; anything else is dropped and counted.
      const fromStore = async (): Promise<MintedToken | undefined> => {
        const shared = store === undefined ? undefined : await store.read(key, keyed.sealKey);
        if (shared === 'discarded') reporter.discarded('store');
        const checked = shared === undefined || shared === 'discarded' ? undefined : await keyed.verify(shared, input);
        if (typeof checked === 'string') reporter.discarded('store');
        if (checked === undefined || typeof checked === 'string' || reusableFor(checked) <= 0) return undefined;
        reporter.reused();
        return checked;
      };
      const mintAndShare = async () => {
        const token = await mint(keyed, input);
        // Written before it is handed out, so the next instance asked finds it (bounded by storeTimeout).
        await store?.write(key, token, token.expMs - clock(), keyed.sealKey);
        return token;
      };
      // Through Explo's API, one instance of the fleet mints; the others wait for its token.
      const token =
        (await fromStore()) ??
        (lock !== undefined && keyed.kind === 'api' ? await lock.once(key, fromStore, mintAndShare) : await mintAndShare());
      options.ttl = ttlOf(token);
      return token;
    },
  });
  // Fresh mints in flight, so that concurrent fresh requests for one token share one mint.
  const freshInFlight = new Map<string, Promise<MintedToken>>();
  const mintFresh = (key: string, keyed: KeyedMinter, input: MintInput, budgeted: boolean): Promise<MintedToken> => {
    const recent = cache.get(key);
    if (recent !== undefined && clock() - recent.mintedAt < FRESH_COALESCE_MS) return Promise.resolve(recent);
    const pending = freshInFlight.get(key);
    if (pending !== undefined) return pending;
    const mintAndKeep = async () => {
      const token = await mint(keyed, input);
      cache.set(key, token, { ttl: ttlOf(token) });
      // Not waited for: a fresh token replaces a reused one; other instances keep theirs until then.
      void store?.write(sharedKey(keyed.scope, input), token, token.expMs - clock(), keyed.sealKey);
      return token;
    };
    // One customer cannot drain the budget: beyond freshPerMinute (across its dashboards), its
    // current token while that has life left, else 429 for this customer only.
    const withinBudget = async (budget: FreshBudget) => {
      const waitMs = await budget.take(input.customerId);
      if (waitMs === undefined) return mintAndKeep();
      const current = cache.peek(key, { allowStale: true });
      if (current !== undefined && current.expMs - clock() > FRESH_FALLBACK_MIN_LIFE_MS) return current;
      throw new ExploFreshRateLimitedError(
        `This customer asked for more than ${reuse.freshPerMinute} fresh tokens a minute (reuse.freshPerMinute).`,
        Math.max(1, Math.ceil(waitMs / 1000)),
      );
    };
    const minted = budgeted && fresh !== undefined ? withinBudget(fresh) : mintAndKeep();
    freshInFlight.set(key, minted);
    const done = () => freshInFlight.delete(key);
    void minted.then(done, done);
    return minted;
  };
  // Fixed claims are one frozen object: serialised once, not per request.
  let fixed: { claims: NormalizedClaims; key: string } | undefined;
  const claimsKey = (claims: NormalizedClaims): string => {
    if (fixed?.claims === claims) return fixed.key;
    const key = JSON.stringify(claims);
    if (Object.isFrozen(claims)) fixed = { claims, key };
    return key;
  };
  // The key other instances share (the store, the fleet lock). Unambiguous read from the right:
  // claims JSON and embed ids (checked at setup) hold no NUL, so whatever a customer id contains, it
  // cannot pass for another customer's key. The lifetime is part of the key: after `expiresIn`
  // changes, tokens minted under the old one are not handed out.
  const sharedKey = (scope: string, { customerId, embedId, claims }: MintInput): string =>
    `${scope}\u0000${lifetimeMs}\u0000${customerId}\u0000${embedId}\u0000${claimsKey(claims)}`;
  // This process's key, hashed on every reuse hit, so short: with fixed claims, the customer id and
  // a tag naming the rest (key scope, embed id, claims). A tag is handed out once per key scope and
  // embed id and never again, so a rotated key never finds an old token; it ends in `#` and digits,
  // which no claims JSON does, so it cannot pass for a shared key either. Bounded: one tag per scope
  // and dashboard, and all are dropped (their tokens then minted anew) past a few key rotations.
  let nextTag = 0;
  const tags = new Map<string, Map<string, { claims: NormalizedClaims; tag: string }>>();
  const localKey = ({ scope }: KeyedMinter, input: MintInput): string => {
    if (!Object.isFrozen(input.claims)) return sharedKey(scope, input);
    let byEmbed = tags.get(scope);
    if (byEmbed === undefined) {
      if (tags.size >= MAX_SCOPES) tags.clear();
      byEmbed = new Map();
      tags.set(scope, byEmbed);
    }
    let known = byEmbed.get(input.embedId);
    if (known === undefined) {
      known = { claims: input.claims, tag: `#${nextTag++}` };
      byEmbed.set(input.embedId, known);
    }
    // Only the claims the tag was handed out for (the fixed ones); any others get the full key.
    return known.claims === input.claims ? `${input.customerId}\u0000${known.tag}` : sharedKey(scope, input);
  };

  /** This process's token for `key`, or one minted here at once when there is no store to ask first. */
  const atOnce = (keyed: KeyedMinter, key: string, input: MintInput): MintedToken | undefined => {
    const hit = cache.get(key);
    if (hit !== undefined) {
      reporter.reused();
      return hit;
    }
    // Synchronous code needs no single flight.
    const minted = store === undefined ? mintAtOnce(keyed, input) : undefined;
    if (minted !== undefined) cache.set(key, minted, { ttl: ttlOf(minted) });
    return minted;
  };

  return {
    async get(input, fresh) {
      const ready = minter.ready() ?? (await minter.load());
      const key = localKey(ready, input);
      if (fresh !== undefined) return mintFresh(key, ready, input, fresh.budgeted);
      return atOnce(ready, key, input) ?? (await cache.fetch(key, { context: { keyed: ready, input } })) ?? mint(ready, input);
    },
    now(input) {
      const ready = minter.ready();
      return ready === undefined ? undefined : atOnce(ready, localKey(ready, input), input);
    },
    // With a shared store, a miss asks the store first: that waits.
    answersNow: () => store === undefined && minter.ready()?.mintNow !== undefined,
  };
}
