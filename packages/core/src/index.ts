export {
  createExploAdapter,
  type ExploAdapter,
  type ExploAdapterAction,
  type ExploAdapterOptions,
  type ExploPageResult,
  type ExploRequestInfo,
  isPageRequest,
  splitUrl,
} from './adapter.js';
export { type ExploClaimOptions, normalizeOrigin, REPORT_BUILDER_FEATURES, type ReportBuilderFeature } from './claims.js';
export { type CustomerLike, MAX_CUSTOMER_ID_LENGTH } from './customer.js';
export { type DecryptedExploJwt, type DecryptOptions, decodeExploJwtHeader, decryptExploJwt } from './decrypt.js';
export { type Duration, type DurationUnit, durationToMs } from './duration.js';
export { createExploEmbed, ExploEmbed, type ExploPublicToken, type ExploToken, type MintRequest } from './embed.js';
export {
  ExploApiRejectedError,
  ExploApiResponseError,
  ExploApiUnavailableError,
  ExploClaimsError,
  ExploCustomerError,
  ExploDashboardError,
  ExploEmbedError,
  ExploForbiddenError,
  ExploHookError,
  ExploInternalError,
  type ExploJwtClaims,
  ExploJwtDecryptionError,
  ExploJwtExpiredError,
  type ExploJwtHeader,
  ExploJwtInvalidError,
  ExploJwtUnknownKeyError,
  ExploKeyLengthError,
  ExploMethodError,
  ExploOptionError,
  ExploQueryError,
  ExploSecretError,
  ExploSecretUnavailableError,
  ExploUnauthenticatedError,
} from './errors.js';
export { type ExploHttpResponse, problemResponse } from './http.js';
export { toIsoDuration } from './iso-duration.js';
export { type CustomerResolver, type IssueRequest, issueToken, publicToken } from './issue-token.js';
export type {
  ExploApiOptions,
  ExploClaimsContext,
  ExploEmbedOptions,
  ExploErrorContext,
  ExploMintEvent,
  ExploSecretProvider,
  ExploSecretProviderContext,
} from './options.js';
export { parseTokenQuery, type TokenQuery } from './query.js';
export { assertSecret, type ExploSecret } from './secret.js';
export { handleTokenRequest, type TokenRouteRequest } from './token-route.js';
