// What `@explo-embed/core` offers besides `./app-common.ts`, on every runtime (see `../index.ts`).
export { assertApiOptions } from '../api/resolve-api-options.js';
export { type ExploResource, exploEditorUrl, listExploResources } from '../api/resource-list.js';
export {
  ExploApiRateLimitedError,
  ExploApiRejectedError,
  ExploApiResponseError,
  ExploApiUnavailableError,
  ExploClaimsError,
  ExploCustomerError,
  ExploDashboardError,
  ExploForbiddenError,
  ExploFreshRateLimitedError,
  ExploHeadersSentError,
  ExploHookError,
  type ExploHookName,
  ExploInternalError,
  ExploJwtDecryptionError,
  ExploJwtExpiredError,
  ExploJwtInvalidError,
  ExploJwtUnknownKeyError,
  ExploKeyLengthError,
  ExploMethodError,
  ExploOptionError,
  ExploProvisionError,
  ExploProvisionInvalidError,
  ExploQueryError,
  ExploRequestUnsupportedError,
  ExploRetryableError,
  ExploSecretError,
  ExploSecretMissingError,
  ExploSecretUnavailableError,
  ExploStoreError,
  ExploTokenPendingError,
  ExploUnauthenticatedError,
} from '../errors/errors.js';
export { decodeExploJwtHeader } from '../jwe/compact-jwe.js';
export { assertSecret } from '../keys/secret.js';
export { toIsoDuration } from '../lib/iso-duration.js';
export { toExploOrigin } from '../model/claims.js';
export { MAX_CUSTOMER_ID_LENGTH } from '../model/customer.js';
export { DIAGNOSTICS_CHANNELS } from '../operations/reporter.js';
