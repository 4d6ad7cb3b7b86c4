import { decryptExploJwt } from '@explo-embed/core';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Inject, Injectable, Module, Req, Res } from '@nestjs/common';
import session from 'express-session';
import type { RunningServer } from '../../../test/support/http.js';
import { ExploEmbedModule, ExploEmbedService, ExploJwt, getExploPage } from '../src/index.js';
import { PageController, type Platform, startNest } from './app-factory.js';

const KEY = { keyId: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910', keyValue: 'nest-adapter-test-key-of-32bytes' };
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };

@Controller()
class ReportsController {
  constructor(@Inject(ExploEmbedService) private readonly explo: ExploEmbedService) {}

  @Get('reports')
  reports(@ExploJwt() sales?: string, @ExploJwt('ops') ops?: string) {
    return { sales: sales ?? null, ops: ops ?? null };
  }

  @Get('service')
  async service() {
    const token = await this.explo.mint({ customerId: 'from-service', dashboard: 'ops' });
    const { claims } = await this.explo.decrypt(token.jwt);
    return { cst: claims.cst, dsh: claims.dsh, names: this.explo.embed.dashboards };
  }
}

/** Stands in for @nestjs/config: keys read through an injected provider. */
@Injectable()
class FakeConfigService {
  get(name: string): string {
    return ({ EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue } as Record<string, string>)[name] as string;
  }
}

@Module({ providers: [FakeConfigService], exports: [FakeConfigService] })
class FakeConfigModule {}

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const headerCustomer = (request: unknown) => (request as { headers: Record<string, string | undefined> }).headers['x-customer'];

