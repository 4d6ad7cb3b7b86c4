import { createServer } from 'node:http';
import { decryptExploJwt, type ExploSecret } from '@explo-embed/core';
import { type ExploExpressOptions, exploEmbed } from '@explo-embed/express';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import express from 'express';
import { listen, type RunningServer } from '../support/http.js';
import { capturingLogger } from '../support/logger.js';

const KEY: ExploSecret = { keyId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', keyValue: 'faults-test-key-value-of-32bytes' };
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// What the middleware logged in the current test: each test asserts on it.
let logger = capturingLogger();
afterEach(() => {
  logger = capturingLogger();
});

async function app(options: Omit<ExploExpressOptions, 'dashboards'>) {
  const a = express();
  a.use(exploEmbed({ dashboards: { sales: 'emb-sales' }, customer: (req) => req.get('x-customer'), logger, ...options }));
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
    expect(logger.lines).toEqual([
      expect.stringMatching(/^error \[explo-embed\] ERR_EXPLO_SECRET_UNAVAILABLE \(secret\): the secret provider threw/),
    ]);
    expect(logger.lines[0]).not.toContain('secret manager down');
  });

  it('a hanging provider: 503 once the timeout passes, not a hung request', async () => {
    const get = await app({ secret: () => new Promise<ExploSecret>(() => {}), secretCache: { timeout: '200ms' } });
    const response = await get();
    expect(response.status).toBe(503);
    expect(logger.lines).toEqual([
      expect.stringMatching(/ERR_EXPLO_SECRET_UNAVAILABLE \(secret\): the secret provider did not answer within 200 ms/),
    ]);
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
    expect(logger.lines).toEqual([expect.stringMatching(/ERR_EXPLO_KEY_LENGTH \(secret\): .*33 bytes.*whitespace/)]);
    for (const text of [...seen, ...logger.lines, await response.text()]) expect(text).not.toContain(KEY.keyValue);
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
    // Failing for minutes: logged once a minute, each time with its code.
    expect(logger.lines.length).toBeGreaterThanOrEqual(2);
    for (const line of logger.lines) expect(line).toMatch(/ERR_EXPLO_SECRET_UNAVAILABLE \(secret\)/);
  });

  it('1 000 concurrent first requests -> one provider call', async () => {
    // The provider answers only once all 1 000 requests have arrived (counted by the customer hook).
    let arrived = 0;
    let everyoneIn: () => void = () => {};
    const allArrived = new Promise<void>((resolve) => {
      everyoneIn = resolve;
    });
    const provider = jest.fn(async () => {
      await allArrived;
      return KEY;
    });
    const get = await app({
      secret: provider,
      // This is about single flight, not time limits: arrivals may take a while on a loaded machine.
      secretCache: { timeout: '1m' },
      customer: (req) => {
        if (++arrived === 1000) everyoneIn();
        return req.get('x-customer');
      },
    });
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => get(`first-${i}`)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(provider).toHaveBeenCalledTimes(1);
  });
});
