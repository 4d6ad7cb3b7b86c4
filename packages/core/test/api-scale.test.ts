import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type ApiBehaviour, answersLikeExplo, fakeJwt, mintsLikeExplo, startExploApi } from '../../../test/support/explo-api.js';
import { listen, type RunningServer } from '../../../test/support/http.js';
import type { ExploEmbedError, ExploEmbedOptions } from '../src/index.js';
import { eventually, fakeTimers, KEY, KEY2, manualClock, routeFor } from './fixtures.js';

// Explo's API at fleet scale, against a loopback stand-in, on a clock the test moves: the call
// budget, 429s, and the checks on every answer.
const API_TOKEN = 'explo-api-token-scale-tests-000111222';
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(behaviour: ApiBehaviour, extra: Partial<ExploEmbedOptions> = {}, api: Record<string, unknown> = {}) {
  const clock = manualClock();
  const server = await startExploApi(behaviour);
  servers.push(server);
  const fake = fakeTimers(clock);
  const errors: ExploEmbedError[] = [];
  const { embed, route } = routeFor(
    {
      api: { token: API_TOKEN, url: server.url, retries: 2, retryDelay: '100ms', ...api },
      dashboards: { sales: 'emb-sales' },
      expiresIn: '1h',
      clock: clock.now,
      logger: false,
      onError: (error) => errors.push(error),
      ...extra,
    },
    fake.timers,
  );
  return { server, embed, route, clock, fake, errors };
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: ExploEmbedError & { retryAfter?: number }) => `${error.code} ${error.retryAfter ?? ''}`.trim(),
  );

