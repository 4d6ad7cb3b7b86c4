import type { ApiBudgetStatus } from '../api/api-budget.js';
import type { MintedToken, MintInput } from '../model/token.js';

/** A minter bound to the key material it has right now. */
export interface KeyedMinter {
  /** How it mints, for metrics. */
  readonly kind: 'local' | 'api';
  /**
   * Names that key material for token reuse: a digest, never a secret. Tokens minted under one
   * scope are never handed out under another (a rotated or corrected key, another API token).
   */
  readonly scope: string;
  /** Seals what goes to shared state (a key only this app has: derived from the secret or the API token). */
  readonly sealKey: Uint8Array;
  /** Mints one token (when Explo answers, with its API). Throws coded errors. */
  mint(input: MintInput): Promise<MintedToken>;
  /**
   * Mints one token at once, where that is all local and synchronous work (the embed secret, on Node);
   * absent where it waits (Explo's API, or Web Crypto on the edge entry).
   */
  readonly mintNow?: ((input: MintInput) => MintedToken) | undefined;
  /**
   * Checks a token read back from shared state (another instance wrote it, or anyone who can write
   * to the store): the token with its own expiry and issue time, or why it is refused. Never throws.
   */
  verify(stored: MintedToken, input: MintInput): Promise<MintedToken | string>;
}

/**
 * One way of minting tokens: encrypting locally, or asking Explo's API. Chosen once, when the embed
 * is created; everything above it (reuse, policy, routes) is the same for both.
 */
export interface Minter {
  /** The keyed minter when its key material is ready now (no waiting), else undefined. */
  ready(): KeyedMinter | undefined;
  /** Waits for the key material (a secret provider's answer, say). Throws coded errors. */
  load(): Promise<KeyedMinter>;
  /** With Explo's API: calls left in this minute's budget, and how long a 429 still holds calls back. */
  apiStatus?(): ApiBudgetStatus;
}

/** How a minter reads time and how long its tokens live. */
export interface MintTiming {
  /** Token lifetime in ms (whole seconds). */
  readonly lifetimeMs: number;
  /** Current time in ms. */
  readonly clock: () => number;
}
