import { type FreshToken, fail, type Outcome, type RefreshError, readAnswer } from './answer.js';

/**
 * What the token request carries besides the defaults (`cache: 'no-store'`, `accept:
 * application/json`, same-origin credentials): for a token route that is not on the page's origin
 * with its session cookie. `{ credentials: 'include' }` sends cookies to another origin (whose token
 * route must allow this page's origin); `headers` carry a bearer token.
 */
export interface ExploTokenRequestInit {
  /** `fetch`'s credentials mode. Default `"same-origin"`. */
  credentials?: RequestCredentials | undefined;
  /** Extra request headers, such as `authorization`. */
  headers?: Record<string, string> | undefined;
}

/**
 * {@link ExploTokenRequestInit}, or a function returning it for each request (a bearer token that
 * changes). A function that throws or rejects counts as a network failure: retried with backoff.
 */
export type ExploTokenRequest = ExploTokenRequestInit | (() => ExploTokenRequestInit | Promise<ExploTokenRequestInit>);

/** Options of {@link fetchExploToken}. */
export interface FetchExploTokenOptions {
  /** Dashboard name sent to the token route. Default: the route's default dashboard. */
  dashboard?: string | undefined;
  /** Ask for a fresh token (`fresh=1`) rather than the one the server reuses. Default false. */
  fresh?: boolean | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
  /** Credentials and headers for a token route on another origin or behind a bearer token. */
  tokenRequest?: ExploTokenRequest | undefined;
}

/** The token route's URL for a dashboard: same origin as the page, `fresh=1` when asked. */
export function tokenRouteUrl(tokenUrl: string, dashboard?: string, fresh = true): URL {
  const url = new URL(tokenUrl, location.href);
  if (fresh) url.searchParams.set('fresh', '1');
  if (dashboard) url.searchParams.set('dashboard', dashboard);
  return url;
}

/** One request to the token route, never from a cache: same origin with the session cookie, unless `init` says otherwise. */
export async function requestToken(url: URL, signal?: AbortSignal, init?: ExploTokenRequest): Promise<Response> {
  const { credentials = 'same-origin', headers } = (typeof init === 'function' ? await init() : init) ?? {};
  return fetch(url, {
    credentials,
    cache: 'no-store',
    headers: { ...headers, accept: 'application/json' },
    signal: signal ?? null,
  });
}

/**
 * A token from the token route, for an embed the server rendered without one. Rejects with an
 * `Error` carrying the {@link RefreshError} fields (`code`, `status`, `willRetry`).
 */
export async function fetchExploToken(tokenUrl: string, options: FetchExploTokenOptions = {}): Promise<FreshToken> {
  let outcome: Outcome;
  try {
    outcome = await readAnswer(
      await requestToken(
        tokenRouteUrl(tokenUrl, options.dashboard, options.fresh === true),
        options.signal,
        options.tokenRequest,
      ),
    );
  } catch {
    outcome = fail('ERR_EXPLO_NETWORK', options.signal?.aborted ? 'Aborted' : 'Network error', true);
  }
  if ('token' in outcome) return outcome.token;
  throw Object.assign(new Error(outcome.error.message), outcome.error) as Error & RefreshError;
}

export type { FreshToken, RefreshError, RefreshErrorCode, RefreshState } from './answer.js';
export { backoffMs } from './timing.js';
