/**
 * Every error this library raises on purpose is an {@link ExploEmbedError} with a stable `code`.
 * Branch on `code` (or `instanceof`), never on the message text: messages may be reworded.
 *
 * A caller's programming mistake (calling an API with the wrong type of argument) throws a plain
 * `TypeError` instead, as jose does.
 *
 * No message ever contains a key value or an API token.
 */
export class ExploEmbedError extends Error {
  /** Stable machine-readable code, shared by every instance of the class. */
  static code = 'ERR_EXPLO_EMBED';
  /** Stable machine-readable code of this error. */
  readonly code: string = 'ERR_EXPLO_EMBED';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option given to `createExploEmbed` or an adapter is missing or invalid. `option` names it. */
export class ExploOptionError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_OPTION_INVALID';
  override readonly code = 'ERR_EXPLO_OPTION_INVALID';
  /** Path of the offending option, e.g. `"dashboards"` or `"secretCache.ttl"`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`Invalid option "${option}": ${message}`);
    this.option = option;
  }
}

/** A secret (from options or from the secret provider) is not `{ keyId, keyValue }` of strings. */
export class ExploSecretError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_SECRET_INVALID';
  override readonly code: string = 'ERR_EXPLO_SECRET_INVALID';
}

/**
 * The key value is not exactly 32 bytes of UTF-8. Explo uses the key value's raw bytes as the
 * AES-256-GCM key, so any other length is rejected. The value itself is never included.
 */
export class ExploKeyLengthError extends ExploSecretError {
  static override code = 'ERR_EXPLO_KEY_LENGTH';
  override readonly code = 'ERR_EXPLO_KEY_LENGTH';
  /** Length of the key value in bytes (UTF-8). */
  readonly byteLength: number;
  /** True when the value has leading or trailing whitespace (a newline from an env file, say). */
  readonly hasSurroundingWhitespace: boolean;

  constructor(where: string, byteLength: number, hasSurroundingWhitespace: boolean) {
    const hint = hasSurroundingWhitespace
      ? ' It has leading or trailing whitespace (often a newline from an env file or `echo`): trim it.'
      : ' Use the key value exactly as Explo shows it (it is not base64 or hex encoded).';
    super(`${where} must be exactly 32 bytes of UTF-8; it is ${byteLength} bytes.${hint}`);
    this.byteLength = byteLength;
    this.hasSurroundingWhitespace = hasSurroundingWhitespace;
  }
}

/** No usable secret could be had: the provider failed, hung or returned a bad secret. */
export class ExploSecretUnavailableError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_SECRET_UNAVAILABLE';
  override readonly code = 'ERR_EXPLO_SECRET_UNAVAILABLE';
  /** Seconds after which a retry may succeed (used for `Retry-After`). */
  readonly retryAfter: number;

  constructor(message: string, retryAfter: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfter = retryAfter;
  }
}

/** The customer id is not a non-empty string (or finite number) within the length bound. */
export class ExploCustomerError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_CUSTOMER_INVALID';
  override readonly code = 'ERR_EXPLO_CUSTOMER_INVALID';
}

/** The dashboard name is not in the `dashboards` allowlist. */
export class ExploDashboardError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_DASHBOARD_UNKNOWN';
  override readonly code = 'ERR_EXPLO_DASHBOARD_UNKNOWN';
  /** The requested dashboard name. */
  readonly dashboard: string;

  constructor(dashboard: string) {
    super(`Unknown dashboard "${dashboard}": it is not in the dashboards allowlist.`);
    this.dashboard = dashboard;
  }
}

/** Claims (static or returned by the `claims` function) are invalid. */
export class ExploClaimsError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_CLAIMS_INVALID';
  override readonly code = 'ERR_EXPLO_CLAIMS_INVALID';
}

/** A host-app hook (`customer`, `authorize` or `claims`) threw or rejected. */
export class ExploHookError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_HOOK_FAILED';
  override readonly code = 'ERR_EXPLO_HOOK_FAILED';
  /** Which hook failed. */
  readonly hook: 'customer' | 'authorize' | 'claims';

  constructor(hook: 'customer' | 'authorize' | 'claims', cause: unknown) {
    super(`The ${hook} hook threw or rejected; see \`cause\`.`, { cause });
    this.hook = hook;
  }
}

/** The token route's query string is malformed (arrays, repeated or over-long values). */
export class ExploQueryError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_QUERY_INVALID';
  override readonly code = 'ERR_EXPLO_QUERY_INVALID';
}

