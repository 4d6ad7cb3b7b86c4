// What `@explo-embed/core/app` offers on every runtime: each entry (`../app.ts` for Node,
// `../edge/app.ts` for edge runtimes) adds its own `createExploEmbed`.
export type { ExploLocals, ExploPageResult } from '../adapter-kit/page.js';
export type { ExploEmbed, ExploHealth } from '../embed.js';
export { EXPLO_ERROR_CODES, type ExploErrorCode } from '../errors/error-codes.js';
export { ExploEmbedError } from '../errors/errors.js';
export { type DecryptedExploJwt, type DecryptOptions, decryptExploJwt } from '../jwe/decrypt.js';
export type { ExploJwtClaims, ExploJwtHeader } from '../jwe/jwt-types.js';
export type { ExploSecret } from '../keys/secret.js';
export type { Duration, DurationUnit } from '../lib/duration.js';
export { type ExploClaimOptions, REPORT_BUILDER_FEATURES, type ReportBuilderFeature } from '../model/claims.js';
export type { CustomerLike } from '../model/customer.js';
export type { ExploPublicToken, ExploToken, MintRequest } from '../model/token.js';
export { type CspSource, type ExploCspOptions, type ExploCspSources, exploCspSources, withExploCsp } from '../operations/csp.js';
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
} from '../options/options.js';
export type { ExploCorsOptions } from '../route/cors.js';
export {
  type UpstashRedisClient,
  type UpstashRedisOptions,
  type UpstashTransaction,
  upstashRedis,
} from '../stores/upstash-redis.js';
export { type WorkersKvNamespace, workersKvStore } from '../stores/workers-kv.js';
