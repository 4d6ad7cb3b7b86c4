// For `pnpm bench`: minting through Explo's API at fleet scale, against a loopback stand-in of the
// API. Counts, not timings: how many API calls page loads cost with and without a shared store, and
// how many calls a burst of customers sends in its first minute.
import { execFileSync } from 'node:child_process';
import { createExploEmbed, type ExploTokenStore } from '@explo-embed/core';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { answersLikeExplo, mintsLikeExplo, startExploApi } from '../test/support/explo-api.js';
import { startFleet } from '../test/support/fleet.js';
import { type RunningRedis, startRedis } from '../test/support/redis.js';

const API_TOKEN = 'explo-api-token-for-the-bench-000000';

/** A stand-in of Explo's API that counts the calls it gets. */
async function countingApi() {
  let calls = 0;
  const api = await startExploApi((call, n) => {
    calls++;
    return answersLikeExplo(call, n);
  });
  return { url: api.url, calls: () => calls, close: () => api.close() };
}

/** API calls for 1 000 page loads over 100 customers, spread over 4 instances. */
async function callsPerThousandPages(store: (() => ExploTokenStore) | undefined): Promise<number> {
  const api = await countingApi();
  try {
    const fleet = Array.from({ length: 4 }, () =>
      createExploEmbed({
        api: { token: API_TOKEN, url: api.url },
        dashboards: { sales: 'emb-sales' },
        logger: false,
        ...(store ? { reuse: { store: store() } } : {}),
      }),
    );
    // Ten visits per customer, each round of 100 on the next instance: every instance sees every customer.
    for (let page = 0; page < 1_000; page++) {
      await fleet[Math.floor(page / 100) % 4]?.mint({ customerId: `customer-${page % 100}` });
    }
    return api.calls();
  } finally {
    await api.close();
  }
}

/** 1 000 customers at once on one instance: calls sent, and requests refused with Retry-After. */
async function burst(perMinute: number) {
  const api = await countingApi();
  try {
    const embed = createExploEmbed({
      api: { token: API_TOKEN, url: api.url, rateLimit: { perMinute } },
      dashboards: { sales: 'emb-sales' },
      logger: false,
    });
    const results = await Promise.allSettled(Array.from({ length: 1_000 }, (_, i) => embed.mint({ customerId: `burst-${i}` })));
    return { calls: api.calls(), refused: results.filter((r) => r.status === 'rejected').length };
  } finally {
    await api.close();
  }
}

const FLEET_KEY = { keyId: '5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c', keyValue: 'bench-fleet-key-value-32-bytes!!' };

/**
 * Four processes on one Redis (`redis` option) and one stand-in of Explo's API: the API calls a
 * 1 000-customer burst sends (250 per process; the budget is the fleet's: goal 180 at most), and the
 * calls 4 processes asking for the same 50 customers at once send (single flight: goal 50).
 */
async function fleetCounts(redis: RunningRedis) {
  let calls = 0;
  const api = await startExploApi((call, n) => {
    calls++;
    return mintsLikeExplo([FLEET_KEY], () => Date.now())(call, n);
  });
  const run = async (work: (instances: Awaited<ReturnType<typeof startFleet>>) => Promise<unknown>) => {
    // Each count from an empty Redis: no budget spent, no token shared by the one before.
    execFileSync('redis-cli', ['-p', String(redis.port), 'FLUSHALL'], { stdio: 'ignore' });
    const instances = await startFleet(4, { redis: redis.url, client: 'url', apiUrl: api.url, key: FLEET_KEY, options: {} });
    const before = calls;
    try {
      await work(instances);
      return calls - before;
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  };
  try {
    const burst = await run((instances) =>
      Promise.all(instances.map((instance, n) => instance.mint(Array.from({ length: 250 }, (_, i) => `fleet-burst-${n}-${i}`)))),
    );
    const customers = Array.from({ length: 50 }, (_, i) => `fleet-same-${i}`);
    const same50 = await run((instances) => Promise.all(instances.map((instance) => instance.mint(customers))));
    return { burstOf1000Over4Processes: burst, same50CustomersOn4Processes: same50 };
  } finally {
    await api.close();
  }
}

export async function apiBench() {
  const withoutStore = await callsPerThousandPages(undefined);
  let redis: RunningRedis | undefined;
  let withStore: number | 'skipped (no redis-server)' = 'skipped (no redis-server)';
  let fleet: Awaited<ReturnType<typeof fleetCounts>> | undefined;
  const connections: KeyvRedis<unknown>[] = [];
  try {
    redis = await startRedis();
    const url = redis.url;
    withStore = await callsPerThousandPages(() => {
      const connection = new KeyvRedis(url);
      connections.push(connection);
      return new Keyv(connection, { namespace: 'bench' }) as ExploTokenStore;
    });
    fleet = await fleetCounts(redis);
  } catch (error) {
    if (redis) throw error;
  } finally {
    for (const connection of connections) await connection.disconnect(true).catch(() => {});
    await redis?.stop();
  }
  // Explo's limit is per IP address: the default budget keeps one instance within it.
  const budgeted = await burst(180);
  const unlimited = await burst(100_000);
  return {
    callsPer1000Pages: { withoutStore, withStore },
    burstOf1000: { budgeted, unlimited },
    fleet,
  };
}
