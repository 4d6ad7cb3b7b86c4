import { describe, expect, it, jest } from '@jest/globals';
import { createExploEmbed } from '../src/index.js';
import { decryptByHand, eventually, KEY, KEY2, manualClock } from './fixtures.js';

function setup(extra: Record<string, unknown> = {}) {
  const clock = manualClock();
  const onMint = jest.fn();
  const embed = createExploEmbed({
    secret: KEY,
    dashboards: { a: 'emb-a', b: 'emb-b' },
    expiresIn: '1h',
    clock: clock.now,
    onMint,
    ...extra,
  });
  return { clock, onMint, embed };
}

describe('token reuse', () => {
  it('hands the same token out while at least half its lifetime remains, with a shrinking expiresIn', async () => {
    const { clock, embed, onMint } = setup();
    const first = await embed.mint({ customerId: 'c1' });
    clock.advance(29 * 60_000);
    const again = await embed.mint({ customerId: 'c1' });
    expect(again.jwt).toBe(first.jwt);
    expect(again.expiresIn).toBe(31 * 60);
    expect(again.expiresAt).toEqual(first.expiresAt);
    expect(onMint).toHaveBeenCalledTimes(1);
  });

  it('mints a new token once less than half its lifetime remains', async () => {
    const { clock, embed, onMint } = setup();
    const first = await embed.mint({ customerId: 'c1' });
    clock.advance(30 * 60_000 + 1_000);
    const next = await embed.mint({ customerId: 'c1' });
    expect(next.jwt).not.toBe(first.jwt);
    expect(next.expiresIn).toBe(3600);
    expect(onMint).toHaveBeenCalledTimes(2);
  });

  it('honours a configured minRemaining', async () => {
    const { clock, embed } = setup({ reuse: { minRemaining: 0.9 } });
    const first = await embed.mint({ customerId: 'c1' });
    clock.advance(5 * 60_000);
    expect((await embed.mint({ customerId: 'c1' })).jwt).toBe(first.jwt);
    clock.advance(2 * 60_000);
    expect((await embed.mint({ customerId: 'c1' })).jwt).not.toBe(first.jwt);
  });

  it('keeps tokens apart per customer, per dashboard and per claims', async () => {
    let iss = 'https://one.example.com';
    const { embed } = setup({ claims: () => ({ iss }) });
    const a1 = await embed.mint({ customerId: 'c1', dashboard: 'a' });
    const a2 = await embed.mint({ customerId: 'c2', dashboard: 'a' });
    const b1 = await embed.mint({ customerId: 'c1', dashboard: 'b' });
    expect(new Set([a1.jwt, a2.jwt, b1.jwt]).size).toBe(3);
    expect(decryptByHand(a2.jwt, KEY.keyValue).payload).toMatchObject({ cst: 'c2', dsh: 'emb-a' });
    expect(decryptByHand(b1.jwt, KEY.keyValue).payload).toMatchObject({ cst: 'c1', dsh: 'emb-b' });
    iss = 'https://two.example.com';
    const a1Other = await embed.mint({ customerId: 'c1', dashboard: 'a' });
    expect(a1Other.jwt).not.toBe(a1.jwt);
    expect(decryptByHand(a1Other.jwt, KEY.keyValue).payload.iss).toBe('https://two.example.com/');
  });

  it('does not confuse customer ids that differ only by a separator', async () => {
    const { embed } = setup();
    const x = await embed.mint({ customerId: 'a\u0000b', dashboard: 'a' });
    const y = await embed.mint({ customerId: 'a', dashboard: 'a' });
    expect(decryptByHand(x.jwt, KEY.keyValue).payload.cst).toBe('a\u0000b');
    expect(decryptByHand(y.jwt, KEY.keyValue).payload.cst).toBe('a');
  });

  it('does not confuse a customer id written like the cache key of another customer and dashboard', async () => {
    const { embed } = setup();
    // Asked in this order, each id below spells how a token of the one before might be keyed.
    const ids = ['a', 'a\u0000#0', 'a\u0000#1', 'a\u0000#0\u0000#1', '#0', '\u0000#0'];
    const tokens = [];
    for (const customerId of ids) {
      for (const dashboard of ['a', 'b'])
        tokens.push({ customerId, dashboard, token: await embed.mint({ customerId, dashboard }) });
    }
    for (const customerId of [...ids].reverse()) {
      for (const dashboard of ['b', 'a'])
        tokens.push({ customerId, dashboard, token: await embed.mint({ customerId, dashboard }) });
    }
    for (const { customerId, dashboard, token } of tokens) {
      expect(decryptByHand(token.jwt, KEY.keyValue).payload).toMatchObject({ cst: customerId, dsh: `emb-${dashboard}` });
    }
    expect(new Set(tokens.map(({ token }) => token.jwt)).size).toBe(ids.length * 2);
  });

  it('fresh: true bypasses reuse, and the new token is what later requests reuse', async () => {
    const { embed, clock } = setup();
    const first = await embed.mint({ customerId: 'c1' });
    clock.advance(2_001);
    const fresh = await embed.mint({ customerId: 'c1', fresh: true });
    expect(fresh.jwt).not.toBe(first.jwt);
    expect((await embed.mint({ customerId: 'c1' })).jwt).toBe(fresh.jwt);
  });

  it('a fresh request less than 2 s after a mint of the same token gets that token: a burst of tabs mints once', async () => {
    const { embed, clock, onMint } = setup();
    const first = await embed.mint({ customerId: 'c1', fresh: true });
    clock.advance(1_999);
    const burst = await Promise.all(Array.from({ length: 20 }, () => embed.mint({ customerId: 'c1', fresh: true })));
    expect(new Set(burst.map((token) => token.jwt))).toEqual(new Set([first.jwt]));
    expect(onMint).toHaveBeenCalledTimes(1);
  });

  it('mints once for concurrent identical requests', async () => {
    const { embed, onMint } = setup();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => embed.mint({ customerId: 'same' })));
    expect(new Set(tokens.map((t) => t.jwt)).size).toBe(1);
    expect(onMint).toHaveBeenCalledTimes(1);
  });

  it('reuse: false mints every time', async () => {
    const { embed, onMint } = setup({ reuse: false });
    const a = await embed.mint({ customerId: 'c1' });
    const b = await embed.mint({ customerId: 'c1' });
    expect(a.jwt).not.toBe(b.jwt);
    expect(onMint).toHaveBeenCalledTimes(2);
  });

  it('is bounded in entries', async () => {
    const { embed, onMint } = setup({ reuse: { max: 2 } });
    await embed.mint({ customerId: 'c1' });
    await embed.mint({ customerId: 'c2' });
    await embed.mint({ customerId: 'c3' });
    await embed.mint({ customerId: 'c1' }); // evicted as least recently used: minted again
    expect(onMint).toHaveBeenCalledTimes(4);
  });

  it('does not reuse a token across a key rotation', async () => {
    const clock = manualClock();
    let secret = KEY;
    const embed = createExploEmbed({
      secret: () => secret,
      dashboards: { a: 'emb-a' },
      secretCache: { ttl: 60 },
      clock: clock.now,
    });
    const before = await embed.mint({ customerId: 'c1' });
    secret = KEY2;
    clock.advance(61_000);
    const after = await eventually(
      () => embed.mint({ customerId: 'c1' }),
      (token) => token.keyId === KEY2.keyId,
    );
    expect(after.jwt).not.toBe(before.jwt);
    expect(after.keyId).toBe(KEY2.keyId);
  });

  it('rejects a bad customer id or dashboard with coded errors', async () => {
    const { embed } = setup();
    await expect(embed.mint({ customerId: '' })).rejects.toMatchObject({ code: 'ERR_EXPLO_CUSTOMER_INVALID' });
    await expect(embed.mint({ customerId: 'x'.repeat(513) })).rejects.toMatchObject({ code: 'ERR_EXPLO_CUSTOMER_INVALID' });
    await expect(embed.mint({ customerId: {} as unknown as string })).rejects.toMatchObject({
      code: 'ERR_EXPLO_CUSTOMER_INVALID',
    });
    await expect(embed.mint({ customerId: 'c', dashboard: 'zzz' })).rejects.toMatchObject({
      code: 'ERR_EXPLO_DASHBOARD_UNKNOWN',
    });
    await expect(embed.mint(undefined as unknown as { customerId: string })).rejects.toBeInstanceOf(TypeError);
    const numeric = await embed.mint({ customerId: 42 });
    expect(decryptByHand(numeric.jwt, KEY.keyValue).payload.cst).toBe('42');
  });

  it('validates claims returned by a claims function', async () => {
    const { embed } = setup({ claims: () => ({ rbc: ['nope'] }) });
    await expect(embed.mint({ customerId: 'c' })).rejects.toMatchObject({ code: 'ERR_EXPLO_CLAIMS_INVALID' });
    const throwing = setup({
      claims: () => {
        throw new Error('db down');
      },
    });
    await expect(throwing.embed.mint({ customerId: 'c' })).rejects.toMatchObject({
      code: 'ERR_EXPLO_HOOK_FAILED',
      hook: 'claims',
    });
  });
});
