/** A token as the token route returns it. */

export interface FreshToken {
  jwt: string;
  /** Seconds until expiry, counted by the server: the browser's own clock never decides. */
  expiresIn: number;
  expiresAt?: string;
  dashboard?: string;
}

/**
 * Why refreshing failed, or (`ERR_EXPLO_NOT_LOADED`) why the dashboard never loaded. Those with
 * `willRetry: false` end refreshing (see {@link RefreshState}).
 */
export type RefreshErrorCode =
  | 'ERR_EXPLO_UNAUTHENTICATED'
  | 'ERR_EXPLO_FORBIDDEN'
  | 'ERR_EXPLO_REFUSED'
  | 'ERR_EXPLO_REDIRECTED'
  | 'ERR_EXPLO_BAD_RESPONSE'
  | 'ERR_EXPLO_SERVER'
  | 'ERR_EXPLO_NETWORK'
  | 'ERR_EXPLO_NOT_LOADED';

/** What `onError` is told. `willRetry: false` means refreshing has ended until `restart()`. */
export interface RefreshError {
  code: RefreshErrorCode;
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /**
   * The token route's own reason, from its `application/problem+json` answer (`ERR_EXPLO_SECRET_UNAVAILABLE`,
   * `ERR_EXPLO_API_RATE_LIMITED`...): what to look up on the server when the page only says it failed.
   */
  serverCode?: string;
  willRetry: boolean;
  /** Milliseconds until the next attempt, when `willRetry`. */
  retryIn?: number;
}

/** `active`: keeping the token fresh; `ended`: an answer ended it (restart to go on); `stopped`: for good. */
export type RefreshState = 'active' | 'ended' | 'stopped';

/** One answer of the token route, as the refresher needs it: a `Response`, or a test's stand-in. */
export type TokenAnswer = Pick<Response, 'status' | 'redirected' | 'headers' | 'json'>;

/** A token, or why there is none and whether trying again can help. */
export type Outcome = { token: FreshToken } | { error: RefreshError; retryAfter: string | null };

export function fail(
  code: RefreshErrorCode,
  message: string,
  willRetry: boolean,
  status?: number,
  retryAfter: string | null = null,
  serverCode?: string,
): Outcome {
  const error: RefreshError = { code, message: serverCode ? `${message} (${serverCode})` : message, willRetry };
  if (status !== undefined) error.status = status;
  if (serverCode !== undefined) error.serverCode = serverCode;
  return { error, retryAfter };
}

/** The `code` of a problem+json answer from the token route, when it is one of this library's. */
async function problemCode(answer: TokenAnswer): Promise<string | undefined> {
  if (!/\bproblem\+json\b/i.test(answer.headers.get('content-type') ?? '')) return undefined;
  const body: unknown = await answer.json().catch(() => null);
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^ERR_EXPLO_[A-Z_]{1,48}$/.test(code) ? code : undefined;
}

/** Reads one answer of the token route: a token, or why not (and whether trying again can help). */
export async function readAnswer(answer: TokenAnswer): Promise<Outcome> {
  const { status } = answer;
  if (answer.redirected) return fail('ERR_EXPLO_REDIRECTED', 'Redirected', false, status);
  if (status !== 200) {
    const server = await problemCode(answer);
    if (status === 401) return fail('ERR_EXPLO_UNAUTHENTICATED', 'Session ended', false, status, null, server);
    if (status === 403) return fail('ERR_EXPLO_FORBIDDEN', 'Forbidden', false, status, null, server);
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      return fail('ERR_EXPLO_REFUSED', `Refused: HTTP ${status}`, false, status, null, server);
    }
    return fail('ERR_EXPLO_SERVER', `HTTP ${status}`, true, status, answer.headers.get('retry-after'), server);
  }
  // A 200 that is not JSON is some other page (a login page served in place of the route): trying again will not help.
  const body: unknown = /\bjson\b/i.test(answer.headers.get('content-type') ?? '') ? await answer.json().catch(() => null) : null;
  if (isFreshToken(body)) return { token: body };
  return fail('ERR_EXPLO_BAD_RESPONSE', 'No { jwt, expiresIn } JSON', false, status);
}

/**
 * A well-formed token: a compact JWE (five base64url segments; the second, the encrypted key, is
 * empty under Explo's `dir`), `expiresIn` a number of seconds from 0 to 7 days (the longest lifetime
 * a server may grant), and `dashboard` a string if present. The token route's answer and what another tab
 * hands over are both held to this before they reach Explo (any page of this origin can post on
 * the tabs' channel).
 */
export function isFreshToken(value: unknown): value is FreshToken {
  const { jwt, expiresIn, dashboard } = (value ?? {}) as Partial<Record<keyof FreshToken, unknown>>;
  return (
    typeof jwt === 'string' &&
    /^[\w-]+(\.[\w-]*){4}$/.test(jwt) &&
    typeof expiresIn === 'number' &&
    expiresIn >= 0 &&
    expiresIn <= 604_800 &&
    (dashboard === undefined || typeof dashboard === 'string')
  );
}
