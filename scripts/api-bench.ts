// For `pnpm bench`: minting through Explo's API at fleet scale, against a loopback stand-in of the
// API. Counts, not timings: how many API calls page loads cost with and without a shared store, and
// how many calls a burst of customers sends in its first minute.
import { createExploEmbed, type ExploTokenStore } from '@explo-embed/core';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { answersLikeExplo, startExploApi } from '../test/support/explo-api.js';
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

export async function apiBench() {
  const withoutStore = await callsPerThousandPages(undefined);
  let redis: RunningRedis | undefined;
  let withStore: number | 'skipped (no redis-server)' = 'skipped (no redis-server)';
  const connections: KeyvRedis<unknown>[] = [];
  try {
    redis = await startRedis();
    const url = redis.url;
    withStore = await callsPerThousandPages(() => {
      const connection = new KeyvRedis(url);
      connections.push(connection);
      return new Keyv(connection, { namespace: 'bench' }) as ExploTokenStore;
    });
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
  };
}
