import type { ExploJwtClaims, ExploJwtHeader } from '../jwe/jwt-types.js';
import { EXPLO_ERROR_CODES, type ExploErrorCode } from './error-codes.js';
import { quoteUntrusted } from './untrusted.js';

/**
 * Every error this library raises on purpose is an {@link ExploEmbedError} with a stable `code`
 * (an {@link ExploErrorCode}). Branch on `code` (or `instanceof`), never on the message text:
 * messages may be reworded.
 *
 * A caller's programming mistake (calling an API with the wrong type of argument) throws a plain
 * `TypeError` instead, as jose does.
 *
 * No message ever contains a key value or an API token.
 */
export abstract class ExploEmbedError extends Error {
  /** Stable machine-readable code of this error. */
  abstract readonly code: ExploErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Each class of this library writes its own name out: a minifier (Next.js, Vite) renames classes.
    // This fallback names a host app's own subclasses.
    this.name = new.target.name;
  }
}

/** An option given to `createExploEmbed` or an adapter is missing or invalid. `option` names it. */
export class ExploOptionError extends ExploEmbedError {
  override readonly name: string = 'ExploOptionError';
  static readonly code = EXPLO_ERROR_CODES.optionInvalid;
  readonly code = ExploOptionError.code;
  /** Path of the offending option, e.g. `"dashboards"` or `"secretCache.ttl"`. */
  readonly option: string;
  /** What is wrong with it, without the option's name (for tools that name it their own way). */
  readonly reason: string;

  constructor(option: string, reason: string) {
    super(`Invalid option "${option}": ${reason}`);
    this.option = option;
    this.reason = reason;
  }
}

/** A secret (from options or from the secret provider) is not `{ keyId, keyValue }` of strings. */
export class ExploSecretError extends ExploEmbedError {
  override readonly name: string = 'ExploSecretError';
  // The family's code, or a subclass's: a static cannot narrow in a subclass.
  static readonly code:
    | typeof EXPLO_ERROR_CODES.secretInvalid
    | typeof EXPLO_ERROR_CODES.keyLength
    | typeof EXPLO_ERROR_CODES.secretMissing = EXPLO_ERROR_CODES.secretInvalid;
  readonly code: typeof ExploSecretError.code = EXPLO_ERROR_CODES.secretInvalid;
}

/**
 * The key value is not exactly 32 bytes of UTF-8. Explo uses the key value's raw bytes as the
 * AES-256-GCM key, so any other length is rejected. The value itself is never included.
 */
export class ExploKeyLengthError extends ExploSecretError {
  override readonly name: string = 'ExploKeyLengthError';
  static override readonly code = EXPLO_ERROR_CODES.keyLength;
  override readonly code = ExploKeyLengthError.code;
  /** Length of the key value in bytes (UTF-8). */
  readonly byteLength: number;
  /** True when the value has leading or trailing whitespace (a newline from an env file, say). */
  readonly hasSurroundingWhitespace: boolean;

  constructor(where: string, byteLength: number, hint: 'whitespace' | 'base64' | 'none') {
    super(`${where} must be exactly 32 bytes of UTF-8; it is ${byteLength} bytes.${HINTS[hint]}`);
    this.byteLength = byteLength;
    this.hasSurroundingWhitespace = hint === 'whitespace';
  }
}

const HINTS = {
  whitespace: ' It has leading or trailing whitespace (often a newline from an env file or `echo`): trim it.',
  base64: ' It looks base64-encoded: Explo uses the key value exactly as it shows it, neither decoded nor encoded.',
  none: ' Use the key value exactly as Explo shows it (it is not base64 or hex encoded).',
} as const;

/**
 * The fixed secret's key id or key value is not set (`undefined` or `""`: typically an environment
 * variable missing where the app runs, or at build time). Not a setup error, so an app builds
 * without its secrets (`next build` in CI): every mint fails with this code (503 on the token
 * route) and `health()` reports `secret: "missing"` until the app runs with the value set.
 */
export class ExploSecretMissingError extends ExploSecretError {
  override readonly name: string = 'ExploSecretMissingError';
  static override readonly code = EXPLO_ERROR_CODES.secretMissing;
  override readonly code = ExploSecretMissingError.code;
  /** The option that is not set, e.g. `"options.secret.keyValue"`. */
  readonly option: string;

  constructor(option: string) {
    super(`${option} is not set (an environment variable missing where the app runs?): set it to the value Explo shows.`);
    this.option = option;
  }
}

/**
 * A failure that passes: something the token depends on (the secret provider, Explo's API) is
 * unavailable for now. `retryAfter` says when to try again; the token route sends it as `Retry-After`.
 */
export abstract class ExploRetryableError extends ExploEmbedError {
  /** Seconds after which a retry may succeed. */
  readonly retryAfter: number;

  constructor(message: string, retryAfter: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfter = retryAfter;
  }
}

