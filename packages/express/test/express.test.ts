import { createServer } from 'node:http';
import { decryptExploJwt } from '@explo-embed/core';
import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import session from 'express-session';
import express4 from 'express4';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { exploEmbed } from '../src/index.js';

const KEY = { keyId: '5d7e1c2a-0b9f-4e3d-8c7b-6a5f4e3d2c1b', keyValue: 'express-adapter-test-key-32bytes' };
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };
const HTML = { accept: 'text/html' };

declare module 'express-session' {
  interface SessionData {
    customerId?: string;
  }
}

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function cookieFor(server: RunningServer, customerId: string): Promise<string> {
  const response = await fetch(`${server.url}/login?customer=${encodeURIComponent(customerId)}`, { method: 'POST' });
  expect(response.status).toBe(204);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
])('@explo-embed/express on %s', (_name, createApp) => {
  async function app(configure: (app: express.Express) => void) {
    const app = createApp();
    app.use(session({ secret: 'test-session-secret', resave: false, saveUninitialized: false }));
    app.post('/login', (req, res) => {
      req.session.customerId = String(req.query.customer);
      res.status(204).end();
    });
    configure(app);
    const server = await listen(createServer(app));
    servers.push(server);
    return server;
  }

  it('reads the customer from express-session by default (req.session.customerId)', async () => {
    const server = await app((a) => {
      a.use(exploEmbed({ secret: KEY, dashboards }));
      a.get('/', (_req, res) => {
        res.send(`<explo-dashboard dash-jwt="${res.locals.exploJwt ?? ''}">`);
      });
    });
    expect((await fetch(`${server.url}/explo/token`)).status).toBe(401);
    const cookie = await cookieFor(server, 'tenant-42');
    const token = (await (await fetch(`${server.url}/explo/token`, { headers: { cookie } })).json()) as { jwt: string };
    expect((await decryptExploJwt(token.jwt, KEY)).claims.cst).toBe('tenant-42');
    const page = await (await fetch(`${server.url}/`, { headers: { cookie, ...HTML } })).text();
    const jwt = /dash-jwt="([^"]+)"/.exec(page)?.[1] as string;
    expect((await decryptExploJwt(jwt, KEY)).claims).toMatchObject({ cst: 'tenant-42', dsh: 'emb-sales' });
  });

  it('a page that reads its token after flushing its head (streamed rendering) gets no token: nothing could mark it private', async () => {
    const server = await app((a) => {
      a.use(exploEmbed({ secret: KEY, dashboards }));
      a.get('/streamed', (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=300');
        res.write('<!doctype html><header>shell</header>'); // the head goes out here
        const { exploJwt, exploError } = res.locals;
        res.end(`<p>${exploJwt ?? 'no token'} ${exploError?.code ?? ''}</p>`);
      });
    });
    const cookie = await cookieFor(server, 'tenant-42');
    const page = await fetch(`${server.url}/streamed`, { headers: { cookie } });
    expect(page.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await page.text()).toContain('<p>no token ERR_EXPLO_HEADERS_SENT</p>');
  });

  it('route-level form: a chosen dashboard on one route only', async () => {
    const server = await app((a) => {
      const explo = exploEmbed({ secret: KEY, dashboards, attach: false });
      a.use(explo);
      a.get('/ops', explo.jwt('ops'), (_req, res) => {
        res.json({ jwt: res.locals.exploJwt ?? null, dashboard: res.locals.exploToken?.dashboard ?? null });
      });
      a.get('/other', (_req, res) => {
        res.json({ jwt: res.locals.exploJwt ?? null });
      });
    });
    const cookie = await cookieFor(server, 'acme');
    const ops = (await (await fetch(`${server.url}/ops`, { headers: { cookie } })).json()) as { jwt: string; dashboard: string };
    expect(ops.dashboard).toBe('ops');
    expect((await decryptExploJwt(ops.jwt, KEY)).claims.dsh).toBe('emb-ops');
    expect(await (await fetch(`${server.url}/other`, { headers: { cookie, ...HTML } })).json()).toEqual({ jwt: null });
    expect(await (await fetch(`${server.url}/ops`)).json()).toEqual({ jwt: null, dashboard: null });
  });

  it('mounted under a prefix, the route is relative to the mount point', async () => {
    const server = await app((a) => {
      a.use('/analytics', exploEmbed({ secret: KEY, dashboards }));
    });
    const cookie = await cookieFor(server, 'acme');
    expect((await fetch(`${server.url}/analytics/explo/token`, { headers: { cookie } })).status).toBe(200);
  });

  it('passes through every other request untouched', async () => {
    const server = await app((a) => {
      a.use(exploEmbed({ secret: KEY, dashboards }));
      a.post('/echo', express.json(), (req, res) => {
        res.json(req.body);
      });
    });
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await response.json()).toEqual({ a: 1 });
  });
});

describe('setup errors', () => {
  it('throws coded errors at creation, naming the option', () => {
    expect(() => exploEmbed({ secret: KEY, dashboards, route: 'explo/token' })).toThrow(
      expect.objectContaining({ option: 'route' }),
    );
    expect(() => exploEmbed({ secret: KEY, dashboards, customer: 'session' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'customer' }),
    );
    expect(() => exploEmbed({ secret: KEY, dashboards }).jwt('payroll')).toThrow(
      expect.objectContaining({ option: 'dashboard' }),
    );
    expect(() => exploEmbed({ secret: { keyId: KEY.keyId, keyValue: `${KEY.keyValue}\n` }, dashboards })).toThrow(
      expect.objectContaining({ code: 'ERR_EXPLO_KEY_LENGTH' }),
    );
  });

  it('exposes the core minter', async () => {
    const explo = exploEmbed({ secret: KEY, dashboards });
    const token = await explo.embed.mint({ customerId: 'x', dashboard: 'ops' });
    expect((await explo.embed.decrypt(token.jwt)).claims.dsh).toBe('emb-ops');
  });
});
