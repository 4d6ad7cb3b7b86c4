import { EXPLO_ERROR_CODES } from '../errors/error-codes.js';
import { ExploEmbedError, ExploRetryableError } from '../errors/errors.js';

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
