import { groupFor, type Member } from './group.js';
import { autoHeight, HEIGHT_EVENTS } from './height.js';
import { notLoaded } from './load-watchdog.js';
import type { FreshToken, RefreshError, RefreshState } from './refresher.js';
import { type ExploTokenRequest, requestToken, tokenRouteUrl } from './token.js';

export type { FreshToken, RefreshError, RefreshErrorCode, RefreshState } from './refresher.js';
export type { ExploTokenRequest, ExploTokenRequestInit } from './token.js';

// The DOM knows Explo's elements (`document.querySelector('explo-dashboard')` is an HTMLElement).
declare global {
  interface HTMLElementTagNameMap {
    'explo-dashboard': HTMLElement;
    'explo-report-builder': HTMLElement;
  }
}

/** Options of {@link keepExploJwtFresh}. Give `iframe` or `webComponent`. */
export interface KeepExploJwtFreshOptions {
  /**
   * The token route, e.g. `"/explo/token"`, or a full URL on another origin. Called with `fresh=1`,
   * same-origin with the session cookie unless `tokenRequest` says otherwise.
   */
  tokenUrl: string;
  /**
   * For a token route that is not same-origin with a session cookie: `{ credentials: 'include' }`
   * (cookies to another origin, whose route allows this page's origin: its `cors` option), or
   * headers, such as a bearer token from a function called before each request:
   * `async () => ({ headers: { authorization: "Bearer " + (await getAccessToken()) } })`.
   */
  tokenRequest?: ExploTokenRequest | undefined;
  /** The Explo iframe (`https://app.explo.co/iframe/<jwt>/<env>`). */
  iframe?: HTMLIFrameElement;
  /**
   * The `<explo-dashboard>` / `<explo-report-builder>` element: its events are told apart from other
   * elements' and it gets its own token. `true` (no element) talks through `window` only.
   */
  webComponent?: boolean | Element;
  /**
   * Which tabs of this browser share one refresh (one request, one token) for this route and
   * dashboard. `true`: every tab, as they share one session (its cookie). A string: only the tabs
   * given the same one (the customer's or session's id), for tabs whose `tokenRequest` may make each
   * another customer. `false`: none; each tab fetches its own. Default: `true` without `tokenRequest`,
   * `false` with it, so that one tab can never hand another customer's token to the next.
   */
  shareAcrossTabs?: boolean | string | undefined;
  /** Origin of the Explo iframe; messages from any other origin are ignored. Default `"https://app.explo.co"`. */
  exploOrigin?: string | undefined;
  /** Dashboard name sent to the token route. Default: the route's default dashboard. */
  dashboard?: string | undefined;
  /** Seconds left on the token the page was rendered with, to refresh it before it expires. */
  expiresIn?: number | undefined;
  /** Seconds before expiry to refresh. Default: 20% of the lifetime, between 5 s and 60 s. */
  refreshBefore?: number | undefined;
  /** Milliseconds a token request may take. Default 10 000. */
  timeout?: number | undefined;
  /**
   * `"auto"`: the iframe or element takes the dashboard's own height, from Explo's events (the
   * estimate first, then the full height; shrinking as well as growing). Default: its own CSS.
   */
  height?: 'auto' | undefined;
  /** Called with every new token (after it was handed to the dashboard), whichever tab fetched it. */
  onToken?: ((token: FreshToken) => void) | undefined;
  /**
   * Called on failures; `willRetry: false` means refreshing has ended (`state` is `"ended"`) until
   * `restart()`. `ERR_EXPLO_NOT_LOADED` says why the dashboard never loaded (nothing ends; it is
   * written to the console as a warning too).
   */
  onError?: ((error: RefreshError) => void) | undefined;
  /**
   * Milliseconds to wait for Explo's `dashboardReadyToLoad` before `onError` gets
   * `ERR_EXPLO_NOT_LOADED`, naming the likely causes (this page's origin not on Explo's allowed
   * domains, a Content-Security-Policy that blocks Explo, an environment not published): a frame
   * Explo refuses stays blank and sends nothing else. Counted from this call, so start the helper
   * with the embed (as the components do), not long after. Default 20 000 for a dashboard; `false`
   * turns it off. Off for a report builder unless given (Explo documents the event for dashboards).
   */
  loadTimeout?: number | false | undefined;
  /** The embed id, for messages only: `ERR_EXPLO_NOT_LOADED` then links to its editor in Explo. */
  embedId?: string | undefined;
}

