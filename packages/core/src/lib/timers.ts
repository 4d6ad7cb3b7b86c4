import { setTimeout as sleep } from 'node:timers/promises';

/** How the API minter waits: injected so tests run on a fake clock, never on wall-clock bounds. */
export interface Timers {
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
  /** A signal that aborts with a `TimeoutError` after `ms`. */
  timeoutSignal(ms: number): AbortSignal;
}

/** Real time. */
export const realTimers: Timers = Object.freeze({
  sleep: (ms: number) => sleep(ms),
  timeoutSignal: (ms: number) => AbortSignal.timeout(ms),
});
