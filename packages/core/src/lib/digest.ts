import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encode as base64url } from 'jose/base64url';

// Synchronous SHA-256 on every runtime (Web Crypto's digest is asynchronous only): these digests
// name things (store keys, scopes, key fingerprints) and seal shared state, off the minting path.

const utf8 = new TextEncoder();
const bytesOf = (part: string | Uint8Array) => (typeof part === 'string' ? utf8.encode(part) : part);

/** SHA-256 of the parts, one after the other (strings as UTF-8). */
export function sha256Of(...parts: (string | Uint8Array)[]): Uint8Array {
  const hash = sha256.create();
  for (const part of parts) hash.update(bytesOf(part));
  return hash.digest();
}

/** SHA-256 of the parts, base64url. */
export function sha256Base64url(...parts: (string | Uint8Array)[]): string {
  return base64url(sha256Of(...parts));
}

/** HMAC-SHA-256 of `message` under `key`. */
export function hmacSha256(key: string | Uint8Array, message: string): Uint8Array {
  return hmac(sha256, bytesOf(key), utf8.encode(message));
}

/** Whether two strings are equal, in time that depends on their length only. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
