import type { RefreshErrorCode } from '../../../../packages/browser/src/answer.js';
import type { ErrorText } from './error-text.js';

/**
 * The reference's text for every code the page reports (`@explo-embed/browser`'s `onError`, and the
 * React, Vue, Svelte and Angular components' error callbacks, which report the same). Typed by the
 * browser's own union of codes: a new code does not compile without its entry.
 */
export const PAGE_ERROR_TEXT = {
  ERR_EXPLO_UNAUTHENTICATED: {
    title: "The user's session ended",
    cause: 'The token route answered 401 when the page asked for a fresh token: the user logged out, or their session expired.',
    sees: 'Refreshing ends (`willRetry: false`, `state` becomes `"ended"` in every tab of that route and dashboard); the components show their `ended` state, which gets a `restart` function.',
    fix: 'Send the user to log in, then call `restart()`: it fetches at once and goes on, in every tab.',
  },
  ERR_EXPLO_FORBIDDEN: {
    title: 'Your authorize hook refused this dashboard',
    cause: 'The token route answered 403: your `authorize` refused this customer this dashboard.',
    sees: 'Refreshing ends (`willRetry: false`); the components show their ended state.',
    fix: 'Do not show the dashboard to that customer, or change `authorize`.',
  },
  ERR_EXPLO_REFUSED: {
    title: 'The token route refused the request',
    cause:
      'The token route answered another 4xx: 404 for a dashboard outside the allowlist (`ERR_EXPLO_DASHBOARD_UNKNOWN`), 400 for a malformed query, 405.',
    sees: 'Refreshing ends (`willRetry: false`); `status` holds the HTTP status.',
    fix: "Ask for a dashboard name that is in the server's `dashboards`, and point `tokenUrl` at the token route.",
  },
  ERR_EXPLO_REDIRECTED: {
    title: 'The token route redirected',
    cause:
      "The token route's answer was a redirect, typically to your login page: an auth middleware in front of the route sends logged-out users away.",
    sees: 'Refreshing ends (`willRetry: false`).',
    fix: 'Send the user to log in. To get a 401 instead, let the token route answer for itself (mount explo-embed before a middleware that redirects).',
  },
  ERR_EXPLO_BAD_RESPONSE: {
    title: 'The token route did not answer a token',
    cause:
      "A 200 that is not JSON `{ jwt, expiresIn }`: another page served in the route's place (a login page, a single-page app's `index.html` fallback), or a `tokenUrl` that points elsewhere.",
    sees: 'Refreshing ends (`willRetry: false`).',
    fix: '`tokenUrl` must be the token route (`/explo/token` by default), and nothing in front of it may answer for it.',
  },
  ERR_EXPLO_SERVER: {
    title: 'The token route failed for now',
    cause:
      "The token route answered 5xx, 408 or 429: no usable secret, Explo's API not answering, a fresh-token budget spent. The server's log says which.",
    sees: 'Nothing ends: the helper retries after 1 s to 60 s with backoff and jitter (a longer `Retry-After` is honoured); `retryIn` says when.',
    fix: "Look at the server: the token route's problem+json `code` and the server log name the cause, which has its own entry here.",
  },
  ERR_EXPLO_NETWORK: {
    title: 'The token route could not be reached',
    cause:
      'A network failure or a timeout while asking for a fresh token: the browser is offline, or the server did not answer in time.',
    sees: 'Nothing ends: the helper retries with backoff, and at once when the browser is back online.',
    fix: 'Usually nothing. If it persists while online, check that `tokenUrl` is reachable from the page (a CORS or CSP `connect-src` rule may block another origin).',
  },
  ERR_EXPLO_NOT_LOADED: {
    title: 'The dashboard never loaded',
    cause:
      "No `dashboardReadyToLoad` from Explo within `loadTimeout` (20 s): Explo refused the frame and says nothing. Most likely this page's origin is not on Explo's allowed domains (`www` and the bare domain differ; localhost only on ports 3000-3002, 6700, 8080), a Content-Security-Policy blocks Explo (`frame-src` for an iframe, `script-src` for the web component), or the environment is not published.",
    sees: "The error callback gets it, and the console shows it; nothing ends and nothing is retried (the embed loads if Explo answers late). The message names the likely causes, the origin to add, and, with `embedId`, the link to the dashboard's editor in Explo.",
    fix: "Add the page's origin to Explo's allowed domains, allow Explo's hosts in your [Content-Security-Policy](/production#content-security-policy), or publish the environment. See [a dashboard that never loads](/packages/browser#a-dashboard-that-never-loads).",
  },
} as const satisfies Record<RefreshErrorCode, ErrorText>;
