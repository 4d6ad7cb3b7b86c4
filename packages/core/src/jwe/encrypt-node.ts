import { createCipheriv, KeyObject, randomBytes } from 'node:crypto';
import type { PreparedSecret } from '../keys/secret.js';
import { type MintClaims, payloadOf, type TokenEncrypter } from './jwe.js';

/**
 * The Node entry's encrypter: node:crypto, synchronous, so a page can have its token while it
 * renders. Written with node:crypto rather than jose: jose only has Web Crypto's asynchronous
 * AES-GCM, whose per-call round trip through the thread pool capped minting at ~1.4x Explo's own
 * sample even with a prepared key (see docs/performance.md). Byte for byte what jose and the edge
 * entry produce for the same IV (test vectors assert it).
 */
export function nodeEncrypter(secret: PreparedSecret): TokenEncrypter {
  // The same key as the Web Crypto one, as a KeyObject: imported once per key, not per token.
  const key = KeyObject.from(secret.cryptoKey);
  const aad = Buffer.from(secret.aad);
  const encryptNow = (claims: MintClaims) => encryptClaims(claims, secret, randomBytes(12), key, aad);
  return { encryptNow, encrypt: async (claims) => encryptNow(claims) };
}

/** One token with node:crypto. `iv` is fixed by test vectors only. */
export function encryptClaims(
  claims: MintClaims,
  secret: PreparedSecret,
  iv: Uint8Array,
  key: KeyObject = KeyObject.from(secret.cryptoKey),
  aad: Buffer = Buffer.from(secret.aad),
): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(payloadOf(claims), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${secret.protectedHeader}..${Buffer.from(iv).toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`;
}
