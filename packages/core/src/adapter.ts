/**
 * `@explo-embed/core/adapter`: what a framework adapter is built from. An adapter is two
 * converters: its framework's request to {@link ExploRequestInfo} (and its response to an
 * {@link ExploPageTarget}), and an {@link ExploHttpResponse} back to its framework's response. Every decision (routes, policy, errors, headers, the template
 * variables) is made here, once. See `docs/architecture.md` for how to add a framework.
 *
 * @packageDocumentation
 */
export {
  type AttachFilter,
  createExploAdapter,
  type ExploAdapter,
  type ExploAdapterOptions,
  type ExploRequestInfo,
  splitUrl,
} from './adapter-kit/adapter-kit.js';
export {
  applyPage,
  type ExploPage,
  type ExploPageTarget,
  isPageRequest,
  pageHeaders,
  pageLocals,
  pageOn,
  pageValue,
  replyTarget,
} from './adapter-kit/page.js';
export { sessionCustomer, sessionCustomerId } from './adapter-kit/session-customer.js';
// The core's public types too, which the signatures above name: this entry point stands on its own.
export type * from './index.js';
export { type MaybePromise, whenReady } from './lib/maybe-async.js';
export type { CustomerResolver } from './model/token.js';
export { type ExploHttpResponse, STATUS_BY_CODE } from './route/http.js';
export type { TokenRouteRequest } from './route/token-route.js';
