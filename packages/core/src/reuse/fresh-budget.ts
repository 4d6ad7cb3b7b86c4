import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Attempt } from '../fleet/fleet.js';
import type { FleetRedis } from '../fleet/redis-client.js';

/** How many fresh mints (`fresh=1`) one customer may have per minute, across all its dashboards. */
export interface FreshBudget {
  /** Counts one fresh mint for `customerId`: `undefined` when allowed, else the ms until it would be. */
  take(customerId: string): Promise<number | undefined>;
}

/**
 * Per customer, counted by rate-limiter-flexible: in this process, or across the fleet in Redis
 * (keyed by a digest: no customer id in Redis), falling back to this process's count when Redis
 * fails or is slow.
 */
export function createFreshBudget(perMinute: number, fleet: { redis: FleetRedis; attempt: Attempt } | undefined): FreshBudget {
  const settings = { points: perMinute, duration: 60, keyPrefix: 'explo-embed:fresh' };
  const local = new RateLimiterMemory(settings);
  const shared =
    fleet === undefined
      ? undefined
      : new RateLimiterRedis({
          ...settings,
          storeClient: fleet.redis.client,
          useRedisPackage: fleet.redis.kind === 'node-redis',
          rejectIfRedisNotReady: true,
        });
  // Spent is an answer (the ms until the next point), not a failure.
  const outcome = (consume: Promise<unknown>): Promise<number | undefined> =>
    consume.then(
      () => undefined,
      (result: unknown) => (result instanceof RateLimiterRes ? Math.max(1, result.msBeforeNext) : Promise.reject(result)),
    );
  return {
    async take(customerId) {
      if (shared === undefined || fleet === undefined) return outcome(local.consume(customerId));
      const key = createHash('sha256').update(customerId).digest('base64url');
      try {
        return await fleet.attempt(() => outcome(shared.consume(key)));
      } catch {
        return outcome(local.consume(customerId));
      }
    },
  };
}
