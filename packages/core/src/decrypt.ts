import { createDecipheriv } from 'node:crypto';
import { compactDecrypt, errors as joseErrors } from 'jose';
import { type Duration, durationToMs } from './duration.js';
import {
  type ExploJwtClaims,
  ExploJwtDecryptionError,
  ExploJwtExpiredError,
  type ExploJwtHeader,
  ExploJwtInvalidError,
  ExploJwtUnknownKeyError,
} from './errors.js';
import { assertSecret, type ExploSecret, type PreparedSecret, prepareSecret } from './secret.js';

/** Options of {@link decryptExploJwt}. */
export interface DecryptOptions {
  /** The time to check `exp` against. Default: now. */
  currentDate?: Date;
  /** Allowed clock skew when checking `exp`. Default `"5s"`. */
  clockTolerance?: Duration;
}

/** A decrypted Explo token. */
export interface DecryptedExploJwt {
  header: ExploJwtHeader;
  claims: ExploJwtClaims;
}

const MAX_TOKEN_LENGTH = 16_384;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decrypts and checks an Explo token with one key or several (chosen by the token's `kid`).
 * Accepts the standard 12-byte IV and the 16-byte IV of tokens minted by Explo itself (older
 * python-jose). Checks `exp` with a small clock tolerance.
 *
 * Throws `ERR_EXPLO_JWT_INVALID`, `ERR_EXPLO_JWT_UNKNOWN_KID`, `ERR_EXPLO_JWT_DECRYPTION_FAILED`
 * or `ERR_EXPLO_JWT_EXPIRED` for bad tokens, and a secret error for a bad key.
 */
export async function decryptExploJwt(
  jwt: string,
  keys: ExploSecret | readonly ExploSecret[],
  options: DecryptOptions = {},
): Promise<DecryptedExploJwt> {
  const list: readonly ExploSecret[] = Array.isArray(keys) ? keys : [keys as ExploSecret];
  if (list.length === 0) throw new TypeError('decryptExploJwt needs at least one key.');
  for (const [i, key] of list.entries()) assertSecret(key, list.length === 1 ? 'key' : `keys[${i}]`);
  const parts = parseCompact(jwt);
  const key = chooseKey(parts.header, list);
  return decryptPrepared(jwt, await prepareSecret(key, Date.now()), options, parts);
}

/** As {@link decryptExploJwt}, with an already prepared key (the embed's own secret). */
export async function decryptPrepared(
  jwt: string,
  key: PreparedSecret,
  options: DecryptOptions = {},
  parts: CompactParts = parseCompact(jwt),
): Promise<DecryptedExploJwt> {
  if (parts.header.kid !== undefined && parts.header.kid !== key.keyId) {
    throw new ExploJwtUnknownKeyError(parts.header.kid);
  }
  const plaintext = parts.iv.length === 12 ? await decryptStandard(jwt, key) : decryptLegacy(parts, key);
  const claims = parseClaims(plaintext);
  const toleranceMs = durationToMs(options.clockTolerance ?? 5);
  if (toleranceMs === undefined) throw new TypeError('clockTolerance must be a Duration ("5s", 30...).');
  const now = (options.currentDate ?? new Date()).getTime();
  if (claims.exp * 1000 + toleranceMs < now) {
    throw new ExploJwtExpiredError(new Date(claims.exp * 1000), parts.header, claims);
  }
  return { header: parts.header, claims };
}

/** The parsed, not yet decrypted, segments of a compact JWE. */
export interface CompactParts {
  header: ExploJwtHeader;
  protectedB64: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
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
    throw new ExploJwtInvalidError(`Unsupported "alg" ${JSON.stringify(header.alg)}: Explo tokens use "dir".`);
  if (header.enc !== 'A256GCM') {
    throw new ExploJwtInvalidError(`Unsupported "enc" ${JSON.stringify(header.enc)}: Explo tokens use "A256GCM".`);
  }
  if (header.kid !== undefined && typeof header.kid !== 'string')
    throw new ExploJwtInvalidError('The "kid" header must be a string.');
  if (header.zip !== undefined || header.crit !== undefined) {
    throw new ExploJwtInvalidError('The "zip" and "crit" headers are not supported in Explo tokens.');
  }
  const iv = Buffer.from(ivB64, 'base64url');
  if (iv.length !== 12 && iv.length !== 16) {
    throw new ExploJwtInvalidError(`The IV is ${iv.length} bytes; Explo tokens use 12 (or, from older minters, 16).`);
  }
  const tag = Buffer.from(tagB64, 'base64url');
  if (tag.length !== 16) throw new ExploJwtInvalidError('The authentication tag must be 16 bytes.');
  const ciphertext = Buffer.from(ciphertextB64, 'base64url');
  if (ciphertext.length === 0) throw new ExploJwtInvalidError('The ciphertext is empty.');
  return { header, protectedB64, iv, ciphertext, tag };
}

function chooseKey(header: ExploJwtHeader, keys: readonly ExploSecret[]): ExploSecret {
  if (header.kid === undefined) {
    if (keys.length === 1) return keys[0] as ExploSecret;
    throw new ExploJwtUnknownKeyError(undefined);
  }
  const key = keys.find((k) => k.keyId === header.kid);
  if (!key) throw new ExploJwtUnknownKeyError(header.kid);
  return key;
}

async function decryptStandard(jwt: string, key: PreparedSecret): Promise<Uint8Array> {
  try {
    const { plaintext } = await compactDecrypt(jwt, key.cryptoKey, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return plaintext;
  } catch (error) {
    if (error instanceof joseErrors.JWEDecryptionFailed) throw decryptionFailed(error);
    throw new ExploJwtInvalidError('The token is not a valid JWE.', { cause: error });
  }
}

// jose rejects 16-byte IVs, but AES-GCM accepts any IV length (RFC 7516 section 5.2 steps by hand).
function decryptLegacy(parts: CompactParts, key: PreparedSecret): Uint8Array {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.keyObject, parts.iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(parts.protectedB64, 'ascii'));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
  } catch (error) {
    throw decryptionFailed(error);
  }
}

function decryptionFailed(cause: unknown): ExploJwtDecryptionError {
  return new ExploJwtDecryptionError('Decryption failed: the key does not match this token, or the token was altered.', {
    cause,
  });
}

function parseJsonObject(input: string | Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    const text =
      typeof input === 'string' ? Buffer.from(input, 'base64url').toString('utf8') : Buffer.from(input).toString('utf8');
    value = JSON.parse(text);
  } catch {
    throw new ExploJwtInvalidError(`The ${what} is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ExploJwtInvalidError(`The ${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function parseClaims(plaintext: Uint8Array): ExploJwtClaims {
  const claims = parseJsonObject(plaintext, 'payload');
  if (typeof claims.cst !== 'string') throw new ExploJwtInvalidError('The "cst" (customer) claim is missing or not a string.');
  if (typeof claims.dsh !== 'string') throw new ExploJwtInvalidError('The "dsh" (embed id) claim is missing or not a string.');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
    throw new ExploJwtInvalidError('The "exp" claim is missing or not a number.');
  }
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat))) {
    throw new ExploJwtInvalidError('The "iat" claim is not a number.');
  }
  return claims as ExploJwtClaims;
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
