// The public API of @explo-embed/core: what apps, jobs and scripts call. What framework adapters
// need besides lives in './adapter.ts' (`@explo-embed/core/adapter`).

export type { ExploLocals, ExploPageResult } from './adapter-kit/page.js';
export {
  ExploApiRateLimitedError,
  ExploApiRejectedError,
  ExploApiResponseError,
  ExploApiUnavailableError,
} from './api/api-errors.js';
export { assertApiOptions } from './api/resolve-api-options.js';
export { createExploEmbed } from './create-embed.js';
export type { ExploEmbed, ExploHealth } from './embed.js';
export { EXPLO_ERROR_CODES, type ExploErrorCode } from './errors/error-codes.js';
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
} from './errors/errors.js';
export { decodeExploJwtHeader } from './jwe/compact-jwe.js';
export { type DecryptedExploJwt, type DecryptOptions, decryptExploJwt } from './jwe/decrypt.js';
export {
  ExploJwtDecryptionError,
  ExploJwtExpiredError,
  ExploJwtInvalidError,
  ExploJwtUnknownKeyError,
} from './jwe/jwt-errors.js';
export type { ExploJwtClaims, ExploJwtHeader } from './jwe/jwt-types.js';
export { assertSecret, type ExploSecret } from './keys/secret.js';
export type { Duration, DurationUnit } from './lib/duration.js';
export { toIsoDuration } from './lib/iso-duration.js';
export { type ExploClaimOptions, REPORT_BUILDER_FEATURES, type ReportBuilderFeature, toExploOrigin } from './model/claims.js';
export { type CustomerLike, MAX_CUSTOMER_ID_LENGTH } from './model/customer.js';
export type { ExploPublicToken, ExploToken, MintRequest } from './model/token.js';
export { type CspSource, type ExploCspOptions, type ExploCspSources, exploCspSources, withExploCsp } from './operations/csp.js';
export { DIAGNOSTICS_CHANNELS } from './operations/reporter.js';
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
} from './options/options.js';
export type { ExploCorsOptions } from './route/cors.js';
