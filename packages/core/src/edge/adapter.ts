/**
 * `@explo-embed/core/adapter` on edge runtimes: the same names as the Node entry, on Web Crypto
 * (see `./app.ts`). `@explo-embed/fetch` reaches it through the same package.json conditions.
 *
 * @packageDocumentation
 */
import { buildExploAdapter, type ExploAdapter, type ExploAdapterOptions } from '../adapter-kit/adapter-kit.js';
import type { CustomerLike } from '../model/customer.js';
import { webPlatform } from '../platform/web-platform.js';

export * from '../entries/adapter-common.js';
export type * from './index.js';

/** As the Node entry's `createExploAdapter`, on Web Crypto: a page's token is produced before its handler runs. */
export function createExploAdapter<Req>(
  options: ExploAdapterOptions<Req>,
  defaultCustomer?: (request: Req) => CustomerLike | Promise<CustomerLike>,
): ExploAdapter<Req> {
  return buildExploAdapter(webPlatform, options, defaultCustomer);
}
