/**
 * `@explo-embed/core/adapter`: what a framework adapter is built from. An adapter converts its
 * framework's request to an {@link ExploRequestInfo}, its response to an {@link ExploPageTarget},
 * and sends the {@link ExploHttpResponse} it gets back; {@link createExploAdapter} makes every
 * decision (routes, policy, errors, headers, the template variables). See `docs/architecture.md`
 * for how to add a framework.
 *
 * @packageDocumentation
 */
export {
  type AttachFilter,
  createExploAdapter,
  type ExploAdapter,
  type ExploAdapterOptions,
  type ExploRequestInfo,
} from './adapter-kit/adapter-kit.js';
export { type ExploPage, type ExploPageTarget, pageHeaders, pageLocals, pageOn, replyTarget } from './adapter-kit/page.js';
export type { ExploHeaders } from './adapter-kit/request-info.js';
export { sessionCustomer } from './adapter-kit/session-customer.js';
export { quoteUntrusted } from './errors/untrusted.js';
// The core's public types too, which the signatures above name: this entry point stands on its own.
export type * from './index.js';
export type { ExploHttpResponse } from './route/http.js';
