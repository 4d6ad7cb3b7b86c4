import { type ExploAdapter, type ExploPageResult, type MaybePromise, whenReady } from '@explo-embed/core/adapter';

type NodeishRequest = { method?: string; url?: string; originalUrl?: string };

/**
 * The page attach step for one request, on either platform: the `attach` policy's result is handed
 * to `store` (the platform's own place for it). The token route itself gets none. Never throws.
 */
export function attachPage(
  adapter: ExploAdapter<unknown>,
  request: object,
  store: (page: ExploPageResult) => void,
): MaybePromise<void> {
  const { method = 'GET', url = '/', originalUrl } = request as NodeishRequest;
  const target = originalUrl ?? url;
  const { route } = adapter;
  // The token route, with or without a query: compared in place, without splitting the URL.
  if (route !== false && target.startsWith(route) && (target.length === route.length || target[route.length] === '?')) return;
  return whenReady(adapter.attachFor(request, { method, query: '' }), (page) => {
    if (page !== undefined) store(page);
  });
}
