import { describe, expect, it } from '@jest/globals';
import { answersLikeExplo, startExploApi } from '../../../test/support/explo-api.js';
import { createExploEmbed, decryptExploJwt, type ExploEmbedError, type ExploSecret } from '../src/index.js';
import { eventually, fakeTimers, KEY, KEY2, manualClock, routeFor } from './fixtures.js';

const dashboards = { sales: 'emb-sales' };

describe('key rotation: a key ring', () => {
  it('the first key mints; every key decrypts, chosen by kid', async () => {
    const old = createExploEmbed({ secret: KEY, dashboards });
    const before = await old.mint({ customerId: 'acme' });
    const ring = createExploEmbed({ secret: [KEY2, KEY], dashboards });
    const after = await ring.mint({ customerId: 'acme' });
    expect(after.keyId).toBe(KEY2.keyId);
    expect((await ring.decrypt(after.jwt)).claims.cst).toBe('acme');
    // Tokens minted before the rotation still read, until the old key is dropped.
    expect((await ring.decrypt(before.jwt)).header.kid).toBe(KEY.keyId);
    const dropped = createExploEmbed({ secret: [KEY2], dashboards });
    await expect(dropped.decrypt(before.jwt)).rejects.toMatchObject({ code: 'ERR_EXPLO_JWT_UNKNOWN_KID' });
  });

  it('a provider may return a ring: a deploy of [new, old] rotates without a restart', async () => {
    const clock = manualClock();
    let keys: ExploSecret | ExploSecret[] = KEY;
    const embed = createExploEmbed({ secret: () => keys, dashboards, secretCache: { ttl: '1m' }, clock: clock.now });
    const before = await embed.mint({ customerId: 'acme' });
    keys = [KEY2, KEY];
    clock.advance(61_000);
    const after = await eventually(
      () => embed.mint({ customerId: 'acme' }),
      (token) => token.keyId === KEY2.keyId,
    );
    expect(after.keyId).toBe(KEY2.keyId);
    expect((await embed.decrypt(before.jwt)).claims.cst).toBe('acme');
    expect((await decryptExploJwt(after.jwt, KEY2, { currentDate: new Date(clock.now()) })).claims.cst).toBe('acme');
  });

  it.each([
    ['an empty ring', [], 'ERR_EXPLO_SECRET_INVALID', /1 to 16 keys/],
    ['a key id twice', [KEY, { ...KEY2, keyId: KEY.keyId }], 'ERR_EXPLO_SECRET_INVALID', /appears twice/],
    [
      'a bad key in the ring',
      [KEY, { keyId: 'k', keyValue: `${KEY.keyValue} ` }],
      'ERR_EXPLO_KEY_LENGTH',
      /options\.secret\[1\]\.keyValue/,
    ],
  ])('%s is refused at setup, naming it', (_name, secret, code, message) => {
    let error: ExploEmbedError | undefined;
    try {
      createExploEmbed({ secret: secret as ExploSecret[], dashboards });
    } catch (caught) {
      error = caught as ExploEmbedError;
    }
    expect(error).toMatchObject({ code });
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(KEY.keyValue);
  });

  it('with Explo’s API, the ring’s first key is the key_id asked for', async () => {
    const api = await startExploApi(answersLikeExplo);
    try {
      const { embed } = routeFor(
        { api: { token: 'explo-api-token-rotation-0123456789', url: api.url }, secret: [KEY2, KEY], dashboards, logger: false },
        fakeTimers().timers,
      );
      await embed.mint({ customerId: 'acme' }).catch(() => undefined);
      expect(api.calls[0]?.body.key_id).toBe(KEY2.keyId);
    } finally {
      await api.close();
    }
  });
});

describe('health() for a readiness probe', () => {
  it('a fixed secret is ready', () => {
    expect(createExploEmbed({ secret: KEY, dashboards }).health()).toEqual({ ready: true, secret: 'ready' });
  });

  it('follows a provider: missing before it answers, ready, stale with its last error, missing past maxStale', async () => {
    const clock = manualClock();
    let fail = false;
    const embed = createExploEmbed({
      secret: () => {
        if (fail) throw new Error('vault down');
        return KEY;
      },
      dashboards,
      secretCache: { ttl: '1m', maxStale: '5m' },
      clock: clock.now,
      logger: false,
    });
    expect(embed.health()).toEqual({ ready: false, secret: 'missing' });
    await embed.mint({ customerId: 'a' });
    expect(embed.health()).toEqual({ ready: true, secret: 'ready' });
    fail = true;
    clock.advance(61_000);
    await embed.mint({ customerId: 'b' });
    const stale = await eventually(
      async () => embed.health(),
      (health) => health.secretError !== undefined,
    );
    expect(stale).toEqual({ ready: true, secret: 'stale', secretError: 'ERR_EXPLO_SECRET_UNAVAILABLE' });
    clock.advance(6 * 60_000);
    expect(embed.health()).toMatchObject({ ready: false, secret: 'missing', secretError: 'ERR_EXPLO_SECRET_UNAVAILABLE' });
    fail = false;
    await embed.mint({ customerId: 'c' });
    expect(embed.health()).toEqual({ ready: true, secret: 'ready' });
  });

  it('with Explo’s API: the call budget left, and a 429’s pause', async () => {
    const clock = manualClock();
    const api = await startExploApi((call, n) =>
      n === 1 ? { status: 429, body: {}, headers: { 'retry-after': '30' } } : answersLikeExplo(call, n),
    );
    try {
      const { embed } = routeFor(
        {
          api: { token: 'explo-api-token-health-0123456789', url: api.url, retries: 0, rateLimit: { perMinute: 10 } },
          dashboards,
          clock: clock.now,
          logger: false,
        },
        fakeTimers(clock).timers,
      );
      expect(embed.health()).toEqual({ ready: true, secret: 'none', api: { remaining: 10, perMinute: 10, pausedForMs: 0 } });
      await embed.mint({ customerId: 'a' });
      await embed.mint({ customerId: 'b' }).catch(() => undefined);
      expect(embed.health().api).toEqual({ remaining: 8, perMinute: 10, pausedForMs: 30_000 });
    } finally {
      await api.close();
    }
  });
});
