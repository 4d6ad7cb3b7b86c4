import { createServer } from 'node:http';
import { decryptExploJwt, type ExploEmbedOptions, type ExploSecret } from '@explo-embed/core';
import { exploEmbed } from '@explo-embed/express';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import express from 'express';
import { listen, type RunningServer } from '../support/http.js';

const KEY: ExploSecret = { keyId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', keyValue: 'faults-test-key-value-of-32bytes' };
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function app(options: Omit<ExploEmbedOptions, 'dashboards'>) {
  const a = express();
  a.use(exploEmbed({ dashboards: { sales: 'emb-sales' }, customer: (req) => req.get('x-customer'), ...options }));
  const server = await listen(createServer(a));
  servers.push(server);
  return (customer = 'acme') => fetch(`${server.url}/explo/token`, { headers: { 'x-customer': customer } });
}

describe('secret provider faults, over HTTP', () => {
  it('a throwing provider: 503 problem+json with Retry-After', async () => {
    const get = await app({
      secret: () => {
        throw new Error('secret manager down');
      },
      secretCache: { retryAfter: '3s' },
    });
    const response = await get();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ code: 'ERR_EXPLO_SECRET_UNAVAILABLE' });
  });

  it('a hanging provider: 503 within the timeout, not a hung request', async () => {
    const get = await app({ secret: () => new Promise<ExploSecret>(() => {}), secretCache: { timeout: '200ms' } });
    const started = Date.now();
    const response = await get();
    const elapsed = Date.now() - started;
    expect(response.status).toBe(503);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('a malformed secret: 503 with the coded cause reported to onError, never the value', async () => {
    const seen: string[] = [];
    const get = await app({
      secret: async () => ({ keyId: KEY.keyId, keyValue: `${KEY.keyValue} ` }),
      onError: (error) => seen.push(`${error.code} ${error.message}`),
    });
    const response = await get();
    expect(response.status).toBe(503);
    expect(seen[0]).toMatch(/^ERR_EXPLO_KEY_LENGTH .*33 bytes/);
    for (const text of [...seen, await response.text()]) expect(text).not.toContain(KEY.keyValue);
  });

  it('a flapping provider: the last good secret carries on while allowed, then it recovers', async () => {
    let now = Date.UTC(2026, 0, 1);
    let healthy = true;
    const provider = jest.fn(() => {
      if (!healthy) throw new Error('flap');
      return KEY;
    });
    const get = await app({
      secret: provider,
      clock: () => now,
      secretCache: { ttl: '1m', maxStale: '5m', retryAfter: '10s' },
      reuse: false,
    });
    expect((await get()).status).toBe(200);
    healthy = false;
    for (let i = 0; i < 5; i++) {
      now += 61_000; // past the TTL each time: the provider is asked, fails, the stale secret serves
      const response = await get(`c${i}`);
      expect(response.status).toBe(200);
      const { jwt } = (await response.json()) as { jwt: string };
      expect((await decryptExploJwt(jwt, KEY, { currentDate: new Date(now) })).claims.cst).toBe(`c${i}`);
    }
    now += 5 * 60_000; // now past ttl + maxStale: no secret may be used
    expect((await get()).status).toBe(503);
    healthy = true;
    now += 11_000;
    expect((await get()).status).toBe(200);
  });

  it('1 000 concurrent first requests -> one provider call', async () => {
    const provider = jest.fn(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return KEY;
    });
    const get = await app({ secret: provider });
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => get(`first-${i}`)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(provider).toHaveBeenCalledTimes(1);
  });
});
