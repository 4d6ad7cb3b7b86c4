import { execFileSync } from 'node:child_process';
import { createExploEmbed, type ExploEmbed } from '@explo-embed/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiBehaviour, mintsLikeExplo, startExploApi } from '../support/explo-api.js';
import type { RunningServer } from '../support/http.js';
import { capturingLogger } from '../support/logger.js';
import { type RunningRedis, startRedis } from '../support/redis.js';

// Whoever can write to the fleet's Redis (another app sharing it) can cost the fleet its sharing,
// never its requests: a budget someone filled, a lock someone holds forever, a huge value.
const KEY = { keyId: '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b', keyValue: 'fleet-tampering-key-of-32-bytes!' };
const API_TOKEN = 'explo-api-token-fleet-tampering-0123';
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

async function instance(
  behaviour: ApiBehaviour = mintsLikeExplo([KEY], () => Date.now()),
  // Another instance of the same app: the same Explo (its URL is part of what names the app's keys).
  same?: RunningServer & { calls: unknown[] },
) {
  const api = same ?? (await startExploApi(behaviour));
  if (!same) apis.push(api);
  const logger = capturingLogger();
  const embed = createExploEmbed({
    api: { token: API_TOKEN, url: api.url, rateLimit: { perMinute: 40 } },
    secret: KEY,
    dashboards: { sales: 'emb-sales' },
    redis: redis.url,
    logger,
    // A loaded machine's slow answer must not count as Redis down here: these tests tell a forged
    // value from a failing Redis.
    reuse: { storeTimeout: '10s' },
  });
  embeds.push(embed);
  return { embed, api, logger };
}

// The key of this app's budget count (its name is the app's, not fixed): found after a first mint.
const budgetKey = () =>
  cli('--scan', '--pattern', 'explo-embed:budget:*')
    .split('\n')
    .find((key) => key !== '' && !key.endsWith(':paused')) as string;

describe('a fleet Redis someone else writes to', () => {
  // The last column: where calls are counted after the five first visits. An expiry that does not
  // fit is brought back to the window at once; a count is foreign until it expires.
  it.each([
    ['far past the budget, expiring within the minute', (key: string) => cli('SET', key, '1000000', 'PX', '59000'), 'foreign'],
    ['filled for a day', (key: string) => cli('SET', key, '100000000', 'PX', '86400000'), 'foreign'],
    ['within the budget, but never expiring', (key: string) => cli('SET', key, '3'), 'shared'],
    ['not a number', (key: string) => cli('SET', key, 'full', 'PX', '59000'), 'foreign'],
    ['not a string', (key: string) => `${cli('DEL', key)}${cli('HSET', key, 'count', '1000000')}`, 'foreign'],
  ])(
    'a budget count %s: first visits get tokens from this instance’s share; sharing goes on, health and log say so',
    async (_name, tamper, budget) => {
      const { embed, api, logger } = await instance();
      await embed.mint({ customerId: 'warm-up' });
      tamper(budgetKey());
      // perMinute 40 with localShare 0.25: this instance allows itself 10 calls while the count is foreign.
      const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => embed.mint({ customerId: `first-visit-${i}` })));
      expect(tokens.every((token) => token.jwt.length > 0)).toBe(true);
      expect(api.calls).toHaveLength(6);
      // Redis itself is fine: only the budget is counted alone (the lock and reuse still go through Redis).
      expect(embed.health()).toMatchObject({ redis: 'ready', api: { budget } });
      const other = await instance(undefined, api);
      await other.embed.mint({ customerId: 'first-visit-0' });
      expect(api.calls).toHaveLength(6);
      // Logged once (a warning, never a secret), however many calls found the count foreign.
      const warnings = logger.lines.filter((line) => line.includes('budget'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^warn \[explo-embed\] ERR_EXPLO_STORE_UNAVAILABLE \(store\): Redis holds a count of Explo API calls/,
      );
      expect(warnings[0]).not.toContain(API_TOKEN);
      // An expiry that does not fit the window is brought back to it: the count is the fleet's again within a minute.
      const ttl = Number(cli('PTTL', budgetKey()));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    },
  );

  it('a lock held forever (no expiry) is not waited for: the miss is minted at once', async () => {
    // The first instance's call to Explo hangs while it holds the lock; someone makes that lock permanent.
    const hanging = await instance(() => 'hang');
    const stuck = hanging.embed.mint({ customerId: 'locked' }).catch(() => undefined);
    let lock = '';
    for (let turn = 0; turn < 400 && lock === ''; turn++) {
      lock = cli('--scan', '--pattern', 'explo-embed:lock:*');
      if (lock === '') await new Promise((resolve) => setImmediate(resolve));
    }
    expect(lock).toMatch(/^explo-embed:lock:/);
    cli('PERSIST', lock);
    const other = await instance();
    // Within this test's time limit, far below the 10 s a live lock may be waited for.
    const token = await other.embed.mint({ customerId: 'locked' });
    expect(token.jwt).toBeDefined();
    expect(other.api.calls).toHaveLength(1);
    void stuck;
  }, 5_000);

  it('a huge value at a token key is not read: a miss, minted anew', async () => {
    const { embed, api } = await instance();
    await embed.mint({ customerId: 'huge' });
    const [key] = cli('--scan', '--pattern', 'explo-embed:*')
      .split('\n')
      .filter((k) => !k.includes(':budget') && !k.includes(':lock') && !k.includes(':fresh'));
    // The value from stdin (-x): a megabyte does not fit on a command line.
    execFileSync('redis-cli', ['-p', String(redis.port), '-x', 'SET', key as string], { input: 'x'.repeat(1_000_000) });
    const other = await instance();
    expect((await other.embed.mint({ customerId: 'huge' })).jwt).toBeDefined();
    expect(api.calls.length + other.api.calls.length).toBe(2);
  });
});
