import { assemble } from '../create-embed.js';
import type { ExploEmbed } from '../embed.js';
import { ExploHookError, ExploOptionError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import type { CustomerLike } from '../issue/customer.js';
import { type MaybePromise, whenReady } from '../lib/maybe-async.js';
import type { ExploEmbedOptions } from '../options/options.js';
import { type ExploCorsOptions, resolveCors } from '../route/cors.js';
import type { ExploHttpResponse } from '../route/http.js';
import { createTokenRoute } from '../route/token-route.js';
import { type ExploPageResult, isPageRequest, pageResult } from './page.js';

/** Options every framework adapter takes: the core options plus how to read its requests. */
export interface ExploAdapterOptions<Req> extends ExploEmbedOptions {
  /**
   * Reads the customer id from the framework's request (sync or async); nullish or `""` means
   * nobody is logged in. Declared as a method so a hook written for a narrower request type (a
   * Nest app's own `Request`) is accepted where the adapter cannot know the platform.
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
  /** Path without the query string, relative to where the middleware is mounted. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** The `Origin` header, when there is one (for the `cors` option). */
  origin?: string | undefined;
}

/** What an adapter should do with a request. */
export type ExploAdapterAction =
  | { kind: 'respond'; response: ExploHttpResponse }
  | { kind: 'attach'; result: ExploPageResult }
  | { kind: 'next' };

/** The shared core of every framework adapter: it decides; the adapter only converts. */
export interface ExploAdapter<Req> {
  /** The minter (mint, decrypt) for the host app's own code. */
  readonly embed: ExploEmbed;
  /** The token route's path, or `false`. */
  readonly route: string | false;
  /** False when `attach: false`: no request gets a page token, so an adapter can skip the step entirely. */
  readonly attaches: boolean;
  /**
   * Decides and does what a request needs: answer the token route, attach a token, or nothing.
   * Never throws. The action is returned at once when it is ready (a reused token), else as a
   * promise: `await` it, or branch on `instanceof Promise` to skip a microtask.
   */
  handle(request: Req, info: ExploRequestInfo): MaybePromise<ExploAdapterAction>;
  /** Answers the token route (for frameworks that route it themselves). Never throws. */
  respond(request: Req, info: Omit<ExploRequestInfo, 'path'>): Promise<ExploHttpResponse>;
  /** Applies the `attach` policy alone: a page result, or `undefined` when this request gets none. Never throws. */
  attachFor(request: Req, info: Omit<ExploRequestInfo, 'path'>): MaybePromise<ExploPageResult | undefined>;
  /** A token for this request's customer and the given (or default) dashboard. Never throws. */
  pageToken(request: Req, dashboard?: string): MaybePromise<ExploPageResult>;
  /** Checks a dashboard name for a route-level form at setup time; throws `ERR_EXPLO_OPTION_INVALID`. */
  assertDashboard(dashboard: string | undefined): void;
}

/**
 * Builds the shared adapter layer. Splits off the adapter's own options (`customer`, `route`,
 * `attach`), validates them, and hands the rest to the core, which validates it once; `options` is
 * never mutated. `defaultCustomer` is the framework's documented session default.
 */
export function createExploAdapter<Req>(
  options: ExploAdapterOptions<Req>,
  defaultCustomer: (request: Req) => CustomerLike | Promise<CustomerLike>,
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

  const wantsAttach = (request: Req, info: Omit<ExploRequestInfo, 'path'>): boolean => {
    if (attach === false || !isPageRequest(info.method)) return false;
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
  const respond = (request: Req, info: Omit<ExploRequestInfo, 'path'>) =>
    tokenRoute({ method: info.method, query: info.query, origin: info.origin, customer: () => customer(request) });
  const attachFor = (request: Req, info: Omit<ExploRequestInfo, 'path'>) =>
    wantsAttach(request, info) ? pageToken(request) : undefined;

  return {
    embed,
    route,
    attaches: attach !== false,
    pageToken,
    respond,
    attachFor,
    handle(request, info) {
      if (route !== false && info.path === route)
        return respond(request, info).then((response) => ({ kind: 'respond', response }));
      return whenReady(
        attachFor(request, info),
        (result): ExploAdapterAction => (result === undefined ? { kind: 'next' } : { kind: 'attach', result }),
      );
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
