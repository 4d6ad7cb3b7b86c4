import { type ExploAdapter, type ExploPage, type ExploPageTarget, type MaybePromise, splitUrl } from '@explo-embed/core/adapter';

type NodeishRequest = { method?: string; url?: string; originalUrl?: string };

/** The attach step for one request, on either platform: the kit decides, `target` receives; the page, if any. Never throws. */
export function attachPage(
  adapter: ExploAdapter<unknown>,
  request: object,
  target: ExploPageTarget,
): MaybePromise<ExploPage | undefined> {
  const { method = 'GET', url = '/', originalUrl } = request as NodeishRequest;
  return adapter.attach(request, { method, path: splitUrl(originalUrl ?? url).path }, target);
}
