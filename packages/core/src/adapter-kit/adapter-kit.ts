import { assemble } from '../create-embed.js';
import type { ExploEmbed } from '../embed.js';
import { type ExploEmbedError, ExploHookError, ExploOptionError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { type MaybePromise, whenReady } from '../lib/maybe-async.js';
import type { CustomerLike } from '../model/customer.js';
import type { ExploEmbedOptions } from '../options/options.js';
import { type ExploCorsOptions, resolveCors } from '../route/cors.js';
import { type ExploHttpResponse, problemResponse } from '../route/http.js';
import { createTokenRoute } from '../route/token-route.js';
import { attachPage, type ExploPage, type ExploPageResult, type ExploPageTarget, isPageRequest, pageResult } from './page.js';
import { sessionCustomer } from './session-customer.js';

/** Options every framework adapter takes: the core options plus how to read its requests. */
export interface ExploAdapterOptions<Req> extends ExploEmbedOptions {
  /**
   * Reads the customer id from the framework's request (sync or async); nullish or `""` means
   * nobody is logged in. Default: `request.session.customerId` (or `session.get('customerId')`).
   * Declared as a method so a hook written for a narrower request type (a Nest app's own
   * `Request`) is accepted where the adapter cannot know the platform.
   */
  customer?(request: Req): CustomerLike | Promise<CustomerLike>;
  /** Path of the token route. Default `"/explo/token"`; `false` mounts none. */
  route?: string | false;
  /**
   * When to attach a token of the default dashboard to a request. Default `true`: every GET and
   * HEAD request with a customer (whatever its `Accept`), the token route aside. `false` never; a
   * function narrows it per request (only what it returns `true` for, and only GET/HEAD).
   */
  attach?: boolean | AttachFilter<Req>;
  /**
   * Lets front ends on other origins call the token route (a single-page app whose API is
   * elsewhere): `{ origins: ["https://app.example.com"], credentials? }`. Off by default.
   */
  cors?: ExploCorsOptions;
}

/**
 * Decides per request whether a GET/HEAD gets the page token. Its parameter is checked like a
 * method's (bivariantly), for the same reason as `customer`.
 */
export type AttachFilter<Req> = { bivarianceHack(request: Req): boolean }['bivarianceHack'];

/** The framework-neutral facts an adapter reads off a request. */
export interface ExploRequestInfo {
  method: string;
  /** Path without the query string, relative to where the middleware (or plugin) is mounted. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** The `Origin` header, when there is one (for the `cors` option). */
  origin?: string | undefined;
  /** The `Sec-Fetch-Site` header, when there is one (another site's requests are refused). */
  site?: string | undefined;
}

/** The shared core of every framework adapter: it decides; the adapter only converts. */
export interface ExploAdapter<Req> {
  /** The minter (mint, decrypt, health) for the host app's own code. */
  readonly embed: ExploEmbed;
  /** The token route's path, or `false`. */
  readonly route: string | false;
  /** False when `attach: false`: no request gets a page token, so an adapter can skip the step entirely. */
  readonly attaches: boolean;
  /** Whether `path` (relative to the mount point) is the token route: decided here and nowhere else. */
  isTokenRoute(path: string): boolean;
  /**
   * A middleware's whole step: the token route's response for the token route; else the page
   * token attached to `target` as `attach` decides, and `undefined` (go on). Never throws; ready at
   * once for a reused token, else a promise (`instanceof Promise` tells, to skip a microtask).
   */
  handle(request: Req, info: ExploRequestInfo, target: ExploPageTarget): MaybePromise<ExploHttpResponse | undefined>;
  /** Answers the token route, for frameworks that route it themselves. Never throws. */
  respond(request: Req, info: Omit<ExploRequestInfo, 'path'>): Promise<ExploHttpResponse>;
  /**
   * The attach step alone (not on the token route; GET/HEAD; the `attach` filter), for frameworks
   * that route themselves: the request's page (`undefined` when it gets none), produced on first
   * read, and `exploJwt`, `exploToken`, `exploError` on `target.locals` when there is one. Never throws.
   */
  attach(
    request: Req,
    info: Pick<ExploRequestInfo, 'method' | 'path'>,
    target: ExploPageTarget,
  ): MaybePromise<ExploPage | undefined>;
  /**
   * A route-level form: a token of `dashboard` (default: the default one) attached whatever the
   * request. Like the attach step, the token is produced when the page reads it, if that can be done
   * without waiting (else beforehand). Never throws.
   */
  attachDashboard(request: Req, dashboard: string | undefined, target: ExploPageTarget): MaybePromise<ExploPage>;
  /** A token for this request's customer and the given (or default) dashboard, as a value. Never throws. */
  pageToken(request: Req, dashboard?: string): MaybePromise<ExploPageResult>;
  /**
   * For adapters whose pages ask by calling a function (no middleware, no template locals): the
   * page's result now. With `dashboard`, that dashboard's token whatever the request; else the
   * default one as the attach step decides (`{}` when it does not attach). Never throws.
   */
  pageNow(request: Req, info: Pick<ExploRequestInfo, 'method' | 'path'>, dashboard?: string): MaybePromise<ExploPageResult>;
  /** Checks a dashboard name for a route-level form at setup time; throws `ERR_EXPLO_OPTION_INVALID`. */
  assertDashboard(dashboard: string | undefined): void;
  /**
   * For a request the adapter could not read (the app handed its handler the wrong thing): reports
   * `error` (`onError`, the log) and returns the token route's answer to it.
   */
  refuse(error: ExploEmbedError, phase: 'route' | 'page'): ExploHttpResponse;
}

/**
 * Builds the shared adapter layer. Splits off the adapter's own options (`customer`, `route`,
 * `attach`, `cors`), validates them, and hands the rest to the core, which validates it once;
 * `options` is never mutated. `defaultCustomer` replaces the session reader for a framework with
 * no shared session (the Fetch adapter requires its own).
 */
export function createExploAdapter<Req>(
  options: ExploAdapterOptions<Req>,
  defaultCustomer: (request: Req) => CustomerLike | Promise<CustomerLike> = (request) => sessionCustomer(request as object),
): ExploAdapter<Req> {
  if (typeof options !== 'object' || options === null) {
    throw new ExploOptionError('options', 'expected an object with at least { secret, dashboards }.');
  }
  const { customer = defaultCustomer, route = '/explo/token', attach = true, cors, ...core } = options;
  if (typeof customer !== 'function') throw new ExploOptionError('customer', 'must be a function (request) => customer id.');
  if (route !== false && (typeof route !== 'string' || !route.startsWith('/') || /[?#\s]/.test(route))) {
    throw new ExploOptionError('route', 'must be a path starting with "/" (default "/explo/token"), or false.');
  }
  if (typeof attach !== 'boolean' && typeof attach !== 'function') {
    throw new ExploOptionError('attach', 'must be true, false or a function (request) => boolean.');
  }
  const resolvedCors = resolveCors(cors);
  const { embed, issuer, reporter } = assemble(core);
  const tokenRoute = createTokenRoute(issuer, reporter, resolvedCors);

  const isTokenRoute = (path: string) => route !== false && path === route;
  const wantsAttach = (request: Req, { method, path }: Pick<ExploRequestInfo, 'method' | 'path'>): boolean => {
    if (attach === false || !isPageRequest(method) || isTokenRoute(path)) return false;
    if (attach === true) return true;
    try {
      return attach(request) === true;
    } catch (error) {
      // The page goes on without a token, and the filter's bug is reported (and logged), not hidden.
      reporter.failed(new ExploHookError('attach', error), { phase: 'page' });
      return false;
    }
  };
  const pageToken = (request: Req, dashboard?: string) => pageResult(issuer, () => customer(request), dashboard);
  // Page tokens are produced when the page reads them, whenever that can be done without waiting.
  // Once a read found it had to wait (an asynchronous hook), this adapter produces them beforehand.
  let onRead = customer.constructor?.name !== 'AsyncFunction';
  const waited = () => {
    onRead = false;
  };
  const attachDashboard = (request: Req, dashboard: string | undefined, target: ExploPageTarget): MaybePromise<ExploPage> => {
    const produce = () => pageToken(request, dashboard);
    if (onRead && issuer.synchronous()) return attachPage(target, produce, waited);
    // Explo's API, key material not ready yet, an asynchronous hook: produced before the handler
    // runs, so the page can read it; the response still gets its header only if the page does.
    return whenReady(produce(), (result) => attachPage(target, produce, waited, result));
  };
  const attachStep = (request: Req, info: Pick<ExploRequestInfo, 'method' | 'path'>, target: ExploPageTarget) =>
    wantsAttach(request, info) ? attachDashboard(request, undefined, target) : undefined;
  const respond = (request: Req, info: Omit<ExploRequestInfo, 'path'>) =>
    tokenRoute({
      method: info.method,
      query: info.query,
      origin: info.origin,
      site: info.site,
      customer: () => customer(request),
    });

  return {
    embed,
    route,
    attaches: attach !== false,
    isTokenRoute,
    pageToken,
    pageNow(request, info, dashboard) {
      if (dashboard !== undefined) return pageToken(request, dashboard);
      return wantsAttach(request, info) ? pageToken(request) : {};
    },
    respond,
    attach: attachStep,
    attachDashboard,
    handle(request, info, target) {
      if (isTokenRoute(info.path)) return respond(request, info);
      return whenReady(attachStep(request, info, target), () => undefined);
    },
    refuse(error, phase) {
      reporter.failed(error, { phase });
      return problemResponse(error);
    },
    assertDashboard(dashboard) {
      if (dashboard !== undefined && !embed.hasDashboard(dashboard)) {
        throw new ExploOptionError('dashboard', `${quoteUntrusted(dashboard)} is not in the dashboards allowlist.`);
      }
    },
  };
}

/** Splits a request URL (path plus query) into path and raw query. */
export function splitUrl(url: string): { path: string; query: string } {
  const index = url.indexOf('?');
  return index === -1 ? { path: url, query: '' } : { path: url.slice(0, index), query: url.slice(index + 1) };
}
