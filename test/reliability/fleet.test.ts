import { execFileSync } from 'node:child_process';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mintsLikeExplo, startExploApi } from '../support/explo-api.js';
import { type FleetWorker, type MintOutcome, startFleet } from '../support/fleet.js';
import type { RunningServer } from '../support/http.js';
import { type RunningRedis, startRedis } from '../support/redis.js';

// A fleet is several processes on one Redis (Debian's redis-server, started here on a free loopback
// port with no persistence, stopped at the end) and one loopback stand-in of Explo's API. Explo's
// limit is per IP address, so the budget is the fleet's; a miss is minted once across the fleet.
const KEY = { keyId: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', keyValue: 'fleet-test-key-value-of-32-bytes' };

let redis: RunningRedis;
let api: RunningServer & { calls: unknown[] };
const workers: FleetWorker[] = [];

beforeAll(async () => {
  [redis, api] = await Promise.all([startRedis(), startExploApi(mintsLikeExplo([KEY], () => Date.now()))]);
}, 30_000);
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close()));
  // Each test starts from an empty Redis: no budget spent, no token shared, by an earlier one.
  execFileSync('redis-cli', ['-p', String(redis.port), 'FLUSHALL'], { stdio: 'ignore' });
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
});

async function fleet(count: number, options: object = {}, client: 'url' | 'node-redis' | 'ioredis' = 'url', url = redis.url) {
  const started = await startFleet(count, { redis: url, client, apiUrl: api.url, key: KEY, options });
  workers.push(...started);
  return started;
}
// Redis on this machine answers in microseconds; a fleet that counts exactly must not take a loaded
// machine's slow answer (over a second by default) for Redis being down, and go on alone.
const PATIENT = { reuse: { storeTimeout: '10s' } };
const jwtOf = (outcome: MintOutcome | undefined) => (outcome && 'jwt' in outcome ? outcome.jwt : undefined);
const codes = (outcomes: MintOutcome[]) => [...new Set(outcomes.map((o) => ('code' in o ? o.code : 'ok')))].sort();

describe('a fleet of processes on one Redis', () => {
  it.each([['url'], ['node-redis'], ['ioredis']] as const)(
    '4 processes asking for the same 50 customers at once: 50 calls to Explo, one token each (%s)',
    async (client) => {
      const instances = await fleet(4, PATIENT, client);
      const before = api.calls.length;
      const customers = Array.from({ length: 50 }, (_, i) => `${client}-customer-${i}`);
      const answers = await Promise.all(instances.map((instance) => instance.mint(customers)));
      expect(api.calls.length - before).toBe(50);
      for (const [i, customer] of customers.entries()) {
        const tokens = new Set(answers.map((answer) => jwtOf(answer[i])));
        expect(tokens.size).toBe(1);
        expect((await decryptExploJwt([...tokens][0] as string, KEY)).claims.cst).toBe(customer);
      }
    },
    60_000,
  );

  it('a 1 000-customer burst over 4 processes stays within one budget for the fleet', async () => {
    const instances = await fleet(4, {
      ...PATIENT,
      api: { token: 'explo-api-token-fleet-tests-0123456789', url: api.url, rateLimit: { perMinute: 40, maxWait: '200ms' } },
    });
    const before = api.calls.length;
    const outcomes = (
      await Promise.all(instances.map((instance, n) => instance.mint(Array.from({ length: 250 }, (_, i) => `burst-${n}-${i}`))))
    ).flat();
    expect(api.calls.length - before).toBe(40);
    expect(outcomes.filter((o) => 'jwt' in o)).toHaveLength(40);
    expect(codes(outcomes)).toEqual(['ERR_EXPLO_API_RATE_LIMITED', 'ok']);
  }, 60_000);

  it('Redis stopped under load costs sharing, not requests: each process goes on with its share, and says so', async () => {
    const own = await startRedis();
    try {
      const instances = await fleet(
        2,
        {
          ...PATIENT,
          api: {
            token: 'explo-api-token-fleet-tests-0123456789',
            url: api.url,
            rateLimit: { perMinute: 40, localShare: 0.25, maxWait: '100ms' },
          },
        },
        'url',
        own.url,
      );
      // Each has minted through Redis (its first connection awaited), and says Redis is up.
      for (const [n, instance] of instances.entries()) {
        expect(jwtOf((await instance.mint([`before-outage-${n}`]))[0])).toBeDefined();
        expect((await instance.health()).redis).toBe('ready');
      }
      await own.stop();
      const before = api.calls.length;
      const outcomes = (
        await Promise.all(instances.map((instance, n) => instance.mint(Array.from({ length: 30 }, (_, i) => `outage-${n}-${i}`))))
      ).flat();
      // No request failed for Redis: tokens within each process's share (10 of 40), the rest refused by the budget.
      expect(codes(outcomes)).toEqual(['ERR_EXPLO_API_RATE_LIMITED', 'ok']);
      expect(api.calls.length - before).toBe(20);
      for (const instance of instances) {
        expect((await instance.health()).redis).toBe('down');
        const warnings = instance.logged.filter((line) => line.includes('ERR_EXPLO_STORE_UNAVAILABLE'));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/^warn \[explo-embed\] ERR_EXPLO_STORE_UNAVAILABLE \(store\): Redis did not answer/);
      }
    } finally {
      await own.stop();
    }
  }, 60_000);
});
