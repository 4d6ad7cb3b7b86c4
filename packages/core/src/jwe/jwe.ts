import type { NormalizedClaims } from '../model/claims.js';

/** Claims written into a minted token, in this order. */
export interface MintClaims extends NormalizedClaims {
  cst: string;
  dsh: string;
  iat: number;
  exp: number;
}

/**
 * Encrypts one token's claims with one prepared key, as Explo expects: compact JWE,
 * `{"alg":"dir","enc":"A256GCM","kid":...}`, a 12-byte random IV, 16-byte tag (RFC 7516 5.1). Each
 * runtime's entry brings its own (see `platform/`); both write the same bytes for the same IV.
 */
export interface TokenEncrypter {
  /** At once, where the runtime encrypts synchronously (node:crypto); absent where it cannot (Web Crypto). */
  readonly encryptNow?: ((claims: MintClaims) => string) | undefined;
  /** Resolves to the token. */
  encrypt(claims: MintClaims): Promise<string>;
}

/** The payload's JSON: the required claims, then the optional ones, in a fixed order. */
export function payloadOf(claims: MintClaims): string {
  const { cst, dsh, iat, exp, rbc, des, iss } = claims;
  const payload: Record<string, unknown> = { cst, dsh, iat, exp };
  if (rbc !== undefined) payload.rbc = rbc;
  if (des !== undefined) payload.des = des;
  if (iss !== undefined) payload.iss = iss;
  return JSON.stringify(payload);
}
