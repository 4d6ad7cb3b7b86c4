import type { ExploLocals, ExploPageResult } from '@explo-embed/core/adapter';
import { DEFAULT_DASHBOARD, EXPLO_DASHBOARD_TOKENS } from './tokens.js';

type DashboardKey = string | typeof DEFAULT_DASHBOARD;
type Holder = { [EXPLO_DASHBOARD_TOKENS]?: Map<DashboardKey, ExploPageResult> };

// Fastify's page results, beside the requests rather than on them: a new property on a framework's
// request object cost more than the rest of the attach step together. Entries go with their
// requests. On Express the result lives in `res.locals`, read back through `req.res`.
const pages = new WeakMap<object, ExploPageResult>();

/** Records the page result the attach step produced for this request (Fastify). */
export function setPage(request: object, page: ExploPageResult): void {
  pages.set(request, page);
}

/**
 * The token attached to this request (GET or HEAD with a customer), on either platform.
 * On the Express platform the same values are in `res.locals.exploJwt` / `exploToken` / `exploError`.
 */
export function getExploPage(request: object): ExploPageResult | undefined {
  const kept = pages.get(request);
  if (kept !== undefined) return kept;
  const locals = (request as { res?: { locals?: ExploLocals } }).res?.locals;
  if (locals?.exploToken) return { token: locals.exploToken };
  return locals?.exploError ? { error: locals.exploError } : undefined;
}

/** The token result for `dashboard` on this request (`DEFAULT_DASHBOARD`: the page token, when one was attached). */
export function dashboardResult(request: object, dashboard: DashboardKey): ExploPageResult | undefined {
  const holder = request as Holder;
  return holder[EXPLO_DASHBOARD_TOKENS]?.get(dashboard) ?? (dashboard === DEFAULT_DASHBOARD ? getExploPage(request) : undefined);
}

/** Records the token result for `dashboard` on this request. */
export function setDashboardResult(request: object, dashboard: DashboardKey, result: ExploPageResult): void {
  const holder = request as Holder;
  holder[EXPLO_DASHBOARD_TOKENS] ??= new Map();
  holder[EXPLO_DASHBOARD_TOKENS].set(dashboard, result);
}
