import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';
import { createExploEmbed, decryptExploJwt, type ExploEmbedError, type ExploSecret } from '../src/index.js';
import { decryptByHand, eventually, KEY, KEY2, manualClock } from './fixtures.js';

const dashboards = { d: 'emb' };

describe('secret provider caching', () => {
  it('calls the provider once for any number of concurrent first requests', async () => {
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const provider = jest.fn(async () => {
      await answered;
      return KEY;
    });
    const embed = createExploEmbed({ secret: provider, dashboards, reuse: false });
    // All 200 ask while the provider has not answered yet; then it answers.
    const minting = Promise.all(Array.from({ length: 200 }, (_, i) => embed.mint({ customerId: `c${i}` })));
    answer();
    const tokens = await minting;
    expect(provider).toHaveBeenCalledTimes(1);
    expect(new Set(tokens.map((t) => t.keyId))).toEqual(new Set([KEY.keyId]));
  });

  it('asks again after the TTL and uses the new (rotated) secret', async () => {
    const clock = manualClock();
    let current: ExploSecret = KEY;
    const provider = jest.fn(() => current);
    const embed = createExploEmbed({ secret: provider, dashboards, secretCache: { ttl: '5m' }, clock: clock.now, logger: false });
    expect((await embed.mint({ customerId: 'a' })).keyId).toBe(KEY.keyId);
    clock.advance(4 * 60_000);
    current = KEY2;
    expect((await embed.mint({ customerId: 'b' })).keyId).toBe(KEY.keyId);
    expect(provider).toHaveBeenCalledTimes(1);
    clock.advance(61_000);
    // Past the TTL the last good secret answers at once while the provider is asked in the background...
    expect((await embed.mint({ customerId: 'c' })).keyId).toBe(KEY.keyId);
    expect(provider).toHaveBeenCalledTimes(2);
    // ...and once it has answered, the new secret is used.
    const rotated = await eventually(
      () => embed.mint({ customerId: 'd' }),
      (token) => token.keyId === KEY2.keyId,
    );
    expect(provider).toHaveBeenCalledTimes(2);
    expect(decryptByHand(rotated.jwt, KEY2.keyValue).header.kid).toBe(KEY2.keyId);
  });

  it('a hanging provider costs no request anything while a good secret is cached; only a cold cache waits', async () => {
    const clock = manualClock();
    let hang = false;
    let pending = 0;
    const provider = jest.fn(async () => {
      if (!hang) return KEY;
      pending++;
      return new Promise<ExploSecret>(() => {});
    });
    const embed = createExploEmbed({
      logger: false,
      secret: provider,
      dashboards,
      reuse: false,
      secretCache: { ttl: '1m', maxStale: '1h', timeout: '2m' },
      clock: clock.now,
    });
    await embed.mint({ customerId: 'warm' });
    hang = true;
    clock.advance(61_000);
    // The provider hangs (for up to its 2-minute timeout), yet every request is answered now.
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => embed.mint({ customerId: `c${i}` })));
    expect(tokens.every((token) => token.keyId === KEY.keyId)).toBe(true);
    expect(pending).toBe(1);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('keeps the last good secret while the provider fails, within maxStale, then fails with 503 semantics', async () => {
    const clock = manualClock();
    const errors: string[] = [];
    let fail = false;
    const provider = jest.fn(() => {
      if (fail) throw new Error(`vault down; leaked ${KEY.keyValue}`);
      return KEY;
    });
    const embed = createExploEmbed({
      logger: false,
      secret: provider,
      dashboards,
      reuse: false,
      secretCache: { ttl: '1m', maxStale: '10m', retryAfter: '7s' },
      clock: clock.now,
      onError: (error) => errors.push(error.code),
    });
    await embed.mint({ customerId: 'a' });
    fail = true;
    clock.advance(61_000);
    expect((await embed.mint({ customerId: 'a' })).keyId).toBe(KEY.keyId);
    await eventually(
      async () => errors.length,
      (count) => count > 0,
    );
    expect(errors).toEqual(['ERR_EXPLO_SECRET_UNAVAILABLE']);
    // Within retryAfter the stale secret is served without asking again.
    clock.advance(3_000);
    await embed.mint({ customerId: 'a' });
    expect(provider).toHaveBeenCalledTimes(2);
    clock.advance(5_000);
    await embed.mint({ customerId: 'a' });
    expect(provider).toHaveBeenCalledTimes(3);
    // Past ttl + maxStale the old secret is no longer used.
    clock.advance(10 * 60_000);
    const error = (await embed.mint({ customerId: 'a' }).catch((e) => e)) as ExploEmbedError & { retryAfter: number };
    expect(error.code).toBe('ERR_EXPLO_SECRET_UNAVAILABLE');
    expect(error.retryAfter).toBe(7);
    expect(error.message).not.toContain(KEY.keyValue);
    // The provider recovers: so do we.
    fail = false;
    expect((await embed.mint({ customerId: 'a' })).keyId).toBe(KEY.keyId);
  });

  it('times out a hung provider and says so, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const embed = createExploEmbed({
      logger: false,
      secret: (ctx) => {
        signal = ctx.signal;
        return new Promise<ExploSecret>(() => {});
      },
      dashboards,
      secretCache: { timeout: '50ms' },
    });
    const started = Date.now();
    const error = (await embed.mint({ customerId: 'a' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe('ERR_EXPLO_SECRET_UNAVAILABLE');
    expect(error.message).toMatch(/50 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(signal?.aborted).toBe(true);
  });

  it('a script whose only work is a mint waiting on a hung provider gets its error, not a silent exit', () => {
    // Run against the built package, as a user's script would (the test command builds first).
    const script = `
      import { createExploEmbed } from '@explo-embed/core';
      const explo = createExploEmbed({
        secret: () => new Promise(() => {}),
        dashboards: { d: 'emb' },
        secretCache: { timeout: '300ms' },
        logger: false,
      });
      try {
        await explo.mint({ customerId: 'a' });
        console.log('minted');
      } catch (error) {
        console.log(error.code);
      }`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('ERR_EXPLO_SECRET_UNAVAILABLE');
  });

  it('a background refresh stuck on a hung provider does not hold a finished script open', () => {
    // The secret is warm, then its ttl passes and the provider hangs (for up to its 2-minute
    // timeout): the mint is answered from the last good secret and the script exits at once.
    const script = `
      import { createExploEmbed } from '@explo-embed/core';
      let calls = 0;
      let now = Date.UTC(2026, 0, 1);
      const explo = createExploEmbed({
        secret: () => (++calls === 1 ? JSON.parse(process.env.TEST_KEY) : new Promise(() => {})),
        dashboards: { d: 'emb' },
        secretCache: { ttl: '1s', maxStale: '1h', timeout: '2m' },
        logger: false,
        clock: () => now,
      });
      await explo.mint({ customerId: 'a' });
      now += 1100; // past the ttl
      await explo.mint({ customerId: 'b' });
      console.log(calls, explo.health().secret);`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      env: { ...process.env, TEST_KEY: JSON.stringify(KEY) },
      // Far below the provider's timeout: a process held open by the refresh is killed and fails here.
      timeout: 30_000,
    });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('2 stale');
  });

  it('rejects a malformed secret from the provider with a coded error and no echo', async () => {
    const bad = { keyId: KEY.keyId, keyValue: `${KEY.keyValue}\n` };
    const seen: ExploEmbedError[] = [];
    const embed = createExploEmbed({ secret: async () => bad, dashboards, onError: (e) => seen.push(e), logger: false });
    const error = (await embed.mint({ customerId: 'a' }).catch((e) => e)) as ExploEmbedError;
    expect(error.code).toBe('ERR_EXPLO_SECRET_UNAVAILABLE');
    expect(seen.map((e) => e.code)).toEqual(['ERR_EXPLO_KEY_LENGTH']);
    expect(seen[0]?.message).toMatch(/32 bytes.*whitespace/s);
    for (const e of [error, ...seen]) expect(`${e.message} ${inspect(e)}`).not.toContain(KEY.keyValue);
  });

  it('holds no key value where inspect can see it', async () => {
    const embed = createExploEmbed({ secret: KEY, dashboards });
    await embed.mint({ customerId: 'a' });
    expect(inspect(embed, { depth: 10, showHidden: true })).not.toContain(KEY.keyValue);
    const { jwt } = await embed.mint({ customerId: 'a' });
    expect((await decryptExploJwt(jwt, KEY)).claims.cst).toBe('a');
  });
});

