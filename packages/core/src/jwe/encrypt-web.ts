import { encode as base64url } from 'jose/base64url';
import type { PreparedSecret } from '../keys/secret.js';
import { type MintClaims, payloadOf, type TokenEncrypter } from './jwe.js';

const TAG_BYTES = 16;
const utf8 = new TextEncoder();

/**
 * The edge entry's encrypter: Web Crypto's AES-GCM (`crypto.subtle`, the only AES every edge
 * runtime has), with the key imported once. Asynchronous only, so it has no `encryptNow`: a page's
 * token is then produced before its handler runs.
 */
export function webEncrypter(secret: PreparedSecret): TokenEncrypter {
  return { encrypt: (claims) => encryptClaimsWeb(claims, secret, crypto.getRandomValues(new Uint8Array(12))) };
}

/** One token with Web Crypto. `iv` is fixed by test vectors only. */
export async function encryptClaimsWeb(claims: MintClaims, secret: PreparedSecret, iv: Uint8Array<ArrayBuffer>): Promise<string> {
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: secret.aad, tagLength: TAG_BYTES * 8 },
      secret.cryptoKey,
      utf8.encode(payloadOf(claims)),
    ),
  );
  // Web Crypto appends the tag to the ciphertext; a compact JWE carries them apart.
  const ciphertext = sealed.subarray(0, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  return `${secret.protectedHeader}..${base64url(iv)}.${base64url(ciphertext)}.${base64url(tag)}`;
}
