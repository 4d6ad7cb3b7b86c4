import { ExploApiRateLimitedError } from '../errors/errors.js';
import type { Timers } from '../lib/timers.js';
import type { ResolvedApiOptions } from './resolve-api-options.js';

const WINDOW_MS = 60_000;

/** This process's share of Explo's API rate limit. */
export interface ApiBudget {
  /** Resolves when a call may go out (counting it), or throws `ERR_EXPLO_API_RATE_LIMITED`. */
  acquire(): Promise<void>;
  /** Explo answered 429: no call goes out before `ms` from now. */
  pause(ms: number): void;
  /** For a readiness probe: calls left in the current minute, how long a 429 still holds calls back, and (a fleet's) where they are counted. */
  status(): ApiBudgetStatus;
}

/** What {@link ApiBudget.status} tells `health()`. */
export interface ApiBudgetStatus {
  remaining: number;
  perMinute: number;
  pausedForMs: number;
  /** With `redis` only: where calls are counted (see `ExploHealth.api.budget`). */
  budget?: 'shared' | 'local' | 'foreign';
}

/**
 * A sliding one-minute window of calls, a bounded queue of waiting calls ({@link budgetWaiter}), and
 * a pause that a 429 imposes on every call.
 */
export function createApiBudget(settings: ResolvedApiOptions['rateLimit'], clock: () => number, timers: Timers): ApiBudget {
  const { perMinute } = settings;
  const sent: number[] = [];
  let pausedUntil = 0;
  const wait = budgetWaiter(settings, timers);
  return {
    acquire: () =>
      wait(() => {
        const now = clock();
        while (sent.length > 0 && (sent[0] as number) <= now - WINDOW_MS) sent.shift();
        const freeAt = Math.max(pausedUntil, sent.length < perMinute ? now : (sent[0] as number) + WINDOW_MS);
        if (freeAt <= now) {
          sent.push(now);
          return undefined;
        }
        return { waitMs: freeAt - now, why: now < pausedUntil ? 'Explo answered 429' : `${perMinute} calls per minute` };
      }),
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock() + ms);
    },
    status() {
      const now = clock();
      const inWindow = sent.filter((at) => at > now - WINDOW_MS).length;
      return { remaining: Math.max(0, perMinute - inWindow), perMinute, pausedForMs: Math.max(0, pausedUntil - now) };
    },
  };
}

/** One look at a budget: `undefined` when the call was counted and may go now, else how long until a slot frees and why. */
export type BudgetLook = { waitMs: number; why: string } | undefined;

/**
 * The waiting half of every budget (this process's, the fleet's): looks again after each wait, holds
 * at most `queue` calls waiting, and refuses at once a call that would wait longer than `maxWait`
 * (or find the queue full), with the seconds until a slot frees for `Retry-After`.
 */
export function budgetWaiter(
  { queue, maxWaitMs }: Pick<ResolvedApiOptions['rateLimit'], 'queue' | 'maxWaitMs'>,
  timers: Timers,
): (look: () => BudgetLook | Promise<BudgetLook>) => Promise<void> {
  let waiting = 0;
  const refuse = (waitMs: number, why: string) =>
    new ExploApiRateLimitedError(`Explo's API call budget is spent (${why}).`, Math.max(1, Math.ceil(waitMs / 1000)));
  return async (look) => {
    let queued = false;
    try {
      for (;;) {
        const found = await look();
        if (found === undefined) return;
        if (found.waitMs > maxWaitMs) throw refuse(found.waitMs, found.why);
        if (!queued) {
          if (waiting >= queue) throw refuse(found.waitMs, `the queue of ${queue} waiting calls is full`);
          waiting++;
          queued = true;
        }
        await timers.sleep(found.waitMs);
      }
    } finally {
      if (queued) waiting--;
    }
  };
}
