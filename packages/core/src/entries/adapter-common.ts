// What `@explo-embed/core/adapter` offers on every runtime: each entry (`../adapter.ts` for Node,
// `../edge/adapter.ts` for edge runtimes) adds its own `createExploAdapter`.
export type { AttachFilter, ExploAdapter, ExploAdapterOptions, ExploRequestInfo } from '../adapter-kit/adapter-kit.js';
export { type ExploPage, type ExploPageTarget, pageHeaders, pageLocals, pageOn, replyTarget } from '../adapter-kit/page.js';
export type { ExploHeaders } from '../adapter-kit/request-info.js';
export { sessionCustomer } from '../adapter-kit/session-customer.js';
export { quoteUntrusted } from '../errors/untrusted.js';
export type { ExploHttpResponse } from '../route/http.js';
