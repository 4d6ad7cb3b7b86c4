import type { ExploApiRejectedError, ExploApiResponseError, ExploApiUnavailableError } from './api-errors.js';
import type {
  ExploClaimsError,
  ExploCustomerError,
  ExploDashboardError,
  ExploForbiddenError,
  ExploHookError,
  ExploInternalError,
  ExploMethodError,
  ExploOptionError,
  ExploQueryError,
  ExploSecretError,
  ExploSecretUnavailableError,
  ExploUnauthenticatedError,
} from './errors.js';
import type { ExploJwtExpiredError, ExploJwtInvalidError } from './jwt-errors.js';

/**
 * Every `code` an {@link ExploEmbedError} can carry, read from the error classes: each code is
 * written in its class and nowhere else. A class left out of this list does not compile (its `code`
 * would not fit the base class), and `switch (error.code)` narrows on it.
 */
export type ExploErrorCode =
  | typeof ExploOptionError.code
  | typeof ExploSecretError.code
  | typeof ExploSecretUnavailableError.code
  | typeof ExploCustomerError.code
  | typeof ExploDashboardError.code
  | typeof ExploClaimsError.code
  | typeof ExploHookError.code
  | typeof ExploQueryError.code
  | typeof ExploUnauthenticatedError.code
  | typeof ExploForbiddenError.code
  | typeof ExploMethodError.code
  | typeof ExploInternalError.code
  | typeof ExploJwtInvalidError.code
  | typeof ExploJwtExpiredError.code
  | typeof ExploApiUnavailableError.code
  | typeof ExploApiRejectedError.code
  | typeof ExploApiResponseError.code;
