import type { RefreshErrorCode, RefreshState } from './answer.js';
import { loadExploBundle } from './bundle.js';
import type { ExploEmbedStatus, ExploEmbedViewOptions } from './embed-types.js';
import { exploEmbedUrls } from './embed-urls.js';
import { type ExploEmbedHandle, type ExploEvents, keepExploJwtFresh } from './index.js';
import { backoffMs } from './timing.js';
import {
  type ExploTokenRequest,
  type ExploTokenRequestInit,
  type FreshToken,
  fetchExploToken,
  type RefreshError,
} from './token.js';

export type { ExploEmbedKind, ExploEmbedStatus, ExploEmbedViewOptions } from './embed-types.js';
export { ExploEmbedOptionError, exploEmbedUrls } from './embed-urls.js';
// What a framework's component renders: the view rules, written once.
export {
  EXPLO_CONTROLLER_OPTIONS,
  EXPLO_FILL,
  type ExploControllerOption,
  type ExploEmbedElement,
  exploControllerKey,
  exploCss,
  exploElementAttributes,
  exploEmbedElement,
  exploEmbedStyle,
  exploFixedHeight,
  exploIframeSrc,
  exploShownJwt,
  exploTitle,
} from './embed-view.js';
// The types this entry's signatures use, so a framework's package needs only this entry.
export type { ExploEvents, ExploTokenRequest, ExploTokenRequestInit, FreshToken, RefreshError, RefreshErrorCode, RefreshState };

/**
 * The framework-free half of every `<ExploDashboard>`: the first token (given, or fetched with
 * backoff), the helper that keeps it fresh once the element exists, variables, states and restart.
 * A framework's component only renders {@link ExploEmbedStatus} and hands over its element. Creating
 * it touches nothing of the page (server rendering is safe); `start()` and `attach()` do.
 */
export interface ExploEmbedController {
  /** The current status; a new object whenever it changes. */
  readonly status: ExploEmbedStatus;
  /** Calls `listener` on every status change; returns how to stop. */
  subscribe(listener: () => void): () => void;
  /** Fetches the first token when none was given (in the browser only). Returns how to stop. */
  start(): () => void;
  /** Keeps the element's token fresh (iframe or web component), listens to its events. Returns how to stop. */
  attach(element: HTMLElement): () => void;
  /** New callbacks or variables (the host's latest): variables are sent when they change. */
  update(options: Pick<ExploEmbedViewOptions, 'variables' | 'onLoad' | 'onError' | 'onToken'>): void;
  /** After an ending (the user logged in again): tries again. */
  restart(): void;
}

const initialJwt = (token: ExploEmbedViewOptions['token']) => (typeof token === 'string' ? token : token?.jwt);

/**
 * An embed's controller, made of `options` (a component makes a new one when any of
 * `EXPLO_CONTROLLER_OPTIONS` changes). Touches nothing of the page until `start()` or `attach()`.
 * Checks `appUrl` and `bundleUrl` first, on the server too: throws {@link ExploEmbedOptionError}
 * (`ERR_EXPLO_OPTION_INVALID`) for one that is not https, so no component renders with it.
 */
export function createExploEmbedController(options: ExploEmbedViewOptions): ExploEmbedController {
  const urls = exploEmbedUrls(options);
  const tokenUrl = options.tokenUrl ?? '/explo/token';
  const listeners = new Set<() => void>();
  let latest = { ...options };
  const first = initialJwt(options.token);
  let status: ExploEmbedStatus = first ? { state: 'ready', jwt: first } : { state: 'loading' };
  let expiresIn = typeof options.token === 'object' ? options.token.expiresIn : undefined;
  let handle: ExploEmbedHandle | undefined;
  let attempt = 0;
  let kick: (() => void) | undefined;
  const set = (next: ExploEmbedStatus) => {
    status = next;
    for (const listener of listeners) listener();
  };
  // Read at each request, so that new credentials (a renewed bearer token) are used.
  const tokenRequest = async () => {
    const given = latest.tokenRequest;
    return (typeof given === 'function' ? await given() : given) ?? {};
  };
  const sendVariables = () => {
    const variables = latest.variables;
    if (handle && variables && Object.keys(variables).length > 0) handle.updateVariables(variables);
  };

  return {
    get status() {
      return status;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start() {
      if (status.state === 'ready') return () => {};
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fetchFirst = () => {
        fetchExploToken(tokenUrl, { dashboard: options.dashboard, signal: controller.signal, tokenRequest }).then(
          (token) => {
            expiresIn = token.expiresIn;
            latest.onToken?.(token);
            set({ state: 'ready', jwt: token.jwt });
          },
          (error: RefreshError) => {
            if (controller.signal.aborted) return;
            latest.onError?.(error);
            set({ state: error.willRetry ? 'retrying' : 'ended', error });
            if (error.willRetry) timer = setTimeout(fetchFirst, backoffMs(attempt++, Math.random()));
          },
        );
      };
      kick = fetchFirst;
      fetchFirst();
      return () => {
        kick = undefined;
        controller.abort();
        clearTimeout(timer);
      };
    },
    attach(element) {
      const mode = options.mode ?? 'iframe';
      if (mode === 'web-component') loadExploBundle(urls.bundleUrl);
      const embed = keepExploJwtFresh({
        tokenUrl,
        tokenRequest,
        // Decided by what the app gave (the request wrapper above is always there).
        shareAcrossTabs: options.shareAcrossTabs ?? options.tokenRequest === undefined,
        dashboard: options.dashboard,
        expiresIn,
        exploOrigin: new URL(urls.appUrl).origin,
        height: options.height === 'auto' ? 'auto' : undefined,
        ...(mode === 'iframe' ? { iframe: element as HTMLIFrameElement } : { webComponent: element }),
        onToken: (token) => latest.onToken?.(token),
        onError: (error) => {
          latest.onError?.(error);
          if (!error.willRetry) set({ state: 'ended', error, jwt: status.state === 'ready' ? status.jwt : undefined });
        },
        loadTimeout: options.loadTimeout,
        embedId: options.embedId,
      });
      handle = embed;
      const off = embed.on('dashboardLoaded', (detail) => {
        sendVariables();
        latest.onLoad?.(detail);
      });
      return () => {
        off();
        embed.stop();
        if (handle === embed) handle = undefined;
      };
    },
    update(next) {
      const before = JSON.stringify(latest.variables ?? {});
      latest = { ...latest, ...next };
      if (JSON.stringify(latest.variables ?? {}) !== before) sendVariables();
    },
    restart() {
      if (handle) {
        const jwt = status.state === 'ended' ? status.jwt : undefined;
        set(jwt ? { state: 'ready', jwt } : { state: 'loading' });
        handle.restart();
      } else {
        attempt = 0;
        set({ state: 'loading' });
        kick?.();
      }
    },
  };
}