/** The request has no customer (nobody is logged in). */
export class ExploUnauthenticatedError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_UNAUTHENTICATED';
  override readonly code = 'ERR_EXPLO_UNAUTHENTICATED';
}

/** The `authorize` hook refused this customer this dashboard. */
export class ExploForbiddenError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_FORBIDDEN';
  override readonly code = 'ERR_EXPLO_FORBIDDEN';
}

/** The token is not a well-formed Explo token (compact JWE, `dir` + `A256GCM`) or its claims are not. */
export class ExploJwtInvalidError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_JWT_INVALID';
  override readonly code: string = 'ERR_EXPLO_JWT_INVALID';
}

/** The token's `kid` names none of the keys given. */
export class ExploJwtUnknownKeyError extends ExploJwtInvalidError {
  static override code = 'ERR_EXPLO_JWT_UNKNOWN_KID';
  override readonly code = 'ERR_EXPLO_JWT_UNKNOWN_KID';
  /** The token's key id, if it had one. */
  readonly kid: string | undefined;

  constructor(kid: string | undefined) {
    super(
      kid === undefined
        ? 'The token has no "kid" header and several keys were given: cannot choose one.'
        : `No key with id "${kid}" was given to decrypt this token.`,
    );
    this.kid = kid;
  }
}

/** Decryption failed: the key is wrong for this token, or the token was altered. */
export class ExploJwtDecryptionError extends ExploJwtInvalidError {
  static override code = 'ERR_EXPLO_JWT_DECRYPTION_FAILED';
  override readonly code = 'ERR_EXPLO_JWT_DECRYPTION_FAILED';
}

/** The token decrypted but its `exp` has passed (beyond the clock tolerance). */
export class ExploJwtExpiredError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_JWT_EXPIRED';
  override readonly code = 'ERR_EXPLO_JWT_EXPIRED';
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

/** Protected header of an Explo token. */
export interface ExploJwtHeader {
  alg: 'dir';
  enc: 'A256GCM';
  kid?: string;
  [name: string]: unknown;
}

/** Claims of an Explo token. */
export interface ExploJwtClaims {
  /** Customer id, as the host app provided it to Explo. */
  cst: string;
  /** Embed id of the dashboard or report builder. */
  dsh: string;
  /** Expiry, NumericDate (seconds). */
  exp: number;
  /** Issued at, NumericDate (seconds). */
  iat?: number;
  /** Report-builder features allowed. */
  rbc?: string[];
  /** Disable editable-section editing. */
  des?: boolean;
  /** Origin of the embedding page (with trailing slash). */
  iss?: string;
  [name: string]: unknown;
}

/** The token route was called with a method other than GET. */
export class ExploMethodError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_METHOD_NOT_ALLOWED';
  override readonly code = 'ERR_EXPLO_METHOD_NOT_ALLOWED';
}

/** Something unexpected failed (a bug, not bad input). The original error is the `cause`. */
export class ExploInternalError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_INTERNAL';
  override readonly code = 'ERR_EXPLO_INTERNAL';
}

/** Explo's API could not be reached, timed out, or kept answering 5xx after the retries. */
export class ExploApiUnavailableError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_API_UNAVAILABLE';
  override readonly code = 'ERR_EXPLO_API_UNAVAILABLE';
  /** Seconds after which a retry may succeed (used for `Retry-After`). */
  readonly retryAfter: number;

  constructor(message: string, retryAfter: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfter = retryAfter;
  }
}

/** Explo's API refused the request (4xx): usually a wrong API token, key id or embed id. */
export class ExploApiRejectedError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_API_REJECTED';
  override readonly code = 'ERR_EXPLO_API_REJECTED';
  /** The HTTP status Explo answered with. */
  readonly status: number;

  constructor(status: number) {
    const hint =
      status === 401 || status === 403
        ? ' Check the API token (it belongs to one Data Visibility Group).'
        : ' Check the embed id, key id and options sent.';
    super(`Explo's API refused the token request with HTTP ${status}.${hint}`);
    this.status = status;
  }
}

/** Explo's API answered, but not with `{ "success": 1, "jwt": "..." }`. */
export class ExploApiResponseError extends ExploEmbedError {
  static override code = 'ERR_EXPLO_API_BAD_RESPONSE';
  override readonly code = 'ERR_EXPLO_API_BAD_RESPONSE';
}