describe.each<Platform>(['express', 'fastify'])('@explo-embed/nestjs on %s', (platform) => {
  it('@ExploJwt(dashboard?) injects tokens per dashboard for the request customer', async () => {
    const server = await startNest(platform, {
      imports: [ExploEmbedModule.forRoot({ secret: KEY, dashboards, customer: headerCustomer })],
      controllers: [ReportsController],
    });
    servers.push(server);
    const body = (await (await fetch(`${server.url}/reports`, { headers: { 'x-customer': 'acme' } })).json()) as Record<
      string,
      string
    >;
    expect((await decryptExploJwt(body.sales as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-sales' });
    expect((await decryptExploJwt(body.ops as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-ops' });
    expect(await (await fetch(`${server.url}/reports`)).json()).toEqual({ sales: null, ops: null });
  });

  it('forRootAsync reads keys through an injected config provider; ExploEmbedService mints and decodes', async () => {
    const server = await startNest(platform, {
      imports: [
        ExploEmbedModule.forRootAsync({
          imports: [FakeConfigModule],
          inject: [FakeConfigService],
          useFactory: (config: FakeConfigService) => ({
            secret: { keyId: config.get('EXPLO_KEY_ID'), keyValue: config.get('EXPLO_KEY_VALUE') },
            dashboards,
            customer: headerCustomer,
          }),
          route: '/api/explo-token',
        }),
      ],
      controllers: [ReportsController],
    });
    servers.push(server);
    expect(await (await fetch(`${server.url}/service`)).json()).toEqual({
      cst: 'from-service',
      dsh: 'emb-ops',
      names: ['sales', 'ops'],
    });
    const token = await fetch(`${server.url}/api/explo-token`, { headers: { 'x-customer': 'acme' } });
    expect(token.status).toBe(200);
    expect((await fetch(`${server.url}/explo/token`, { headers: { 'x-customer': 'acme' } })).status).toBe(404);
  });

  it('a bad option fails the bootstrap with a coded error naming it', async () => {
    const error = await startNest(platform, {
      imports: [ExploEmbedModule.forRoot({ secret: KEY, dashboards: {} })],
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'ERR_EXPLO_OPTION_INVALID', option: 'dashboards' });
  });
});

describe('sessions and passport on the Express platform', () => {
  it('the default customer reads express-session; a resolver can read passport’s req.user', async () => {
    const withSession = await startNest(
      'express',
      { imports: [ExploEmbedModule.forRoot({ secret: KEY, dashboards })] },
      (app) => {
        app.use(session({ secret: 's', resave: false, saveUninitialized: true }));
        app.use((req: { session: { customerId?: string }; headers: Record<string, string> }, _res: unknown, next: () => void) => {
          if (req.headers['x-login']) req.session.customerId = req.headers['x-login'];
          next();
        });
      },
    );
    servers.push(withSession);
    const login = await fetch(`${withSession.url}/explo/token`, { headers: { 'x-login': 'tenant-9' } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const token = (await (await fetch(`${withSession.url}/explo/token`, { headers: { cookie } })).json()) as { jwt: string };
    expect((await decryptExploJwt(token.jwt, KEY)).claims.cst).toBe('tenant-9');

    const withPassport = await startNest(
      'express',
      {
        imports: [
          ExploEmbedModule.forRoot({
            secret: KEY,
            dashboards,
            customer: (req) => (req as { user?: { tenantId: string } }).user?.tenantId,
          }),
        ],
      },
      (app) => {
        // What passport.session() does: deserialize the user onto req.user before routes run.
        app.use((req: { user?: object; headers: Record<string, string> }, _res: unknown, next: () => void) => {
          if (req.headers.authorization === 'Bearer good') req.user = { tenantId: 'passport-tenant' };
          next();
        });
      },
    );
    servers.push(withPassport);
    const ok = (await (await fetch(`${withPassport.url}/explo/token`, { headers: { authorization: 'Bearer good' } })).json()) as {
      jwt: string;
    };
    expect((await decryptExploJwt(ok.jwt, KEY)).claims.cst).toBe('passport-tenant');
    expect((await fetch(`${withPassport.url}/explo/token`)).status).toBe(401);
  });
});

describe('sessions on the Fastify platform', () => {
  it('the page token is attached after session plugins ran (a preHandler), so the default customer reads the session', async () => {
    const server = await startNest(
      'fastify',
      { imports: [ExploEmbedModule.forRoot({ secret: KEY, dashboards })], controllers: [PageController] },
      (app) => {
        // What @fastify/secure-session does: a session on the request, in an onRequest hook.
        const fastify = app.getHttpAdapter().getInstance() as {
          addHook(
            name: 'onRequest',
            hook: (request: { headers: Record<string, unknown>; session?: unknown }) => Promise<void>,
          ): void;
        };
        fastify.addHook('onRequest', async (request) => {
          const customer = request.headers['x-session-customer'];
          request.session = { get: (key: string) => (key === 'customerId' ? customer : undefined) };
        });
      },
    );
    servers.push(server);
    const page = (await (await fetch(`${server.url}/page`, { headers: { 'x-session-customer': 'fastify-tenant' } })).json()) as {
      exploJwt: string;
    };
    expect((await decryptExploJwt(page.exploJwt, KEY)).claims.cst).toBe('fastify-tenant');
    expect(await (await fetch(`${server.url}/page`)).json()).toEqual({ exploJwt: null, exploError: null });
  });
});

describe('routes that do not ask for a token', () => {
  it.each<Platform>(['express', 'fastify'])(
    'attach: false leaves every request alone on %s; @ExploJwt() still works',
    async (platform) => {
      const server = await startNest(platform, {
        imports: [ExploEmbedModule.forRoot({ secret: KEY, dashboards, customer: headerCustomer, attach: false })],
        controllers: [ReportsController, PageController],
      });
      servers.push(server);
      expect(await (await fetch(`${server.url}/page`, { headers: { 'x-customer': 'acme' } })).json()).toEqual({
        exploJwt: null,
        exploError: null,
      });
      const reports = (await (await fetch(`${server.url}/reports`, { headers: { 'x-customer': 'acme' } })).json()) as {
        ops: string;
      };
      expect((await decryptExploJwt(reports.ops, KEY)).claims.dsh).toBe('emb-ops');
    },
  );
});

@Controller()
class BothReadsController {
  @Get('both')
  both(@Req() request: object, @Res({ passthrough: true }) response: { locals: { exploJwt?: string } }) {
    // getExploPage first: on Express it finds the page through request.res.locals.
    const page = getExploPage(request)?.token?.jwt ?? null;
    return { page, locals: response.locals.exploJwt ?? null };
  }

  @Get('replaced')
  replaced(@Req() request: object, @Res({ passthrough: true }) response: { locals: object }) {
    response.locals = {};
    return { page: getExploPage(request)?.token?.jwt ?? null };
  }
}

describe('getExploPage on the Express platform', () => {
  it('reads the page the attach step left on res.locals: the same token, and the response is marked private', async () => {
    const server = await startNest('express', {
      imports: [ExploEmbedModule.forRoot({ secret: KEY, dashboards, customer: headerCustomer })],
      controllers: [BothReadsController],
    });
    servers.push(server);
    const response = await fetch(`${server.url}/both`, { headers: { 'x-customer': 'acme' } });
    const body = (await response.json()) as { page: string; locals: string };
    expect(body.page).toEqual(expect.any(String));
    expect(body.locals).toBe(body.page);
    expect((await decryptExploJwt(body.page, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-sales' });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    // A handler that replaces res.locals drops the page with the template variables.
    const replaced = await fetch(`${server.url}/replaced`, { headers: { 'x-customer': 'acme' } });
    expect(await replaced.json()).toEqual({ page: null });
    expect(replaced.headers.get('cache-control')).not.toBe('private, no-store');
  });
});

describe('sessionCustomer (the default resolver)', () => {
  it('reads express-session properties and Fastify session get()', async () => {
    const { sessionCustomer } = await import('../src/index.js');
    expect(sessionCustomer({ session: { customerId: 'express' } })).toBe('express');
    expect(sessionCustomer({ session: { get: (key: string) => (key === 'customerId' ? 'fastify' : undefined) } })).toBe(
      'fastify',
    );
    expect(sessionCustomer({})).toBeUndefined();
    expect(sessionCustomer({ session: null })).toBeUndefined();
  });
});
