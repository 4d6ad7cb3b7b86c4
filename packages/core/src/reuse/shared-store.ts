import { createHash } from 'node:crypto';
import { ExploStoreError } from '../errors/errors.js';
import { withTimeout } from '../lib/with-timeout.js';
import type { MintedToken } from '../model/token.js';
import type { Reporter } from '../operations/reporter.js';
import type { ExploTokenStore } from '../options/options.js';

/** The reuse layer's view of the shared store: never throws, never waits longer than its timeout. */
export interface SharedTokens {
  read(key: string): Promise<MintedToken | undefined>;
  /**
   * Resolves once the store has the token, or has failed or taken longer than the timeout (a failed
   * write costs some reuse, never the request). Never rejects.
   */
  write(key: string, token: MintedToken, ttlMs: number): Promise<void>;
}

/**
 * Wraps the host's store. Keys are digests of the reuse key (no customer id, dashboard or key
 * reaches the store in clear); a failure or a store slower than `timeoutMs` is reported as
 * `ERR_EXPLO_STORE_UNAVAILABLE` and treated as a miss.
 */
export function createSharedTokens(store: ExploTokenStore, timeoutMs: number, reporter: Reporter): SharedTokens {
  const failed = (cause: unknown, what: string) =>
    reporter.failed(new ExploStoreError(`The shared token store ${what}; reusing tokens in this process only.`, { cause }), {
      phase: 'store',
    });
  store.on?.('error', (error) => failed(error, 'reported an error'));
  const digest = (key: string) => `explo-embed:${createHash('sha256').update(key).digest('base64url')}`;
  /** `operation` within `timeoutMs`, or undefined after reporting what went wrong. */
  const bounded = <T>(operation: () => Promise<T>, what: string): Promise<T | undefined> =>
    withTimeout(operation, timeoutMs).catch((error: unknown) => {
      failed(error, `did not answer ${what} (${error instanceof Error ? error.message : 'it failed'})`);
      return undefined;
    });
  return {
    read: async (key) => asToken(await bounded(() => store.get(digest(key)), 'a read')),
    async write(key, token, ttlMs) {
      const { jwt, expMs, keyId, mintedAt } = token;
      const value = { jwt, expMs, keyId: keyId ?? null, mintedAt };
      await bounded(() => store.set(digest(key), value, Math.max(1, Math.floor(ttlMs))), 'a write');
    },
  };
}

// What another instance wrote, or anything else that might be there: only a well-formed token counts.
function asToken(value: unknown): MintedToken | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { jwt, expMs, keyId, mintedAt } = value as Record<string, unknown>;
  if (typeof jwt !== 'string' || typeof expMs !== 'number' || typeof mintedAt !== 'number') return undefined;
  if (keyId !== null && typeof keyId !== 'string') return undefined;
  return { jwt, expMs, keyId: keyId ?? undefined, mintedAt };
}
