/** A token as the token route returns it. */
export interface FreshToken {
  jwt: string;
  /** Seconds until expiry, relative to the server's clock (so the browser's clock skew does not matter). */
  expiresIn: number;
  expiresAt?: string;
  dashboard?: string;
}

/** What `onError` is told. `willRetry: false` means refreshing has stopped. */
export interface RefreshError {
  /** `ERR_EXPLO_UNAUTHENTICATED` (401: the session ended), `ERR_EXPLO_REFUSED` (other 4xx), `ERR_EXPLO_NETWORK`, `ERR_EXPLO_SERVER`, `ERR_EXPLO_BAD_RESPONSE`. */
  code: string;
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  willRetry: boolean;
  /** Milliseconds until the next attempt, when `willRetry`. */
  retryIn?: number;
}

/** One answer of the token route, as the refresher needs it. */
export interface TokenAnswer {
  status: number;
  retryAfter: string | null;
  json: () => Promise<unknown>;
}

/** What the timing core depends on: injectable for tests (fake timers, fake fetch). */
export interface RefresherDeps {
  request: (signal: AbortSignal) => Promise<TokenAnswer>;
  deliver: (token: FreshToken) => void;
  onError: (error: RefreshError) => void;
  /** Milliseconds; used only for differences, never compared with the server's clock. */
  now: () => number;
  random: () => number;
  timeoutMs: number;
  /** Seconds before expiry to refresh proactively; default: 20% of the lifetime, 5 s to 60 s. */
  refreshBefore?: number | undefined;
}

const MAX_BACKOFF_MS = 60_000;

/** Seconds before expiry at which to refresh a token that has `expiresIn` seconds left. */
export function leadSeconds(expiresIn: number, refreshBefore?: number): number {
  const lead = refreshBefore ?? Math.min(60, Math.max(5, expiresIn * 0.2));
  return Math.min(lead, expiresIn / 2);
}

/** Backoff before attempt `attempt + 1`: exponential from 1 s, capped, half jitter, or the server's Retry-After. */
export function backoffMs(attempt: number, random: number, retryAfter: string | null, nowMs = Date.now()): number {
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - nowMs;
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_BACKOFF_MS);
  }
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
  return base / 2 + (random * base) / 2;
}

/**
 * The timing core of the browser helper: one request in flight however many expiry events
 * arrive, retries with backoff until it works (or the session ends), and a proactive refresh
 * before expiry. It knows nothing of the DOM.
 */
export class Refresher {
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wake: (() => void) | undefined;
  private abort: AbortController | undefined;
  private deadline: number | undefined;
  private lead = 0;
  private stopped = false;

  constructor(private readonly deps: RefresherDeps) {}

  /** Fetches a fresh token and delivers it; concurrent calls share one request. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Plans the next proactive refresh for a token with `expiresIn` seconds left. */
  schedule(expiresIn: number): void {
    if (this.stopped || !(expiresIn >= 0)) return;
    clearTimeout(this.timer);
    this.lead = leadSeconds(expiresIn, this.deps.refreshBefore);
    this.deadline = this.deps.now() + expiresIn * 1000;
    this.timer = setTimeout(() => void this.refresh(), Math.max(0, (expiresIn - this.lead) * 1000));
  }

  /** After a hidden tab becomes visible (timers may have been throttled): refresh if near or past expiry. */
  checkDue(): void {
    if (this.deadline !== undefined && this.deps.now() >= this.deadline - this.lead * 1000) void this.refresh();
  }

  /** Cuts a pending retry wait short (the browser is back online). */
  retryNow(): void {
    this.wake?.();
  }

  /** Stops for good: no timer, no request, no callback afterwards. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
    this.wake?.();
  }

  private async run(): Promise<void> {
    clearTimeout(this.timer);
    for (let attempt = 0; !this.stopped; attempt++) {
      const outcome = await this.attempt();
      if (this.stopped) return;
      if ('token' in outcome) {
        this.deps.deliver(outcome.token);
        this.schedule(outcome.token.expiresIn);
        return;
      }
      const { error, retryAfter } = outcome;
      if (!error.willRetry) {
        this.stop();
        this.deps.onError(error);
        return;
      }
      const wait = backoffMs(attempt, this.deps.random(), retryAfter);
      this.deps.onError({ ...error, retryIn: wait });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async attempt(): Promise<{ token: FreshToken } | { error: RefreshError; retryAfter: string | null }> {
    const controller = new AbortController();
    this.abort = controller;
    const timeout = setTimeout(() => controller.abort(), this.deps.timeoutMs);
    try {
      const answer = await this.deps.request(controller.signal);
      const { status } = answer;
      if (status === 200) {
        const body = (await answer.json()) as Partial<FreshToken> | null;
        if (
          body &&
          typeof body.jwt === 'string' &&
          body.jwt.split('.').length === 5 &&
          typeof body.expiresIn === 'number' &&
          body.expiresIn >= 0
        ) {
          return { token: body as FreshToken };
        }
        return fail('ERR_EXPLO_BAD_RESPONSE', 'No { jwt, expiresIn } in the answer', true, status);
      }
      if (status === 401) return fail('ERR_EXPLO_UNAUTHENTICATED', 'Session ended: log in again', false, status);
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        return fail('ERR_EXPLO_REFUSED', `Refused: HTTP ${status}`, false, status);
      }
      return fail('ERR_EXPLO_SERVER', `HTTP ${status}`, true, status, answer.retryAfter);
    } catch {
      return fail('ERR_EXPLO_NETWORK', controller.signal.aborted ? 'Timed out' : 'Network error', true);
    } finally {
      clearTimeout(timeout);
    }
  }
}

function fail(code: string, message: string, willRetry: boolean, status?: number, retryAfter: string | null = null) {
  const error: RefreshError = status === undefined ? { code, message, willRetry } : { code, message, status, willRetry };
  return { error, retryAfter };
}
