import { createCipheriv, randomBytes } from 'node:crypto';
import type { PreparedSecret } from '../keys/secret.js';
import type { NormalizedClaims } from '../model/claims.js';

/** Claims written into a minted token, in this order. */
export interface MintClaims extends NormalizedClaims {
  cst: string;
  dsh: string;
  iat: number;
  exp: number;
}

/**
 * Encrypts claims as Explo expects: compact JWE, `{"alg":"dir","enc":"A256GCM","kid":...}`, a
 * 12-byte random IV, 16-byte tag (RFC 7516 5.1). `iv` is for test vectors only.
 *
 * Written with node:crypto rather than jose: jose only has WebCrypto's asynchronous AES-GCM, whose
 * per-call round trip through the thread pool capped minting at ~1.4x Explo's own sample even with
 * a prepared key (see docs/performance.md). The output is byte-for-byte what jose produces for the
 * same IV (a test vector asserts it); decryption still uses jose.
 */
export function encryptClaims(claims: MintClaims, secret: PreparedSecret, iv: Uint8Array = randomBytes(12)): string {
  const { cst, dsh, iat, exp, rbc, des, iss } = claims;
  const payload: Record<string, unknown> = { cst, dsh, iat, exp };
  if (rbc !== undefined) payload.rbc = rbc;
  if (des !== undefined) payload.des = des;
  if (iss !== undefined) payload.iss = iss;
  const cipher = createCipheriv('aes-256-gcm', secret.keyObject, iv, { authTagLength: 16 });
  cipher.setAAD(secret.aad);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${secret.protectedHeader}..${Buffer.from(iv).toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`;
}
