/** A token as the token route returns it. */
export interface FreshToken {
  jwt: string;
  /** Seconds until expiry, counted by the server: the browser's own clock never decides. */
  expiresIn: number;
  expiresAt?: string;
  dashboard?: string;
}

/** Why refreshing failed. Those with `willRetry: false` end it (see {@link RefreshState}). */
export type RefreshErrorCode =
  | 'ERR_EXPLO_UNAUTHENTICATED'
  | 'ERR_EXPLO_FORBIDDEN'
  | 'ERR_EXPLO_REFUSED'
  | 'ERR_EXPLO_REDIRECTED'
  | 'ERR_EXPLO_BAD_RESPONSE'
  | 'ERR_EXPLO_SERVER'
  | 'ERR_EXPLO_NETWORK';

/** What `onError` is told. `willRetry: false` means refreshing has ended until `restart()`. */
export interface RefreshError {
  code: RefreshErrorCode;
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  willRetry: boolean;
  /** Milliseconds until the next attempt, when `willRetry`. */
  retryIn?: number;
}

/** `active`: keeping the token fresh; `ended`: an answer ended it (restart to go on); `stopped`: for good. */
export type RefreshState = 'active' | 'ended' | 'stopped';

/** One answer of the token route, as the refresher needs it: a `Response`, or a test's stand-in. */
export type TokenAnswer = Pick<Response, 'status' | 'redirected' | 'headers' | 'json'>;

/** What the timing core depends on: injectable for tests (fake timers, fake fetch). */
export interface RefresherDeps {
  request: (signal: AbortSignal) => Promise<TokenAnswer>;
  /** A token this refresher fetched itself. */
  fetched: (token: FreshToken) => void;
  onError: (error: RefreshError) => void;
  /** The wall clock in ms (Date.now). Only differences count, each measured from a token's receipt. */
  now: () => number;
  random: () => number;
  timeoutMs: number;
  /** Seconds before expiry to refresh proactively; default: 20% of the lifetime, 5 s to 60 s. */
  refreshBefore?: number | undefined;
  /** What to do when the token falls due. Default: `refresh()` (a group asks its leader tab instead). */
  due?: () => void;
}

const FLOOR_MS = 1_000;
const CAP_MS = 60_000;

/** Seconds before expiry at which to refresh a token that has `expiresIn` seconds left. */
export function leadSeconds(expiresIn: number, refreshBefore?: number): number {
  const lead = refreshBefore ?? Math.min(60, Math.max(5, expiresIn * 0.2));
  return Math.min(lead, expiresIn / 2);
}

/**
 * The wait before attempt `attempt + 1`: exponential from 1 s with up to 50% jitter, capped at 60 s.
 * A `Retry-After` (seconds or a date) may lengthen it, never shorten it: `Retry-After: 0` still waits.
 */
export function backoffMs(attempt: number, random: number, retryAfter: string | null = null, nowMs = Date.now()): number {
  const base = Math.min(CAP_MS, FLOOR_MS * 2 ** attempt);
  let wait = base + (random * base) / 2;
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const asked = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - nowMs;
    if (asked > wait) wait = asked;
  }
  return Math.min(CAP_MS, Math.max(FLOOR_MS, wait));
}

type Outcome = { token: FreshToken } | { error: RefreshError; retryAfter: string | null };

function fail(
  code: RefreshErrorCode,
  message: string,
  willRetry: boolean,
  status?: number,
  retryAfter: string | null = null,
): Outcome {
  return { error: status === undefined ? { code, message, willRetry } : { code, message, status, willRetry }, retryAfter };
}

/** Reads one answer of the token route: a token, or why not (and whether trying again can help). */
export async function readAnswer(answer: TokenAnswer): Promise<Outcome> {
  const { status } = answer;
  if (answer.redirected) return fail('ERR_EXPLO_REDIRECTED', 'Redirected', false, status);
  if (status === 401) return fail('ERR_EXPLO_UNAUTHENTICATED', 'Session ended', false, status);
  if (status === 403) return fail('ERR_EXPLO_FORBIDDEN', 'Forbidden', false, status);
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return fail('ERR_EXPLO_REFUSED', `Refused: HTTP ${status}`, false, status);
  }
  if (status !== 200) return fail('ERR_EXPLO_SERVER', `HTTP ${status}`, true, status, answer.headers.get('retry-after'));
  // A 200 that is not JSON is some other page (a login page served in place of the route): trying again will not help.
  const body = /\bjson\b/i.test(answer.headers.get('content-type') ?? '')
    ? ((await answer.json().catch(() => null)) as Partial<FreshToken> | null)
    : null;
  if (body && typeof body.jwt === 'string' && body.jwt.split('.').length === 5 && body.expiresIn! >= 0)
    return { token: body as FreshToken };
  return fail('ERR_EXPLO_BAD_RESPONSE', 'No { jwt, expiresIn } JSON', false, status);
}

