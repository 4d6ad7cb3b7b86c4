import { decryptExploJwt } from '@explo-embed/core';
import { describe, expect, it } from '@jest/globals';
import { createExploFetch } from '../src/index.js';

const KEY = { keyId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', keyValue: 'fetch-adapter-test-key-32-bytes!' };
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };
const customer = (request: Request) => /(?:^|;\s*)customer=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];

describe('@explo-embed/fetch', () => {
  it('refuses to start without a customer hook, with a coded error that says what to pass', () => {
    const attempt = () => createExploFetch({ secret: KEY, dashboards } as unknown as Parameters<typeof createExploFetch>[0]);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID' }));
    expect(attempt).toThrow(/customer.*\(request: Request, context\) => customer id/);
  });

  it('page(headers): a server component passes the incoming headers and gets the customer’s token', async () => {
    const explo = createExploFetch({ secret: KEY, dashboards, customer });
    const page = await explo.page(new Headers({ cookie: 'theme=dark; customer=acme' }));
    expect((await decryptExploJwt(page.exploJwt as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-sales' });
    expect(page.exploToken).toMatchObject({ jwt: page.exploJwt, dashboard: 'sales' });
    expect(page.headers).toEqual({ 'cache-control': 'private, no-store' });
    expect(await explo.page(new Headers())).toEqual({ headers: {} });
  });

  it('page(): calling it is the read, so an asynchronous session lookup still gives the first page its token', async () => {
    // A session verified asynchronously (jose's jwtVerify, a store lookup), behind a plain arrow.
    const explo = createExploFetch({ secret: KEY, dashboards, customer: (request) => Promise.resolve(customer(request)) });
    for (const who of ['acme', 'globex']) {
      const { headers, exploJwt, exploError } = await explo.page(new Headers({ cookie: `customer=${who}` }));
      expect(headers).toEqual({ 'cache-control': 'private, no-store' });
      expect(exploError).toBeUndefined();
      expect((await decryptExploJwt(exploJwt as string, KEY)).claims.cst).toBe(who);
    }
  });

  it('page(request, { dashboard }): that dashboard whatever the method; an unknown one is a coded reason, not a throw', async () => {
    const explo = createExploFetch({ secret: KEY, dashboards, customer, attach: false });
    const post = new Request('http://app.test/report', { method: 'POST', headers: { cookie: 'customer=acme' } });
    expect((await explo.page(post)).exploJwt).toBeUndefined();
    const ops = await explo.page(post, { dashboard: 'ops' });
    expect((await decryptExploJwt(ops.exploJwt as string, KEY)).claims.dsh).toBe('emb-ops');
    const unknown = await explo.page(post, { dashboard: 'payroll' });
    expect(unknown.exploJwt).toBeUndefined();
    expect(unknown.exploError?.code).toBe('ERR_EXPLO_DASHBOARD_UNKNOWN');
  });

  it('context: the app hands the hook what it already read (no second session lookup)', async () => {
    const seen: unknown[] = [];
    const explo = createExploFetch<{ customerId?: string }>({
      secret: KEY,
      dashboards,
      customer: (_request, context) => {
        seen.push(context);
        return context?.customerId;
      },
    });
    const request = new Request('http://app.test/explo/token');
    const route = await explo.tokenRoute(request, { customerId: 'acme' });
    expect((await decryptExploJwt(((await route.json()) as { jwt: string }).jwt, KEY)).claims.cst).toBe('acme');
    expect((await explo.tokenRoute(request)).status).toBe(401);
    const page = await explo.page(new Request('http://app.test/'), { context: { customerId: 'globex' } });
    expect((await decryptExploJwt(page.exploJwt as string, KEY)).claims.cst).toBe('globex');
    expect(seen).toEqual([{ customerId: 'acme' }, undefined, { customerId: 'globex' }]);
  });

  it('handle: the token route on its path only; tokenRoute answers wherever it is mounted', async () => {
    const explo = createExploFetch({ secret: KEY, dashboards, customer });
    const as = (url: string) => new Request(url, { headers: { cookie: 'customer=acme' } });
    expect(await explo.handle(as('http://app.test/other'))).toBeUndefined();
    expect(await explo.handle(as('http://app.test/explo/token/extra'))).toBeUndefined();
    const routed = await explo.handle(as('http://app.test/explo/token?dashboard=ops'));
    expect(routed).toBeInstanceOf(Response);
    expect((routed as Response).status).toBe(200);
    expect(((await (routed as Response).json()) as { dashboard: string }).dashboard).toBe('ops');
    const mounted = await explo.tokenRoute(as('http://app.test/api/analytics/token'));
    expect(mounted.headers.get('cache-control')).toBe('no-store');
    expect(((await mounted.json()) as { dashboard: string }).dashboard).toBe('sales');
  });
});
