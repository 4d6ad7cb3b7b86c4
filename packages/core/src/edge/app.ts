/**
 * `@explo-embed/core/app` on edge runtimes (Vercel Edge and Next.js `runtime = 'edge'`, Netlify
 * Edge, Cloudflare Workers without `nodejs_compat`, Deno), chosen by the package.json conditions
 * `edge-light`, `workerd`, `worker` and `deno`. The same names as the Node entry; tokens are minted
 * with Web Crypto, and no module it loads imports a `node:` module.
 *
 * @packageDocumentation
 */
import { assemble } from '../create-embed.js';
import type { ExploEmbed } from '../embed.js';
import type { ExploEmbedOptions } from '../options/options.js';
import { webPlatform } from '../platform/web-platform.js';

export * from '../entries/app-common.js';

/**
 * Creates the token minter, as on Node, with two differences: tokens are minted with Web Crypto
 * (asynchronously: a page's token is produced before its handler runs), and `redis` refuses a
 * `redis://` URL at once (`ERR_EXPLO_OPTION_INVALID`: edge runtimes have no TCP; pass
 * `upstashRedis({ url, token })`). No Node diagnostics channels; OpenTelemetry through the
 * providers the app registered with `@opentelemetry/api`.
 */
export function createExploEmbed(options: ExploEmbedOptions): ExploEmbed {
  return assemble(options, webPlatform).embed;
}
