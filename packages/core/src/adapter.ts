/**
 * `@explo-embed/core/adapter`: what a framework adapter is built from. An adapter converts its
 * framework's request to an {@link ExploRequestInfo}, its response to an {@link ExploPageTarget},
 * and sends the {@link ExploHttpResponse} it gets back; {@link createExploAdapter} makes every
 * decision (routes, policy, errors, headers, the template variables). See `docs/architecture.md`
 * for how to add a framework. This is the Node entry; edge runtimes get `./edge/adapter.ts`.
 *
 * @packageDocumentation
 */
import { buildExploAdapter, type ExploAdapter, type ExploAdapterOptions } from './adapter-kit/adapter-kit.js';
import type { CustomerLike } from './model/customer.js';
import { nodePlatform } from './platform/node-platform.js';

export * from './entries/adapter-common.js';
// The core's public types too, which the signatures above name: this entry point stands on its own.
export type * from './index.js';

/**
 * Builds the shared adapter layer. Splits off the adapter's own options (`customer`, `route`,
 * `attach`, `cors`), validates them, and hands the rest to the core, which validates it once;
 * `options` is never mutated. `defaultCustomer` replaces the session reader for a framework with
 * no shared session (the Fetch adapter requires its own).
 */
export function createExploAdapter<Req>(
  options: ExploAdapterOptions<Req>,
  defaultCustomer?: (request: Req) => CustomerLike | Promise<CustomerLike>,
): ExploAdapter<Req> {
  return buildExploAdapter(nodePlatform, options, defaultCustomer);
}
