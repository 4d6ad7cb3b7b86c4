import { type ExploEmbed, ExploEmbedError, ExploOptionError } from '@explo-embed/core';
import {
  createExploAdapter,
  type ExploAdapterOptions,
  type ExploHttpResponse,
  type ExploLocals,
  pageHeaders,
  pageLocals,
} from '@explo-embed/core/adapter';
import type { CustomerLike } from '@explo-embed/core/app';
import { type ExploFetchInput, type FetchCall, readCall } from './input.js';

// What app code needs from the core, so one install is enough; the rest is in @explo-embed/core.
export * from '@explo-embed/core/app';
export type { ExploFetchInput, ExploH3Event, ExploH3EventV1, ExploH3EventV2, ExploRequestEvent } from './input.js';

/**
 * Options of {@link createExploFetch}: every `@explo-embed/core` option, plus `customer(request,
 * context)` (required: Web-standard runtimes share no session library), `route` (for `handle`) and
 * `attach` (for `page`). `Context` is what the hook gets beside the request: the event the framework
 * handed the handler (SvelteKit's `RequestEvent`, Nuxt's `H3Event`), or what the app passed beside a
 * `Request` (Hono's `c`), so the hook can read a session the app already read.
 */
export interface ExploFetchOptions<Context = unknown> extends Omit<ExploAdapterOptions<Request>, 'customer'> {
  /**
   * Reads the customer id: from the request (its cookie, a session lookup), or from the `context`
   * (the event, or what the app passed). Nullish or `""`: nobody is logged in.
   */
  customer(request: Request, context: Context | undefined): CustomerLike | Promise<CustomerLike>;
}

/** Options of {@link ExploFetch.page}. */
export interface ExploFetchPageOptions<Context = unknown> {
  /** A token of this dashboard, whatever the request's method and `attach`. Default: the default one, as `attach` allows. */
  dashboard?: string | undefined;
  /** Handed to the `customer` hook. Default: the event, when `page` was given one. */
  context?: Context | undefined;
}

/** What {@link ExploFetch.page} returns: the template values, and the headers the page's response should carry. */
export interface ExploFetchPage extends ExploLocals {
  /** `Cache-Control: private, no-store` when a token is there (one customer's page), else none. */
  headers: Readonly<Record<string, string>>;
}

/**
 * The token route and page helper for one app. No method rejects with an error of its own; what the
 * framework's request object throws passes through (Next.js's prerendering signal).
 */
export interface ExploFetch<Context = unknown> {
  /** The core minter: `mint()`, `decrypt()`, `health()`. */
  readonly embed: ExploEmbed;
  /**
   * The token route as a handler, wherever the app routes it: it takes what the framework hands a
   * handler. `export const GET = explo.tokenRoute` (Next.js, SvelteKit, Astro),
   * `export const loader = explo.tokenRoute` (React Router), `defineEventHandler(explo.tokenRoute)`
   * (Nuxt), `app.get('/explo/token', (c) => explo.tokenRoute(c.req.raw, c))` (Hono). `context` goes
   * to the `customer` hook (default: the event itself).
   */
  tokenRoute(input: ExploFetchInput<Context>, context?: Context): Promise<Response>;
  /**
   * For apps without a router (Bun.serve, Deno.serve, a Worker's `fetch`): the token route's response
   * when the request's path is `route` (default `/explo/token`), else `undefined` so the app answers it.
   */
  handle(input: ExploFetchInput<Context>, context?: Context): Promise<Response | undefined>;
  /**
   * The page's token for the request's customer: for a GET or HEAD request `attach` accepts, a token
   * of the default dashboard; with `dashboard`, a token of that dashboard whatever the request. Takes
   * what the framework hands a loader (SvelteKit's load event, React Router's loader arguments,
   * `Astro`, an h3 event) or a `Request`; pass `await headers()` in a Next.js server component (a GET
   * request with those headers). Empty when nobody is logged in; `exploError` when no token could be
   * had. Calling it is the read: its values and `headers` are there when it resolves, so call it only
   * on pages that show the token (a route that does not costs nothing).
   */
  page(input: ExploFetchInput<Context> | Headers, options?: ExploFetchPageOptions<Context>): Promise<ExploFetchPage>;
}

const NO_CUSTOMER_HOOK =
  'is required: a function (request: Request, context) => customer id (Web-standard runtimes have no shared session).';

// 204 and 304 answers have no body: the platform's Response refuses one, even empty.
const NULL_BODY = new Set([101, 204, 205, 304]);

function toResponse({ status, headers, body }: ExploHttpResponse): Response {
  return new Response(NULL_BODY.has(status) ? null : body, { status, headers });
}

/**
 * Explo tokens for any runtime with `Request` and `Response`: Node 20+, Bun, Deno, Next.js,
 * SvelteKit, Nuxt, React Router, Astro, Hono, Cloudflare Workers. Options are checked here, once; a
 * mistake throws `ERR_EXPLO_OPTION_INVALID`.
 *
 * @example
 * ```ts
 * const explo = createExploFetch({ secret, dashboards: { sales: 'a1b2c3d4' }, customer: readCustomer });
 * export const GET = explo.tokenRoute;
 * ```
 */
export function createExploFetch<Context = unknown>(options: ExploFetchOptions<Context>): ExploFetch<Context> {
  if (typeof options?.customer !== 'function') throw new ExploOptionError('customer', NO_CUSTOMER_HOOK);
  const { customer, attach, ...rest } = options;
  const adapter = createExploAdapter<FetchCall<Context>>(
    // The kit's hooks take one value: the request and its context together.
    { ...rest, attach: typeof attach === 'function' ? (call) => attach(call.request) : attach },
    (call) => customer(call.request, call.context),
  );

  const info = ({ request, url }: FetchCall<Context>) => ({ method: request.method, url, headers: request.headers });

  return {
    embed: adapter.embed,
    async tokenRoute(input, context) {
      const call = readCall('tokenRoute', input, context);
      return toResponse(
        call instanceof ExploEmbedError ? adapter.refuse(call, 'route') : await adapter.respond(call, info(call)),
      );
    },
    async handle(input, context) {
      const call = readCall('handle', input, context);
      if (call instanceof ExploEmbedError) return toResponse(adapter.refuse(call, 'route'));
      const answer = await adapter.handle(call, info(call));
      return answer === undefined ? undefined : toResponse(answer);
    },
    async page(input, { dashboard, context } = {}) {
      const call = readCall('page', input, context);
      if (call instanceof ExploEmbedError) {
        adapter.refuse(call, 'page');
        return { exploError: call, headers: pageHeaders({}) };
      }
      // Calling page() is the read: the token is had now (awaited, whatever the hooks), not on access.
      const result = await adapter.page(call, dashboard === undefined ? info(call) : { dashboard });
      return { ...pageLocals(result), headers: pageHeaders(result) };
    },
  };
}
