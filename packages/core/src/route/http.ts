import { errorDocsUrl } from '../errors/docs-url.js';
import { EXPLO_ERROR_CODES as C, type ExploErrorCode } from '../errors/error-codes.js';
import {
  ExploApiRateLimitedError,
  ExploApiUnavailableError,
  type ExploEmbedError,
  ExploProvisionError,
  ExploRetryableError,
  ExploSecretError,
  ExploSecretUnavailableError,
} from '../errors/errors.js';

/** A framework-free HTTP response: adapters copy it onto their own response object. */
export interface ExploHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The HTTP status the token route answers each code with. A new code does not compile without one. */
export const STATUS_BY_CODE: Readonly<Record<ExploErrorCode, number>> = Object.freeze({
  [C.queryInvalid]: 400,
  [C.unauthenticated]: 401,
  [C.forbidden]: 403,
  [C.dashboardUnknown]: 404,
  [C.methodNotAllowed]: 405,
  [C.freshRateLimited]: 429,
  // A bad customer id or claims come from the host app's own hooks: a server-side problem.
  [C.customerInvalid]: 500,
  [C.claimsInvalid]: 500,
  [C.hookFailed]: 500,
  [C.provisionInvalid]: 500,
  [C.optionInvalid]: 500,
  [C.internal]: 500,
  [C.requestUnsupported]: 500,
  // Token-reading errors never come from the route; if one did, it is the server's problem.
  [C.jwtInvalid]: 500,
  [C.jwtUnknownKid]: 500,
  [C.jwtDecryptionFailed]: 500,
  [C.jwtExpired]: 500,
  [C.apiRejected]: 502,
  [C.apiBadResponse]: 502,
  [C.secretUnavailable]: 503,
  [C.secretInvalid]: 503,
  [C.keyLength]: 503,
  [C.secretMissing]: 503,
  [C.apiUnavailable]: 503,
  [C.apiRateLimited]: 503,
  [C.provisionFailed]: 503,
  // Never answered: a store failure falls back to the process's own cache.
  [C.storeUnavailable]: 503,
  // Never answered: only a page's template values carry it.
  [C.tokenPending]: 503,
  // Never answered: only a page's template values carry it.
  [C.headersSent]: 500,
});

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * Headers on every token-route response: never cached, never sniffed, and never loadable by another
 * site (not even as an opaque no-cors response pulled into its process).
 */
export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
});

/** A JSON success response. */
export function jsonResponse(status: number, body: unknown): ExploHttpResponse {
  return {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

/**
 * An RFC 9457 problem+json response for a coded error. Its `type` is the code's entry in the error
 * reference (cause, what users see, fix). 5xx answers carry a fixed detail: only client errors
 * repeat the error's own message (which never holds a secret either).
 */
export function problemResponse(error: ExploEmbedError, extraHeaders: Record<string, string> = {}): ExploHttpResponse {
  const status = STATUS_BY_CODE[error.code];
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'content-type': 'application/problem+json; charset=utf-8',
    ...extraHeaders,
  };
  let detail = error.message;
  let code: ExploErrorCode = error.code;
  if (status === 405) {
    headers.allow = 'GET';
  } else if (status === 429) {
    headers['retry-after'] = String(error instanceof ExploRetryableError ? error.retryAfter : 60);
  } else if (status === 503) {
    const retryAfter = error instanceof ExploRetryableError ? error.retryAfter : 5;
    headers['retry-after'] = String(retryAfter);
    detail =
      error instanceof ExploApiRateLimitedError
        ? "Too many tokens requested from Explo's API right now; try again after Retry-After."
        : error instanceof ExploApiUnavailableError
          ? "Explo's API is not answering right now; try again shortly."
          : error instanceof ExploProvisionError
            ? 'Explo could not be told about this customer right now; try again after Retry-After.'
            : 'No usable embed secret is available right now; try again shortly.';
    // A malformed secret from the provider is the server's business; the browser learns only that none is usable.
    if (error instanceof ExploSecretError) code = ExploSecretUnavailableError.code;
  } else if (status === 502) {
    detail = "Explo's API did not issue a token; see the server logs.";
  } else if (status >= 500) {
    detail = 'The token could not be issued because of a server-side problem; see the server logs.';
  }
  return {
    status,
    headers,
    body: JSON.stringify({ type: errorDocsUrl(code), title: TITLES[status] ?? 'Error', status, detail, code }),
  };
}