/**
 * The timing core of the browser helper. It knows nothing of the DOM or of other tabs: one request
 * in flight however many calls arrive; retries with backoff (never sooner than 1 s); a proactive
 * refresh before expiry, scheduled from the token's receipt; an ending on answers that retrying
 * cannot fix.
 */
export class Refresher {
  state: RefreshState = 'active';
  #inFlight: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;
  #abort: AbortController | undefined;
  #deadline: number | undefined;
  #lead = 0;
  #short = 0;

  readonly #deps: RefresherDeps;

  constructor(deps: RefresherDeps) {
    this.#deps = deps;
  }

  /** Fetches a fresh token; concurrent calls share one request. A no-op unless active. */
  refresh(): Promise<void> {
    if (this.state !== 'active') return Promise.resolve();
    this.#inFlight ??= this.#run().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Takes a token (fetched here, or handed over by another tab) and plans the next refresh. */
  adopt(token: FreshToken, fetchedHere = false): void {
    if (this.state === 'stopped' || !(token.expiresIn >= 0)) return;
    clearTimeout(this.#timer);
    this.#lead = leadSeconds(token.expiresIn, this.#deps.refreshBefore);
    this.#deadline = this.#deps.now() + token.expiresIn * 1000;
    let wait = (token.expiresIn - this.#lead) * 1000;
    // Tokens that are due again at once (a server handing out nearly expired ones) back off instead of looping.
    if (fetchedHere) this.#short = wait < FLOOR_MS ? this.#short + 1 : 0;
    if (this.#short > 0) wait = Math.max(wait, backoffMs(this.#short - 1, this.#deps.random()));
    this.#timer = setTimeout(() => this.#fallDue(), Math.max(0, wait));
    this.#wake?.();
  }

  /** Milliseconds left on the current token by the wall clock, or undefined before the first one. */
  remaining(): number | undefined {
    return this.#deadline === undefined ? undefined : this.#deadline - this.#deps.now();
  }

  /** True when the current token is within its refresh lead, or past expiry (or there is none). */
  due(): boolean {
    const left = this.remaining();
    return left === undefined || left <= this.#lead * 1000;
  }

  /** After the tab slept or was hidden (timers may not have fired): refresh at once if due. */
  checkDue(): void {
    if (this.#deadline !== undefined && this.due()) this.#fallDue();
  }

  #fallDue(): void {
    if (this.#deps.due) this.#deps.due();
    else void this.refresh();
  }

  /** Cuts a pending retry wait short (the browser is back online). */
  retryNow(): void {
    this.#wake?.();
  }

  /** After an ending (the user logged in again): active again, refreshing at once. */
  restart(): Promise<void> {
    if (this.state === 'ended') this.state = 'active';
    return this.refresh();
  }

  /** Ends refreshing (`ended`) or stops it for good: no timer, no request, no callback afterwards. */
  halt(state: 'ended' | 'stopped'): void {
    if (this.state === 'stopped') return;
    this.state = state;
    clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#wake?.();
  }

  async #run(): Promise<void> {
    clearTimeout(this.#timer);
    for (let attempt = 0; this.state === 'active'; attempt++) {
      const outcome = await this.#attempt();
      if (this.state !== 'active') return;
      if ('token' in outcome) {
        this.adopt(outcome.token, true);
        this.#deps.fetched(outcome.token);
        return;
      }
      const { error, retryAfter } = outcome;
      if (!error.willRetry) {
        this.halt('ended');
        this.#deps.onError(error);
        return;
      }
      const wait = backoffMs(attempt, this.#deps.random(), retryAfter, this.#deps.now());
      this.#deps.onError({ ...error, retryIn: wait });
      const before = this.#deadline;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.#wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.#wake = undefined;
      // Another tab handed over a token while this one waited: nothing left to do.
      if (this.#deadline !== before && !this.due()) return;
    }
  }

  async #attempt(): Promise<Outcome> {
    const controller = new AbortController();
    this.#abort = controller;
    const timeout = setTimeout(() => controller.abort(), this.#deps.timeoutMs);
    try {
      return await readAnswer(await this.#deps.request(controller.signal));
    } catch {
      return fail('ERR_EXPLO_NETWORK', controller.signal.aborted ? 'Timed out' : 'Network error', true);
    } finally {
      clearTimeout(timeout);
    }
  }
}