/** No usable secret could be had: the provider failed, hung or returned a bad secret. */
export class ExploSecretUnavailableError extends ExploRetryableError {
  override readonly name: string = 'ExploSecretUnavailableError';
  static readonly code = EXPLO_ERROR_CODES.secretUnavailable;
  readonly code = ExploSecretUnavailableError.code;
}

/**
 * This customer asked for more fresh tokens (`fresh=1`) than `reuse.freshPerMinute` allows, across
 * its dashboards, and has no reusable token left: answered 429 with `Retry-After`, for this customer
 * only (one customer cannot drain the fleet's budget of Explo API calls).
 */
export class ExploFreshRateLimitedError extends ExploRetryableError {
  override readonly name: string = 'ExploFreshRateLimitedError';
  static readonly code = EXPLO_ERROR_CODES.freshRateLimited;
  readonly code = ExploFreshRateLimitedError.code;
}

/**
 * A page read its token (`res.locals.exploJwt`...) when it could not be had at once: a hook answered
 * asynchronously, or the key material was not ready. That page renders without it; the token is on
 * its way, and from then on the middleware waits for the token before the handler runs.
 */
export class ExploTokenPendingError extends ExploEmbedError {
  override readonly name: string = 'ExploTokenPendingError';
  static readonly code = EXPLO_ERROR_CODES.tokenPending;
  readonly code = ExploTokenPendingError.code;
}

/**
 * A page read its token after the response's headers had gone out (streamed rendering: the shell is
 * flushed, a later part reads `exploJwt`). The response can no longer be marked `private, no-store`,
 * so a shared cache might keep it: the page gets no token. Read the token before the first flush.
 */
export class ExploHeadersSentError extends ExploEmbedError {
  override readonly name: string = 'ExploHeadersSentError';
  static readonly code = EXPLO_ERROR_CODES.headersSent;
  readonly code = ExploHeadersSentError.code;
}

/** The customer id is not a non-empty string (or finite number) within the length bound. */
export class ExploCustomerError extends ExploEmbedError {
  override readonly name: string = 'ExploCustomerError';
  static readonly code = EXPLO_ERROR_CODES.customerInvalid;
  readonly code = ExploCustomerError.code;
}

/** The dashboard name is not in the `dashboards` allowlist. */
export class ExploDashboardError extends ExploEmbedError {
  override readonly name: string = 'ExploDashboardError';
  static readonly code = EXPLO_ERROR_CODES.dashboardUnknown;
  readonly code = ExploDashboardError.code;
  /** The requested dashboard name. */
  readonly dashboard: string;

  constructor(dashboard: string) {
    super(`Unknown dashboard ${quoteUntrusted(dashboard)}: it is not in the dashboards allowlist.`);
    this.dashboard = dashboard;
  }
}

/** Claims (static or returned by the `claims` function) are invalid. */
export class ExploClaimsError extends ExploEmbedError {
  override readonly name: string = 'ExploClaimsError';
  static readonly code = EXPLO_ERROR_CODES.claimsInvalid;
  readonly code = ExploClaimsError.code;
}

/** The host-app hooks whose failures {@link ExploHookError} reports (`attach`: an adapter's filter). */
export type ExploHookName = 'customer' | 'authorize' | 'claims' | 'attach' | 'provision';

/**
 * A host-app hook (`customer`, `authorize`, `claims`, `customers.provision`, or an adapter's `attach`
 * filter) threw or rejected.
 */
export class ExploHookError extends ExploEmbedError {
  override readonly name: string = 'ExploHookError';
  static readonly code = EXPLO_ERROR_CODES.hookFailed;
  readonly code = ExploHookError.code;
  /** Which hook failed. */
  readonly hook: ExploHookName;

  constructor(hook: ExploHookName, cause: unknown) {
    super(`The ${hook} hook threw or rejected; see \`cause\`.`, { cause });
    this.hook = hook;
  }
}

/** The token route's query string is malformed (arrays, repeated or over-long values). */
export class ExploQueryError extends ExploEmbedError {
  override readonly name: string = 'ExploQueryError';
  static readonly code = EXPLO_ERROR_CODES.queryInvalid;
  readonly code = ExploQueryError.code;
}

/** The request has no customer (nobody is logged in). */
export class ExploUnauthenticatedError extends ExploEmbedError {
  override readonly name: string = 'ExploUnauthenticatedError';
  static readonly code = EXPLO_ERROR_CODES.unauthenticated;
  readonly code = ExploUnauthenticatedError.code;
}

/** The `authorize` hook refused this customer this dashboard. */
export class ExploForbiddenError extends ExploEmbedError {
  override readonly name: string = 'ExploForbiddenError';
  static readonly code = EXPLO_ERROR_CODES.forbidden;
  readonly code = ExploForbiddenError.code;
}

