import { inspect } from 'node:util';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type ApiBehaviour, answersLikeExplo, fakeJwt, mintsLikeExplo, startExploApi } from '../../../test/support/explo-api.js';
import type { RunningServer } from '../../../test/support/http.js';
import { capturingLogger } from '../../../test/support/logger.js';
import { createExploEmbed, type ExploEmbedError, type ExploEmbedOptions, toIsoDuration } from '../src/index.js';
import { fakeTimers, KEY, manualClock, routeFor, T0 } from './fixtures.js';

const API_TOKEN = 'explo-api-token-do-not-leak-0123456789';
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// Backoffs and timeouts run on fake timers: every wait is recorded, none is waited for.
async function setup(behaviour: ApiBehaviour, extra: Partial<ExploEmbedOptions> = {}, api: Record<string, unknown> = {}) {
  const server = await startExploApi(behaviour);
  servers.push(server);
  const errors: ExploEmbedError[] = [];
  const fake = fakeTimers();
  const clock = manualClock();
  const { embed, route } = routeFor(
    {
      api: { token: API_TOKEN, url: server.url, retryDelay: '100ms', timeout: '2s', ...api },
      dashboards: { sales: 'emb-sales' },
      expiresIn: '90m',
      clock: clock.now,
      onError: (e) => errors.push(e),
      ...extra,
    },
    fake.timers,
  );
  return { server, embed, route, errors, fake, clock };
}

const ok: ApiBehaviour = answersLikeExplo;

describe('toIsoDuration', () => {
  it.each([
    [3600, 'PT1H'],
    [5400, 'PT1H30M'],
    [86_400, 'P1D'],
    [90, 'PT1M30S'],
    [10, 'PT10S'],
    [93_784, 'P1DT2H3M4S'],
  ])('%i s -> %s', (seconds, iso) => {
    expect(toIsoDuration(seconds)).toBe(iso);
  });
});

