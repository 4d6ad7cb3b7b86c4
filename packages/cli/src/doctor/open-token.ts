import {
  decodeExploJwtHeader,
  decryptExploJwt,
  type ExploJwtClaims,
  type ExploJwtExpiredError,
  type ExploJwtHeader,
  type ExploSecret,
} from '@explo-embed/core';
import { quoteHostile } from '../terminal-safe.js';

/** A token read with the configured keys: its claims, or why it could not be read (with the fix). */
export type OpenedToken =
  | { status: 'open'; header: ExploJwtHeader; claims: ExploJwtClaims; ivLength: number; expired: boolean }
  | { status: 'no-key'; header: ExploJwtHeader }
  | { status: 'closed'; reason: string; fix: string };

/**
 * Decrypts a token found on a page (hostile) with the configured keys, as Explo would: legacy
 * 16-byte IVs accepted, `exp` checked against `now` with no tolerance. An expired token is still
 * opened, so its other claims can be judged. Says why a token does not open, naming no key value.
 */
export async function openToken(jwt: string, keys: readonly ExploSecret[], now: number): Promise<OpenedToken> {
  let header: ExploJwtHeader;
  try {
    ({ header } = decodeExploJwtHeader(jwt));
  } catch (error) {
    return {
      status: 'closed',
      reason: `is not an Explo token: ${(error as Error).message}`,
      fix: 'put the token on the page exactly as minted: a compact JWE (five segments, dir + A256GCM).',
    };
  }
  if (keys.length === 0) return { status: 'no-key', header };
  try {
    const { claims } = await decryptExploJwt(jwt, keys, { currentDate: new Date(now), clockTolerance: 0 });
    return { status: 'open', header, claims, ivLength: decodeExploJwtHeader(jwt).ivLength, expired: false };
  } catch (error) {
    const { code } = error as { code?: string };
    if (code === 'ERR_EXPLO_JWT_EXPIRED') {
      const { claims } = error as ExploJwtExpiredError;
      return { status: 'open', header, claims, ivLength: decodeExploJwtHeader(jwt).ivLength, expired: true };
    }
    if (code === 'ERR_EXPLO_JWT_UNKNOWN_KID') {
      return {
        status: 'closed',
        reason:
          header.kid === undefined
            ? `has no kid header, and ${keys.length} keys are configured: which one minted it cannot be told.`
            : `was minted with another key: its kid ${quoteHostile(header.kid)} is not among the ${keys.length} configured (${keys.map((k) => quoteHostile(k.keyId)).join(', ')}).`,
        fix: "mint with the key Explo issued (Settings > Data Visibility Groups); if that is the app's key, give doctor the same one (EXPLO_KEY_ID/EXPLO_KEY_VALUE or --key-file).",
      };
    }
    if (code === 'ERR_EXPLO_JWT_DECRYPTION_FAILED') {
      return {
        status: 'closed',
        reason: `does not decrypt with the configured key ${quoteHostile(header.kid)}: it was minted with another key value under the same id (no value is shown).`,
        fix: "copy the key value from Explo's settings again, into the app and into doctor's configuration: exactly 32 bytes, no trailing newline.",
      };
    }
    if (code === 'ERR_EXPLO_JWT_INVALID') {
      return {
        status: 'closed',
        reason: `decrypts, but is not a valid Explo token: ${(error as Error).message}`,
        fix: 'mint with a string cst, a string dsh and a numeric exp, as Explo documents.',
      };
    }
    throw error;
  }
}
