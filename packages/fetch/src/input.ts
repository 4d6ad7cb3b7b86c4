import { ExploEmbedError, ExploMethodError, ExploQueryError, ExploRequestUnsupportedError } from '@explo-embed/core';
import { quoteUntrusted } from '@explo-embed/core/adapter';

/**
 * What a framework that routes by file hands its handlers: an event holding the `Request`. SvelteKit's
 * `RequestEvent` and `ServerLoadEvent`, React Router's and Remix's loader and action arguments,
 * Astro's `APIContext` (and `Astro` in a page), SolidStart's `APIEvent`.
 */
export interface ExploRequestEvent {
  readonly request: Request;
}

/**
 * An h3 event, as Nuxt and Nitro hand it to `defineEventHandler`: h3 1 (Nuxt 4: its method, path,
 * headers and Node request) or h3 2 (its `req` is a `Request`). Read without importing h3.
 */
export type ExploH3Event = ExploH3EventV1 | ExploH3EventV2;

/** An h3 1 event (Nuxt 3 and 4, Nitro 2). */
export interface ExploH3EventV1 {
  readonly method: string;
  /** Path and query, as the Node request has them. */
  readonly path: string;
  readonly headers: Headers;
  readonly node: { readonly req: object };
  /** Set when h3 runs on a Web runtime: the request itself. */
  readonly web?: { readonly request?: Request | undefined } | undefined;
}

/** An h3 2 event (Nitro 3). */
export interface ExploH3EventV2 {
  readonly req: Request;
  readonly url: URL;
}

/**
 * What a handler of {@link ExploFetch} takes: a `Request`, or what a framework hands its handlers
 * (an event holding the request, an h3 event). `Context` is the type of the value the `customer`
 * hook gets beside the request; an event is its own context.
 */
export type ExploFetchInput<Context = unknown> = Request | (ExploRequestEvent & Context) | (ExploH3Event & Context);

/** One call, read: the request, what the `customer` hook gets beside it, and the path and query it routes on. */
export interface FetchCall<Context> {
  request: Request;
  context: Context | undefined;
  /** Path and query, as the framework routes the request (an h3 event's own path, not one re-parsed). */
  url: string;
}

type Handler = 'tokenRoute' | 'handle' | 'page';

const isRequest = (value: unknown): value is Request => {
  // Duck-typed: a framework's own Request class (NextRequest, a polyfill, another realm's) counts.
  const candidate = value as Partial<Request> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.url === 'string' &&
    typeof candidate.method === 'string' &&
    typeof candidate.headers?.get === 'function'
  );
};

// A Headers object (or Next.js's ReadonlyHeaders), not anything with a `get` (Koa's `ctx` has one).
const isHeaders = (value: unknown): value is Headers => {
  const candidate = value as Partial<Headers> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.get === 'function' &&
    typeof candidate.has === 'function' &&
    typeof candidate.forEach === 'function'
  );
};

/**
 * A Request made here, from what an h3 1 event or Next.js's `headers()` holds; a coded error when the
 * platform's Request refuses it (methods such as TRACE, which h3 can hold: the visitor's, not the app's).
 */
function made(handler: Handler, method: string, url: string, headers: Headers): Request | ExploEmbedError {
  try {
    return new Request(url, { method, headers });
  } catch (error) {
    if (method !== 'GET' && method !== 'HEAD') return new ExploMethodError(`Use GET, not ${quoteUntrusted(method, 16)}.`);
    return new ExploRequestUnsupportedError(`explo.${handler}() could not make a Request of the event it was given.`, {
      cause: error,
    });
  }
}

const unreadableUrl = () => new ExploQueryError("The request's URL could not be read.");

/**
 * An h3 1 event's call. It routes on its own path (h3 matched it as it is): that is what the token
 * route is compared with, never a re-parsed one (`new URL` would turn `\` into `/` and resolve `..`,
 * so `/static/..%5Cexplo%5Ctoken` could answer as the token route where h3 saw a static file). The
 * Request for the hook is the one the event holds on a Web runtime, else one made from its method,
 * path and headers (its host is a placeholder: the Host header is in the headers).
 */
function h3Call(handler: Handler, event: ExploH3EventV1): { request: Request; url: string } | ExploEmbedError {
  const path = event.path.startsWith('/') ? event.path : `/${event.path}`;
  if (isRequest(event.web?.request)) return { request: event.web.request, url: path };
  const request = made(handler, event.method, `http://localhost${path.replace(/\\/g, '%5C')}`, event.headers);
  return request instanceof ExploEmbedError ? request : { request, url: path };
}

/** A Request's path and query; a coded error when its URL cannot be read (a host Node's parser refuses). */
function requestCall(request: Request): { request: Request; url: string } | ExploEmbedError {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return unreadableUrl();
  }
  return { request, url: url.pathname + url.search };
}

// What the input's own properties throw is not caught: Next.js's request throws while it prerenders
// (that is how it learns a route is dynamic), and must see its own error.
function callOf(handler: Handler, input: unknown): { request: Request; url: string } | ExploEmbedError | undefined {
  if (isRequest(input)) return requestCall(input);
  if (typeof input !== 'object' || input === null) return undefined;
  const held = input as Partial<ExploRequestEvent> & Partial<ExploH3EventV2> & Partial<ExploH3EventV1>;
  if (isRequest(held.request)) return requestCall(held.request);
  if (isRequest(held.req)) return requestCall(held.req);
  if (
    typeof held.path === 'string' &&
    typeof held.method === 'string' &&
    isHeaders(held.headers) &&
    typeof held.node === 'object' &&
    held.node !== null
  ) {
    return h3Call(handler, held as ExploH3EventV1);
  }
  // Next.js's `await headers()` in a server component: a GET request with those headers.
  if (handler === 'page' && isHeaders(input)) {
    const request = made(handler, 'GET', 'http://localhost/', input);
    return request instanceof ExploEmbedError ? request : { request, url: '/' };
  }
  return undefined;
}

const describe = (input: unknown): string => {
  if (input === null) return 'null';
  if (typeof input !== 'object') return typeof input;
  let name: unknown;
  try {
    name = (input as object).constructor?.name;
  } catch {
    name = undefined;
  }
  return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? `an object (${name})` : 'an object';
};

/**
 * Reads one call to a handler: the request, the hook's context (the `context` given, else the event
 * itself when the input was an event), and the URL it routes on. Anything else is the app's wiring
 * mistake, coded: `ERR_EXPLO_REQUEST_UNSUPPORTED`, never a `TypeError` further down.
 */
export function readCall<Context>(
  handler: Handler,
  input: unknown,
  context: Context | undefined,
): FetchCall<Context> | ExploEmbedError {
  const call = callOf(handler, input);
  if (call instanceof ExploEmbedError) return call;
  if (call === undefined) {
    return new ExploRequestUnsupportedError(
      `explo.${handler}() was given ${describe(input)}: pass what the framework hands the handler, a Request, an event holding one ({ request }: SvelteKit, React Router, Astro) or an h3 event (Nuxt).${handler === 'page' ? ' Headers count as a GET request.' : ''} Hono: c.req.raw.`,
    );
  }
  const { request, url } = call;
  return { request, url, context: context !== undefined || input === request ? context : (input as Context) };
}
