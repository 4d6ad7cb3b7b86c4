import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiBudget } from '../api/api-budget.js';
import { ExploApiRateLimitedError } from '../api/api-errors.js';
import { MAX_PAUSE_MS } from '../api/api-request.js';
import type { ResolvedApiOptions } from '../api/resolve-api-options.js';
import type { Timers } from '../lib/timers.js';
import type { Attempt } from './fleet.js';
import type { FleetRedis } from './redis-client.js';

const BUDGET_KEY = 'explo-api';

/**
 * One budget of Explo API calls for the whole fleet (Explo counts per IP address): counted in Redis
 * by rate-limiter-flexible, per minute. A 429 from Explo blocks the budget for every instance until
 * its `Retry-After` has passed. When Redis fails or is slow, this instance falls back to `local`,
 * its own share of the budget (`rateLimit.localShare`): sharing is lost, requests are not.
 */
export function createFleetBudget(
  redis: FleetRedis,
  settings: ResolvedApiOptions['rateLimit'],
  local: ApiBudget,
  timers: Timers,
  attempt: Attempt,
  fleetDown: (cause: unknown) => void,
): ApiBudget {
  const { perMinute, queue, maxWaitMs } = settings;
  const limiter = new RateLimiterRedis({
    storeClient: redis.client,
    useRedisPackage: redis.kind === 'node-redis',
    rejectIfRedisNotReady: true,
    keyPrefix: 'explo-embed:budget',
    points: perMinute,
    duration: 60,
  });
  // The limiter rejects with a RateLimiterRes when the budget is spent: an answer, not a failure.
  const consume = () =>
    limiter.consume(BUDGET_KEY).then(
      (granted) => ({ granted }),
      (outcome: unknown) => (outcome instanceof RateLimiterRes ? { refused: outcome } : Promise.reject(outcome)),
    );
  let remaining = perMinute;
  let waiting = 0;
  const refuse = (waitMs: number, why: string) =>
    new ExploApiRateLimitedError(`Explo's API call budget is spent (${why}).`, Math.max(1, Math.ceil(waitMs / 1000)));

  return {
    async acquire() {
      let queued = false;
      try {
        for (;;) {
          let answer: Awaited<ReturnType<typeof consume>>;
          try {
            answer = await attempt(consume);
          } catch {
            return await local.acquire();
          }
          if ('granted' in answer) {
            remaining = answer.granted.remainingPoints;
            return;
          }
          remaining = 0;
          const waitMs = answer.refused.msBeforeNext;
          // Longer than a minute's window after the longest pause a 429 may impose: not this library's
          // count (written by someone else). This instance then keeps to its own share.
          if (!(waitMs <= 60_000 + MAX_PAUSE_MS)) {
            fleetDown(new Error('the shared budget holds a wait no instance could have set'));
            return await local.acquire();
          }
          if (waitMs > maxWaitMs) throw refuse(waitMs, `${perMinute} calls per minute across the fleet`);
          if (!queued) {
            if (waiting >= queue) throw refuse(waitMs, `the queue of ${queue} waiting calls is full`);
            waiting++;
            queued = true;
          }
          await timers.sleep(waitMs);
        }
      } finally {
        if (queued) waiting--;
      }
    },
    pause(ms) {
      local.pause(ms);
      // Every instance waits out Explo's 429, not only the one that got it.
      void attempt(() => limiter.block(BUDGET_KEY, Math.ceil(ms / 1000))).catch(() => {});
    },
    status() {
      return { remaining, perMinute, pausedForMs: local.status().pausedForMs };
    },
  };
}
