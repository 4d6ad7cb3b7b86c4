// For `pnpm bench`: one small host app per framework, with or without explo-embed mounted, run in its
// own process: `node --import tsx scripts/page-bench-server.ts <express|koa|nestjs|fastify|hono> <with|without>`.
// Both variants log in the same way and serve the same page, which reads the session and renders an
// iframe from the token in the framework's locals. Without the middleware the page carries a
// placeholder of the token's length instead, so both send the same bytes (the load generator shares
// the machine, and its cost per byte would otherwise count against the middleware): the difference is
// what the middleware costs a page. `/data` is a JSON route of the same logged-in customer that never
// reads the token: what the middleware costs every other request.
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExploEmbed } from '@explo-embed/core';
import { exploEmbed as expressEmbed } from '@explo-embed/express';
import '@explo-embed/express/session';
import { exploEmbed as fastifyEmbed } from '@explo-embed/fastify';
import '@explo-embed/fastify/session';
import { createExploFetch } from '@explo-embed/fetch';
import { exploEmbed as koaEmbed } from '@explo-embed/koa';
import '@explo-embed/koa/session';
import { ExploEmbedModule } from '@explo-embed/nestjs';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { getRequestListener } from '@hono/node-server';
import { Controller, Get, HttpCode, Module, Post, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import Fastify from 'fastify';
import { type Context, Hono } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import Koa from 'koa';
import koaSession from 'koa-session';

const [framework, variant] = process.argv.slice(2);
const withExplo = variant === 'with';
const options = {
  secret: { keyId: '7c6b5a49-3827-4160-9f8e-7d6c5b4a3928', keyValue: 'benchmark-key-value-of-32-bytes!' },
  dashboards: { sales: 'emb-sales' },
};
const sample = await createExploEmbed(options).mint({ customerId: 'bench-customer' });
const placeholder = 'x'.repeat(sample.jwt.length);
let pages = 0;
const page = (jwt: string | undefined) => {
  pages++;
  return `<!doctype html><title>Dashboard</title><iframe src="https://app.explo.co/iframe/${jwt ?? placeholder}/production"></iframe>`;
};
// A logged-in customer's JSON: the same on both variants, and it never reads the token.
const data = (customerId: string | undefined) => {
  pages++;
  return { customerId: customerId ?? null, items: [1, 2, 3] };
};
// The server's own CPU time and pages served so far: the bench divides one by the other per round.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return { cpuMicros: user + system, pages };
};

function expressApp(): express.Express {
  const app = express();
  app.use(session({ secret: 'page-bench', resave: false, saveUninitialized: false }));
  if (withExplo) app.use(expressEmbed(options));
  app.post('/login', (req, res) => {
    req.session.customerId = 'bench-customer';
    res.json({ customerId: req.session.customerId });
  });
  app.get('/page', (req, res) => {
    res
      .status(req.session.customerId ? 200 : 401)
      .type('html')
      .send(page(res.locals.exploJwt));
  });
  app.get('/data', (req, res) => {
    res.json(data(req.session.customerId));
  });
  app.get('/cpu', (_req, res) => {
    res.json(cpu());
  });
  return app;
}

function koaApp(): Koa {
  const app = new Koa();
  app.keys = ['page-bench'];
  app.use(koaSession(app));
  if (withExplo) app.use(koaEmbed(options));
  app.use((ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/login') {
      ctx.session = { customerId: 'bench-customer' };
      ctx.body = { customerId: 'bench-customer' };
    } else if (ctx.path === '/cpu') {
      ctx.body = cpu();
    } else if (ctx.path === '/data') {
      ctx.body = data(ctx.session?.customerId);
    } else if (ctx.path === '/page') {
      ctx.status = ctx.session?.customerId ? 200 : 401;
      ctx.type = 'html';
      ctx.body = page(ctx.state.exploJwt);
    }
  });
  return app;
}

@Controller()
class PageController {
  @Post('login')
  @HttpCode(200)
  login(@Req() req: Request, @Res() res: Response) {
    req.session.customerId = 'bench-customer';
    res.json({ customerId: req.session.customerId });
  }

  @Get('cpu')
  cpu() {
    return cpu();
  }

  @Get('data')
  data(@Req() req: Request) {
    return data(req.session.customerId);
  }

  @Get('page')
  page(@Req() req: Request, @Res() res: Response) {
    res
      .status(req.session.customerId ? 200 : 401)
      .type('html')
      .send(page(res.locals.exploJwt as string | undefined));
  }
}

async function nestServer(): Promise<Server> {
  @Module({ imports: withExplo ? [ExploEmbedModule.forRoot(options)] : [], controllers: [PageController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  app.use(session({ secret: 'page-bench', resave: false, saveUninitialized: false }));
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer();
}

async function fastifyServer(): Promise<Server> {
  const app = Fastify();
  app.register(fastifyCookie);
  app.register(fastifySession, {
    secret: 'page-bench-session-secret-of-32-chars!',
    saveUninitialized: false,
    cookie: { secure: false },
  });
  if (withExplo) app.register(fastifyEmbed, options);
  app.post('/login', async (request) => {
    request.session.customerId = 'bench-customer';
    return { customerId: request.session.customerId };
  });
  app.get('/cpu', async () => cpu());
  app.get('/data', async (request) => data(request.session.customerId));
  app.get('/page', async (request, reply) =>
    reply
      .code(request.session.customerId ? 200 : 401)
      .type('text/html')
      .send(page(request.exploJwt)),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

// Hono through @explo-embed/fetch: a middleware reads the signed-cookie session once per request,
// and explo-embed's customer hook reads it from the context (as examples/hono does).
function honoServer(): Server {
  const secret = 'page-bench';
  type Env = { Variables: { customerId: string | undefined } };
  const explo = withExplo
    ? createExploFetch<Context<Env>>({ ...options, customer: (_request, c) => c?.get('customerId') })
    : undefined;
  const app = new Hono<Env>();
  app.use(async (c, next) => {
    c.set('customerId', (await getSignedCookie(c, secret, 'session')) || undefined);
    await next();
  });
  app.post('/login', async (c) => {
    await setSignedCookie(c, 'session', 'bench-customer', secret, { path: '/', httpOnly: true });
    return c.json({ customerId: 'bench-customer' });
  });
  app.get('/cpu', (c) => c.json(cpu()));
  app.get('/data', (c) => c.json(data(c.get('customerId'))));
  app.get('/page', async (c) => {
    const status = c.get('customerId') ? 200 : 401;
    if (!explo) return c.html(page(undefined), status);
    const { exploJwt, headers } = await explo.page(c.req.raw, { context: c });
    return c.html(page(exploJwt), status, headers);
  });
  return createServer(getRequestListener(app.fetch)).listen(0, '127.0.0.1');
}

const listening = (server: Server) => new Promise<Server>((resolve) => server.once('listening', () => resolve(server)));
const server =
  framework === 'express'
    ? await listening(expressApp().listen(0, '127.0.0.1'))
    : framework === 'koa'
      ? await listening(koaApp().listen(0, '127.0.0.1'))
      : framework === 'fastify'
        ? await fastifyServer()
        : framework === 'hono'
          ? await listening(honoServer())
          : await nestServer();
// The same line the examples print, so the bench starts this process like one of them.
console.log(`page-bench listening on http://localhost:${(server.address() as AddressInfo).port}`);
