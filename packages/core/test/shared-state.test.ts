import { afterEach, describe, expect, it } from '@jest/globals';
import { mintsLikeExplo, startExploApi } from '../../../test/support/explo-api.js';
import type { RunningServer } from '../../../test/support/http.js';
import { createExploEmbed, decryptExploJwt, type ExploEmbedOptions, type ExploTokenStore } from '../src/index.js';
import { fakeTimers, KEY, KEY2, manualClock, routeFor } from './fixtures.js';

// What comes back from shared state is checked as an answer from Explo would be: a value copied
// under another key, an expired one, one minted under another lifetime or key, is dropped and minted
// anew. Every defect here was reproduced against the code before these checks.
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };
const API_TOKEN = 'explo-api-token-shared-state-0123456';
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A store anyone can write to, as a shared Redis is: a Map the test can tamper with. */
function openStore() {
  const entries = new Map<string, unknown>();
  const writes: string[] = [];
  const store: ExploTokenStore = {
    get: async (key) => entries.get(key),
    set: async (key, value) => {
      entries.set(key, value);
      writes.push(key);
    },
  };
  return { store, entries, writes };
}

/** An instance of a fleet on `store`: its own process cache, the shared store behind it. */
const instance = (store: ExploTokenStore, extra: Partial<ExploEmbedOptions> = {}) =>
  createExploEmbed({ secret: KEY, dashboards, reuse: { store }, logger: false, ...extra });

describe('tokens read back from a shared store are checked', () => {
  it('a value copied under another customer’s key hands bob his own token, not alice’s', async () => {
    const { store, entries, writes } = openStore();
    const a = instance(store);
    const alice = await a.mint({ customerId: 'alice' });
    await a.mint({ customerId: 'bob' });
    const [aliceKey, bobKey] = writes as [string, string];
    entries.set(bobKey, entries.get(aliceKey));
    const fromB = await instance(store).mint({ customerId: 'bob' });
    expect(fromB.jwt).not.toBe(alice.jwt);
    expect((await decryptExploJwt(fromB.jwt, KEY)).claims.cst).toBe('bob');
  });

  it('a value copied from another dashboard, or with other claims, is refused', async () => {
    const { store, entries, writes } = openStore();
    const a = instance(store, { claims: ({ dashboard }) => (dashboard === 'ops' ? { rbc: ['flt'] } : { rbc: ['*'] }) });
    await a.mint({ customerId: 'acme', dashboard: 'sales' });
    await a.mint({ customerId: 'acme', dashboard: 'ops' });
    const [salesKey, opsKey] = writes as [string, string];
    entries.set(opsKey, entries.get(salesKey));
    const b = instance(store, { claims: ({ dashboard }) => (dashboard === 'ops' ? { rbc: ['flt'] } : { rbc: ['*'] }) });
    const ops = await b.mint({ customerId: 'acme', dashboard: 'ops' });
    expect((await decryptExploJwt(ops.jwt, KEY)).claims).toMatchObject({ dsh: 'emb-ops', rbc: ['flt'] });
  });

  it('an expired stored token is not served (not with a fresh expiresIn either)', async () => {
    const { store, entries, writes } = openStore();
    const clock = manualClock();
    const a = instance(store, { clock: clock.now, expiresIn: '1h' });
    const old = await a.mint({ customerId: 'acme' });
    clock.advance(2 * 3_600_000);
    // Someone keeps the stale value alive past its expiry (a store with no TTL, say).
    const value = entries.get(writes[0] as string) as Record<string, unknown>;
    entries.set(writes[0] as string, { ...value, expMs: clock.now() + 86_400_000 });
    const token = await instance(store, { clock: clock.now, expiresIn: '1h' }).mint({ customerId: 'acme' });
    expect(token.jwt).not.toBe(old.jwt);
    expect(token.expiresIn).toBe(3_600);
  });

  it('a change of expiresIn is a change of key: 7-day tokens are not served after it went to 10 minutes', async () => {
    const { store } = openStore();
    const clock = manualClock();
    const week = await instance(store, { expiresIn: '7d', clock: clock.now }).mint({ customerId: 'acme' });
    const tenMinutes = await instance(store, { expiresIn: '10m', clock: clock.now }).mint({ customerId: 'acme' });
    expect(tenMinutes.jwt).not.toBe(week.jwt);
    expect(tenMinutes.expiresIn).toBe(600);
  });

  it('a token under a key outside the ring is refused', async () => {
    const { store, entries, writes } = openStore();
    await createExploEmbed({ secret: KEY2, dashboards, reuse: { store }, logger: false }).mint({ customerId: 'acme' });
    const foreign = entries.get(writes[0] as string);
    // The same store key, as an instance keyed differently would not write it: placed by hand.
    const { writes: bWrites, store: bStore, entries: bEntries } = openStore();
    await instance(bStore).mint({ customerId: 'acme' });
    bEntries.set(bWrites[0] as string, foreign);
    const token = await instance(bStore).mint({ customerId: 'acme' });
    expect((await decryptExploJwt(token.jwt, KEY)).header.kid).toBe(KEY.keyId);
  });
});