/** The payloads of the events Explo sends the page (`detail`), by event name. */
export interface ExploEvents {
  /** The dashboard is ready to render; its height is an estimate. */
  dashboardReadyToLoad: { dashboardId: string; dashboardHeight: number };
  /** All of its initial data is loaded and shown; `loadTime` in ms. */
  dashboardLoaded: { dashboardId: string; dashboardHeight: number; loadTime: number };
  /** It changed (its height, say). */
  dashboardUpdated: { dashboardId?: string; dashboardHeight?: number };
  /** A user picked a new value for a variable in the dashboard. */
  sendVariableUpdatedEvent: { varName: string; newValue: unknown };
  /**
   * One of the analytics events Explo reports (where set up in its settings): its `name` ("CSV
   * Downloaded", "Table Filtered"...), and what Explo's analytics request carries besides.
   */
  analyticsEventFired: {
    name: string;
    user_id?: string;
    properties?: Record<string, unknown>;
    custom_properties?: Record<string, unknown>;
  };
  /** An editable section changed (where Explo has enabled them): its charts and the templates offered. */
  editableSectionUpdated: { charts: unknown[]; availableChartTemplates: unknown[] };
  /** A chart was added to an editable section. */
  editableSectionChartAdded: Record<string, unknown>;
  /** A chart was removed from an editable section. */
  editableSectionChartRemoved: Record<string, unknown>;
}

/**
 * What {@link keepExploJwtFresh} returns: call it (or `stop()`) to stop; read `state`; `restart()`
 * after an ending; listen to Explo's events; set dashboard variables.
 */
export interface ExploEmbedHandle {
  (): void;
  /** Stops for good: no listener, timer or request is left behind. */
  stop(): void;
  /** `active`, `ended` (a 401, 403, redirect or non-JSON answer: see `onError`) or `stopped`. */
  readonly state: RefreshState;
  /** After an ending (the user logged in again): fetches a token at once and goes on, in every tab. */
  restart(): void;
  /** Listens to one of Explo's events from this embed only; returns how to stop listening. */
  on<E extends keyof ExploEvents>(event: E, listener: (detail: ExploEvents[E]) => void): () => void;
  /** Sets dashboard variables (`updateExploDashboardVariable` / `updateExploDashboardVariables`). */
  updateVariables(variables: Record<string, unknown>): void;
}

const EVENTS = [
  'dashboardReadyToLoad',
  'dashboardLoaded',
  'dashboardUpdated',
  'sendVariableUpdatedEvent',
  'analyticsEventFired',
  'editableSectionUpdated',
  'editableSectionChartAdded',
  'editableSectionChartRemoved',
  'customerJwtExpired',
];

/**
 * Keeps an embedded Explo dashboard's token fresh: answers Explo's `customerJwtExpired` with a fresh
 * token (`updateCustomerJwt`), refreshes before expiry and when a sleeping tab wakes, shares one
 * request among every embed of the same route and dashboard in every tab, backs off (never sooner
 * than 1 s), and ends on answers retrying cannot fix (401, 403, a redirect, a non-JSON page).
 */
