import { type ExploPage, type ExploPageResult, pageOn } from '@explo-embed/core/adapter';
import { DEFAULT_DASHBOARD } from './tokens.js';

type DashboardKey = string | typeof DEFAULT_DASHBOARD;

/** All this module keeps about one request: its page, and the tokens `@ExploJwt()` resolved. */
interface RequestState {
  /** The attach step's page on Fastify, produced when first read (on Express it is on `res.locals`). */
  page?: ExploPage;
  dashboards?: Map<DashboardKey, ExploPageResult>;
}

// Beside the requests rather than on them (this module does not own the platforms' request
// objects); entries go with their requests. The page is kept here on Fastify only (on Express it is
// on `res.locals`); `@ExploJwt()` results on both platforms.
const states = new WeakMap<object, RequestState>();

function stateOf(request: object): RequestState {
  let state = states.get(request);
  if (state === undefined) {
    state = {};
    states.set(request, state);
  }
  return state;
}

/**
 * On the Express platform, the page the attach step left on `res.locals` (Express links each request
 * to its response as `req.res`). A handler that replaces `res.locals` with another object replaces
 * the page with it, as it does the template variables.
 */
function expressPage(request: object): ExploPage | undefined {
  const locals = (request as { res?: { locals?: unknown } }).res?.locals;
  return typeof locals === 'object' && locals !== null ? pageOn(locals) : undefined;
}

/** Keeps the page the attach step gave this request (Fastify), for `getExploPage` and `@ExploJwt()`. */
export function keepPage(request: object, page: ExploPage | undefined): void {
  if (page !== undefined) stateOf(request).page = page;
}

/**
 * The token attached to this request (GET or HEAD with a customer), on either platform; reading it
 * produces it. On the Express platform the same values are in `res.locals.exploJwt` / `exploToken` /
 * `exploError`.
 */
export function getExploPage(request: object): ExploPageResult | undefined {
  const result = (states.get(request)?.page ?? expressPage(request))?.read();
  return result?.token !== undefined || result?.error !== undefined ? result : undefined;
}

/** The token result for `dashboard` on this request (`DEFAULT_DASHBOARD`: the page token, when one was attached). */
export function dashboardResult(request: object, dashboard: DashboardKey): ExploPageResult | undefined {
  return states.get(request)?.dashboards?.get(dashboard) ?? (dashboard === DEFAULT_DASHBOARD ? getExploPage(request) : undefined);
}

/** Records the token result for `dashboard` on this request. */
export function setDashboardResult(request: object, dashboard: DashboardKey, result: ExploPageResult): void {
  const state = stateOf(request);
  state.dashboards ??= new Map();
  state.dashboards.set(dashboard, result);
}
