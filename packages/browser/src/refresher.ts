import {
  type FreshToken,
  fail,
  type Outcome,
  type RefreshError,
  type RefreshState,
  readAnswer,
  type TokenAnswer,
} from './answer.js';
import { backoffMs, FLOOR_MS, leadSeconds } from './timing.js';

export {
  type FreshToken,
  type RefreshError,
  type RefreshErrorCode,
  type RefreshState,
  readAnswer,
  type TokenAnswer,
} from './answer.js';
export { backoffMs, leadSeconds } from './timing.js';

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