export function keepExploJwtFresh(options: KeepExploJwtFreshOptions): ExploEmbedHandle {
  const { iframe, webComponent, tokenUrl } = options;
  if (!iframe === !webComponent) throw new TypeError('keepExploJwtFresh needs exactly one of `iframe` or `webComponent`.');
  if (typeof tokenUrl !== 'string' || !tokenUrl) throw new TypeError('keepExploJwtFresh needs `tokenUrl`.');
  const origin = new URL(options.exploOrigin ?? 'https://app.explo.co').origin;
  const element = webComponent instanceof Element ? webComponent : undefined;
  const url = tokenRouteUrl(tokenUrl, options.dashboard);

  const share = options.shareAcrossTabs ?? options.tokenRequest === undefined;
  if (typeof share !== 'boolean' && (typeof share !== 'string' || share === '')) {
    throw new TypeError(
      'keepExploJwtFresh: `shareAcrossTabs` must be true, false or a non-empty string (a customer or session id).',
    );
  }
  // A space never occurs in a URL's href: the key of a shared group cannot pass for another's.
  const group = groupFor(
    typeof share === 'string' ? `${url.href} ${share}` : url.href,
    {
      request: (signal) => requestToken(url, signal, options.tokenRequest),
      now: Date.now,
      random: Math.random,
      timeoutMs: options.timeout ?? 10_000,
      refreshBefore: options.refreshBefore,
    },
    share !== false,
  );
  const { refresher } = group;

  // To this embed only: the iframe's window at Explo's origin (never "*"), or this element (events bubble to window, where Explo's docs listen).
  const send = (event: string, detail: unknown) => {
    if (iframe) iframe.contentWindow?.postMessage({ event, detail }, origin);
    else (element ?? window).dispatchEvent(new CustomEvent(event, { detail, bubbles: true, composed: true }));
  };
  const member: Member = {
    deliver: (token) => {
      send('updateCustomerJwt', { jwt: token.jwt });
      options.onToken?.(token);
    },
    error: (error) => options.onError?.(error),
  };
  const listeners = new Map<string, Set<(detail: never) => void>>();
  const sized = iframe ?? element;
  const size = options.height === 'auto' && sized ? autoHeight(sized as HTMLElement) : undefined;
  // The load watchdog: a frame Explo refused says nothing, so the silence is what is watched.
  // Off by default for a report builder (its iframe URL, or its element's name, says so).
  const wait = options.loadTimeout ?? (/report-builder/.test(iframe?.src ?? element?.localName ?? '') ? false : 20_000);
  const watchdog =
    wait === false
      ? undefined
      : setTimeout(() => {
          const environment = iframe ? iframe.src.split('?')[0]?.split('/').pop() : element?.getAttribute('environment');
          const error = notLoaded(wait / 1000, !!iframe, origin, environment, options.embedId);
          // Said where a developer looking at a blank frame looks, whether or not the app listens.
          console.warn(error.code, error.message);
          options.onError?.(error);
        }, wait);
  const dispatch = (event: string, detail: unknown) => {
    if (event === 'dashboardReadyToLoad' || event === 'dashboardLoaded') clearTimeout(watchdog);
    if (event === 'customerJwtExpired') return group.need(member);
    if (size && HEIGHT_EVENTS.has(event)) size(event, detail);
    for (const listener of listeners.get(event) ?? []) listener(detail as never);
  };
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { event?: unknown; detail?: unknown } | null;
    if (event.origin === origin && event.source === iframe?.contentWindow && typeof data?.event === 'string')
      dispatch(data.event, data.detail);
  };
  // Explo's web component may announce on window (its docs) or on the element: an event from another element is not ours.
  const onEvent = (event: Event) => {
    const target = event.target as Node | Window | null;
    if (!element || target === window || (target instanceof Node && element.contains(target)))
      dispatch(event.type, (event as CustomEvent).detail);
  };
  // A tab that slept, was hidden or frozen (its timers late): refresh now if the token is near expiry.
  // Back online, a pending retry goes at once; nothing else cuts a backoff short.
  const onWake = (event: Event) => {
    if (document.visibilityState === 'visible') refresher.checkDue();
    if (event.type === 'online') refresher.retryNow();
  };
  const wakeEvents = ['visibilitychange', 'pageshow', 'online'];

  const leave = group.join(member);
  if (iframe) addEventListener('message', onMessage);
  else for (const name of EVENTS) addEventListener(name, onEvent);
  for (const name of wakeEvents) addEventListener(name, onWake);
  if (options.expiresIn !== undefined && refresher.remaining() === undefined)
    refresher.adopt({ jwt: '', expiresIn: options.expiresIn });

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(watchdog);
    leave();
    removeEventListener('message', onMessage);
    for (const name of [...EVENTS, ...wakeEvents]) {
      removeEventListener(name, onEvent);
      removeEventListener(name, onWake);
    }
  };
  const handle = Object.defineProperty(stop, 'state', { get: () => (stopped ? 'stopped' : refresher.state) });
  return Object.assign(handle, {
    stop,
    restart: () => !stopped && group.restart(),
    on<E extends keyof ExploEvents>(event: E, listener: (detail: ExploEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
    updateVariables(variables: Record<string, unknown>) {
      const list = Object.entries(variables).map(([varName, value]) => ({ varName, value }));
      if (list.length === 1) send('updateExploDashboardVariable', list[0]);
      else if (list.length > 1) send('updateExploDashboardVariables', { variables: list });
    },
  }) as ExploEmbedHandle;
}