describe('entries are sealed for their key: whoever can write to the store cannot move or forge one', () => {
  const viaApi = async (store: ExploTokenStore, extra: Partial<ExploEmbedOptions>) => {
    const clock = manualClock();
    const server = await startExploApi(mintsLikeExplo([KEY], clock.now));
    servers.push(server);
    const { embed } = routeFor(
      { api: { token: API_TOKEN, url: server.url }, dashboards, reuse: { store }, clock: clock.now, logger: false, ...extra },
      fakeTimers(clock).timers,
    );
    return { embed, server };
  };

  it('with Explo’s API: an entry of an app with broader claims, moved onto this app’s key, is refused', async () => {
    const { store, entries, writes } = openStore();
    const broad = await viaApi(store, { secret: KEY, claims: { rbc: ['*'] } });
    const broadToken = await broad.embed.mint({ customerId: 'bob' });
    const narrow = await viaApi(store, { secret: KEY, claims: { rbc: ['flt'] } });
    await narrow.embed.mint({ customerId: 'bob' });
    const [broadKey, narrowKey] = writes as [string, string];
    entries.set(narrowKey, entries.get(broadKey));
    // A new instance of the narrow app, asked for bob: the moved entry is not his narrow token.
    const fresh = await viaApi(store, { secret: KEY, claims: { rbc: ['flt'] } });
    expect((await fresh.embed.mint({ customerId: 'bob' })).jwt).not.toBe(broadToken.jwt);
    expect(fresh.server.calls).toHaveLength(1);
  });

  it('with Explo’s API and no secret: alice’s entry copied under bob’s key hands bob nothing of alice’s', async () => {
    const { store, entries, writes } = openStore();
    const first = await viaApi(store, {});
    const alice = await first.embed.mint({ customerId: 'alice' });
    await first.embed.mint({ customerId: 'bob' });
    const [aliceKey, bobKey] = writes as [string, string];
    entries.set(bobKey, entries.get(aliceKey));
    const second = await viaApi(store, {});
    const bob = await second.embed.mint({ customerId: 'bob' });
    expect(bob.jwt).not.toBe(alice.jwt);
    expect((await decryptExploJwt(bob.jwt, KEY, { currentDate: new Date(manualClock().now()) })).claims.cst).toBe('bob');
    expect(second.server.calls).toHaveLength(1);
  });

  it('an entry whose expiry was rewritten is refused (the seal covers it)', async () => {
    const { store, entries, writes } = openStore();
    const first = await viaApi(store, {});
    const token = await first.embed.mint({ customerId: 'acme' });
    const value = entries.get(writes[0] as string) as Record<string, unknown>;
    entries.set(writes[0] as string, { ...value, expMs: (value.expMs as number) + 86_400_000 });
    const second = await viaApi(store, {});
    expect((await second.embed.mint({ customerId: 'acme' })).jwt).not.toBe(token.jwt);
  });
});

