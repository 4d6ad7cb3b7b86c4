import { setTimeout as sleep } from 'node:timers/promises';
import type { NormalizedClaims } from './claims.js';
import { ExploApiRejectedError, ExploApiResponseError, ExploApiUnavailableError } from './errors.js';
import { toIsoDuration } from './iso-duration.js';

/** Settings for minting through Explo's API, after validation. */
export interface ResolvedApiOptions {
  readonly token: string;
  readonly url: string;
  readonly keyId: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
}

/** What one API mint asks for. */
export interface ApiMintRequest {
  customerId: string;
  embedId: string;
  lifetimeSeconds: number;
  claims: NormalizedClaims;
}

const MAX_RETRY_AFTER_MS = 10_000;

/**
 * Mints through `POST {url}/api/generate_jwt/`. Retries network errors and 5xx with exponential
 * backoff (honouring `Retry-After`, capped); 4xx and malformed answers fail at once with coded
 * errors. The API token is sent in a header and never appears in any error.
 */
export async function mintViaApi(api: ResolvedApiOptions, request: ApiMintRequest): Promise<string> {
  const body = JSON.stringify({
    provided_id: request.customerId,
    embed_id: request.embedId,
    key_id: api.keyId ?? null,
    expiration: toIsoDuration(request.lifetimeSeconds),
    rb_allowed_features: request.claims.rbc ?? null,
    disable_editable_section_editing: request.claims.des ?? false,
    ...(request.claims.iss === undefined ? {} : { embed_origin: request.claims.iss }),
  });
  const endpoint = `${api.url}/api/generate_jwt/`;
  let lastProblem = '';
  for (let attempt = 0; attempt <= api.retries; attempt++) {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'explo-authorization': `Token ${api.token}` },
        body,
        signal: AbortSignal.timeout(api.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      lastProblem =
        (error as { name?: unknown } | null)?.name === 'TimeoutError'
          ? `no answer within ${api.timeoutMs} ms`
          : 'the connection failed';
      if (attempt < api.retries) await sleep(backoff(api, attempt));
      continue;
    }
    if (response.status >= 500) {
      lastProblem = `HTTP ${response.status}`;
      await response.body?.cancel();
      if (attempt < api.retries) await sleep(backoff(api, attempt, response.headers.get('retry-after')));
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
  if (success !== 1) throw new ExploApiResponseError(`Explo's API answered success=${JSON.stringify(success ?? null)}, not 1.`);
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