describe('readiness warms itself (probes alone bring an instance up, and back)', () => {
  it('asks the provider at creation, in the background: ready without a single request', async () => {
    const provider = jest.fn(async () => KEY);
    const embed = createExploEmbed({ secret: provider, dashboards, logger: false });
    const health = await eventually(
      async () => embed.health(),
      (h) => h.ready,
    );
    expect(health).toEqual({ ready: true, secret: 'ready' });
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('after an outage longer than ttl + maxStale, a probe asks again once retryAfter has passed', async () => {
    const clock = manualClock();
    let up = true;
    const provider = jest.fn(async () => {
      if (!up) throw new Error('vault down');
      return KEY;
    });
    const embed = createExploEmbed({
      secret: provider,
      dashboards,
      clock: clock.now,
      logger: false,
      secretCache: { ttl: '1m', maxStale: '5m', retryAfter: '10s' },
    });
    await eventually(
      async () => embed.health(),
      (h) => h.ready,
    );
    up = false;
    for (let i = 0; i < 50; i++) {
      clock.advance(10_000);
      embed.health();
      await eventually(
        async () => provider.mock.results.length,
        () => true,
        5,
      );
    }
    const down = await eventually(
      async () => embed.health(),
      (h) => !h.ready,
    );
    expect(down).toMatchObject({ ready: false, secret: 'missing', secretError: 'ERR_EXPLO_SECRET_UNAVAILABLE' });
    up = true;
    clock.advance(10_000);
    const back = await eventually(
      async () => embed.health(),
      (h) => h.ready,
    );
    expect(back).toEqual({ ready: true, secret: 'ready' });
  });

  it('probes do not hammer a failing provider: at most one call per retryAfter', async () => {
    const clock = manualClock();
    const provider = jest.fn(async () => {
      throw new Error('vault down');
    });
    const embed = createExploEmbed({
      secret: provider,
      dashboards,
      clock: clock.now,
      logger: false,
      secretCache: { retryAfter: '5s' },
    });
    for (let i = 0; i < 100; i++) {
      embed.health();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(provider).toHaveBeenCalledTimes(1);
    clock.advance(5_000);
    embed.health();
    await eventually(
      async () => provider.mock.calls.length,
      (n) => n === 2,
    );
    expect(provider).toHaveBeenCalledTimes(2);
  });
});
