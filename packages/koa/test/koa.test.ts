import { createServer } from 'node:http';
import { decryptExploJwt } from '@explo-embed/core';
import { afterEach, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import session from 'koa-session';
import Koa2 from 'koa2';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { exploEmbed } from '../src/index.js';

const KEY = { keyId: '6e5d4c3b-2a19-4807-a6b5-c4d3e2f1a0b9', keyValue: 'koa-adapter-test-key-of-32-bytes' };
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe.each([
  ['Koa 3', Koa],
  ['Koa 2', Koa2],
])('@explo-embed/koa on %s', (_name, KoaClass) => {
  async function app(configure: (app: Koa) => void) {
    const app = new KoaClass();
    app.keys = ['test-session-key'];
    app.use(session({ signed: true }, app as never));
    app.use(async (ctx, next) => {
      if (ctx.method !== 'POST' || ctx.path !== '/login') return next();
      (ctx.session as unknown as Record<string, unknown>).customerId = ctx.query.customer;
      ctx.status = 204;
    });
    configure(app);
    const server = await listen(createServer(app.callback()));
    servers.push(server);
    return server;
  }
  const login = async (server: RunningServer, customer: string) => {
    const response = await fetch(`${server.url}/login?customer=${customer}`, { method: 'POST' });
    return response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  };

  it('reads the customer from koa-session by default and sets ctx.state.exploJwt on pages', async () => {
    const server = await app((a) => {
      a.use(exploEmbed({ secret: KEY, dashboards }));
      a.use((ctx) => {
        ctx.body = { jwt: ctx.state.exploJwt ?? null };
      });
    });
    expect((await fetch(`${server.url}/explo/token`)).status).toBe(401);
    const cookie = await login(server, 'tenant-7');
    const token = (await (await fetch(`${server.url}/explo/token`, { headers: { cookie } })).json()) as { jwt: string };
    expect((await decryptExploJwt(token.jwt, KEY)).claims.cst).toBe('tenant-7');
    const page = (await (await fetch(`${server.url}/`, { headers: { cookie, accept: 'text/html' } })).json()) as { jwt: string };
    expect((await decryptExploJwt(page.jwt, KEY)).claims).toMatchObject({ cst: 'tenant-7', dsh: 'emb-sales' });
  });

  it('a page that reads its token after flushing its head (streamed rendering) gets no token: nothing could mark it private', async () => {
    const server = await app((a) => {
      a.use(exploEmbed({ secret: KEY, dashboards }));
      a.use((ctx) => {
        ctx.set('cache-control', 'public, max-age=300');
        ctx.res.flushHeaders(); // the head goes out here
        ctx.body = { jwt: ctx.state.exploJwt ?? null, error: ctx.state.exploError?.code ?? null };
      });
    });
    const cookie = await login(server, 'tenant-7');
    const page = await fetch(`${server.url}/`, { headers: { cookie } });
    expect(page.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await page.json()).toEqual({ jwt: null, error: 'ERR_EXPLO_HEADERS_SENT' });
  });

  it('route-level form: explo.jwt(name) on one route', async () => {
    const server = await app((a) => {
      const explo = exploEmbed({ secret: KEY, dashboards, attach: false });
      a.use(explo);
      const ops = explo.jwt('ops');
      a.use(async (ctx, next) => {
        if (ctx.path === '/ops') {
          await ops(ctx, async () => {
            ctx.body = { jwt: ctx.state.exploJwt ?? null };
          });
          return;
        }
        return next();
      });
    });
    const cookie = await login(server, 'acme');
    const body = (await (await fetch(`${server.url}/ops`, { headers: { cookie } })).json()) as { jwt: string };
    expect((await decryptExploJwt(body.jwt, KEY)).claims.dsh).toBe('emb-ops');
  });
});

describe('setup errors', () => {
  it('throws coded errors naming the option', () => {
    expect(() => exploEmbed({ secret: KEY, dashboards, attach: 'always' as never })).toThrow(
      expect.objectContaining({ option: 'attach' }),
    );
    expect(() => exploEmbed({ secret: KEY, dashboards }).jwt('nope')).toThrow(
      expect.objectContaining({ code: 'ERR_EXPLO_OPTION_INVALID' }),
    );
  });
});
