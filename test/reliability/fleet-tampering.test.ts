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

async function instance(behaviour: ApiBehaviour = mintsLikeExplo([KEY], () => Date.now())) {
  const api = Object.assign(await startExploApi(behaviour), {});
  apis.push(api);
  const logger = capturingLogger();
  const embed = createExploEmbed({
    api: { token: API_TOKEN, url: api.url, rateLimit: { perMinute: 40 } },
    secret: KEY,
    dashboards: { sales: 'emb-sales' },
    redis: redis.url,
    logger,
  });
  embeds.push(embed);
  return { embed, api, logger };
}

describe('a fleet Redis someone else writes to', () => {
  it('a budget filled for a day: this instance keeps to its own share, and says Redis is down', async () => {
    const { embed, logger } = await instance();
    await embed.mint({ customerId: 'warm-up' });
    cli('SET', 'explo-embed:budget:explo-api', '100000000', 'PX', '86400000');
    const token = await embed.mint({ customerId: 'after-tampering' });
    expect(token.jwt).toBeDefined();
    expect(embed.health().redis).toBe('down');
    expect(logger.lines.join('\n')).toMatch(/ERR_EXPLO_STORE_UNAVAILABLE \(store\): Redis did not answer/);
  });

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
