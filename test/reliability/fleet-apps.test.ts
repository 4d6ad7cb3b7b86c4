import { execFileSync } from 'node:child_process';
import { createExploEmbed, type ExploEmbed, type ExploEmbedOptions } from '@explo-embed/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createFleetLock } from '../../packages/core/src/fleet/fleet-lock.js';
import { type Attempt, type FleetRedis, resolveRedis } from '../../packages/core/src/fleet/redis-client.js';
import { realTimers } from '../../packages/core/src/lib/timers.js';
import { nodePlatform } from '../../packages/core/src/platform/node-platform.js';
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
/** Polls `done` until it holds; fails naming `what` if it has not within `limitMs`. */
async function until(what: string, done: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
  it('Explo answers 503 with Retry-After: 4 (past the old lock’s life): the other three wait and take its token (2 calls, not 5)', async () => {
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
    await until('the lock', () => keys().some((key) => key.startsWith('explo-embed:lock:')));
    const tokens = await Promise.all([first, ...others.map(({ embed }) => embed.mint({ customerId: 'slow' }))]);
    expect(new Set(tokens.map((t) => t.jwt)).size).toBe(1);
    expect(explo.calls).toHaveLength(2);
    // Released as soon as the mint was done (in the background: the answer does not wait for it).
    await until('the lock released', () => !keys().some((key) => key.startsWith('explo-embed:lock:')));
  }, 20_000);
});

describe('the lock itself, with a lease short enough to watch', () => {
  const LOCKS = 'lock-test';
  // One second, renewed every 200 ms; asked through its own connection, never a blocking redis-cli
  // (which would hold up the owner's renewals in this very process).
  const LEASE_MS = 1_000;
  let connection: FleetRedis;
  const ask = (...args: string[]) => connection.command(...args);
  const lockKey = async () => ((await ask('KEYS', `${LOCKS}:lock:*`)) as string[])[0];
  beforeEach(async () => {
    connection = resolveRedis(redis.url, () => {}, nodePlatform.loadRedis);
    await connection.connecting;
  });
  afterEach(async () => {
    await connection.close();
  });
  // A mint the test ends when it wants, and a store the waiters read.
  function slowMint() {
    let stored: string | undefined;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mints: string[] = [];
    return {
      mints,
      release,
      read: async () => stored,
      mint: async () => {
        mints.push('minted');
        await gate;
        stored = 'the token';
        return stored;
      },
    };
  }
  const locks = (count: number) => {
    const attempt: Attempt = (work) => work();
    const settings = { prefix: LOCKS, leaseMs: LEASE_MS, holdMs: 30_000, clock: Date.now };
    return Array.from({ length: count }, () => createFleetLock(connection, settings, realTimers, attempt));
  };

  it('renewed by its owner while it mints, over several leases: the others wait, and take its token', async () => {
    const [owner, ...others] = locks(3);
    const slow = slowMint();
    const first = owner?.once('customer', slow.read, slow.mint);
    await until('the lock', async () => (await lockKey()) !== undefined);
    const key = (await lockKey()) as string;
    const waiting = others.map((lock) => lock.once('customer', slow.read, slow.mint));
    // Held past three leases, its expiry moving back up each time the owner renews it.
    const start = Date.now();
    let renewals = 0;
    let last = Number(await ask('PTTL', key));
    await until('three leases', async () => {
      const ttl = Number(await ask('PTTL', key));
      if (ttl > last) renewals++;
      last = ttl;
      return Date.now() - start > 3 * LEASE_MS;
    });
    expect(renewals).toBeGreaterThanOrEqual(3);
    slow.release();
    expect(await Promise.all([first, ...waiting])).toEqual(['the token', 'the token', 'the token']);
    expect(slow.mints).toHaveLength(1);
    // Released when the mint was done (in the background: the answer does not wait for it).
    await until('the lock released', async () => (await lockKey()) === undefined);
  });

  it('renewed by its owner only: a lock someone else holds is neither renewed nor released by it', async () => {
    const [owner] = locks(1);
    const slow = slowMint();
    const minting = owner?.once('customer', slow.read, slow.mint);
    await until('the lock', async () => (await lockKey()) !== undefined);
    const key = (await lockKey()) as string;
    // Someone else's lock at the same key (as after a lapse): it lapses on its own time.
    await ask('SET', key, 'someone-else', 'PX', '400');
    await until('the other lock to lapse', async () => (await lockKey()) === undefined);
    await ask('SET', key, 'someone-else', 'PX', '60000');
    slow.release();
    expect(await minting).toBe('the token');
    expect(await ask('GET', key)).toBe('someone-else');
  });
});
