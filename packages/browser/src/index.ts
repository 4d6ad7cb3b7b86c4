import { type FreshToken, type RefreshError, Refresher } from './refresher.js';

export type { FreshToken, RefreshError } from './refresher.js';

/** Options of {@link keepExploJwtFresh}. Give `iframe` or `webComponent`. */
export interface KeepExploJwtFreshOptions {
  /** The token route, e.g. `"/explo/token"`. Called same-origin with credentials, with `fresh=1`. */
  tokenUrl: string;
  /** The Explo iframe (`https://app.explo.co/iframe/<jwt>/<env>`). */
  iframe?: HTMLIFrameElement;
  /** `true` (or the `<explo-dashboard>` element) for Explo's web component, which talks through `window` events. */
  webComponent?: boolean | Element;
  /** Origin of the Explo iframe; messages from any other origin are ignored. Default `"https://app.explo.co"`. */
  exploOrigin?: string;
  /** Dashboard name sent to the token route. Default: the route's default dashboard. */
  dashboard?: string;
  /** Seconds left on the token the page was rendered with, to refresh it before it expires. */
  expiresIn?: number;
  /** Seconds before expiry to refresh. Default: 20% of the lifetime, between 5 s and 60 s. */
  refreshBefore?: number;
  /** Milliseconds a token request may take. Default 10 000. */
  timeout?: number;
  /** Called with every new token (after it was handed to the dashboard). */
  onToken?: (token: FreshToken) => void;
  /** Called on failures; `willRetry: false` (401 = logged out, other 4xx) means refreshing stopped. */
  onError?: (error: RefreshError) => void;
}

/**
 * Keeps an embedded Explo dashboard's token fresh: answers Explo's `customerJwtExpired` with a
 * fresh token (`updateCustomerJwt`), refreshes proactively before expiry and when a hidden tab
 * comes back, sends one request however many events arrive, retries with backoff, and stops on
 * 401. Returns `stop()`, which leaves no listener or timer behind.
 */
export function keepExploJwtFresh(options: KeepExploJwtFreshOptions): () => void {
  const { iframe, webComponent, tokenUrl } = options;
  if (!iframe === !webComponent) throw new TypeError('keepExploJwtFresh needs exactly one of `iframe` or `webComponent`.');
  if (typeof tokenUrl !== 'string' || !tokenUrl) throw new TypeError('keepExploJwtFresh needs `tokenUrl`.');
  const origin = new URL(options.exploOrigin ?? 'https://app.explo.co').origin;
  const url = new URL(tokenUrl, location.href);
  url.searchParams.set('fresh', '1');
  if (options.dashboard) url.searchParams.set('dashboard', options.dashboard);

  const refresher = new Refresher({
    request: async (signal) => {
      const response = await fetch(url, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/json' },
        signal,
      });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), json: () => response.json() };
    },
    deliver: (token) => {
      const message = { event: 'updateCustomerJwt', detail: { jwt: token.jwt } };
      // Only ever to Explo's origin: never "*".
      if (iframe) iframe.contentWindow?.postMessage(message, origin);
      else window.dispatchEvent(new CustomEvent(message.event, { detail: message.detail }));
      options.onToken?.(token);
    },
    onError: (error) => options.onError?.(error),
    now: Date.now,
    random: Math.random,
    timeoutMs: options.timeout ?? 10_000,
    refreshBefore: options.refreshBefore,
  });

  const onMessage = (event: MessageEvent) => {
    const data = event.data as { event?: unknown } | null;
    if (event.origin === origin && event.source === iframe?.contentWindow && data?.event === 'customerJwtExpired')
      void refresher.refresh();
  };
  const onExpired = () => void refresher.refresh();
  const onVisible = () => document.visibilityState === 'visible' && refresher.checkDue();
  const onOnline = () => refresher.retryNow();

  if (iframe) window.addEventListener('message', onMessage);
  else window.addEventListener('customerJwtExpired', onExpired);
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('online', onOnline);
  if (options.expiresIn !== undefined) refresher.schedule(options.expiresIn);

  return () => {
    refresher.stop();
    window.removeEventListener('message', onMessage);
    window.removeEventListener('customerJwtExpired', onExpired);
    document.removeEventListener('visibilitychange', onVisible);
    window.removeEventListener('online', onOnline);
  };
}