describe('tokens are reused for at most half of what they really have', () => {
  it('Explo grants 10 minutes of an hour asked: reused for 5 minutes, never after it expired', async () => {
    const clock = manualClock();
    const server = await startExploApi(
      mintsLikeExplo([KEY], clock.now, (claims) => ({ ...claims, exp: (claims.iat as number) + 600 })),
    );
    servers.push(server);
    const { embed } = routeFor(
      { api: { token: API_TOKEN, url: server.url }, secret: KEY, dashboards, expiresIn: '1h', clock: clock.now, logger: false },
      fakeTimers(clock).timers,
    );
    const first = await embed.mint({ customerId: 'acme' });
    expect(first.expiresIn).toBe(600);
    clock.advance(4 * 60_000);
    expect((await embed.mint({ customerId: 'acme' })).jwt).toBe(first.jwt);
    clock.advance(2 * 60_000);
    const second = await embed.mint({ customerId: 'acme' });
    expect(second.jwt).not.toBe(first.jwt);
    expect(server.calls).toHaveLength(2);
  });

  it('with the secret as a provider, an API answer under a kid outside the ring is refused', async () => {
    const clock = manualClock();
    const server = await startExploApi(mintsLikeExplo([KEY2], clock.now, (claims) => ({ ...claims, cst: 'someone-else' })));
    servers.push(server);
    const { embed } = routeFor(
      {
        api: { token: API_TOKEN, url: server.url },
        secret: async () => KEY,
        dashboards,
        clock: clock.now,
        logger: false,
      },
      fakeTimers(clock).timers,
    );
    await expect(embed.mint({ customerId: 'acme' })).rejects.toMatchObject({
      code: 'ERR_EXPLO_API_BAD_RESPONSE',
      message: expect.stringMatching(/No key with id "9a8b7c6d/),
    });
  });
});

describe('fresh tokens are budgeted per customer, across dashboards', () => {
  it('a customer cycling dashboards with fresh=1 gets its current token beyond the budget, then 429; others are not affected', async () => {
    const clock = manualClock();
    const many = { d1: 'e1', d2: 'e2', d3: 'e3', d4: 'e4', d5: 'e5', d6: 'e6', d7: 'e7', d8: 'e8' };
    const minted: string[] = [];
    const { route } = routeFor({
      secret: KEY,
      dashboards: many,
      clock: clock.now,
      logger: false,
      reuse: { freshPerMinute: 5 },
      onMint: ({ customerId, dashboard }) => minted.push(`${customerId}/${dashboard}`),
    });
    const ask = (customer: string, dashboard: string) =>
      route({ method: 'GET', query: `dashboard=${dashboard}&fresh=1`, customer: () => customer });
    // Five fresh mints, each for a dashboard of its own (past the 2 s in which a burst shares one).
    for (const dashboard of ['d1', 'd2', 'd3', 'd4', 'd5']) {
      expect((await ask('greedy', dashboard)).status).toBe(200);
      clock.advance(2_100);
    }
    // Beyond: the current token of a dashboard that has one, without a call to mint.
    const again = await ask('greedy', 'd1');
    expect(again.status).toBe(200);
    // A dashboard without a token yet: 429 with Retry-After, for this customer only.
    const refused = await ask('greedy', 'd8');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'ERR_EXPLO_FRESH_RATE_LIMITED', status: 429 });
    expect((await ask('polite', 'd8')).status).toBe(200);
    expect(minted).toEqual(['greedy/d1', 'greedy/d2', 'greedy/d3', 'greedy/d4', 'greedy/d5', 'polite/d8']);
  });

  it('with Explo’s API, fresh mints of all customers together take at most half of the call budget', async () => {
    const clock = manualClock();
    const server = await startExploApi(mintsLikeExplo([KEY], clock.now));
    servers.push(server);
    const { route } = routeFor(
      {
        api: { token: API_TOKEN, url: server.url, rateLimit: { perMinute: 4 } },
        secret: KEY,
        dashboards,
        clock: clock.now,
        logger: false,
      },
      fakeTimers(clock).timers,
    );
    const fresh = (customer: string) => route({ method: 'GET', query: 'fresh=1', customer: () => customer });
    expect((await fresh('one')).status).toBe(200);
    expect((await fresh('two')).status).toBe(200);
    const third = await fresh('three');
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).code).toBe('ERR_EXPLO_FRESH_RATE_LIMITED');
    // A first visit (not fresh) still has its share of the budget.
    expect((await route({ method: 'GET', query: '', customer: () => 'three' })).status).toBe(200);
  });
});
