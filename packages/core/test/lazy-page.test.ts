import { describe, expect, it } from '@jest/globals';
import { mintsLikeExplo, startExploApi } from '../../../test/support/explo-api.js';
import { createExploAdapter, type ExploPageTarget } from '../src/adapter.js';
import { KEY, manualClock } from './fixtures.js';

// The attach step at the adapter kit, where every adapter gets it: page values produced on read.
const dashboards = { sales: 'emb-sales' };
const info = { method: 'GET', path: '/page' };

function target(): ExploPageTarget & { locals: Record<string, unknown>; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const setHeader = (name: string, value: string) => {
    headers[name] = value;
  };
  return { locals: {}, headers, setHeader };
}

describe('page values are produced when the page reads them', () => {
  it('nothing is minted, looked up or marked until a value is read; then once', async () => {
    const minted: string[] = [];
    let customerCalls = 0;
    const adapter = createExploAdapter<string>(
      { secret: KEY, dashboards, logger: false, onMint: ({ customerId }) => minted.push(customerId) },
      (request) => {
        customerCalls++;
        return request;
      },
    );
    await adapter.embed.mint({ customerId: 'warm-up' }); // key material ready
    minted.splice(0);
    const page = target();
    expect(adapter.attach('acme', info, page)).not.toBeInstanceOf(Promise); // synchronous: nothing to wait for
    expect([minted, customerCalls, page.headers]).toEqual([[], 0, {}]);
    const jwt = page.locals.exploJwt;
    expect(typeof jwt).toBe('string');
    expect(page.locals.exploToken).toMatchObject({ jwt, dashboard: 'sales' });
    expect(page.locals.exploError).toBeUndefined();
    expect([minted, customerCalls, page.headers]).toEqual([['acme'], 1, { 'cache-control': 'private, no-store' }]);
  });

  it('values copy like plain ones (a view engine merging locals), and a host may overwrite them', async () => {
    const adapter = createExploAdapter<string>({ secret: KEY, dashboards, logger: false }, (request) => request);
    await adapter.embed.mint({ customerId: 'warm-up' });
    const page = target();
    adapter.attach('acme', info, page);
    const copy = { ...page.locals };
    expect(Object.keys(copy).sort()).toEqual(['exploError', 'exploJwt', 'exploToken']);
    expect(typeof copy.exploJwt).toBe('string');
    page.locals.exploJwt = 'overridden';
    expect(page.locals.exploJwt).toBe('overridden');
  });

  it('without locals (an adapter that reads the page itself): no accessors, and the same page on read', async () => {
    let customerCalls = 0;
    const adapter = createExploAdapter<string>({ secret: KEY, dashboards, logger: false }, (request) => {
      customerCalls++;
      return request;
    });
    await adapter.embed.mint({ customerId: 'warm-up' });
    const { headers, setHeader } = target();
    const page = adapter.attach('acme', info, { setHeader });
    if (page === undefined || page instanceof Promise) throw new Error('expected a page at once');
    expect([customerCalls, headers]).toEqual([0, {}]);
    const result = page.read();
    expect(result.token?.dashboard).toBe('sales');
    expect(page.read()).toBe(result); // once
    expect([customerCalls, headers]).toEqual([1, { 'cache-control': 'private, no-store' }]);
    expect(adapter.attach('acme', { method: 'POST', path: '/page' }, { setHeader: () => {} })).toBeUndefined();
  });

  it('a hook that answers asynchronously: that read renders without a token (coded), later requests wait for it', async () => {
    const adapter = createExploAdapter<string>({ secret: KEY, dashboards, logger: false }, (request) => Promise.resolve(request));
    await adapter.embed.mint({ customerId: 'warm-up' });
    const first = target();
    adapter.attach('acme', info, first);
    expect(first.locals.exploJwt).toBeUndefined();
    expect((first.locals.exploError as { code: string }).code).toBe('ERR_EXPLO_TOKEN_PENDING');
    expect(first.headers).toEqual({});
    const second = target();
    const waited = adapter.attach('acme', info, second);
    expect(waited).toBeInstanceOf(Promise);
    await waited;
    expect(typeof second.locals.exploJwt).toBe('string');
    expect(second.headers).toEqual({ 'cache-control': 'private, no-store' });
  });

  it('an async function customer hook, or Explo’s API: produced before the handler, marked only when read', async () => {
    const clock = manualClock();
    const api = await startExploApi(mintsLikeExplo([KEY], clock.now));
    try {
      const adapter = createExploAdapter<string>(
        {
          api: { token: 'explo-api-token-lazy-page-0123456789', url: api.url },
          secret: KEY,
          dashboards,
          clock: clock.now,
          logger: false,
        },
        async (request) => request,
      );
      const unread = target();
      await adapter.attach('acme', info, unread);
      expect(api.calls).toHaveLength(1);
      expect(unread.headers).toEqual({});
      const read = target();
      await adapter.attach('acme', info, read);
      expect(typeof read.locals.exploJwt).toBe('string');
      expect(read.headers).toEqual({ 'cache-control': 'private, no-store' });
      expect(api.calls).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});
