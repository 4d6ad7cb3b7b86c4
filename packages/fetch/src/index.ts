import { type ExploEmbed, ExploOptionError } from '@explo-embed/core';
import {
  createExploAdapter,
  type ExploAdapterOptions,
  type ExploHttpResponse,
  type ExploLocals,
  pageHeaders,
  pageLocals,
  splitUrl,
} from '@explo-embed/core/adapter';
import type { CustomerLike } from '@explo-embed/core/app';

// What app code needs from the core, so one install is enough; the rest is in @explo-embed/core.
export * from '@explo-embed/core/app';

/**
 * Options of {@link createExploFetch}: every `@explo-embed/core` option, plus `customer(request,
 * context)` (required: Web-standard runtimes share no session library), `route` (for `handle`) and
 * `attach` (for `page`). `Context` is whatever the app passes beside the request (Hono's `c`), so the
 * hook can read a session the app already read.
 */
export interface ExploFetchOptions<Context = unknown> extends Omit<ExploAdapterOptions<Request>, 'customer'> {
  /**
   * Reads the customer id: from the request (its cookie, a session lookup), or from the `context`
   * the app passed to `tokenRoute` / `page`. Nullish or `""`: nobody is logged in.
   */
  customer(request: Request, context: Context | undefined): CustomerLike | Promise<CustomerLike>;
}

/** Options of {@link ExploFetch.page}. */
export interface ExploFetchPageOptions<Context = unknown> {
  /** A token of this dashboard, whatever the request's method and `attach`. Default: the default one, as `attach` allows. */
  dashboard?: string | undefined;
  /** Handed to the `customer` hook. */
  context?: Context | undefined;
}

/** What {@link ExploFetch.page} returns: the template values, and the headers the page's response should carry. */
export interface ExploFetchPage extends ExploLocals {
  /** `Cache-Control: private, no-store` when a token is there (one customer's page), else none. */
  headers: Readonly<Record<string, string>>;
}

/** The token route and page helper for one app. Every method resolves; none rejects. */
export interface ExploFetch<Context = unknown> {
  /** The core minter: `mint()`, `decrypt()`, `health()`. */
  readonly embed: ExploEmbed;
  /**
   * The token route as a handler, wherever the app routes it: `export const GET = explo.tokenRoute`
   * (Next.js), `app.get('/explo/token', (c) => explo.tokenRoute(c.req.raw, c))` (Hono). `context`
   * goes to the `customer` hook.
   */
  tokenRoute(request: Request, context?: Context): Promise<Response>;
  /**
   * For apps without a router (Bun.serve, Deno.serve): the token route's response when the request's
   * path is `route` (default `/explo/token`), else `undefined` so the app answers it.
   */
  handle(request: Request, context?: Context): Promise<Response | undefined>;
  /**
   * The page's token for the request's customer: for a GET or HEAD request `attach` accepts, a token
   * of the default dashboard; with `dashboard`, a token of that dashboard whatever the request. Pass
   * `await headers()` in a Next.js server component: the customer hook then gets a GET request with
   * those headers. Empty when nobody is logged in; `exploError` when no token could be had. Calling
   * it is the read: its values and `headers` are there when it resolves, so call it only on pages
   * that show the token (a route that does not costs nothing).
   */
  page(request: Request | Headers, options?: ExploFetchPageOptions<Context>): Promise<ExploFetchPage>;
}

const NO_CUSTOMER_HOOK =
  'is required: a function (request: Request, context) => customer id (Web-standard runtimes have no shared session).';

/** What the adapter kit sees of one call: the request and what the app passed beside it. */
interface Call<Context> {
  request: Request;
  context: Context | undefined;
}

function toResponse({ status, headers, body }: ExploHttpResponse): Response {
  return new Response(body, { status, headers });
}

/**
 * Explo tokens for any runtime with `Request` and `Response`: Node 20+, Bun, Deno, Next.js, Hono,
 * Remix. Options are checked here, once; a mistake throws `ERR_EXPLO_OPTION_INVALID`.
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
  const adapter = createExploAdapter<Call<Context>>(
    // The kit's hooks take one value: the request and its context together.
    { ...rest, attach: typeof attach === 'function' ? (call) => attach(call.request) : attach },
    (call) => customer(call.request, call.context),
  );

  const tokenRoute = async (request: Request, context?: Context): Promise<Response> =>
    toResponse(
      await adapter.respond(
        { request, context },
        {
          method: request.method,
          query: splitUrl(request.url).query,
          origin: request.headers.get('origin') ?? undefined,
          site: request.headers.get('sec-fetch-site') ?? undefined,
        },
      ),
    );

  return {
    embed: adapter.embed,
    tokenRoute,
    async handle(request, context) {
      return adapter.isTokenRoute(new URL(request.url).pathname) ? tokenRoute(request, context) : undefined;
    },
    async page(input, { dashboard, context } = {}) {
      // Duck-typed: a framework's own Request or Headers class (NextRequest, ReadonlyHeaders) counts.
      const request =
        typeof (input as Request).url === 'string'
          ? (input as Request)
          : new Request('http://localhost/', { headers: input as Headers });
      // Calling page() is the read: the token is had now (awaited, whatever the hooks), not on access.
      const result = await adapter.pageNow(
        { request, context },
        { method: request.method, path: new URL(request.url).pathname },
        dashboard,
      );
      return { ...pageLocals(result), headers: pageHeaders(result) };
    },
  };
}
