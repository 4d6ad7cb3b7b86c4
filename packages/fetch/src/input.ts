import { ExploEmbedError, ExploMethodError, ExploRequestUnsupportedError } from '@explo-embed/core';

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

/** One call, read: the request, and what the `customer` hook gets beside it. */
export interface FetchCall<Context> {
  request: Request;
  context: Context | undefined;
}

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

const isHeaders = (value: unknown): value is Headers =>
  typeof value === 'object' && value !== null && typeof (value as Partial<Headers>).get === 'function';

/**
 * A Request made here, from what an h3 1 event or Next.js's `headers()` holds; a coded error when the
 * platform's Request refuses it (methods such as TRACE, which h3 can hold: the visitor's, not the app's).
 */
function made(handler: Handler, method: string, url: URL | string, headers: Headers): Request | ExploEmbedError {
  try {
    return new Request(url, { method, headers });
  } catch (error) {
    if (method !== 'GET' && method !== 'HEAD') return new ExploMethodError(`Use GET, not ${method.slice(0, 16)}.`);
    return new ExploRequestUnsupportedError(`explo.${handler}() could not make a Request of the event it was given.`, {
      cause: error,
    });
  }
}

/** The request an h3 1 event describes: the one it holds on a Web runtime, else one made from its method, path and headers. */
function h3Request(handler: Handler, event: ExploH3EventV1): Request | ExploEmbedError {
  if (isRequest(event.web?.request)) return event.web.request;
  // Only the path, query and headers matter here (no body is read): the host is a placeholder when absent.
  const url = new URL(event.path, `http://${event.headers.get('host') || 'localhost'}`);
  return made(handler, event.method, url, event.headers);
}

type Handler = 'tokenRoute' | 'handle' | 'page';

// What the input's own properties throw is not caught: Next.js's request throws while it prerenders
// (that is how it learns a route is dynamic), and must see its own error.
function requestOf(handler: Handler, input: unknown): Request | ExploEmbedError | undefined {
  if (isRequest(input)) return input;
  if (typeof input !== 'object' || input === null) return undefined;
  const held = input as Partial<ExploRequestEvent> & Partial<ExploH3EventV2> & Partial<ExploH3EventV1>;
  if (isRequest(held.request)) return held.request;
  if (isRequest(held.req)) return held.req;
  if (
    typeof held.path === 'string' &&
    typeof held.method === 'string' &&
    isHeaders(held.headers) &&
    typeof held.node === 'object' &&
    held.node !== null
  ) {
    return h3Request(handler, held as ExploH3EventV1);
  }
  // Next.js's `await headers()` in a server component: a GET request with those headers.
  if (handler === 'page' && isHeaders(input)) return made(handler, 'GET', 'http://localhost/', input);
  return undefined;
}

const describe = (input: unknown): string => {
  if (input === null) return 'null';
  if (typeof input !== 'object') return typeof input;
  const name = (input as object).constructor?.name;
  return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? `an object (${name})` : 'an object';
};

/**
 * Reads one call to a handler: the request, and the hook's context (the `context` given, else the
 * event itself when the input was an event). Anything else is the app's wiring mistake, coded:
 * `ERR_EXPLO_REQUEST_UNSUPPORTED`, never a `TypeError` further down.
 */
export function readCall<Context>(
  handler: Handler,
  input: unknown,
  context: Context | undefined,
): FetchCall<Context> | ExploEmbedError {
  const request = requestOf(handler, input);
  if (request instanceof ExploEmbedError) return request;
  if (request === undefined) {
    return new ExploRequestUnsupportedError(
      `explo.${handler}() was given ${describe(input)}: pass what the framework hands the handler, a Request, an event holding one ({ request }: SvelteKit, React Router, Astro) or an h3 event (Nuxt).${handler === 'page' ? ' Headers count as a GET request.' : ''} Hono: c.req.raw.`,
    );
  }
  return { request, context: context !== undefined || input === request ? context : (input as Context) };
}
