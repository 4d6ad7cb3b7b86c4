import { execFileSync } from 'node:child_process';
import { createExploEmbed, type ExploCustomer, type ExploEmbed } from '@explo-embed/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiCall, startExploApi } from '../support/explo-api.js';
import type { RunningServer } from '../support/http.js';
import { type RunningRedis, startRedis } from '../support/redis.js';

// Customers provisioned across a fleet: the instances of an app share, through one Redis, which
// customers Explo holds and what it was last told of each, so another instance (or one just
// restarted) sends no call for a customer already provisioned, and one update when it changed.
const KEY = { keyId: '4f5a6b7c-8d9e-4fa0-8b1c-2d3e4f5a6b7c', keyValue: 'customers-fleet-key-of-32-bytes!' };
const API_TOKEN = 'explo-api-token-customers-fleet-0123';

let redis: RunningRedis;
let api: RunningServer & { calls: ApiCall[] };
const embeds: ExploEmbed[] = [];

beforeAll(async () => {
  [redis, api] = await Promise.all([
    startRedis(),
    startExploApi((call) => ({
      status: 200,
      body: { success: 1, new_customer: true, customer: call.body },
    })),
  ]);
}, 30_000);
afterEach(async () => {
  await Promise.all(embeds.splice(0).map((embed) => embed.close()));
  execFileSync('redis-cli', ['-p', String(redis.port), 'FLUSHALL'], { stdio: 'ignore' });
  api.calls.splice(0);
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
});

function instance(provision: () => ExploCustomer, url = redis.url, storeTimeout: `${number}s` = '10s'): ExploEmbed {
  const embed = createExploEmbed({
    secret: KEY,
    dashboards: { sales: 'emb-sales' },
    redis: url,
    reuse: { storeTimeout }, // by default, a loaded machine's slow answer is not Redis being down
    customers: { apiToken: API_TOKEN, url: api.url, provision },
    logger: false,
  });
  embeds.push(embed);
  return embed;
}

describe('customers provisioned across a fleet', () => {
  it('a second instance sends no call for a customer the first provisioned; one update when the body changed', async () => {
    await instance(() => ({ properties: { plan: 'pro' } })).mint({ customerId: 'acme' });
    expect(api.calls.map((call) => call.path)).toEqual(['/api/create_customer/']);
    await instance(() => ({ properties: { plan: 'pro' } })).mint({ customerId: 'acme' });
    expect(api.calls).toHaveLength(1);
    await instance(() => ({ properties: { plan: 'enterprise' } })).mint({ customerId: 'acme' });
    expect(api.calls.map((call) => call.path)).toEqual(['/api/create_customer/', '/api/update_customer/']);
    // What Redis holds names no customer.
    const keys = execFileSync('redis-cli', ['-p', String(redis.port), 'KEYS', '*customer*'], { encoding: 'utf8' });
    expect(keys.trim().split('\n')).toHaveLength(1);
    expect(keys).not.toContain('acme');
  });

  it('without a Redis to ask, an instance provisions on its own: the request still gets its token', async () => {
    const embed = instance(() => ({}), 'redis://127.0.0.1:9', '1s');
    const token = await embed.mint({ customerId: 'acme' });
    expect(token.jwt).toMatch(/^ey/);
    expect(api.calls.map((call) => call.path)).toEqual(['/api/create_customer/']);
  });
});