describe('minting through Explo’s API', () => {
  it('POSTs the documented request shape and returns the jwt', async () => {
    const { server, embed } = await setup(
      ok,
      { claims: { rbc: ['flt', 'srt'], des: true, iss: 'https://app.example.com' } },
      { keyId: 'kid-1' },
    );
    const token = await embed.mint({ customerId: 'acme' });
    expect(token.jwt).toBe(fakeJwt(0, 'kid-1'));
    expect(token.keyId).toBe('kid-1');
    expect(token.expiresIn).toBe(5400);
    expect(token.expiresAt).toEqual(new Date(manualClock().now() + 5400_000));
    expect(server.calls).toHaveLength(1);
    const [call] = server.calls;
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe('/api/generate_jwt/');
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.headers['explo-authorization']).toBe(`Token ${API_TOKEN}`);
    expect(call?.body).toEqual({
      provided_id: 'acme',
      embed_id: 'emb-sales',
      key_id: 'kid-1',
      expiration: 'PT1H30M',
      rb_allowed_features: ['flt', 'srt'],
      disable_editable_section_editing: true,
      embed_origin: 'https://app.example.com/',
    });
  });

  it('sends key_id null and no embed_origin when none is configured; uses the fixed secret’s key id when there is one', async () => {
    const { server, embed } = await setup(ok);
    await embed.mint({ customerId: 'acme' });
    expect(server.calls[0]?.body).toMatchObject({
      key_id: null,
      rb_allowed_features: null,
      disable_editable_section_editing: false,
    });
    expect(server.calls[0]?.body).not.toHaveProperty('embed_origin');
    const withSecret = await setup(
      mintsLikeExplo([KEY], () => T0),
      { secret: KEY },
    );
    await withSecret.embed.mint({ customerId: 'acme' });
    expect(withSecret.server.calls[0]?.body.key_id).toBe(KEY.keyId);
  });

  it('reuses API tokens like local ones, once per concurrent burst; fresh asks again', async () => {
    const { server, embed, clock } = await setup(ok);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => embed.mint({ customerId: 'acme' })));
    expect(new Set(tokens.map((t) => t.jwt)).size).toBe(1);
    expect((await embed.mint({ customerId: 'acme' })).jwt).toBe(fakeJwt(0));
    clock.advance(2_001);
    expect((await embed.mint({ customerId: 'acme', fresh: true })).jwt).toBe(fakeJwt(1));
    expect((await embed.mint({ customerId: 'other' })).jwt).toBe(fakeJwt(2));
    expect(server.calls).toHaveLength(3);
  });

  it('coalesces concurrent fresh mints of one token into one call (200 tabs, one call)', async () => {
    const { server, embed } = await setup(ok);
    const tokens = await Promise.all(Array.from({ length: 200 }, () => embed.mint({ customerId: 'acme', fresh: true })));
    expect(new Set(tokens.map((t) => t.jwt))).toEqual(new Set([fakeJwt(0)]));
    expect(server.calls).toHaveLength(1);
  });

  it('retries 5xx and dropped connections with exponential backoff and jitter, then succeeds', async () => {
    const { server, embed, fake } = await setup((call, n) =>
      n === 0 ? { status: 502, body: 'bad gateway' } : n === 1 ? 'drop' : ok(call, n),
    );
    expect((await embed.mint({ customerId: 'acme' })).jwt).toBe(fakeJwt(2));
    expect(server.calls).toHaveLength(3);
    // retryDelay 100 ms, doubled per retry, jittered within the upper half.
    expect(fake.slept).toHaveLength(2);
    expect(fake.slept[0]).toBeGreaterThanOrEqual(50);
    expect(fake.slept[0]).toBeLessThanOrEqual(100);
    expect(fake.slept[1]).toBeGreaterThanOrEqual(100);
    expect(fake.slept[1]).toBeLessThanOrEqual(200);
    expect(fake.timeouts).toEqual([2000, 2000, 2000]);
  });

  it('honours Retry-After on 503, capped at 10 s', async () => {
    const { server, embed, fake } = await setup((call, n) =>
      n === 0 ? { status: 503, body: {}, headers: { 'retry-after': '1' } } : ok(call, n),
    );
    await embed.mint({ customerId: 'acme' });
    expect(fake.slept).toEqual([1000]);
    expect(server.calls).toHaveLength(2);
    const capped = await setup((call, n) =>
      n === 0 ? { status: 503, body: {}, headers: { 'retry-after': '3600' } } : ok(call, n),
    );
    await capped.embed.mint({ customerId: 'acme' });
    expect(capped.fake.slept).toEqual([10_000]);
  });

  it('gives up after the retries with ERR_EXPLO_API_UNAVAILABLE', async () => {
    const { server, embed } = await setup(() => ({ status: 500, body: {} }), {}, { retries: 2 });
    await expect(embed.mint({ customerId: 'acme' })).rejects.toMatchObject({ code: 'ERR_EXPLO_API_UNAVAILABLE' });
    expect(server.calls).toHaveLength(3);
  });

  it('times out a hung API', async () => {
    // Each attempt reaches the server, which never answers; its time limit then passes.
    let fire = () => {};
    const { embed, server, fake } = await setup(
      () => {
        setImmediate(() => fire());
        return 'hang';
      },
      {},
      { timeout: '100ms', retries: 1 },
    );
    fire = fake.fireTimeouts;
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe('ERR_EXPLO_API_UNAVAILABLE');
    expect(error.message).toMatch(/no answer within 100 ms/);
    expect(server.calls).toHaveLength(2);
    expect(fake.timeouts).toEqual([100, 100]);
  });

  it('a refused connection is unavailable, not a crash', async () => {
    const fake = fakeTimers();
    const { embed } = routeFor(
      { api: { token: API_TOKEN, url: 'http://127.0.0.1:9', retries: 1 }, dashboards: { sales: 'emb-sales' } },
      fake.timers,
    );
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    expect(error).toMatchObject({ code: 'ERR_EXPLO_API_UNAVAILABLE' });
    expect(error.message).toMatch(/the connection failed/);
    expect(fake.slept).toHaveLength(1);
  });

  it.each([
    ['401', { status: 401, body: { detail: 'Invalid token.' } }, 'ERR_EXPLO_API_REJECTED'],
    ['400', { status: 400, body: { embed_id: ['unknown'] } }, 'ERR_EXPLO_API_REJECTED'],
    ['not JSON', { status: 200, body: '<html>' }, 'ERR_EXPLO_API_BAD_RESPONSE'],
    ['success 0', { status: 200, body: { success: 0, jwt: fakeJwt(0) } }, 'ERR_EXPLO_API_BAD_RESPONSE'],
    ['no jwt', { status: 200, body: { success: 1 } }, 'ERR_EXPLO_API_BAD_RESPONSE'],
    ['jwt not a JWE', { status: 200, body: { success: 1, jwt: 'a.b.c' } }, 'ERR_EXPLO_API_BAD_RESPONSE'],
  ])('fails at once on %s, with a coded error', async (_name, answer, code) => {
    const { server, embed } = await setup(() => answer);
    const error = (await embed.mint({ customerId: 'acme' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe(code);
    expect(server.calls).toHaveLength(1);
    expect(`${error.message} ${inspect(error)}`).not.toContain(API_TOKEN);
  });

  it('the token route answers 502 / 503 problem+json and never shows the API token', async () => {
    const logger = capturingLogger();
    const rejected = await setup(() => ({ status: 403, body: {} }), { logger });
    const r1 = await rejected.route({ method: 'GET', query: '', customer: () => 'acme' });
    expect(r1.status).toBe(502);
    expect(JSON.parse(r1.body).code).toBe('ERR_EXPLO_API_REJECTED');
    const down = await setup(() => ({ status: 500, body: {} }), { logger }, { retries: 0, retryDelay: '2s' });
    const r2 = await down.route({ method: 'GET', query: '', customer: () => 'acme' });
    expect(r2.status).toBe(503);
    expect(r2.headers['retry-after']).toBe('2');
    for (const text of [
      r1.body,
      r2.body,
      JSON.stringify(r1.headers),
      ...[...rejected.errors, ...down.errors].map((e) => inspect(e)),
      ...logger.lines,
    ]) {
      expect(text).not.toContain(API_TOKEN);
    }
    expect(logger.lines).toEqual([
      expect.stringMatching(/^error \[explo-embed\] ERR_EXPLO_API_REJECTED \(route\): .*Check the API token/),
      expect.stringMatching(/^error \[explo-embed\] ERR_EXPLO_API_UNAVAILABLE \(route\): .*check outbound HTTPS/),
    ]);
  });

  it('validates the api options without echoing the token', () => {
    const bad = (api: unknown) => {
      try {
        createExploEmbed({ api: api as never, dashboards: { a: 'b' } });
      } catch (error) {
        return error as ExploEmbedError & { option: string };
      }
      throw new Error('expected a throw');
    };
    expect(bad({ token: `${API_TOKEN}\n` })).toMatchObject({ option: 'api.token' });
    expect(bad({ token: `${API_TOKEN}\n` }).message).toMatch(/whitespace/);
    expect(bad({ token: `${API_TOKEN}\n` }).message).not.toContain(API_TOKEN);
    expect(bad({ token: 'short' })).toMatchObject({ option: 'api.token' });
    expect(bad({ token: API_TOKEN, url: 'ftp://x' })).toMatchObject({ option: 'api.url' });
    // Credentials in the URL are refused at setup, and never echoed.
    for (const url of ['https://user:s3cr3t-pass@api.example.com', 'https://:s3cr3t-pass@api.example.com']) {
      expect(bad({ token: API_TOKEN, url })).toMatchObject({ option: 'api.url' });
      expect(bad({ token: API_TOKEN, url }).message).toMatch(/must not carry credentials/);
      expect(bad({ token: API_TOKEN, url }).message).not.toContain('s3cr3t');
    }
    // The API token travels in a header: plain http only to a stand-in on this machine.
    expect(bad({ token: API_TOKEN, url: 'http://api.example.com' })).toMatchObject({ option: 'api.url' });
    expect(bad({ token: API_TOKEN, url: 'http://api.example.com' }).message).toMatch(/https/);
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080', 'https://api.example.com']) {
      expect(() => createExploEmbed({ api: { token: API_TOKEN, url }, dashboards: { a: 'b' } })).not.toThrow();
    }
    expect(bad({ token: API_TOKEN, retries: -1 })).toMatchObject({ option: 'api.retries' });
    expect(bad({ token: API_TOKEN, tokn: 1 })).toMatchObject({ option: 'api.tokn' });
    expect(() => createExploEmbed({ dashboards: { a: 'b' } })).toThrow(expect.objectContaining({ option: 'secret' }));
  });

  it('decrypt() without a secret says what is missing', async () => {
    const { embed } = await setup(ok);
    await expect(embed.decrypt('x')).rejects.toMatchObject({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'secret' });
  });

  it('calls onMint for API mints', async () => {
    const onMint = jest.fn();
    const { embed } = await setup(ok, { onMint });
    await embed.mint({ customerId: 'acme' });
    // The key Explo chose, read from the token's header.
    expect(onMint).toHaveBeenCalledWith(
      expect.objectContaining({ customerId: 'acme', embedId: 'emb-sales', keyId: 'explo-chosen-key' }),
    );
  });
});
