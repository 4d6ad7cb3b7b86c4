import { type ApiBudget, type BudgetLook, budgetWaiter } from '../api/api-budget.js';
import { MAX_PAUSE_MS } from '../api/api-request.js';
import type { ResolvedApiOptions } from '../api/resolve-api-options.js';
import { RateLimiterRedis, RateLimiterRes } from '../lib/rate-limiters.js';
import type { Timers } from '../lib/timers.js';
import type { Attempt, FleetRedis } from './redis-client.js';

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
  const { perMinute } = settings;
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
  const wait = budgetWaiter(settings, timers);
  // One look at the shared count: granted, or how long until a slot frees. When Redis fails, or holds
  // a wait no instance could have set, this instance keeps to its own share instead.
  const look = async (): Promise<BudgetLook> => {
    let answer: Awaited<ReturnType<typeof consume>>;
    try {
      answer = await attempt(consume);
    } catch {
      return local.acquire().then(() => undefined);
    }
    if ('granted' in answer) {
      remaining = answer.granted.remainingPoints;
      return undefined;
    }
    remaining = 0;
    const waitMs = answer.refused.msBeforeNext;
    // Longer than a minute's window after the longest pause a 429 may impose: not this library's
    // count (written by someone else).
    if (!(waitMs <= 60_000 + MAX_PAUSE_MS)) {
      fleetDown(new Error('the shared budget holds a wait no instance could have set'));
      return local.acquire().then(() => undefined);
    }
    return { waitMs, why: `${perMinute} calls per minute across the fleet` };
  };

  return {
    acquire: () => wait(look),
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
