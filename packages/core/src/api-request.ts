import { ExploApiRejectedError, ExploApiResponseError, ExploApiUnavailableError } from './api-errors.js';
import type { ResolvedApiOptions } from './resolve-api-options.js';
import type { Timers } from './timers.js';
import { quoteUntrusted } from './untrusted.js';

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

const MAX_RETRY_AFTER_MS = 10_000;

/**
 * `POST {url}/api/generate_jwt/`: retries network errors and 5xx with exponential backoff
 * (honouring `Retry-After`, capped); 4xx and malformed answers fail at once with coded errors.
 * The API token is sent in a header and never appears in any error.
 */
export async function requestApiJwt(api: ResolvedApiOptions, body: GenerateJwtBody, timers: Timers): Promise<string> {
  const endpoint = `${api.url}/api/generate_jwt/`;
  const payload = JSON.stringify(body);
  let lastProblem = '';
  for (let attempt = 0; attempt <= api.retries; attempt++) {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'explo-authorization': `Token ${api.token}` },
        body: payload,
        signal: timers.timeoutSignal(api.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      lastProblem =
        (error as { name?: unknown } | null)?.name === 'TimeoutError'
          ? `no answer within ${api.timeoutMs} ms`
          : 'the connection failed';
      if (attempt < api.retries) await timers.sleep(backoff(api, attempt));
      continue;
    }
    if (response.status >= 500) {
      lastProblem = `HTTP ${response.status}`;
      await response.body?.cancel();
      if (attempt < api.retries) await timers.sleep(backoff(api, attempt, response.headers.get('retry-after')));
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ExploApiRejectedError(response.status);
    }
    return readJwt(response);
  }
  throw new ExploApiUnavailableError(
    `Explo's API did not issue a token after ${api.retries + 1} attempts (last: ${lastProblem}).`,
    Math.max(1, Math.ceil(api.retryDelayMs / 1000)),
  );
}

async function readJwt(response: Response): Promise<string> {
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new ExploApiResponseError("Explo's API answered with something that is not JSON.");
  }
  const { success, jwt } = (typeof data === 'object' && data !== null ? data : {}) as { success?: unknown; jwt?: unknown };
  if (success !== 1) throw new ExploApiResponseError(`Explo's API answered success=${quoteUntrusted(success ?? null)}, not 1.`);
  if (typeof jwt !== 'string' || jwt.split('.').length !== 5 || jwt.length > 16_384) {
    throw new ExploApiResponseError("Explo's API answered success=1 without a well-formed jwt.");
  }
  return jwt;
}

function backoff(api: ResolvedApiOptions, attempt: number, retryAfter?: string | null): number {
  const asked = retryAfter ? Number(retryAfter) * 1000 : Number.NaN;
  if (Number.isFinite(asked) && asked >= 0) return Math.min(asked, MAX_RETRY_AFTER_MS);
  const base = api.retryDelayMs * 2 ** attempt;
  return base / 2 + Math.random() * (base / 2);
}
