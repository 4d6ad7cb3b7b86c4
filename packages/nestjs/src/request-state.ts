import type { ExploLocals, ExploPageResult, ExploPageTarget } from '@explo-embed/core/adapter';
import { DEFAULT_DASHBOARD } from './tokens.js';

type DashboardKey = string | typeof DEFAULT_DASHBOARD;

/** All this module keeps about one request: its page values, and the tokens `@ExploJwt()` resolved. */
interface RequestState {
  /** Where the attach step wrote: `res.locals` on Express, an object of its own on Fastify. */
  readonly locals: ExploLocals;
  dashboards?: Map<DashboardKey, ExploPageResult>;
}

// Beside the requests rather than on them (a new property on a framework's request object costs
// more than the attach step), in one place for both platforms; entries go with their requests.
const states = new WeakMap<object, RequestState>();

function stateOf(request: object, locals?: ExploLocals): RequestState {
  let state = states.get(request);
  if (state === undefined) {
    state = { locals: locals ?? {} };
    states.set(request, state);
  }
  return state;
}

/** The attach step's target for a request: `locals` (Express's `res.locals`) or this module's own object. */
export function pageTarget(request: object, setHeader: ExploPageTarget['setHeader'], locals?: ExploLocals): ExploPageTarget {
  return { locals: stateOf(request, locals).locals, setHeader };
}

/**
 * The token attached to this request (GET or HEAD with a customer), on either platform.
 * On the Express platform the same values are in `res.locals.exploJwt` / `exploToken` / `exploError`.
 */
export function getExploPage(request: object): ExploPageResult | undefined {
  const locals = states.get(request)?.locals;
  if (locals?.exploToken) return { token: locals.exploToken };
  return locals?.exploError ? { error: locals.exploError } : undefined;
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
