import { ExploApiRateLimitedError, ExploApiRejectedError, ExploApiUnavailableError } from '../errors/errors.js';
import type { Timers } from '../lib/timers.js';
import { readApiAnswer } from './api-answer.js';
import type { ApiBudget } from './api-budget.js';
import type { ResolvedApiOptions } from './resolve-api-options.js';

/** The body of `POST /api/generate_jwt/`, as Explo documents it. */
export interface GenerateJwtBody {
  provided_id: string;
  embed_id: string;
  key_id: string | null;
  /** ISO 8601 duration, e.g. `"PT1H"`. */
  expiration: string;
  rb_allowed_features: string[] | null;
  disable_editable_section_editing: boolean;
  embed_origin?: string;
}

/** What one API call needs besides its body. */
export interface ApiCallContext {
  readonly api: ResolvedApiOptions;
  readonly budget: ApiBudget;
  readonly timers: Timers;
  readonly clock: () => number;
}

/** The longest a `Retry-After` on a 5xx holds the next attempt back. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** The longest a 429 from Explo holds calls back. */
export const MAX_PAUSE_MS = 120_000;

/**
 * One exchange with Explo's API: its method and path (with the trailing slash Explo requires), its
 * JSON body, what it is for (named in errors: "issue a token", "provision the customer") and how its
 * answer is read (capped, the API token redacted).
 */
export interface ApiExchange<T> {
  readonly method: 'GET' | 'POST';
  readonly path: `/${string}/`;
  readonly body?: unknown;
  readonly what: string;
  read(response: Response, abort: () => void, apiToken: string): Promise<T>;
}

/** `POST {url}/api/generate_jwt/`: a token, through {@link requestApi}. */
export function requestApiJwt(call: ApiCallContext, body: GenerateJwtBody): Promise<string> {
  return requestApi(call, { method: 'POST', path: '/api/generate_jwt/', body, what: 'issue a token', read: readApiAnswer });
}

/**
 * One call to Explo's API, within this process's budget of calls (every endpoint counts against
 * Explo's one limit). Retries network errors, 5xx and 429 with exponential backoff and jitter
 * (honouring `Retry-After`, capped); a 429 pauses every call until its `Retry-After` has passed.
 * Other 4xx and malformed answers fail at once with coded errors. The API token is sent in a header
 * and never appears in any error.
 */
export async function requestApi<T>(call: ApiCallContext, exchange: ApiExchange<T>): Promise<T> {
  const { api, budget, timers } = call;
  const endpoint = `${api.url}${exchange.path}`;
  const payload = exchange.body === undefined ? undefined : JSON.stringify(exchange.body);
  let lastProblem = '';
  let wait = 0;
  for (let attempt = 0; attempt <= api.retries; attempt++) {
    if (wait > 0) await timers.sleep(wait);
    await budget.acquire();
    // Aborted to stop reading an answer that is too large; the timeout covers the whole exchange.
    const stop = new AbortController();
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: exchange.method,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'explo-authorization': `Token ${api.token}` },
        ...(payload === undefined ? {} : { body: payload }),
        signal: AbortSignal.any([timers.timeoutSignal(api.timeoutMs), stop.signal]),
        redirect: 'error',
      });
    } catch (error) {
      lastProblem =
        (error as { name?: unknown } | null)?.name === 'TimeoutError'
          ? `no answer within ${api.timeoutMs} ms`
          : 'the connection failed';
      wait = backoff(api, attempt);
      continue;
    }
    if (response.status === 429) {
      await response.body?.cancel();
      // Explo counts every call against one limit: a 429 holds them all back, for as long as it says.
      // At most two minutes: a Retry-After of a day (or 1e308) from a proxy must not stop a fleet for good.
      const pauseMs = Math.min(
        retryAfterMs(response.headers.get('retry-after'), call.clock) ?? backoff(api, attempt),
        MAX_PAUSE_MS,
      );
      budget.pause(pauseMs);
      if (attempt === api.retries) {
        throw new ExploApiRateLimitedError(
          "Explo's API answered 429 (too many requests).",
          Math.max(1, Math.ceil(pauseMs / 1000)),
        );
      }
      // The next attempt waits for the pause in the budget (or is refused, past maxWait).
      wait = 0;
      continue;
    }
    if (response.status >= 500) {
      lastProblem = `HTTP ${response.status}`;
      await response.body?.cancel();
      wait = backoff(api, attempt, retryAfterMs(response.headers.get('retry-after'), call.clock));
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ExploApiRejectedError(response.status, exchange.what);
    }
    return exchange.read(response, () => stop.abort(), api.token);
  }
  throw new ExploApiUnavailableError(
    `Explo's API did not ${exchange.what} after ${api.retries + 1} attempts (last: ${lastProblem}).`,
    Math.max(1, Math.ceil(api.retryDelayMs / 1000)),
  );
}

/** `Retry-After` as milliseconds from now: seconds, or an HTTP date. */
function retryAfterMs(header: string | null, clock: () => number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - clock()) : undefined;
}

function backoff(api: ResolvedApiOptions, attempt: number, askedMs?: number): number {
  if (askedMs !== undefined) return Math.min(askedMs, MAX_RETRY_AFTER_MS);
  const base = api.retryDelayMs * 2 ** attempt;
  return base / 2 + Math.random() * (base / 2);
}
