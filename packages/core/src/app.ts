/**
 * `@explo-embed/core/app`: what an app that uses a framework adapter needs from the core. Every
 * adapter (`@explo-embed/express`, `koa`, `nestjs`, `fastify`, `fetch`) re-exports this module
 * whole, so one install is enough and each offers the same names. Everything else, for jobs,
 * scripts and tools, is in `@explo-embed/core`.
 *
 * @packageDocumentation
 */
export type { ExploLocals, ExploPageResult } from './adapter-kit/page.js';
export { createExploEmbed } from './create-embed.js';
export type { ExploEmbed, ExploHealth } from './embed.js';
export { EXPLO_ERROR_CODES, type ExploErrorCode } from './errors/error-codes.js';
export { ExploEmbedError } from './errors/errors.js';
export { type DecryptedExploJwt, type DecryptOptions, decryptExploJwt } from './jwe/decrypt.js';
export type { ExploJwtClaims, ExploJwtHeader } from './jwe/jwt-types.js';
export type { ExploSecret } from './keys/secret.js';
export type { Duration, DurationUnit } from './lib/duration.js';
export { type ExploClaimOptions, REPORT_BUILDER_FEATURES, type ReportBuilderFeature } from './model/claims.js';
export type { CustomerLike } from './model/customer.js';
export type { ExploPublicToken, ExploToken, MintRequest } from './model/token.js';
export { type CspSource, type ExploCspOptions, type ExploCspSources, exploCspSources, withExploCsp } from './operations/csp.js';
export type {
  ExploApiOptions,
  ExploAuthorize,
  ExploClaimsContext,
  ExploClaimsFunction,
  ExploCustomer,
  ExploCustomersOptions,
  ExploEmbedOptions,
  ExploErrorContext,
  ExploLogger,
  ExploMintEvent,
  ExploProvision,
  ExploProvisionContext,
  ExploRedisClient,
  ExploRedisOptions,
  ExploSecretProvider,
  ExploSecretProviderContext,
  ExploTokenStore,
} from './options/options.js';
export type { ExploCorsOptions } from './route/cors.js';
