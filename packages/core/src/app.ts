/**
 * `@explo-embed/core/app`: what an app that uses a framework adapter needs from the core. Every
 * adapter (`@explo-embed/express`, `koa`, `nestjs`, `fastify`, `fetch`) re-exports this module
 * whole, so one install is enough and each offers the same names. Everything else, for jobs,
 * scripts and tools, is in `@explo-embed/core`. This is the Node entry (Node, Bun); edge runtimes
 * get `./edge/app.ts`, with the same names, through package.json conditions.
 *
 * @packageDocumentation
 */
import { assemble } from './create-embed.js';
import type { ExploEmbed } from './embed.js';
import type { ExploEmbedOptions } from './options/options.js';
import { nodePlatform } from './platform/node-platform.js';

export * from './entries/app-common.js';

/**
 * Creates the token minter. Validates `options` at once and throws a coded error naming the bad
 * field (`ERR_EXPLO_OPTION_INVALID`, `ERR_EXPLO_KEY_LENGTH`, `ERR_EXPLO_SECRET_INVALID`). A secret
 * whose key id or value is not set (`undefined` or `""`: an environment variable missing, as in a
 * build) is no setup error: each mint then fails with `ERR_EXPLO_SECRET_MISSING`, and `health()`
 * reports the secret missing, until the app runs with it set.
 *
 * @example
 * ```ts
 * const explo = createExploEmbed({
 *   secret: { keyId: process.env.EXPLO_KEY_ID!, keyValue: process.env.EXPLO_KEY_VALUE! },
 *   dashboards: { sales: 'a1b2c3d4' },
 * });
 * const { jwt } = await explo.mint({ customerId: 'acme' });
 * ```
 */
export function createExploEmbed(options: ExploEmbedOptions): ExploEmbed {
  return assemble(options, nodePlatform).embed;
}
