import type { FreshToken, RefreshError } from './answer.js';
import type { ExploEvents } from './index.js';
import type { ExploTokenRequest } from './token.js';

// The vocabulary of an embed's view, apart from the controller that uses it: the view rules
// (embed-view.ts) and the URL checks (embed-urls.ts) name these types too.

/** An embed's kind: a dashboard, or Explo's report builder. */
export type ExploEmbedKind = 'dashboard' | 'report-builder';

/** What every framework's `<ExploDashboard>` / `<ExploReportBuilder>` takes (its props, its options). */
export interface ExploEmbedViewOptions {
  /** Dashboard name from the server's allowlist (`?dashboard=` on the token route). Default: the route's default. */
  dashboard?: string | undefined;
  /**
   * The token the server rendered the page with (`exploToken`, or just its `jwt`). Without it, one is
   * fetched from `tokenUrl` when the embed starts. Read once: later tokens arrive by refresh.
   */
  token?: { jwt: string; expiresIn?: number | undefined } | string | undefined;
  /** The token route. Default `"/explo/token"`; a full URL when it is on another origin. */
  tokenUrl?: string | undefined;
  /** Credentials and headers for a token route on another origin or behind a bearer token; read at each request. */
  tokenRequest?: ExploTokenRequest | undefined;
  /**
   * Which tabs share one refresh: `true` (every tab: one session cookie), a customer or session id
   * (tabs given the same one), `false` (none). Default: `true` without `tokenRequest`, `false` with it.
   */
  shareAcrossTabs?: boolean | string | undefined;
  /** Explo's iframe, or its web component. Default `"iframe"`. */
  mode?: 'iframe' | 'web-component' | undefined;
  /** Explo environment. Default `"production"`. */
  environment?: string | undefined;
  /**
   * Where Explo's app is served (the iframe's base; its origin is the only one listened to): `https:`
   * (`http:` only on localhost, 127.0.0.1 or [::1]). Default `"https://app.explo.co"`.
   */
  appUrl?: string | undefined;
  /** Explo's web-component bundle, loaded once per page: `https:`, as `appUrl`. Default `"https://embed.explo.co/bundle.js"`. */
  bundleUrl?: string | undefined;
  /** Explo's locale, e.g. `"fr-fr"` (`locale-code` on the element, `locale_code` in the iframe URL). */
  localeCode?: string | undefined;
  /** The legacy `dash-user-group-token` of a web-component dashboard (V0 variables). */
  userGroupToken?: string | undefined;
  /** `"auto"`: the embed takes the dashboard's own height (Explo's events). Else the host's own style. */
  height?: 'auto' | number | string | undefined;
  /** Dashboard variables: sent when the dashboard has loaded, and again whenever they change. */
  variables?: Record<string, unknown> | undefined;
  /**
   * Milliseconds to wait for Explo's `dashboardReadyToLoad` before `onError` gets
   * `ERR_EXPLO_NOT_LOADED`, naming the likely causes (this page's origin not on Explo's allowed
   * domains, a Content-Security-Policy that blocks Explo, an environment not published). Default
   * 20 000 for a dashboard, off for a report builder; `false` turns it off.
   */
  loadTimeout?: number | false | undefined;
  /** The embed id, for messages only: `ERR_EXPLO_NOT_LOADED` then links to its editor in Explo. */
  embedId?: string | undefined;
  /** The dashboard has loaded (Explo's `dashboardLoaded`). */
  onLoad?: ((detail: ExploEvents['dashboardLoaded']) => void) | undefined;
  /** Every failure to get a token; `willRetry: false` means the embed has ended. */
  onError?: ((error: RefreshError) => void) | undefined;
  /** Every token the embed received. */
  onToken?: ((token: FreshToken) => void) | undefined;
}

/** Where an embed is: no token yet, showing, retrying its first token, or ended (until `restart()`). */
export type ExploEmbedStatus =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly jwt: string }
  | { readonly state: 'retrying'; readonly error: RefreshError }
  | { readonly state: 'ended'; readonly error: RefreshError; readonly jwt?: string | undefined };
