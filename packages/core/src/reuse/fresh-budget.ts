import type { Attempt, FleetRedis } from '../fleet/redis-client.js';
import { sha256Base64url } from '../lib/digest.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from '../lib/rate-limiters.js';

/** How many fresh mints (`fresh=1`) one customer may have per minute, across all its dashboards. */
export interface FreshBudget {
  /** Counts one fresh mint for `customerId`: `undefined` when allowed, else the ms until it would be. */
  take(customerId: string): Promise<number | undefined>;
}

/**
 * Per customer (and, with Explo's API, for all customers together: `allPerMinute`), counted by
 * rate-limiter-flexible: in this process, or across the fleet in Redis (keyed by a salted digest: no
 * customer id in Redis), falling back to this process's count when Redis fails or is slow.
 */
export function createFreshBudget(
  perMinute: number,
  fleet: { redis: FleetRedis; attempt: Attempt; prefix: string } | undefined,
  scope: string,
  allPerMinute?: number,
): FreshBudget {
  const prefix = fleet?.prefix ?? 'explo-embed';
  const perCustomer = limiters(perMinute, `${prefix}:fresh:${scope}`, fleet);
  // With Explo's API, fresh mints together (every customer) may take only part of the call budget:
  // many customers each within their own budget cannot leave none for first visits.
  const all = allPerMinute === undefined ? undefined : limiters(allPerMinute, `${prefix}:fresh-all:${scope}`, fleet);
  // Spent is an answer (the ms until the next point), not a failure.
  const outcome = (consume: Promise<unknown>): Promise<number | undefined> =>
    consume.then(
      () => undefined,
      (result: unknown) => (result instanceof RateLimiterRes ? Math.max(1, result.msBeforeNext) : Promise.reject(result)),
    );
  const take = async ({ local, shared }: Limiters, key: string): Promise<number | undefined> => {
    if (shared === undefined || fleet === undefined) return outcome(local.consume(key));
    try {
      return await fleet.attempt(() => outcome(shared.consume(key)));
    } catch {
      return outcome(local.consume(key));
    }
  };
  return {
    async take(customerId) {
      // A digest, salted with this embed's scope: no customer id in Redis, and apps sharing one apart.
      const key = sha256Base64url(scope, '\u0000', customerId);
      return (await take(perCustomer, key)) ?? (all === undefined ? undefined : await take(all, 'all'));
    },
  };
}

interface Limiters {
  local: RateLimiterMemory;
  shared: RateLimiterRedis | undefined;
}

function limiters(points: number, keyPrefix: string, fleet: { redis: FleetRedis } | undefined): Limiters {
  const settings = { points, duration: 60, keyPrefix };
  return {
    local: new RateLimiterMemory(settings),
    shared:
      fleet === undefined
        ? undefined
        : new RateLimiterRedis({
            ...settings,
            storeClient: fleet.redis.client,
            useRedisPackage: fleet.redis.kind === 'node-redis',
            rejectIfRedisNotReady: true,
          }),
  };
}
