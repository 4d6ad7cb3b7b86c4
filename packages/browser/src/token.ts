import { type FreshToken, fail, type Outcome, type RefreshError, readAnswer } from './answer.js';

/** Options of {@link fetchExploToken}. */
export interface FetchExploTokenOptions {
  /** Dashboard name sent to the token route. Default: the route's default dashboard. */
  dashboard?: string | undefined;
  /** Ask for a fresh token (`fresh=1`) rather than the one the server reuses. Default false. */
  fresh?: boolean | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
}

/** The token route's URL for a dashboard: same origin as the page, `fresh=1` when asked. */
export function tokenRouteUrl(tokenUrl: string, dashboard?: string, fresh = true): URL {
  const url = new URL(tokenUrl, location.href);
  if (fresh) url.searchParams.set('fresh', '1');
  if (dashboard) url.searchParams.set('dashboard', dashboard);
  return url;
}

/** One request to the token route: same origin, with the session cookie, never from a cache. */
export function requestToken(url: URL, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { accept: 'application/json' },
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
      await requestToken(tokenRouteUrl(tokenUrl, options.dashboard, options.fresh === true), options.signal),
    );
  } catch {
    outcome = fail('ERR_EXPLO_NETWORK', options.signal?.aborted ? 'Aborted' : 'Network error', true);
  }
  if ('token' in outcome) return outcome.token;
  throw Object.assign(new Error(outcome.error.message), outcome.error) as Error & RefreshError;
}

export type { FreshToken, RefreshError, RefreshErrorCode, RefreshState } from './answer.js';
export { backoffMs } from './timing.js';
