'use client';

import {
  type ExploEmbedHandle,
  type ExploEvents,
  type ExploTokenRequest,
  type ExploTokenRequestInit,
  type FreshToken,
  keepExploJwtFresh,
  type RefreshError,
} from '@explo-embed/browser';
import { backoffMs, fetchExploToken } from '@explo-embed/browser/token';
import { type CSSProperties, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { loadExploBundle } from './bundle.js';
import type {} from './jsx.js';

/** Props of {@link ExploDashboard} and {@link ExploReportBuilder}. */
export interface ExploEmbedProps {
  /** Dashboard name from the server's allowlist (`?dashboard=` on the token route). Default: the route's default. */
  dashboard?: string | undefined;
  /**
   * The token the server rendered the page with (`exploToken`, or just its `jwt`). Without it, the
   * embed fetches one from `tokenUrl` when it mounts. Read once: later tokens arrive by refresh.
   */
  token?: { jwt: string; expiresIn?: number | undefined } | string | undefined;
  /** The token route. Default `"/explo/token"`; a full URL when it is on another origin. */
  tokenUrl?: string | undefined;
  /**
   * For a token route that is not same-origin with a session cookie (a single-page app whose API is
   * elsewhere): `{ credentials: 'include' }`, or headers such as a bearer token, or a function
   * returning them before each request. Read at each request: a new object each render is fine.
   */
  tokenRequest?: ExploTokenRequest | undefined;
  /** Explo's iframe, or its web component. Default `"iframe"`. */
  mode?: 'iframe' | 'web-component' | undefined;
  /** Explo environment. Default `"production"`. */
  environment?: string | undefined;
  /** Where Explo's app is served (the iframe's base URL; its origin is the only one listened to). Default `"https://app.explo.co"`. */
  appUrl?: string | undefined;
  /** Explo's web-component bundle, loaded once per page. Default `"https://embed.explo.co/bundle.js"`. */
  bundleUrl?: string | undefined;
  /** Dashboard variables: sent when the dashboard has loaded, and again whenever they change. */
  variables?: Record<string, unknown> | undefined;
  /** Accessible name of the iframe. Default `"Explo dashboard"`. */
  title?: string | undefined;
  /** Class of the iframe or element. */
  className?: string | undefined;
  /** Style of the iframe or element (Explo's iframe needs a height). */
  style?: CSSProperties | undefined;
  /** The dashboard has loaded (Explo's `dashboardLoaded`). */
  onLoad?: ((detail: ExploEvents['dashboardLoaded']) => void) | undefined;
  /** Every failure to get a token; `willRetry: false` means the embed has ended (see `ended`). */
  onError?: ((error: RefreshError) => void) | undefined;
  /** Every token the embed received. */
  onToken?: ((token: FreshToken) => void) | undefined;
  /** Shown while there is no token yet. Default: nothing. */
  loading?: ReactNode;
  /** Shown while the first token cannot be had and another try is planned. Default: `loading`. */
  error?: ((error: RefreshError) => ReactNode) | undefined;
  /**
   * Shown instead of the embed once it has ended (401: logged out, 403, the token route answered a
   * login page): the error, and `restart` to try again after the user logs in. Default: the embed stays.
   */
  ended?: ((error: RefreshError, restart: () => void) => ReactNode) | undefined;
}

type Kind = 'dashboard' | 'report-builder';
type Status = { state: 'loading' | 'ready' } | { state: 'retrying' | 'ended'; error: RefreshError };

const initialToken = (token: ExploEmbedProps['token']) =>
  typeof token === 'string'
    ? { jwt: token, expiresIn: undefined }
    : token
      ? { jwt: token.jwt, expiresIn: token.expiresIn }
      : undefined;

/** One Explo embed: the token, the element, the helper that keeps it fresh, and what the host renders around it. */
export function ExploEmbedView({ kind, ...props }: ExploEmbedProps & { kind: Kind }): ReactNode {
  const { dashboard, tokenUrl = '/explo/token', mode = 'iframe', environment = 'production' } = props;
  const appUrl = props.appUrl ?? 'https://app.explo.co';
  const bundleUrl = props.bundleUrl ?? 'https://embed.explo.co/bundle.js';
  const [first, setFirst] = useState(() => initialToken(props.token));
  const [status, setStatus] = useState<Status>({ state: first ? 'ready' : 'loading' });
  const [attempt, setAttempt] = useState(0);
  const element = useRef<HTMLElement | null>(null);
  const handle = useRef<ExploEmbedHandle | undefined>(undefined);
  // The host's latest callbacks and variables, without re-subscribing on every render.
  const latest = useRef(props);
  latest.current = props;
  const variables = JSON.stringify(props.variables ?? {});
  // Read at each request, so an inline object or arrow neither refetches nor restarts the embed.
  const tokenRequest = useCallback(async (): Promise<ExploTokenRequestInit> => {
    const given = latest.current.tokenRequest;
    return (typeof given === 'function' ? await given() : given) ?? {};
  }, []);

  // No token from the server: fetch one, with backoff while it fails and can succeed later.
  useEffect(() => {
    if (first) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    fetchExploToken(tokenUrl, { dashboard, signal: controller.signal, tokenRequest }).then(
      (token) => {
        latest.current.onToken?.(token);
        setFirst({ jwt: token.jwt, expiresIn: token.expiresIn });
        setStatus({ state: 'ready' });
      },
      (error: RefreshError) => {
        if (controller.signal.aborted) return;
        latest.current.onError?.(error);
        setStatus({ state: error.willRetry ? 'retrying' : 'ended', error });
        if (error.willRetry) timer = setTimeout(() => setAttempt((n) => n + 1), backoffMs(attempt, Math.random()));
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [first, tokenUrl, dashboard, attempt, tokenRequest]);

  // A token and an element: keep it fresh, and listen to the dashboard. The first token is read once:
  // a refreshed one reaches the embed through the helper, not a re-render.
  const ready = first !== undefined;
  const firstToken = useRef(first);
  firstToken.current = first;
  useEffect(() => {
    const target = element.current;
    if (!ready || !target) return;
    if (mode === 'web-component') loadExploBundle(bundleUrl);
    const embed = keepExploJwtFresh({
      tokenUrl,
      tokenRequest,
      dashboard,
      expiresIn: firstToken.current?.expiresIn,
      exploOrigin: new URL(appUrl).origin,
      ...(mode === 'iframe' ? { iframe: target as HTMLIFrameElement } : { webComponent: target }),
      onToken: (token) => latest.current.onToken?.(token),
      onError: (error) => {
        latest.current.onError?.(error);
        if (!error.willRetry) setStatus({ state: 'ended', error });
      },
    });
    handle.current = embed;
    const off = embed.on('dashboardLoaded', (detail) => {
      const current = latest.current.variables;
      if (current && Object.keys(current).length > 0) embed.updateVariables(current);
      latest.current.onLoad?.(detail);
    });
    return () => {
      off();
      embed.stop();
      handle.current = undefined;
    };
  }, [ready, mode, tokenUrl, dashboard, appUrl, bundleUrl, tokenRequest]);

  // Variables that change after load are sent as they change.
  useEffect(() => {
    const current = JSON.parse(variables) as Record<string, unknown>;
    if (handle.current && Object.keys(current).length > 0) handle.current.updateVariables(current);
  }, [variables]);

  const restart = useCallback(() => {
    setStatus(first ? { state: 'ready' } : { state: 'loading' });
    if (handle.current) handle.current.restart();
    else setAttempt((n) => n + 1);
  }, [first]);

  if (status.state === 'ended' && props.ended) return props.ended(status.error, restart);
  if (!first) return status.state === 'retrying' && props.error ? props.error(status.error) : (props.loading ?? null);
  const setElement = (node: HTMLElement | null) => {
    element.current = node;
  };
  // `class`, not `className`: React 18 sets a custom element's props as attributes by their own names.
  if (mode === 'web-component') {
    return kind === 'dashboard' ? (
      <explo-dashboard
        ref={setElement}
        dash-jwt={first.jwt}
        environment={environment}
        variables={variables === '{}' ? undefined : variables}
        class={props.className}
        style={props.style}
      />
    ) : (
      <explo-report-builder
        ref={setElement}
        jwt={first.jwt}
        environment={environment}
        class={props.className}
        style={props.style}
      />
    );
  }
  const path = kind === 'dashboard' ? '' : '/report-builder';
  return (
    <iframe
      ref={setElement}
      src={`${appUrl}${path}/iframe/${encodeURIComponent(first.jwt)}/${encodeURIComponent(environment)}`}
      title={props.title ?? (kind === 'dashboard' ? 'Explo dashboard' : 'Explo report builder')}
      className={props.className}
      style={props.style}
    />
  );
}
