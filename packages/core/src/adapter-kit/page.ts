import { type ExploEmbedError, ExploHeadersSentError, ExploTokenPendingError } from '../errors/errors.js';
import type { ExploPublicToken } from '../model/token.js';

/** What a page request gets: a token, or the coded reason there is none (neither when nobody is logged in). */
export interface ExploPageResult {
  token?: ExploPublicToken;
  error?: ExploEmbedError;
}

/** What the adapters put where templates read (`res.locals`, `ctx.state`): the same names everywhere. */
export interface ExploLocals {
  /** The Explo token for this page request. */
  exploJwt?: string;
  /** The same token with its expiry and dashboard name (no embed id). */
  exploToken?: ExploPublicToken;
  /** Why no token was attached although there is a customer (secret unavailable, refused...). */
  exploError?: ExploEmbedError;
}

/**
 * True for a request that may carry a page token: GET or HEAD, whatever its `Accept` (a page
 * fetched by curl, a test client or `fetch()` gets its token too).
 */
export function isPageRequest(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

const TOKEN_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'cache-control': 'private, no-store' });
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Headers for the response to a request that got a token: it carries one customer's token, so no
 * shared cache may keep it (`Cache-Control: private, no-store`). None when there is no token.
 */
export function pageHeaders({ token }: ExploPageResult): Readonly<Record<string, string>> {
  return token ? TOKEN_PAGE_HEADERS : NO_HEADERS;
}

/** The one mapping from a page result to template variables. Keys are absent, not undefined, when there is nothing. */
export function pageLocals({ token, error }: ExploPageResult): ExploLocals {
  if (token) return { exploJwt: token.jwt, exploToken: token };
  return error ? { exploError: error } : {};
}

/** Where a framework keeps one request's page values, and how its response takes a header. */
export interface ExploPageTarget {
  /**
   * The object templates and handlers read (`res.locals`, `ctx.state`): `exploJwt`, `exploToken`
   * and `exploError` are defined on it, produced when one is first read. Leave it out when the
   * adapter reads through the returned {@link ExploPage} instead (Fastify's request getters).
   */
  readonly locals?: object;
  /** Sets a header on the response (`Cache-Control` when a token is read). */
  setHeader(name: string, value: string): void;
  /**
   * Whether the response's headers are out already (Node's `res.headersSent`). A token first read
   * then could not be marked `private, no-store`, so the page gets `ERR_EXPLO_HEADERS_SENT` instead.
   */
  readonly headersSent?: boolean;
}

/** One request's page values, produced when first read. */
export interface ExploPage {
  /**
   * The page's token (or the coded reason there is none), produced on the first call; from then on
   * the response carries the token's header (`Cache-Control: private, no-store`). Never throws.
   */
  read(): ExploPageResult;
}

/** Produces a page's result: at once, or (when something had to wait) the promise of it. Never throws or rejects. */
export type PageProducer = () => ExploPageResult | Promise<ExploPageResult>;

/** One request's page values: how to produce them, where the header goes, and what was produced. */
class LazyPage implements ExploPage {
  /** The page has read its values: the response carries their header. */
  private done = false;

  constructor(
    private readonly produce: PageProducer,
    private readonly target: ExploPageTarget,
    /** Told when producing turned out to need waiting (the page renders without a token). */
    private readonly waited: () => void,
    private result: ExploPageResult | undefined,
  ) {}

  read(): ExploPageResult {
    if (this.done) return this.result as ExploPageResult;
    this.done = true;
    if (this.target.headersSent === true) {
      // Too late to keep shared caches away from this response: no token in it.
      this.result = {
        error: new ExploHeadersSentError(
          'The page read its token after the response headers were sent; read it before the first flush.',
        ),
      };
      return this.result;
    }
    if (this.result === undefined) {
      const produced = this.produce();
      if (produced instanceof Promise) {
        // It goes on, so the next request finds the token; this read cannot wait for it.
        this.waited();
        this.result = { error: new ExploTokenPendingError('The token could not be had at once; this page renders without it.') };
      } else {
        this.result = produced;
      }
    }
    const headers = pageHeaders(this.result);
    for (const name in headers) this.target.setHeader(name, headers[name] as string);
    return this.result;
  }
}

/**
 * A page target for a response that takes headers through `header(name, value)` (Fastify's reply),
 * with no locals: the adapter's own getters read the page.
 */
export function replyTarget(reply: {
  header(name: string, value: string): unknown;
  readonly raw: { readonly headersSent: boolean };
}): ExploPageTarget {
  return {
    setHeader: (name, value) => void reply.header(name, value),
    get headersSent() {
      return reply.raw.headersSent;
    },
  };
}

const PAGE = Symbol('explo-embed page');
type Carrier = { [PAGE]: ExploPage };

/**
 * The page the attach step put on these locals (`res.locals`, `ctx.state`), if any: for code that
 * reads the page through the locals object it was attached to (Nest's `getExploPage` on Express).
 */
export function pageOn(locals: object): ExploPage | undefined {
  return (locals as Partial<Carrier>)[PAGE];
}

/** An own accessor (templates spread locals: Express 5's `res.render`); a value the host writes replaces it. */
const accessor = (name: keyof ExploLocals): PropertyDescriptor => ({
  enumerable: true,
  configurable: true,
  get(this: Carrier) {
    return pageLocals(this[PAGE].read())[name];
  },
  set(this: object, value: unknown) {
    Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
  },
});
const JWT = accessor('exploJwt');
const TOKEN = accessor('exploToken');
const ERROR = accessor('exploError');

/**
 * The attach step: the request's page, produced when first read (a request that never reads it
 * costs no mint and no header), or from `result` when it was produced beforehand. With
 * `target.locals`, `exploJwt`, `exploToken` and `exploError` are defined there and read it. Only a
 * response whose page read a token gets `Cache-Control: private, no-store`.
 */
export function attachPage(
  target: ExploPageTarget,
  produce: PageProducer,
  waited: () => void,
  result?: ExploPageResult,
): ExploPage {
  const page = new LazyPage(produce, target, waited, result);
  const locals = target.locals as Carrier | undefined;
  if (locals !== undefined) {
    locals[PAGE] = page;
    // Three calls, not Object.defineProperties: that one reads a map's keys and descriptors on every request.
    Object.defineProperty(locals, 'exploJwt', JWT);
    Object.defineProperty(locals, 'exploToken', TOKEN);
    Object.defineProperty(locals, 'exploError', ERROR);
  }
  return page;
}
