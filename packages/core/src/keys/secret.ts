import { encode as base64url } from 'jose/base64url';
import { ExploKeyLengthError, ExploSecretError } from '../errors/errors.js';
import { hmacSha256, sha256Of } from '../lib/digest.js';

/** An Explo embed secret: the key id and key value shown in Explo's Data Visibility Group settings. */
export interface ExploSecret {
  /** The key id (a UUID in Explo's UI). Sent in the token's `kid` header. */
  keyId: string;
  /** The key value, used as raw UTF-8 bytes: exactly 32 bytes. Never logged or echoed. */
  keyValue: string;
}

const MAX_KEY_ID_LENGTH = 256;
// Control characters, which cannot appear in a real key id and break headers and logs.
const CONTROL = /[\u0000-\u001f\u007f]/;
// 32 random bytes in base64: what a key value looks like when someone encoded it on the way.
const BASE64_OF_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Checks the shape of a secret and the key value's length, as `createExploEmbed` does: for a
 * startup check or a tool. Throws `ERR_EXPLO_SECRET_INVALID` or `ERR_EXPLO_KEY_LENGTH` (with a hint
 * about whitespace or encoding), naming `where`; never echoes the key value.
 */
export function assertSecret(secret: unknown, where = 'secret'): asserts secret is ExploSecret {
  if (typeof secret !== 'object' || secret === null) {
    throw new ExploSecretError(`${where} must be an object { keyId, keyValue }.`);
  }
  const { keyId, keyValue } = secret as Record<string, unknown>;
  if (typeof keyId !== 'string' || keyId.length === 0) {
    throw new ExploSecretError(`${where}.keyId must be a non-empty string (the key id Explo shows).`);
  }
  if (keyId.length > MAX_KEY_ID_LENGTH || CONTROL.test(keyId) || keyId.trim() !== keyId) {
    throw new ExploSecretError(
      `${where}.keyId must be at most ${MAX_KEY_ID_LENGTH} characters with no whitespace around it and no control characters.`,
    );
  }
  if (typeof keyValue !== 'string') {
    throw new ExploSecretError(`${where}.keyValue must be a string (the key value Explo shows).`);
  }
  const byteLength = new TextEncoder().encode(keyValue).length;
  if (byteLength !== 32) {
    const hint = keyValue.trim() !== keyValue ? 'whitespace' : BASE64_OF_32_BYTES.test(keyValue) ? 'base64' : 'none';
    throw new ExploKeyLengthError(`${where}.keyValue`, byteLength, hint);
  }
}

/**
 * A secret ready for use: the key imported once for Web Crypto (every runtime has it; the Node
 * entry mints with node:crypto from the same key). Holds no copy of the key value string.
 */
export interface PreparedSecret {
  readonly keyId: string;
  /**
   * A digest of key id and key value: it names this exact key (a corrected value under the same
   * id is another key) without revealing it. Token reuse is keyed by it.
   */
  readonly fingerprint: string;
  /**
   * A key derived from the key value (HMAC-SHA-256 of a fixed label) that seals what this app puts
   * in shared state: whoever can write to the store, but does not have the secret, cannot forge or
   * move an entry. Never the key value itself.
   */
  readonly sealKey: Uint8Array;
  /** AES-256-GCM, not extractable. */
  readonly cryptoKey: CryptoKey;
  /** The base64url protected header `{"alg":"dir","enc":"A256GCM","kid":...}`, built once. */
  readonly protectedHeader: string;
  /** Its ASCII bytes: the AES-GCM additional authenticated data (RFC 7516, 5.1 step 14). */
  readonly aad: Uint8Array<ArrayBuffer>;
  /** Clock time (ms) when the secret was obtained. */
  readonly obtainedAt: number;
}

/** Imports a validated secret's key once, so no request re-encodes or re-imports it. */
export async function prepareSecret(secret: ExploSecret, obtainedAt: number): Promise<PreparedSecret> {
  const bytes = new TextEncoder().encode(secret.keyValue);
  try {
    const cryptoKey = await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
    const protectedHeader = base64url(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: secret.keyId }));
    return Object.freeze({
      keyId: secret.keyId,
      // 128 bits of SHA-256: collision-free for any number of keys, and short to hash per request.
      fingerprint: base64url(sha256Of(secret.keyId, '\u0000', bytes).subarray(0, 16)),
      sealKey: hmacSha256(bytes, 'explo-embed shared state'),
      cryptoKey,
      protectedHeader,
      aad: new TextEncoder().encode(protectedHeader),
      obtainedAt,
    });
  } finally {
    bytes.fill(0);
  }
}