describe('the call budget', () => {
  it('260 customers at once: 180 calls go out, the rest are refused at once with Retry-After', async () => {
    const { server, embed } = await setup(answersLikeExplo);
    const results = await Promise.all(Array.from({ length: 260 }, (_, i) => outcome(embed.mint({ customerId: `c${i}` }))));
    expect(server.calls).toHaveLength(180);
    expect(results.filter((r) => r === 'ok')).toHaveLength(180);
    // The oldest call leaves the one-minute window in 60 s: more than maxWait (10 s), so no waiting.
    expect(new Set(results.filter((r) => r !== 'ok'))).toEqual(new Set(['ERR_EXPLO_API_RATE_LIMITED 60']));
  });

  it('waits in a bounded queue for a slot within maxWait; refuses when the queue is full', async () => {
    const clock = manualClock();
    const server = await startExploApi((call, n) => {
      call.headers['x-at'] = String(clock.now());
      return answersLikeExplo(call, n);
    });
    servers.push(server);
    // Sleeps end when the test says so: the queue fills as it would while calls really wait.
    const sleeping: (() => void)[] = [];
    const { embed } = routeFor(
      {
        api: { token: API_TOKEN, url: server.url, rateLimit: { perMinute: 4, queue: 2, maxWait: '2m' } },
        dashboards: { sales: 'emb-sales' },
        clock: clock.now,
        logger: false,
      },
      {
        sleep: (ms) =>
          new Promise<void>((resolve) =>
            sleeping.push(() => {
              clock.advance(ms);
              resolve();
            }),
          ),
        timeoutSignal: () => new AbortController().signal,
      },
    );
    const pending = Array.from({ length: 8 }, (_, i) => outcome(embed.mint({ customerId: `c${i}` })));
    while (server.calls.length < 4 || sleeping.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(sleeping).toHaveLength(2);
    for (const wake of sleeping.splice(0)) wake();
    const results = await Promise.all(pending);
    expect(results.filter((r) => r === 'ok')).toHaveLength(6);
    expect(results.filter((r) => r.startsWith('ERR_EXPLO_API_RATE_LIMITED'))).toHaveLength(2);
    const at = server.calls.map((c) => Number(c.headers['x-at']));
    // Four at once; the two queued ones a minute later, when the first slots free up.
    expect(at.slice(4).every((t) => t - (at[0] as number) >= 60_000)).toBe(true);
  });

  it('a 429 holds every call back until its Retry-After has passed', async () => {
    const { server, embed, clock } = await setup((call, n) => {
      call.headers['x-at'] = String(clock.now());
      return n === 0
        ? { status: 429, body: { detail: 'slow down' }, headers: { 'retry-after': '2' } }
        : answersLikeExplo(call, n);
    });
    const first = embed.mint({ customerId: 'first' });
    // Let the first call's 429 reach the budget (it pauses every call) before the second asks.
    await eventually(
      async () => embed.health().api?.pausedForMs ?? 0,
      (paused) => paused > 0,
    );
    const second = embed.mint({ customerId: 'second' });
    expect(await outcome(first)).toBe('ok');
    expect(await outcome(second)).toBe('ok');
    const at = server.calls.map((c) => Number(c.headers['x-at']));
    expect(server.calls).toHaveLength(3);
    expect(at[1] as number).toBeGreaterThanOrEqual((at[0] as number) + 2_000);
    expect(at[2] as number).toBeGreaterThanOrEqual((at[0] as number) + 2_000);
  });

  it('a 429 longer than maxWait is answered 503 ERR_EXPLO_API_RATE_LIMITED with its Retry-After', async () => {
    const { route } = await setup(() => ({ status: 429, body: {}, headers: { 'retry-after': '45' } }), {}, { retries: 0 });
    await route({ method: 'GET', query: '', customer: () => 'x' });
    const limited = await route({ method: 'GET', query: '', customer: () => 'y' });
    expect(limited.status).toBe(503);
    expect(JSON.parse(limited.body).code).toBe('ERR_EXPLO_API_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(10);
  });
});

describe('every answer is checked', () => {
  const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
  const bad =
    (body: unknown): ApiBehaviour =>
    () => ({ status: 200, body });

  it.each([
    ['markup', bad('<html><body>maintenance</body></html>')],
    ['success 1 with markup for a jwt', bad({ success: 1, jwt: '<script>alert(1)</script>' })],
    ['an alg: none token', bad({ success: 1, jwt: `${header({ alg: 'none' })}..AAAAAAAAAAAAAAAA.YQ.AAAAAAAAAAAAAAAAAAAAAA` })],
    ['a signed JWT', bad({ success: 1, jwt: `${header({ alg: 'HS256' })}.${header({ cst: 'a' })}.c2ln` })],
  ])('%s: ERR_EXPLO_API_BAD_RESPONSE, the upstream text quoted and short', async (_name, behaviour) => {
    const { embed } = await setup(behaviour);
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe('ERR_EXPLO_API_BAD_RESPONSE');
    expect(error.message.length).toBeLessThan(300);
    expect(`${error.message} ${inspect(error, { depth: 5 })}`).not.toContain(API_TOKEN);
  });

  it('an answer over 64 KiB is refused without reading it whole', async () => {
    // An answer that never ends: read whole, the mint would never finish.
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      res.write('{"success":1,"jwt":"');
      pump();
    });
    const running = await listen(server);
    servers.push(running);
    const { embed } = routeFor(
      { api: { token: API_TOKEN, url: running.url, retries: 0 }, dashboards: { s: 'e' }, logger: false },
      fakeTimers().timers,
    );
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe('ERR_EXPLO_API_BAD_RESPONSE');
    expect(error.message).toMatch(/64 KiB/);
  });

  it('the configured kid must be the token’s', async () => {
    const { embed } = await setup(
      (_call, n) => ({ status: 200, body: { success: 1, jwt: fakeJwt(n, 'some-other-key') } }),
      {},
      {
        keyId: 'configured-key',
      },
    );
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe('ERR_EXPLO_API_BAD_RESPONSE');
    expect(error.message).toMatch(/key id "some-other-key"/);
  });

  it('with the secret configured: decrypted, and a token for another customer, dashboard or expiry is refused', async () => {
    for (const [tamper, message] of [
      [(claims: Record<string, unknown>) => ({ ...claims, cst: 'someone-else' }), /another customer/],
      [(claims: Record<string, unknown>) => ({ ...claims, dsh: 'emb-payroll' }), /another customer or dashboard/],
      [(claims: Record<string, unknown>) => ({ ...claims, exp: (claims.exp as number) + 86_400 }), /lives longer than expiresIn/],
    ] as const) {
      const clock = manualClock();
      const { embed } = await setup(mintsLikeExplo([KEY], clock.now, tamper), { secret: KEY });
      const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
      expect(error.code).toBe('ERR_EXPLO_API_BAD_RESPONSE');
      expect(error.message).toMatch(message);
    }
    // Under another key than the configured secret's, but asked for it: refused too.
    const wrongKey = await setup(
      mintsLikeExplo([{ keyId: KEY.keyId, keyValue: KEY2.keyValue }], () => manualClock().now()),
      {
        secret: KEY,
      },
    );
    expect(((await wrongKey.embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError).code).toBe(
      'ERR_EXPLO_API_BAD_RESPONSE',
    );
  });

  it('with the secret configured, the token’s own expiry is used (Explo may issue a shorter one)', async () => {
    const clock = manualClock();
    const { embed } = await setup(
      mintsLikeExplo([KEY], clock.now, (claims) => ({ ...claims, exp: (claims.iat as number) + 1_200 })),
      { secret: KEY },
    );
    const token = await embed.mint({ customerId: 'acme' });
    expect(token.expiresIn).toBe(1_200);
    expect(token.expiresAt).toEqual(new Date(clock.now() + 1_200_000));
  });

  it('a 429 holds calls back for at most 2 minutes, whatever its Retry-After says', async () => {
    for (const retryAfter of ['86400', '1e308', 'Infinity']) {
      const { embed } = await setup(
        () => ({ status: 429, body: {}, headers: { 'retry-after': retryAfter } }),
        {},
        { retries: 0 },
      );
      const error = (await embed.mint({ customerId: 'x' }).catch((e) => e)) as { code: string; retryAfter: number };
      expect(error.code).toBe('ERR_EXPLO_API_RATE_LIMITED');
      const paused = embed.health().api?.pausedForMs ?? -1;
      expect(paused).toBeGreaterThan(0);
      expect(paused).toBeLessThanOrEqual(120_000);
      expect(error.retryAfter).toBeLessThanOrEqual(120);
    }
  });

  it('an answer that echoes the request (a proxy, an error page) never repeats the API token', async () => {
    const { embed } = await setup((call) => ({ status: 200, body: `Error: ${String(call.headers['explo-authorization'])}` }));
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe('ERR_EXPLO_API_BAD_RESPONSE');
    expect(error.message).toContain('[the API token]');
    expect(error.message).not.toContain(API_TOKEN);
  });
});
