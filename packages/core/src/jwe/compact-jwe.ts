import { decode as fromBase64url } from 'jose/base64url';
import { ExploJwtInvalidError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import type { ExploJwtHeader } from './jwt-types.js';

const MAX_TOKEN_LENGTH = 16_384;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The parsed, not yet decrypted, segments of a compact JWE. */
export interface CompactParts {
  header: ExploJwtHeader;
  protectedB64: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

/** Splits and checks a compact JWE's structure and header. Throws `ERR_EXPLO_JWT_INVALID`. */
export function parseCompact(jwt: unknown): CompactParts {
  if (typeof jwt !== 'string') throw new ExploJwtInvalidError('The token must be a string.');
  if (jwt.length === 0) throw new ExploJwtInvalidError('The token is empty.');
  if (jwt.length > MAX_TOKEN_LENGTH) throw new ExploJwtInvalidError(`The token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  if (jwt.trim() !== jwt) throw new ExploJwtInvalidError('The token has whitespace around it: trim it.');
  const segments = jwt.split('.');
  if (segments.length !== 5) {
    throw new ExploJwtInvalidError(
      segments.length === 3
        ? 'This is a signed JWT (3 segments); Explo tokens are encrypted JWEs (5 segments).'
        : `A compact JWE has 5 segments separated by "."; this has ${segments.length}.`,
    );
  }
  const [protectedB64, encryptedKey, ivB64, ciphertextB64, tagB64] = segments as [string, string, string, string, string];
  if (!segments.every((s) => BASE64URL.test(s))) throw new ExploJwtInvalidError('A token segment is not base64url.');
  if (encryptedKey !== '') throw new ExploJwtInvalidError('The encrypted-key segment must be empty for "dir".');
  const header = parseJsonObject(protectedB64, 'protected header') as ExploJwtHeader;
  if (header.alg !== 'dir')
    throw new ExploJwtInvalidError(`Unsupported "alg" ${quoteUntrusted(header.alg, 32)}: Explo tokens use "dir".`);
  if (header.enc !== 'A256GCM') {
    throw new ExploJwtInvalidError(`Unsupported "enc" ${quoteUntrusted(header.enc, 32)}: Explo tokens use "A256GCM".`);
  }
  if (header.kid !== undefined && typeof header.kid !== 'string')
    throw new ExploJwtInvalidError('The "kid" header must be a string.');
  if (header.zip !== undefined || header.crit !== undefined) {
    throw new ExploJwtInvalidError('The "zip" and "crit" headers are not supported in Explo tokens.');
  }
  const iv = segmentBytes(ivB64, 'IV');
  if (iv.length !== 12 && iv.length !== 16) {
    throw new ExploJwtInvalidError(`The IV is ${iv.length} bytes; Explo tokens use 12 (or, from older minters, 16).`);
  }
  const tag = segmentBytes(tagB64, 'authentication tag');
  if (tag.length !== 16) throw new ExploJwtInvalidError('The authentication tag must be 16 bytes.');
  const ciphertext = segmentBytes(ciphertextB64, 'ciphertext');
  if (ciphertext.length === 0) throw new ExploJwtInvalidError('The ciphertext is empty.');
  return { header, protectedB64, iv, ciphertext, tag };
}

/** A segment's bytes; a length no base64url string has (one past a multiple of 4) is `ERR_EXPLO_JWT_INVALID`. */
function segmentBytes(segment: string, what: string): Uint8Array {
  try {
    return fromBase64url(segment);
  } catch {
    throw new ExploJwtInvalidError(`The ${what} segment is not valid base64url.`);
  }
}

/** Parses JSON that must be an object: a base64url segment or decrypted bytes. Throws `ERR_EXPLO_JWT_INVALID`. */
export function parseJsonObject(input: string | Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    const text = new TextDecoder().decode(typeof input === 'string' ? fromBase64url(input) : input);
    value = JSON.parse(text);
  } catch {
    throw new ExploJwtInvalidError(`The ${what} is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ExploJwtInvalidError(`The ${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads an Explo token's protected header without decrypting it (the header is not secret):
 * `{ header, ivLength }`, where `ivLength` is 12, or 16 for tokens minted by Explo itself.
 * Throws `ERR_EXPLO_JWT_INVALID` for a malformed token.
 */
export function decodeExploJwtHeader(jwt: string): { header: ExploJwtHeader; ivLength: number } {
  const { header, iv } = parseCompact(jwt);
  return { header, ivLength: iv.length };
}
