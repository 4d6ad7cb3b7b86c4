import { compactDecrypt, errors as joseErrors } from 'jose';
import {
  ExploJwtDecryptionError,
  ExploJwtExpiredError,
  ExploJwtInvalidError,
  ExploJwtUnknownKeyError,
} from '../errors/errors.js';
import type { PreparedRing } from '../keys/key-ring.js';
import { assertSecret, type ExploSecret, type PreparedSecret, prepareSecret } from '../keys/secret.js';
import { type Duration, durationToMs } from '../lib/duration.js';
import { type CompactParts, parseCompact, parseJsonObject } from './compact-jwe.js';
import type { ExploJwtClaims, ExploJwtHeader } from './jwt-types.js';

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
  const plaintext = parts.iv.length === 12 ? await decryptStandard(jwt, key) : await decryptLegacy(parts, key);
  const claims = parseClaims(plaintext);
  const toleranceMs = durationToMs(options.clockTolerance ?? 5);
  if (toleranceMs === undefined) throw new TypeError('clockTolerance must be a Duration ("5s", 30...).');
  const now = (options.currentDate ?? new Date()).getTime();
  if (claims.exp * 1000 + toleranceMs < now) {
    throw new ExploJwtExpiredError(new Date(claims.exp * 1000), parts.header, claims);
  }
  return { header: parts.header, claims };
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

// jose rejects 16-byte IVs, but AES-GCM accepts any IV length (RFC 7516 section 5.2 steps by hand,
// with Web Crypto: every runtime has it, and Explo's own tokens are rare enough not to need more).
async function decryptLegacy(parts: CompactParts, key: PreparedSecret): Promise<Uint8Array> {
  const sealed = new Uint8Array(parts.ciphertext.length + parts.tag.length);
  sealed.set(parts.ciphertext);
  sealed.set(parts.tag, parts.ciphertext.length);
  try {
    const plaintext = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: new Uint8Array(parts.iv),
        additionalData: new TextEncoder().encode(parts.protectedB64),
        tagLength: 128,
      },
      key.cryptoKey,
      sealed,
    );
    return new Uint8Array(plaintext);
  } catch (error) {
    throw decryptionFailed(error);
  }
}

function decryptionFailed(cause: unknown): ExploJwtDecryptionError {
  return new ExploJwtDecryptionError('Decryption failed: the key does not match this token, or the token was altered.', {
    cause,
  });
}

function parseClaims(plaintext: Uint8Array): ExploJwtClaims {
  const claims = parseJsonObject(plaintext, 'payload');
  if (typeof claims.cst !== 'string') throw new ExploJwtInvalidError('The "cst" (customer) claim is missing or not a string.');
  if (typeof claims.dsh !== 'string') throw new ExploJwtInvalidError('The "dsh" (embed id) claim is missing or not a string.');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
    throw new ExploJwtInvalidError('The "exp" claim is missing or not a number.');
  }
  if (!isNumericDate(claims.exp)) throw new ExploJwtInvalidError('The "exp" claim is out of range for a date.');
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat))) {
    throw new ExploJwtInvalidError('The "iat" claim is not a number.');
  }
  if (claims.iat !== undefined && !isNumericDate(claims.iat)) {
    throw new ExploJwtInvalidError('The "iat" claim is out of range for a date.');
  }
  return claims as ExploJwtClaims;
}

// Seconds a JavaScript Date can hold (±8.64e15 ms): beyond that, `new Date()` is invalid and would
// throw a plain RangeError wherever the time is shown.
const MAX_NUMERIC_DATE = 8.64e12;

function isNumericDate(seconds: number): boolean {
  return Math.abs(seconds) <= MAX_NUMERIC_DATE;
}

/** The key a token names (`kid`); without one, the only key of a ring of one. Throws `ERR_EXPLO_JWT_UNKNOWN_KID`. */
export function keyFor(ring: PreparedRing, kid: string | undefined): PreparedSecret {
  const key = kid === undefined ? (ring.byKid.size === 1 ? ring.current : undefined) : ring.byKid.get(kid);
  if (key === undefined) throw new ExploJwtUnknownKeyError(kid);
  return key;
}
