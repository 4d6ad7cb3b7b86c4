// The public API of @explo-embed/core: what apps, jobs and scripts call. What framework adapters
// need besides lives in './adapter.ts' (`@explo-embed/core/adapter`).
export {
  ExploApiRateLimitedError,
  ExploApiRejectedError,
  ExploApiResponseError,
  ExploApiUnavailableError,
} from './api-errors.js';
export { type ExploClaimOptions, REPORT_BUILDER_FEATURES, type ReportBuilderFeature, toExploOrigin } from './claims.js';
export { decodeExploJwtHeader } from './compact-jwe.js';
export type { ExploCorsOptions } from './cors.js';
export { createExploEmbed } from './create-embed.js';
export { type CspSource, type ExploCspOptions, type ExploCspSources, exploCspSources, withExploCsp } from './csp.js';
export { type CustomerLike, MAX_CUSTOMER_ID_LENGTH } from './customer.js';
export { type DecryptedExploJwt, type DecryptOptions, decryptExploJwt } from './decrypt.js';
export type { Duration, DurationUnit } from './duration.js';
export type { ExploEmbed, ExploHealth } from './embed.js';
export { EXPLO_ERROR_CODES, type ExploErrorCode } from './error-codes.js';
export {
  ExploClaimsError,
  ExploCustomerError,
  ExploDashboardError,
  ExploEmbedError,
  ExploForbiddenError,
  ExploHookError,
  type ExploHookName,
  ExploInternalError,
  ExploKeyLengthError,
  ExploMethodError,
  ExploOptionError,
  ExploQueryError,
  ExploRetryableError,
  ExploSecretError,
  ExploSecretMissingError,
  ExploSecretUnavailableError,
  ExploStoreError,
  ExploUnauthenticatedError,
} from './errors.js';
export { toIsoDuration } from './iso-duration.js';
export { ExploJwtDecryptionError, ExploJwtExpiredError, ExploJwtInvalidError, ExploJwtUnknownKeyError } from './jwt-errors.js';
export type { ExploJwtClaims, ExploJwtHeader } from './jwt-types.js';
export type {
  ExploApiOptions,
  ExploAuthorize,
  ExploClaimsContext,
  ExploClaimsFunction,
  ExploEmbedOptions,
  ExploErrorContext,
  ExploLogger,
  ExploMintEvent,
  ExploSecretProvider,
  ExploSecretProviderContext,
  ExploTokenStore,
} from './options.js';
export type { ExploLocals, ExploPageResult } from './page.js';
export { DIAGNOSTICS_CHANNELS } from './reporter.js';
export { assertApiOptions } from './resolve-api-options.js';
export { assertSecret, type ExploSecret } from './secret.js';
export type { ExploPublicToken, ExploToken, MintRequest } from './token.js';
