import { ExploEmbedError } from '../errors/errors.js';
import { parseCompact } from '../jwe/compact-jwe.js';
import { decryptPrepared, keyFor } from '../jwe/decrypt.js';
import type { PreparedRing } from '../keys/key-ring.js';
import type { NormalizedClaims } from '../model/claims.js';
import type { MintedToken, MintInput } from '../model/token.js';

/** Explo's clock and ours may differ a little: an expiry further out than this instance's lifetime by more is refused. */
export const EXP_SLACK_MS = 60_000;

/** What a token must be for one request: its customer, dashboard and claims, now, and this instance's lifetime. */
export interface TokenExpectation {
  readonly input: MintInput;
  readonly now: number;
  /** This instance's `expiresIn`: no token may have more life left than this (plus a minute of slack). */
  readonly lifetimeMs: number;
  /** Compare `rbc`, `des` and `iss` too (tokens minted here, whose claims are written exactly as asked). */
  readonly exactClaims: boolean;
}

/**
 * The one check of a token that did not come straight from this process's own minting: an answer of
 * Explo's API, or a token read back from shared state. Decrypted with the key its `kid` names,
 * which must be in the ring; then its customer, dashboard (and claims), and an expiry that is in
 * the future and no further than this instance's lifetime. Returns the token with its own expiry
 * and issue time; throws an `Error` saying what is wrong (never the token) otherwise.
 */
export async function checkToken(jwt: string, ring: PreparedRing, expected: TokenExpectation): Promise<MintedToken> {
  const { input, now, lifetimeMs } = expected;
  const parts = parseCompact(jwt);
  let claims: Awaited<ReturnType<typeof decryptPrepared>>['claims'];
  try {
    // keyFor refuses a kid outside the ring: a token under a key not configured here is not checkable, so not accepted.
    ({ claims } = await decryptPrepared(
      jwt,
      keyFor(ring, parts.header.kid),
      { currentDate: new Date(now), clockTolerance: 0 },
      parts,
    ));
  } catch (error) {
    throw new Error(error instanceof ExploEmbedError ? error.message : 'it cannot be read with the configured keys');
  }
  if (claims.cst !== input.customerId || claims.dsh !== input.embedId) throw new Error('it is for another customer or dashboard');
  if (expected.exactClaims && !sameClaims(claims, input.claims))
    throw new Error('its claims (rbc, des, iss) are not the ones asked for');
  const expMs = claims.exp * 1000;
  if (expMs <= now) throw new Error('it has expired');
  if (expMs - now > lifetimeMs + EXP_SLACK_MS) throw new Error('it lives longer than expiresIn allows');
  const iatMs = typeof claims.iat === 'number' ? claims.iat * 1000 : now;
  return { jwt, expMs, keyId: parts.header.kid, mintedAt: Math.min(iatMs, now) };
}

function sameClaims(token: Record<string, unknown>, asked: NormalizedClaims): boolean {
  return (
    JSON.stringify(token.rbc ?? null) === JSON.stringify(asked.rbc ?? null) &&
    (token.des ?? null) === (asked.des ?? null) &&
    (token.iss ?? null) === (asked.iss ?? null)
  );
}