/** The token route was called with a method other than GET. */
export class ExploMethodError extends ExploEmbedError {
  override readonly name: string = 'ExploMethodError';
  static readonly code = EXPLO_ERROR_CODES.methodNotAllowed;
  readonly code = ExploMethodError.code;
}

/**
 * A handler was given something it cannot read a request from: not what the framework hands it (a
 * `Request`, an event holding one, an h3 event). The app's wiring is wrong, not the visitor's
 * request: the token route answers 500 and the page gets this as its error, so a logged-in customer
 * never silently sees a page without a token.
 */
export class ExploRequestUnsupportedError extends ExploEmbedError {
  override readonly name: string = 'ExploRequestUnsupportedError';
  static readonly code = EXPLO_ERROR_CODES.requestUnsupported;
  readonly code = ExploRequestUnsupportedError.code;
}

/** Something unexpected failed (a bug, not bad input). The original error is the `cause`. */
export class ExploInternalError extends ExploEmbedError {
  override readonly name: string = 'ExploInternalError';
  static readonly code = EXPLO_ERROR_CODES.internal;
  readonly code = ExploInternalError.code;
}

/**
 * The shared token store (`reuse.store`) failed or did not answer in time. Never fails a request:
 * tokens are then reused within this process only. Reported to `onError` and logged as a warning.
 */
export class ExploStoreError extends ExploEmbedError {
  override readonly name: string = 'ExploStoreError';
  static readonly code = EXPLO_ERROR_CODES.storeUnavailable;
  readonly code = ExploStoreError.code;
}

// Provisioning customers in Explo (`customers`).

/**
 * Explo's Customer API did not create or update a customer this app has not yet provisioned (it
 * failed, timed out, refused the fields, or the call budget was spent): no token is issued for a
 * customer Explo may not know. Answered 503 with `Retry-After`; the API's own error is the `cause`.
 */
export class ExploProvisionError extends ExploRetryableError {
  override readonly name: string = 'ExploProvisionError';
  static readonly code = EXPLO_ERROR_CODES.provisionFailed;
  readonly code = ExploProvisionError.code;
}

/**
 * `customers.provision` returned something that is not a customer body (`{ name?, properties?,
 * groupTags?, emails?, parent?, hierarchyLevel?, mapping? }`): the app's mistake, answered 500.
 */
export class ExploProvisionInvalidError extends ExploEmbedError {
  override readonly name: string = 'ExploProvisionInvalidError';
  static readonly code = EXPLO_ERROR_CODES.provisionInvalid;
  readonly code = ExploProvisionInvalidError.code;
}

// Explo's API (the API minter).

/** Explo's API could not be reached, timed out, or kept answering 5xx after the retries. */
export class ExploApiUnavailableError extends ExploRetryableError {
  override readonly name: string = 'ExploApiUnavailableError';
  static readonly code = EXPLO_ERROR_CODES.apiUnavailable;
  readonly code = ExploApiUnavailableError.code;
}

/** Explo's API refused the request (4xx): usually a wrong API token, key id or embed id. */
export class ExploApiRejectedError extends ExploEmbedError {
  override readonly name: string = 'ExploApiRejectedError';
  static readonly code = EXPLO_ERROR_CODES.apiRejected;
  readonly code = ExploApiRejectedError.code;
  /** The HTTP status Explo answered with. */
  readonly status: number;

  /** `what`: the call that was refused, as in "Explo's API refused to issue a token". */
  constructor(status: number, what = 'issue a token') {
    const hint =
      status === 401 || status === 403
        ? ' Check the API token (it belongs to one Data Visibility Group).'
        : what === 'issue a token'
          ? ' Check the embed id, key id and options sent.'
          : ' Check the fields sent.';
    super(`Explo's API refused to ${what} (HTTP ${status}).${hint}`);
    this.status = status;
  }
}

/** Explo's API answered, but not with `{ "success": 1, "jwt": "..." }`. */
export class ExploApiResponseError extends ExploEmbedError {
  override readonly name: string = 'ExploApiResponseError';
  static readonly code = EXPLO_ERROR_CODES.apiBadResponse;
  readonly code = ExploApiResponseError.code;
}

/**
 * A call to Explo's API would exceed its rate limit (180 requests per minute per IP address):
 * the budget is spent and the queue full, or Explo answered 429 for longer than the wait allowed.
 */
export class ExploApiRateLimitedError extends ExploRetryableError {
  override readonly name: string = 'ExploApiRateLimitedError';
  static readonly code = EXPLO_ERROR_CODES.apiRateLimited;
  readonly code = ExploApiRateLimitedError.code;
}

// Reading a token (decryptExploJwt, inspect).

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

/** Any thrown value as a coded error; anything not from this library becomes `ERR_EXPLO_INTERNAL` (cause kept). */
export function toExploError(error: unknown): ExploEmbedError {
  if (error instanceof ExploEmbedError) return error;
  return new ExploInternalError('Unexpected failure while issuing an Explo token.', { cause: error });
}
