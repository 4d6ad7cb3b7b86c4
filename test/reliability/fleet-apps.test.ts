import { execFileSync } from 'node:child_process';
import { createExploEmbed, type ExploEmbed, type ExploEmbedOptions } from '@explo-embed/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mintsLikeExplo, startExploApi } from '../support/explo-api.js';
import type { RunningServer } from '../support/http.js';
import { type RunningRedis, startRedis } from '../support/redis.js';

// Several apps on one Redis (each its own Explo API token, or its own `redis.prefix`), and one app's
// instances sharing a mint that takes longer than its lock lasts: what one app does costs the other
// nothing, and a slow mint is still minted once.
const KEY = { keyId: '4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c', keyValue: 'fleet-apps-test-key-of-32-bytes!' };
let redis: RunningRedis;
const embeds: ExploEmbed[] = [];
const apis: RunningServer[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterEach(async () => {
  await Promise.all(embeds.splice(0).map((embed) => embed.close()));
  await Promise.all(apis.splice(0).map((api) => api.close()));
  cli('FLUSHALL');
});
afterAll(async () => {
  await redis?.stop();
});

const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' }).trim();
const keys = () => cli('--scan').split('\n').filter(Boolean).sort();

async function app(
  token: string,
  { api: apiOptions, ...options }: Partial<ExploEmbedOptions> = {},
  shared?: RunningServer & { calls: unknown[] },
) {
  const api = shared ?? (await startExploApi(mintsLikeExplo([KEY], () => Date.now())));
  if (!shared) apis.push(api);
  const embed = createExploEmbed({
    api: { token, url: api.url, ...apiOptions, rateLimit: { perMinute: 30, maxWait: '100ms', ...apiOptions?.rateLimit } },
    secret: KEY,
    dashboards: { sales: 'emb-sales' },
    redis: redis.url,
    logger: false,
    // A loaded machine's slow answer must not count as Redis down here: that would split the budget.
    reuse: { storeTimeout: '10s' },
    ...options,
  });
  embeds.push(embed);
  return { embed, api };
}

const mintAll = (embed: ExploEmbed, prefix: string, count: number) =>
  Promise.allSettled(Array.from({ length: count }, (_, i) => embed.mint({ customerId: `${prefix}-${i}` })));
const failedCodes = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as { code: string }).code] : []));

describe('apps sharing one Redis', () => {
  it('each app has its own budget: one spending all of its own leaves the other’s first visits alone', async () => {
    const a = await app('explo-api-token-app-a-0123456789');
    const b = await app('explo-api-token-app-b-0123456789');
    expect(failedCodes(await mintAll(a.embed, 'a', 30))).toEqual([]);
    // A's budget is spent...
    expect(failedCodes(await mintAll(a.embed, 'a-more', 1))).toEqual(['ERR_EXPLO_API_RATE_LIMITED']);
    // ...and B's is whole.
    expect(failedCodes(await mintAll(b.embed, 'b', 5))).toEqual([]);
    expect(a.api.calls).toHaveLength(30);
    expect(b.api.calls).toHaveLength(5);
  });

  it('redis.prefix: every key of the app starts with it, and two apps with one API token keep apart', async () => {
    const token = 'explo-api-token-one-for-both-0123';
    const billing = await app(token, { redis: { connection: redis.url, prefix: 'billing' } });
    const sales = await app(token, { redis: { connection: redis.url, prefix: 'sales-app' } });
    expect(failedCodes(await mintAll(billing.embed, 'customer', 30))).toEqual([]);
    expect(keys().every((key) => key.startsWith('billing:'))).toBe(true);
    expect(keys().some((key) => key.startsWith('billing:budget:'))).toBe(true);
    // The same customers: not billing's tokens (another prefix is another app), and its own budget.
    expect(failedCodes(await mintAll(sales.embed, 'customer', 5))).toEqual([]);
    expect(sales.api.calls).toHaveLength(5);
    expect(
      keys()
        .filter((key) => !key.startsWith('billing:'))
        .every((key) => key.startsWith('sales-app:')),
    ).toBe(true);
  });
});

describe('a mint slower than the lock lasts', () => {
  it('Explo answers 503 with Retry-After: 4: the lock is renewed, the other three wait and take its token (2 calls, not 5)', async () => {
    const token = 'explo-api-token-slow-mint-0123456';
    const ok = mintsLikeExplo([KEY], () => Date.now());
    // One Explo for the fleet: its first answer is a 503 asking for 4 s, longer than the lock's lease.
    const explo = await startExploApi((call, n) =>
      n === 0 ? { status: 503, body: {}, headers: { 'retry-after': '4' } } : ok(call, n),
    );
    apis.push(explo);
    const slow = { api: { token, timeout: '1s', retries: 1 } } as const;
    const [owner, ...others] = await Promise.all([0, 1, 2, 3].map(() => app(token, slow, explo)));
    const first = (owner as { embed: ExploEmbed }).embed.mint({ customerId: 'slow' });
    // The others ask once the owner holds the lock.
    while (!keys().some((key) => key.startsWith('explo-embed:lock:'))) await new Promise((resolve) => setImmediate(resolve));
    const tokens = await Promise.all([first, ...others.map(({ embed }) => embed.mint({ customerId: 'slow' }))]);
    expect(new Set(tokens.map((t) => t.jwt)).size).toBe(1);
    expect(explo.calls).toHaveLength(2);
    // Released as soon as the mint was done.
    expect(keys().filter((key) => key.startsWith('explo-embed:lock:'))).toEqual([]);
  }, 20_000);
});
