import { type ExploEmbedError, ExploTokenPendingError } from '../errors/errors.js';
import type { Issuer } from '../issue/issuer.js';
import type { MaybePromise } from '../lib/maybe-async.js';
import { type CustomerResolver, type ExploPublicToken, type ExploToken, publicToken } from '../model/token.js';

/** What a page request gets: a token, or the coded reason there is none (neither when nobody is logged in). */
export interface ExploPageResult {
  token?: ExploPublicToken;
  error?: ExploEmbedError;
}

const toResult = (token: ExploToken | undefined): ExploPageResult => (token === undefined ? {} : { token: publicToken(token) });
const toError = (error: unknown): ExploPageResult => ({ error: error as ExploEmbedError });

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
 * fetched by curl, a test client or `fetch()` gets its token too). A reuse hit costs about a
 * microsecond, so there is no reason to guess at which GETs render pages.
 */
export function isPageRequest(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * A page's token for its customer and `dashboard` (default: the default one). Never throws:
 * failures (already reported by the issuer) become `error`. Synchronous for a reuse hit.
 */
export function pageResult(issuer: Issuer, customer: CustomerResolver, dashboard?: string): MaybePromise<ExploPageResult> {
  try {
    const issued = issuer.issue({ customer, dashboard }, 'page');
    return issued instanceof Promise ? issued.then(toResult, toError) : toResult(issued);
  } catch (error) {
    return toError(error);
  }
}

const TOKEN_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'cache-control': 'private, no-store' });
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Headers for the response to a request that got a token: it carries one customer's token, so no
 * shared cache may keep it (`Cache-Control: private, no-store`). Adapters set them before the host's
 * handler runs, so the host can still set its own. None when no token was attached.
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
   * adapter reads through the returned {@link ExploPage} instead (Fastify's request getters): no
   * per-request accessors at all.
   */
  readonly locals?: object;
  /** Sets a header on the response (`Cache-Control` when a token is attached). */
  setHeader(name: string, value: string): void;
}

/** Puts a page result where the framework reads it, and its headers on the response, at once. */
export function applyPage(result: ExploPageResult, target: ExploPageTarget & { readonly locals: object }): void {
  Object.assign(target.locals, pageLocals(result));
  const headers = pageHeaders(result);
  for (const name in headers) target.setHeader(name, headers[name] as string);
}

/** One request's page values, produced when first read. */
export interface ExploPage {
  /**
   * The page's token (or the coded reason there is none), produced on the first call; from then on
   * the response carries the token's header (`Cache-Control: private, no-store`). Never throws.
   */
  read(): ExploPageResult;
}

/** One request's page values: how to produce them, where the header goes, and what was produced. */
class LazyPage implements ExploPage {
  /** The page has read its values: the response carries their header. */
  private done = false;

  constructor(
    private readonly produce: () => MaybePromise<ExploPageResult>,
    private readonly target: ExploPageTarget,
    /** Told when producing turned out to need waiting (the page renders without a token). */
    private readonly pending: () => void,
    private result: ExploPageResult | undefined,
  ) {}

  read(): ExploPageResult {
    if (this.done) return this.result as ExploPageResult;
    this.done = true;
    let result = this.result;
    if (result === undefined) {
      let produced: MaybePromise<ExploPageResult>;
      try {
        produced = this.produce();
      } catch (error) {
        produced = { error: error as ExploEmbedError };
      }
      if (produced instanceof Promise) {
        // It goes on, so the next request finds the token; this read cannot wait for it.
        produced.catch(() => {});
        this.pending();
        produced = { error: new ExploTokenPendingError('The token could not be had at once; this page renders without it.') };
      }
      this.result = result = produced;
    }
    const headers = pageHeaders(result);
    try {
      for (const name in headers) this.target.setHeader(name, headers[name] as string);
    } catch {
      // Read after the response was sent (a late template): nothing left to mark.
    }
    return result;
  }
}

/**
 * A page target for a response that takes headers through `header(name, value)` (Fastify's reply),
 * with no locals: the adapter's own getters read the page. One object per request, its method shared.
 */
export function replyTarget(reply: { header(name: string, value: string): unknown }): ExploPageTarget {
  return new ReplyTarget(reply);
}

class ReplyTarget implements ExploPageTarget {
  constructor(private readonly reply: { header(name: string, value: string): unknown }) {}
  setHeader(name: string, value: string): void {
    this.reply.header(name, value);
  }
}

const PAGE = Symbol('explo-embed page');
type Carrier = { [PAGE]: ExploPage };

/**
 * The page the attach step put on these locals (`res.locals`, `ctx.state`), if any: for code that
 * reads the page through the locals object it was attached to, with nothing kept per request
 * beside it (Nest's `getExploPage` on the Express platform).
 */
export function pageOn(locals: object): ExploPage | undefined {
  return (locals as Partial<Carrier>)[PAGE];
}

/** One template variable of a page result: what `pageLocals(result)[name]` holds, without building that object. */
export function pageValue<K extends keyof ExploLocals>(result: ExploPageResult, name: K): ExploLocals[K] {
  return (name === 'exploJwt' ? result.token?.jwt : name === 'exploToken' ? result.token : result.error) as ExploLocals[K];
}

/** A value written by the host replaces the produced one, as on a plain object. */
const settable = (name: keyof ExploLocals): PropertyDescriptor => ({
  enumerable: true,
  configurable: true,
  get(this: Carrier) {
    return pageValue(this[PAGE].read(), name);
  },
  set(this: object, value: unknown) {
    Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
  },
});

// Shared by every request: only the page differs.
const JWT = settable('exploJwt');
const TOKEN = settable('exploToken');
const ERROR = settable('exploError');

/**
 * The attach step: the request's page, produced when first read (a request that never reads it
 * costs no mint, no header, nothing but this object), or from `result` when it was produced
 * beforehand. With `target.locals`, `exploJwt`, `exploToken` and `exploError` are defined there and
 * read it. Only a response whose page read a token gets `Cache-Control: private, no-store`.
 */
export function attachPage(
  target: ExploPageTarget,
  produce: () => MaybePromise<ExploPageResult>,
  pending: () => void,
  result?: ExploPageResult,
): ExploPage {
  const page = new LazyPage(produce, target, pending, result);
  const locals = target.locals as Carrier | undefined;
  if (locals !== undefined) {
    // Own accessors, since templates spread locals (Express 5's res.render). Per request, so the
    // cheapest forms: a plain symbol-keyed property (no template or JSON sees it), and one accessor
    // at a time with descriptors built once. Still about half the attach step with the caches cold
    // (docs/performance.md): a target that can go without locals should.
    locals[PAGE] = page;
    Object.defineProperty(locals, 'exploJwt', JWT);
    Object.defineProperty(locals, 'exploToken', TOKEN);
    Object.defineProperty(locals, 'exploError', ERROR);
  }
  return page;
}
