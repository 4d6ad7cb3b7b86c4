import { type ExploAdapter, type MaybePromise, pageHeaders, pageLocals, splitUrl, whenReady } from '@explo-embed/core/adapter';
import { requestState } from './request-state.js';
import { DEFAULT_DASHBOARD } from './tokens.js';

type NodeishRequest = { method?: string; url?: string; originalUrl?: string };

/**
 * The page attach step for one request, on either platform: the `attach` policy's result goes to
 * the request (read by `getExploPage(req)` and `@ExploJwt()`) and, where the response has
 * `locals` (Express), to `res.locals`. The token route itself gets none. Never throws.
 */
export function attachPage(
  adapter: ExploAdapter<unknown>,
  request: object,
  response: unknown,
  setHeader: (name: string, value: string) => void,
): MaybePromise<void> {
  const { method = 'GET', url = '/', originalUrl } = request as NodeishRequest;
  const { path, query } = splitUrl(originalUrl ?? url);
  if (path === adapter.route) return;
  return whenReady(adapter.attachFor(request, { method, query }), (page) => {
    if (page === undefined) return;
    const state = requestState(request);
    state.page = page;
    state.dashboards.set(DEFAULT_DASHBOARD, page);
    const locals = (response as { locals?: unknown } | null)?.locals;
    if (typeof locals === 'object' && locals !== null) Object.assign(locals, pageLocals(page));
    for (const [name, value] of Object.entries(pageHeaders(page))) setHeader(name, value);
  });
}
