import type { RefreshError } from './answer.js';

/**
 * `ERR_EXPLO_NOT_LOADED`: no `dashboardReadyToLoad` within `seconds`, which is all a page sees of a
 * frame Explo refused (it sends no error). The likely causes, most likely first, with what to change
 * (this page's origin to add; the CSP directive of an iframe, `frame`, or of the web component's
 * script; the `environment`, when the page can read it), then the editor of `embedId` at Explo's
 * app `origin`, when the app gave it. Nothing ends: `willRetry` is true, and the embed loads if
 * Explo answers late.
 */
export function notLoaded(
  seconds: number,
  frame: boolean,
  origin: string,
  environment: string | null | undefined,
  embedId: string | undefined,
): RefreshError {
  // The iframe URL's last segment is URI-encoded; a malformed one is shown as it is.
  try {
    environment &&= decodeURIComponent(environment);
  } catch {}
  return {
    code: 'ERR_EXPLO_NOT_LOADED',
    message:
      `No dashboardReadyToLoad from Explo within ${seconds} s. Likely: 1) Explo's allowed domains lack ${location.origin} ` +
      '(www and the bare domain differ; localhost only on ports 3000-3002, 6700, 8080); ' +
      `2) a CSP ${frame ? `frame-src blocks ${origin}` : 'script-src blocks https://embed.explo.co'}; ` +
      `3) environment${environment ? ` "${environment}"` : ''} not published.` +
      (embedId ? ` Editor: ${origin}/embed_id/${encodeURIComponent(embedId)}` : ''),
    willRetry: true,
  };
}
