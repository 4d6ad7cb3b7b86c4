/** How the API minter waits: injected so tests run on a fake clock, never on wall-clock bounds. */
export interface Timers {
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
  /** A signal that aborts with a `TimeoutError` after `ms`. */
  timeoutSignal(ms: number): AbortSignal;
}

/** Real time (Web-standard timers: every runtime has them). */
export const realTimers: Timers = Object.freeze({
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  timeoutSignal: (ms: number) => AbortSignal.timeout(ms),
});
