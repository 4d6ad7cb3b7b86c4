/**
 * `@explo-embed/core/app`: what an app that uses a framework adapter needs from the core. Every
 * adapter (`@explo-embed/express`, `koa`, `nestjs`, `fastify`, `fetch`) re-exports this module
 * whole, so one install is enough and each offers the same names. Everything else, for jobs,
 * scripts and tools, is in `@explo-embed/core`.
 *
 * @packageDocumentation
 */
export type { ExploLocals, ExploPageResult } from './adapter-kit/page.js';
export type { ExploEmbed, ExploHealth } from './embed.js';
export { EXPLO_ERROR_CODES, type ExploErrorCode } from './errors/error-codes.js';
export { ExploEmbedError } from './errors/errors.js';
export type { ExploClaimOptions } from './issue/claims.js';
export type { CustomerLike } from './issue/customer.js';
export type { ExploPublicToken, ExploToken, MintRequest } from './issue/token.js';
export { type DecryptedExploJwt, type DecryptOptions, decryptExploJwt } from './jwe/decrypt.js';
export { type ExploCspOptions, exploCspSources, withExploCsp } from './operations/csp.js';
export type { Duration } from './options/duration.js';
export type {
  ExploApiOptions,
  ExploEmbedOptions,
  ExploErrorContext,
  ExploLogger,
  ExploMintEvent,
  ExploSecretProvider,
  ExploTokenStore,
} from './options/options.js';
export type { ExploCorsOptions } from './route/cors.js';
export type { ExploSecret } from './secret/secret.js';
