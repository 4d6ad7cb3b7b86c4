// The public API of @explo-embed/core: what apps, jobs and scripts call. It is `./app.ts` (what an
// app with a framework adapter needs, which every adapter re-exports) plus what tools and jobs need
// besides: every error class, the assertions, the header reader. What framework adapters need
// lives in './adapter.ts' (`@explo-embed/core/adapter`).

export { assertApiOptions } from './api/resolve-api-options.js';
export { type ExploResource, exploEditorUrl, listExploResources } from './api/resource-list.js';
export * from './app.js';
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
} from './errors/errors.js';
export { decodeExploJwtHeader } from './jwe/compact-jwe.js';
export { assertSecret } from './keys/secret.js';
export { toIsoDuration } from './lib/iso-duration.js';
export { toExploOrigin } from './model/claims.js';
export { MAX_CUSTOMER_ID_LENGTH } from './model/customer.js';
export { DIAGNOSTICS_CHANNELS } from './operations/reporter.js';
