import { EXPLO_ERROR_CODES } from '../errors/error-codes.js';
import { ExploEmbedError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import type { ExploJwtClaims, ExploJwtHeader } from './jwt-types.js';

/** The token is not a well-formed Explo token (compact JWE, `dir` + `A256GCM`) or its claims are not. */
export class ExploJwtInvalidError extends ExploEmbedError {
  override readonly name: string = 'ExploJwtInvalidError';
  // The family's code, or a subclass's: a static cannot narrow in a subclass.
  static readonly code:
    | typeof EXPLO_ERROR_CODES.jwtInvalid
    | typeof EXPLO_ERROR_CODES.jwtUnknownKid
    | typeof EXPLO_ERROR_CODES.jwtDecryptionFailed = EXPLO_ERROR_CODES.jwtInvalid;
  readonly code: typeof ExploJwtInvalidError.code = EXPLO_ERROR_CODES.jwtInvalid;
}

/** The token's `kid` names none of the keys given. */
export class ExploJwtUnknownKeyError extends ExploJwtInvalidError {
  override readonly name: string = 'ExploJwtUnknownKeyError';
  static override readonly code = EXPLO_ERROR_CODES.jwtUnknownKid;
  override readonly code = ExploJwtUnknownKeyError.code;
  /** The token's key id, if it had one. */
  readonly kid: string | undefined;

  constructor(kid: string | undefined) {
    super(
      kid === undefined
        ? 'The token has no "kid" header and several keys were given: cannot choose one.'
        : `No key with id ${quoteUntrusted(kid)} was given to decrypt this token.`,
    );
    this.kid = kid;
  }
}

/** Decryption failed: the key is wrong for this token, or the token was altered. */
export class ExploJwtDecryptionError extends ExploJwtInvalidError {
  override readonly name: string = 'ExploJwtDecryptionError';
  static override readonly code = EXPLO_ERROR_CODES.jwtDecryptionFailed;
  override readonly code = ExploJwtDecryptionError.code;
}

/** The token decrypted but its `exp` has passed (beyond the clock tolerance). */
export class ExploJwtExpiredError extends ExploEmbedError {
  override readonly name: string = 'ExploJwtExpiredError';
  static readonly code = EXPLO_ERROR_CODES.jwtExpired;
  readonly code = ExploJwtExpiredError.code;
  /** When the token expired. */
  readonly expiredAt: Date;
  /** The decrypted protected header. */
  readonly header: ExploJwtHeader;
  /** The decrypted claims (they hold no secret). */
  readonly claims: ExploJwtClaims;

  constructor(expiredAt: Date, header: ExploJwtHeader, claims: ExploJwtClaims) {
    super(`The token expired at ${expiredAt.toISOString()}.`);
    this.expiredAt = expiredAt;
    this.header = header;
    this.claims = claims;
  }
}
