import { CompactEncrypt } from 'jose';
import type { NormalizedClaims } from './claims.js';
import type { PreparedSecret } from './secret.js';

/** Claims written into a minted token, in this order. */
export interface MintClaims extends NormalizedClaims {
  cst: string;
  dsh: string;
  iat: number;
  exp: number;
}

const encoder = new TextEncoder();

/**
 * Encrypts claims as Explo expects: compact JWE, `{"alg":"dir","enc":"A256GCM","kid":...}`,
 * a 12-byte random IV. `iv` is for test vectors only.
 */
export async function encryptClaims(claims: MintClaims, secret: PreparedSecret, iv?: Uint8Array): Promise<string> {
  const { cst, dsh, iat, exp, rbc, des, iss } = claims;
  const payload: Record<string, unknown> = { cst, dsh, iat, exp };
  if (rbc !== undefined) payload.rbc = rbc;
  if (des !== undefined) payload.des = des;
  if (iss !== undefined) payload.iss = iss;
  const jwe = new CompactEncrypt(encoder.encode(JSON.stringify(payload))).setProtectedHeader({
    alg: 'dir',
    enc: 'A256GCM',
    kid: secret.keyId,
  });
  if (iv !== undefined) jwe.setInitializationVector(iv);
  return jwe.encrypt(secret.cryptoKey);
}
