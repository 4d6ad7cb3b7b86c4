import { assemble } from '../create-embed.js';
import type { ExploEmbed } from '../embed.js';
import { type ExploEmbedError, ExploHookError, ExploOptionError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import type { CustomerLike } from '../model/customer.js';
import { type ExploToken, type IssueRequest, publicToken } from '../model/token.js';
import type { ExploEmbedOptions } from '../options/options.js';
import type { Platform } from '../platform/platform.js';
import { type ExploCorsOptions, resolveCors } from '../route/cors.js';
import { type ExploHttpResponse, problemResponse } from '../route/http.js';
import { createTokenRoute } from '../route/token-route.js';
import { attachPage, type ExploPage, type ExploPageResult, type ExploPageTarget, isPageRequest } from './page.js';
import { type ExploHeaders, headerValue, splitUrl } from './request-info.js';
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

/** What an adapter reads off its framework's request, as the framework has it. */
export interface ExploRequestInfo {
  method: string;
  /** Path and query (`req.url`), relative to where the middleware (or plugin) is mounted. */
  url: string;
  /** The request's headers: Node's object (`req.headers`) or a Fetch `Headers`. The kit reads the few it needs. */
  headers: ExploHeaders;
}

/**
 * What a framework adapter is built on: it converts its request to an {@link ExploRequestInfo},
 * hands the kit its response as an {@link ExploPageTarget}, and sends the {@link ExploHttpResponse}
 * it gets back. Every decision (routes, policy, errors, headers, template variables) is made here.
 * No method rejects.
 */
export interface ExploAdapter<Req> {
  /** The minter (mint, decrypt, health) for the host app's own code. */
  readonly embed: ExploEmbed;
  /** The token route's path, or `false`: for frameworks that declare their routes. */
  readonly route: string | false;
  /** False with `attach: false`: no request gets a page token, so a framework can leave its hook out. */
  readonly attaches: boolean;
  /**
   * A middleware's step: for the token route, its answer (send it); for any other request, the page
   * attached to `target` as `attach` decides, and `undefined` (go on). Without a target, only the token route.
   */
  handle(request: Req, info: ExploRequestInfo, target?: ExploPageTarget): Promise<ExploHttpResponse | undefined>;
  /** The token route's answer, for frameworks that route it themselves. */
  respond(request: Req, info: ExploRequestInfo): Promise<ExploHttpResponse>;
  /** The attach step alone, for frameworks that route themselves: the request's page, or `undefined` when it gets none. */
  attach(request: Req, info: ExploRequestInfo, target: ExploPageTarget): Promise<ExploPage | undefined>;
  /**
   * The route-level form, its dashboard checked now (a name outside the allowlist throws
   * `ERR_EXPLO_OPTION_INVALID`): attaches a token of `dashboard` (default: the default one) whatever the request.
   */
  attachDashboard(dashboard: string | undefined): (request: Req, target: ExploPageTarget) => Promise<ExploPage>;
  /**
   * A page's result now, for code that asks by calling: the default dashboard's token as the attach
   * step decides (`{}` when it does not attach), or `{ dashboard }`'s whatever the request.
   */
  page(request: Req, which: ExploRequestInfo | { dashboard: string | undefined }): Promise<ExploPageResult>;
  /**
   * For a call the adapter could not read (the app handed its handler the wrong thing): reports
   * `error` (`onError`, the log) and returns the token route's answer to it.
   */
  refuse(error: ExploEmbedError, phase: 'route' | 'page'): ExploHttpResponse;
}

const isThenable = (value: unknown): boolean => typeof (value as PromiseLike<unknown> | null)?.then === 'function';
const toResult = (token: ExploToken | undefined): ExploPageResult => (token === undefined ? {} : { token: publicToken(token) });
const toError = (error: unknown): ExploPageResult => ({ error: error as ExploEmbedError });

/** The adapter layer on one runtime's `platform`: what each entry's `createExploAdapter` calls. */
export function buildExploAdapter<Req>(
  platform: Platform,
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
  const { embed, issuer, reporter } = assemble(core, platform);
  const tokenRoute = createTokenRoute(issuer, reporter, resolvedCors);

  const isTokenRoute = (path: string) => route !== false && path === route;
  const wantsAttach = (request: Req, method: string, path: string): boolean => {
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

  // A page's token is produced when the page reads it, so a route that never reads it costs no mint.
  // A read cannot wait, so that takes a customer hook that answers at once. How it answers is learned
  // from the hook itself, not guessed from its function: the first page asks it before the handler
  // runs (and uses that answer); while it answers at once, pages are produced on read; once one of
  // its answers makes a page wait, they are produced before the handler, for good.
  let hookAnswers: 'not yet' | 'at once' | 'later' = 'not yet';
  const ask = (request: Req): CustomerLike | Promise<CustomerLike> => {
    const answer = customer(request);
    if (isThenable(answer)) hookAnswers = 'later';
    else if (hookAnswers === 'not yet') hookAnswers = 'at once';
    return answer;
  };
  /** The hook's answer, when it was asked already for this request. */
  type Asked = { answer: CustomerLike | Promise<CustomerLike> } | undefined;
  const issueRequest = (request: Req, dashboard: string | undefined, asked: Asked): IssueRequest => ({
    dashboard,
    customer: asked === undefined ? () => ask(request) : () => asked.answer,
  });
  const waited = () => {
    hookAnswers = 'later';
  };
  const produceNow = (request: Req, dashboard: string | undefined, asked: Asked): ExploPageResult | Promise<ExploPageResult> => {
    try {
      const issued = issuer.issueNow(issueRequest(request, dashboard, asked));
      return issued instanceof Promise ? issued.then(toResult, toError) : toResult(issued);
    } catch (error) {
      return toError(error);
    }
  };
  const produce = (request: Req, dashboard: string | undefined, asked?: Asked): Promise<ExploPageResult> =>
    issuer.issue(issueRequest(request, dashboard, asked), 'page').then(toResult, toError);

  const askNow = (request: Req): NonNullable<Asked> => {
    try {
      return { answer: ask(request) };
    } catch (error) {
      return { answer: Promise.reject(error) }; // reported as the hook's failure when produced below
    }
  };
  const attachTo = async (request: Req, dashboard: string | undefined, target: ExploPageTarget): Promise<ExploPage> => {
    let asked: Asked = hookAnswers === 'not yet' ? askNow(request) : undefined;
    const onRead = () => produceNow(request, dashboard, asked);
    if (hookAnswers === 'at once' && issuer.answersNow()) {
      if (!issuer.provisions) return attachPage(target, onRead, waited);
      // With `customers`, the customer decides: one Explo may not hold yet waits for it, once, before the handler.
      const now = asked ?? askNow(request);
      asked = now;
      if (issuer.provisioned(now.answer)) return attachPage(target, onRead, waited);
    }
    // Explo's API, key material not ready yet, a hook that waits, a customer to provision: produced before the handler
    // runs; the response still gets its header only if the page reads it.
    return attachPage(target, onRead, waited, await produce(request, dashboard, asked));
  };
  const respond = (request: Req, { method, url, headers }: ExploRequestInfo) =>
    tokenRoute({
      method,
      query: splitUrl(url).query,
      origin: headerValue(headers, 'origin'),
      site: headerValue(headers, 'sec-fetch-site'),
      customer: () => customer(request),
    });

  return {
    embed,
    route,
    attaches: attach !== false,
    async handle(request, info, target) {
      const { path } = splitUrl(info.url);
      if (isTokenRoute(path)) return respond(request, info);
      if (target !== undefined && wantsAttach(request, info.method, path)) await attachTo(request, undefined, target);
      return undefined;
    },
    respond,
    async attach(request, { method, url }, target) {
      return wantsAttach(request, method, splitUrl(url).path) ? attachTo(request, undefined, target) : undefined;
    },
    attachDashboard(dashboard) {
      if (dashboard !== undefined && !embed.hasDashboard(dashboard)) {
        throw new ExploOptionError('dashboard', `${quoteUntrusted(dashboard)} is not in the dashboards allowlist.`);
      }
      return (request, target) => attachTo(request, dashboard, target);
    },
    async page(request, which) {
      if (!('method' in which)) return produce(request, which.dashboard);
      return wantsAttach(request, which.method, splitUrl(which.url).path) ? produce(request, undefined) : {};
    },
    refuse(error, phase) {
      reporter.failed(error, { phase });
      return problemResponse(error);
    },
  };
}
