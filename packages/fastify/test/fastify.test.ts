import { decryptExploJwt } from '@explo-embed/core';
import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { exploEmbed } from '../src/index.js';

const KEY = { keyId: '5b4a3928-1706-4f5e-8d4c-3b2a19080706', keyValue: 'fastify-plugin-test-key-32bytes!' };
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };
const apps: FastifyInstance[] = [];
const make = () => {
  const app = Fastify();
  apps.push(app);
  return app;
};
// Real HTTP, not app.inject(): light-my-request needs the ESM-only `cookie` 2, which Jest on Node 20
// cannot require(). The real @fastify/session runs in examples/fastify, in its own process.
const call = async (app: FastifyInstance, url: string, init: RequestInit = {}) => {
  const base = app.server.listening ? '' : await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = base || `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const response = await fetch(origin + url, init);
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
};
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
const claimsOf = async (jwt: unknown) => (await decryptExploJwt(jwt as string, KEY)).claims;

describe('@explo-embed/fastify', () => {
  it('reads the session customer by default (object or get() sessions), even with the session set up after the plugin', async () => {
    const app = make();
    await app.register(exploEmbed, { secret: KEY, dashboards });
    // What @fastify/session (properties) and @fastify/secure-session (get) put on the request, from onRequest.
    app.addHook('onRequest', async (request) => {
      const who = request.headers['x-session'];
      if (who === 'object') Object.assign(request, { session: { customerId: 'acme' } });
      if (who === 'get')
        Object.assign(request, { session: { get: (key: string) => (key === 'customerId' ? 'globex' : undefined) } });
    });
    app.get('/', async (request) => ({ jwt: request.exploJwt ?? null }));
    expect((await call(app, '/')).json).toEqual({ jwt: null });
    const page = await call(app, '/', { headers: { 'x-session': 'object' } });
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(await claimsOf(page.json.jwt)).toMatchObject({ cst: 'acme', dsh: 'emb-sales' });
    expect(await claimsOf((await call(app, '/', { headers: { 'x-session': 'get' } })).json.jwt)).toMatchObject({ cst: 'globex' });
    const route = await call(app, '/explo/token?dashboard=ops', { headers: { 'x-session': 'object' } });
    expect(await claimsOf(route.json.jwt)).toMatchObject({ cst: 'acme', dsh: 'emb-ops' });
  });

  it('respects encapsulation: routes of the scope it is registered in get tokens, sibling scopes do not', async () => {
    const app = make();
    const customer = () => 'acme';
    await app.register(async (scoped) => {
      await scoped.register(exploEmbed, { secret: KEY, dashboards, customer });
      scoped.get('/analytics', async (request) => ({ jwt: request.exploJwt ?? null }));
    });
    await app.register(async (sibling) => {
      sibling.get('/billing', async (request) => ({ jwt: request.exploJwt ?? null }));
    });
    expect(await claimsOf((await call(app, '/analytics')).json.jwt)).toMatchObject({ cst: 'acme' });
    expect((await call(app, '/billing')).json).toEqual({ jwt: null });
  });

  it('the token route gets no page token of its own: one mint per token-route request', async () => {
    const app = make();
    const mints: string[] = [];
    await app.register(exploEmbed, { secret: KEY, dashboards, customer: () => 'acme', onMint: (e) => mints.push(e.dashboard) });
    expect((await call(app, '/explo/token?dashboard=ops')).status).toBe(200);
    expect(mints).toEqual(['ops']);
  });

  it('a value the app sets on the request replaces the produced one; a page that never reads one gets no header', async () => {
    const app = make();
    const mints: string[] = [];
    await app.register(exploEmbed, { secret: KEY, dashboards, customer: () => 'acme', onMint: (e) => mints.push(e.dashboard) });
    app.get('/preview', async (request) => {
      request.exploJwt = 'set-by-the-app';
      return { jwt: request.exploJwt, token: request.exploToken?.dashboard ?? null };
    });
    app.get('/data', async () => ({ ok: true }));
    await app.ready();
    await app.explo.embed.mint({ customerId: 'warm-up' }); // key material ready: produced on read from here on
    mints.splice(0);
    const data = await call(app, '/data');
    expect([data.json, data.headers.get('cache-control'), mints]).toEqual([{ ok: true }, null, []]);
    const preview = await call(app, '/preview');
    // The token the app did not replace is still the page's own, produced on read.
    expect(preview.json).toEqual({ jwt: 'set-by-the-app', token: 'sales' });
    expect(preview.headers.get('cache-control')).toBe('private, no-store');
    expect(mints).toEqual(['sales']);
  });

  it('app.explo.jwt(dashboard) is the route-level form; an unknown dashboard throws when the route is declared', async () => {
    const app = make();
    await app.register(exploEmbed, { secret: KEY, dashboards, customer: () => 'acme', attach: false });
    app.post('/ops-report', { preHandler: app.explo.jwt('ops') }, async (request) => ({ jwt: request.exploJwt }));
    app.get('/plain', async (request) => ({ jwt: request.exploJwt ?? null }));
    expect(await claimsOf((await call(app, '/ops-report', { method: 'POST' })).json.jwt)).toMatchObject({ dsh: 'emb-ops' });
    expect((await call(app, '/plain')).json).toEqual({ jwt: null });
    expect(() => app.explo.jwt('payroll')).toThrow(expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID' }));
    expect(app.explo.embed.hasDashboard('ops')).toBe(true);
  });

  it('checks options at register time: ready() rejects with a coded error that never echoes the key', async () => {
    const app = make();
    app.register(exploEmbed, { secret: { keyId: KEY.keyId, keyValue: `${KEY.keyValue}\n` }, dashboards });
    const failure = await app.ready().then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.code).toBe('ERR_EXPLO_KEY_LENGTH');
    expect(failure?.message).not.toContain(KEY.keyValue);
    const other = make();
    other.register(exploEmbed, { secret: KEY, dashboards, route: 'explo/token' });
    await expect(other.ready()).rejects.toMatchObject({ code: 'ERR_EXPLO_OPTION_INVALID' });
  });
});
