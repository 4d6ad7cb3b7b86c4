import { encode as base64url } from 'jose/base64url';
import { ExploStoreError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { constantTimeEqual, hmacSha256, sha256Base64url } from '../lib/digest.js';
import { withTimeout } from '../lib/with-timeout.js';
import type { MintedToken } from '../model/token.js';
import type { Reporter } from '../operations/reporter.js';
import type { ExploTokenStore } from '../options/options.js';

/** The reuse layer's view of the shared store: never throws, never waits longer than its timeout. */
export interface SharedTokens {
  /**
   * The token stored for `key`, if its seal holds: sealed with `sealKey` for exactly this key (an
   * entry forged, altered or moved from another key, customer or claims is no token). A broken seal
   * is reported as `discarded`.
   */
  read(key: string, sealKey: Uint8Array): Promise<MintedToken | 'discarded' | undefined>;
  /**
   * Resolves once the store has the sealed token, or has failed or taken longer than the timeout (a
   * failed write costs some reuse, never the request). Never rejects.
   */
  write(key: string, token: MintedToken, ttlMs: number, sealKey: Uint8Array): Promise<void>;
}

/** After a failure the store is left alone this long: a store that is down costs one wait, not one per request. */
const RETRY_AFTER_MS = 5_000;

/**
 * Wraps the host's store. Keys are `prefix:` and a digest of the reuse key (no customer id, dashboard or key
 * reaches the store in clear); values carry an HMAC over the reuse key and the token; a failure or a
 * store slower than `timeoutMs` is reported as `ERR_EXPLO_STORE_UNAVAILABLE` and treated as a miss.
 */
export function createSharedTokens(
  store: ExploTokenStore,
  timeoutMs: number,
  reporter: Reporter,
  clock: () => number,
  prefix = 'explo-embed',
): SharedTokens {
  let failedAt: number | undefined;
  const failed = (cause: unknown, what: string) => {
    failedAt = clock();
    reporter.failed(new ExploStoreError(`The shared token store ${what}; reusing tokens in this process only.`, { cause }), {
      phase: 'store',
    });
  };
  store.on?.('error', (error) => failed(error, 'reported an error'));
  const digest = (key: string) => `${prefix}:${sha256Base64url(key)}`;
  /** `operation` within `timeoutMs`, or undefined after reporting what went wrong (its message quoted: it may hold stored text). */
  const bounded = <T>(operation: () => Promise<T>, what: string): Promise<T | undefined> => {
    if (failedAt !== undefined && clock() - failedAt < RETRY_AFTER_MS) return Promise.resolve(undefined);
    return withTimeout(operation, timeoutMs).catch((error: unknown) => {
      failed(error, `did not answer ${what} (${error instanceof Error ? quoteUntrusted(error.message, 80) : 'it failed'})`);
      return undefined;
    });
  };
  return {
    async read(key, sealKey) {
      const value = await bounded(() => store.get(digest(key)), 'a read');
      if (value === undefined || value === null) return undefined;
      return unseal(value, key, sealKey) ?? 'discarded';
    },
    async write(key, token, ttlMs, sealKey) {
      const { jwt, expMs, keyId, mintedAt } = token;
      const value = { jwt, expMs, keyId: keyId ?? null, mintedAt, seal: seal(sealKey, key, token) };
      await bounded(() => store.set(digest(key), value, Math.max(1, Math.floor(ttlMs))), 'a write');
    },
  };
}

function seal(sealKey: Uint8Array, key: string, { jwt, expMs, keyId, mintedAt }: MintedToken): string {
  return base64url(hmacSha256(sealKey, `${key}\u0000${jwt}\u0000${expMs}\u0000${mintedAt}\u0000${keyId ?? ''}`));
}

// What another instance wrote, or anything else that might be there: only a token sealed for this key counts.
function unseal(value: unknown, key: string, sealKey: Uint8Array): MintedToken | undefined {
  if (typeof value !== 'object') return undefined;
  const { jwt, expMs, keyId, mintedAt, seal: given } = value as Record<string, unknown>;
  if (typeof jwt !== 'string' || typeof expMs !== 'number' || typeof mintedAt !== 'number' || typeof given !== 'string') {
    return undefined;
  }
  if (keyId !== null && typeof keyId !== 'string') return undefined;
  const token = { jwt, expMs, keyId: keyId ?? undefined, mintedAt };
  return constantTimeEqual(given, seal(sealKey, key, token)) ? token : undefined;
}
