import { execFileSync } from 'node:child_process';
import { createExploEmbed, type ExploEmbed, type ExploEmbedOptions, type ExploTokenStore } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { answersLikeExplo, startExploApi } from '../support/explo-api.js';
import type { RunningServer } from '../support/http.js';
import { type RunningRedis, startRedis } from '../support/redis.js';

// A fleet sharing token reuse through a real Redis (Debian's redis-server, started here on a free
// loopback port with no persistence, stopped at the end): four instances mint each customer's token
// once; Redis holds digests, not customer ids; a Redis that goes away costs reuse, not requests.
const KEY = { keyId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', keyValue: 'shared-store-test-key-of-32bytes' };
const API_TOKEN = 'explo-api-token-shared-store-0123456789';

let redis: RunningRedis;
let api: RunningServer & { calls: unknown[] };
const connections: KeyvRedis<unknown>[] = [];

function fleet(
  count: number,
  options: Partial<ExploEmbedOptions>,
  logged: string[] = [],
  reuse: { storeTimeout?: `${number}s` } = {},
): ExploEmbed[] {
  return Array.from({ length: count }, () => {
    // No reconnecting: once the test stops Redis, a client waiting to reconnect would hold a timer
    // past the end of this file (and Jest's worker open).
    const connection = new KeyvRedis({ url: redis.url, socket: { reconnectStrategy: false } });
    connections.push(connection);
    const keyv = new Keyv(connection, { namespace: 'explo' });
    return createExploEmbed({
      dashboards: { sales: 'emb-sales', ops: 'emb-ops' },
      reuse: { store: keyv as ExploTokenStore, ...reuse },
      logger: { warn: (line) => logged.push(line), error: (line) => logged.push(line) },
      ...options,
    });
  });
}

beforeAll(async () => {
  redis = await startRedis();
  api = await startExploApi(answersLikeExplo);
}, 30_000);

afterAll(async () => {
  // Destroyed, not quit: clients of the stopped server would otherwise keep reconnecting.
  for (const connection of connections) {
    try {
      connection.client.destroy();
    } catch {
      // already closed
    }
  }
  await api?.close();
  await redis?.stop();
});

// What these tests show is sharing, not the store's time bound: a loaded machine may take longer
// than the default 250 ms to answer, which would (rightly) cost sharing and fail the count.
const PATIENT = { storeTimeout: '10s' } as const;

describe('a fleet sharing reuse through Redis', () => {
  it('mints once per customer and dashboard through Explo’s API, whichever instance asks', async () => {
    const instances = fleet(4, { api: { token: API_TOKEN, url: api.url } }, [], PATIENT);
    const before = api.calls.length;
    const customers = Array.from({ length: 25 }, (_, i) => `fleet-customer-${i}`);
    // Each instance in turn, one customer at a time: the first asker mints, the others reuse.
    for (const customerId of customers) {
      const tokens = [];
      for (const instance of instances) tokens.push(await instance.mint({ customerId }));
      expect(new Set(tokens.map((token) => token.jwt)).size).toBe(1);
    }
    expect(api.calls.length - before).toBe(customers.length);
  });

  it('shares local mints the same way, and keeps customers apart', async () => {
    const [a, b] = fleet(2, { secret: KEY }, [], PATIENT);
    const fromA = await a!.mint({ customerId: 'local-1' });
    expect((await b!.mint({ customerId: 'local-1' })).jwt).toBe(fromA.jwt);
    expect((await b!.mint({ customerId: 'local-2' })).jwt).not.toBe(fromA.jwt);
    expect((await b!.mint({ customerId: 'local-1', dashboard: 'ops' })).jwt).not.toBe(fromA.jwt);
  });

  it('stores digests: no customer id, embed id or token in Redis keys', () => {
    const keys = execFileSync('redis-cli', ['-p', String(redis.port), '--scan'], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^explo::explo-embed:[A-Za-z0-9_-]{43}$/);
      expect(key).not.toMatch(/customer|local-|emb-/);
    }
  });

  it('a Redis that goes away costs reuse, never a request, and is logged as a warning', async () => {
    const logged: string[] = [];
    const [instance] = fleet(1, { secret: KEY }, logged);
    await instance!.mint({ customerId: 'before-outage' });
    await redis.stop();
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => instance!.mint({ customerId: `during-outage-${i}` })));
    expect(tokens).toHaveLength(20);
    // Reuse within the process still works.
    expect((await instance!.mint({ customerId: 'during-outage-0' })).jwt).toBe(tokens[0]!.jwt);
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged.every((line) => line.includes('ERR_EXPLO_STORE_UNAVAILABLE'))).toBe(true);
    expect(logged.join('\n')).not.toContain(KEY.keyValue);
  }, 30_000);
});
