import { describe, expect, it } from '@jest/globals';
import { mintsLikeExplo, startExploApi } from '../../../test/support/explo-api.js';
import { createExploAdapter, type ExploPageTarget } from '../src/adapter.js';
import { KEY, manualClock } from './fixtures.js';

// The attach step at the adapter kit, where every adapter gets it: page values produced on read.
const dashboards = { sales: 'emb-sales' };
const info = { method: 'GET', url: '/page', headers: {} };

function target(): ExploPageTarget & { locals: Record<string, unknown>; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const setHeader = (name: string, value: string) => {
    headers[name] = value;
  };
  return { locals: {}, headers, setHeader };
}

/** An adapter whose customer hook has answered once (at once): from then on, pages are produced when read. */
async function learned<Req>(adapter: ReturnType<typeof createExploAdapter<Req>>, request: Req): Promise<void> {
  await adapter.embed.mint({ customerId: 'warm-up' }); // key material ready
  await adapter.attach(request, info, target());
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
    await learned(adapter, 'warm-up');
    minted.splice(0);
    customerCalls = 0;
    const page = target();
    await adapter.attach('acme', info, page);
    expect([minted, customerCalls, page.headers]).toEqual([[], 0, {}]);
    const jwt = page.locals.exploJwt;
    expect(typeof jwt).toBe('string');
    expect(page.locals.exploToken).toMatchObject({ jwt, dashboard: 'sales' });
    expect(page.locals.exploError).toBeUndefined();
    expect([minted, customerCalls, page.headers]).toEqual([['acme'], 1, { 'cache-control': 'private, no-store' }]);
  });

  it('read after the response headers went out: no token and no header, the coded reason instead', async () => {
    const adapter = createExploAdapter<string>({ secret: KEY, dashboards, logger: false }, (request) => request);
    await learned(adapter, 'warm-up');
    const page = { ...target(), headersSent: false };
    await adapter.attach('acme', info, page);
    page.headersSent = true;
    expect(page.locals.exploJwt).toBeUndefined();
    expect((page.locals.exploError as { code: string }).code).toBe('ERR_EXPLO_HEADERS_SENT');
    expect(page.headers).toEqual({});
  });

  it('values copy like plain ones (a view engine merging locals), and a host may overwrite them', async () => {
    const adapter = createExploAdapter<string>({ secret: KEY, dashboards, logger: false }, (request) => request);
    await learned(adapter, 'warm-up');
    const page = target();
    await adapter.attach('acme', info, page);
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
    await learned(adapter, 'warm-up');
    customerCalls = 0;
    const { headers, setHeader } = target();
    const page = await adapter.attach('acme', info, { setHeader });
    if (page === undefined) throw new Error('expected a page');
    expect([customerCalls, headers]).toEqual([0, {}]);
    const result = page.read();
    expect(result.token?.dashboard).toBe('sales');
    expect(page.read()).toBe(result); // once
    expect([customerCalls, headers]).toEqual([1, { 'cache-control': 'private, no-store' }]);
    expect(await adapter.attach('acme', { ...info, method: 'POST' }, { setHeader: () => {} })).toBeUndefined();
  });

  it('the first page asks the hook before the handler, to learn how it answers, and mints nothing until read', async () => {
    const minted: string[] = [];
    let customerCalls = 0;
    const adapter = createExploAdapter<string>(
      { secret: KEY, dashboards, logger: false, onMint: ({ customerId }) => minted.push(customerId) },
      (request) => {
        customerCalls++;
        return request;
      },
    );
    await adapter.embed.mint({ customerId: 'warm-up' });
    minted.splice(0);
    const first = target();
    await adapter.attach('acme', info, first);
    expect([minted, customerCalls, first.headers]).toEqual([[], 1, {}]);
    expect(typeof first.locals.exploJwt).toBe('string');
    expect([minted, customerCalls]).toEqual([['acme'], 1]); // its answer was used, not asked again
    const second = target();
    await adapter.attach('globex', info, second);
    expect([minted, customerCalls]).toEqual([['acme'], 1]); // from now on, nothing before the read
  });

  it('how the hook answers is learned from it, not guessed from its function: a transpiled async hook is never read lazily', async () => {
    // What TypeScript writes for an async function below ES2017: a plain function returning a promise.
    const transpiled = (request: string) => new Promise<string>((resolve) => resolve(request));
    const minted: string[] = [];
    const adapter = createExploAdapter<string>(
      { secret: KEY, dashboards, logger: false, onMint: ({ customerId }) => minted.push(customerId) },
      transpiled,
    );
    for (const customer of ['acme', 'globex']) {
      const page = target();
      await adapter.attach(customer, info, page);
      expect(minted).toContain(customer); // produced before the handler ran
      expect(typeof page.locals.exploJwt).toBe('string');
      expect(page.headers).toEqual({ 'cache-control': 'private, no-store' });
    }
  });

  it('a hook that answers at once, then later: that one read renders without a token (coded), later requests wait for it', async () => {
    const adapter = createExploAdapter<string>({ secret: KEY, dashboards, logger: false }, (request) =>
      request === 'anonymous' ? undefined : Promise.resolve(request),
    );
    await learned(adapter, 'anonymous'); // at once: pages are produced on read from now on
    const first = target();
    await adapter.attach('acme', info, first);
    expect(first.locals.exploJwt).toBeUndefined();
    expect((first.locals.exploError as { code: string }).code).toBe('ERR_EXPLO_TOKEN_PENDING');
    expect(first.headers).toEqual({});
    const second = target();
    await adapter.attach('acme', info, second);
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
