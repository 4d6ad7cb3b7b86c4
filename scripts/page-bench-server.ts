// For `pnpm bench`: one small host app per framework, with or without explo-embed mounted, run in its
// own process: `node --import tsx scripts/page-bench-server.ts <express|koa|nestjs|fastify|hono> <with|without>`;
// with `inprocess [with-first|without-first] [aa|floor]` instead, both variants in this one process, driven
// without sockets (light-my-request) in interleaved batches, and the result printed as JSON.
// Both variants log in the same way and serve the same page, which reads the session and renders an
// iframe from the token in the framework's locals. Without the middleware the page carries a
// placeholder of the token's length instead, so both send the same bytes (the load generator shares
// the machine, and its cost per byte would otherwise count against the middleware): the difference is
// what the middleware costs a page. `/data` is a JSON route of the same logged-in customer that never
// reads the token: what the middleware costs every other request.
import 'reflect-metadata';
import { createServer, type RequestListener } from 'node:http';
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
import inject from 'light-my-request';

const [framework, variant] = process.argv.slice(2);
/**
 * `with` mounts explo-embed; `floor` mounts a middleware of the same kind that does nothing but pass
 * the request on (what any middleware costs in that framework: the least explo-embed can cost).
 */
type Variant = 'with' | 'without' | 'floor';
const options = {
  secret: { keyId: '7c6b5a49-3827-4160-9f8e-7d6c5b4a3928', keyValue: 'benchmark-key-value-of-32-bytes!' },
  dashboards: { sales: 'emb-sales' },
};
const sample = await createExploEmbed(options).mint({ customerId: 'bench-customer' });
const placeholder = 'x'.repeat(sample.jwt.length);
// A page that shows one customer's token must not be kept by a shared cache, with or without
// explo-embed: the app without it sets the header by hand, as a hand-written token page must.
const NO_STORE = 'private, no-store';
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

function expressApp(variant: Variant): express.Express {
  const withExplo = variant === 'with';
  const app = express();
  app.use(session({ secret: 'page-bench', resave: false, saveUninitialized: false }));
  if (withExplo) app.use(expressEmbed(options));
  if (variant === 'floor') app.use((_req, _res, next) => next());
  app.post('/login', (req, res) => {
    req.session.customerId = 'bench-customer';
    res.json({ customerId: req.session.customerId });
  });
  app.get('/page', (req, res) => {
    if (!withExplo) res.set('cache-control', NO_STORE);
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

function koaApp(variant: Variant): Koa {
  const withExplo = variant === 'with';
  const app = new Koa();
  app.keys = ['page-bench'];
  app.use(koaSession(app));
  if (withExplo) app.use(koaEmbed(options));
  if (variant === 'floor') app.use((_ctx, next) => next());
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
      if (!withExplo) ctx.set('cache-control', NO_STORE);
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
    // explo-embed sets it when the page reads the token (res.locals.exploJwt below).
    if (res.locals.exploJwt === undefined) res.set('cache-control', NO_STORE);
    res
      .status(req.session.customerId ? 200 : 401)
      .type('html')
      .send(page(res.locals.exploJwt as string | undefined));
  }
}

async function nestListener(variant: Variant): Promise<RequestListener> {
  @Module({ imports: variant === 'with' ? [ExploEmbedModule.forRoot(options)] : [], controllers: [PageController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  app.use(session({ secret: 'page-bench', resave: false, saveUninitialized: false }));
  // explo-embed's module puts its attach step on the platform (Express) as a middleware: the same here.
  if (variant === 'floor') app.use((_req: unknown, _res: unknown, next: () => void) => next());
  await app.init();
  return app.getHttpAdapter().getInstance() as RequestListener;
}

async function fastifyListener(variant: Variant): Promise<RequestListener> {
  const withExplo = variant === 'with';
  const app = Fastify();
  app.register(fastifyCookie);
  app.register(fastifySession, {
    secret: 'page-bench-session-secret-of-32-chars!',
    saveUninitialized: false,
    cookie: { secure: false },
  });
  if (withExplo) app.register(fastifyEmbed, options);
  if (variant === 'floor') app.addHook('preHandler', (_request, _reply, done) => done());
  app.post('/login', async (request) => {
    request.session.customerId = 'bench-customer';
    return { customerId: request.session.customerId };
  });
  app.get('/cpu', async () => cpu());
  app.get('/data', async (request) => data(request.session.customerId));
  app.get('/page', async (request, reply) => {
    if (!withExplo) reply.header('cache-control', NO_STORE);
    return reply
      .code(request.session.customerId ? 200 : 401)
      .type('text/html')
      .send(page(request.exploJwt));
  });
  await app.ready();
  // Fastify's own dispatch of a raw request (what a custom serverFactory calls).
  return (req, res) => app.routing(req, res);
}

// Hono through @explo-embed/fetch: a middleware reads the signed-cookie session once per request,
// and explo-embed's customer hook reads it from the context (as examples/hono does). Nothing is
// mounted (the page calls explo.page itself), so its floor is the app without explo-embed.
function honoListener(variant: Variant): RequestListener {
  const withExplo = variant === 'with';
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
    if (!explo) return c.html(page(undefined), status, { 'cache-control': NO_STORE });
    const { exploJwt, headers } = await explo.page(c.req.raw, { context: c });
    return c.html(page(exploJwt), status, headers);
  });
  return getRequestListener(app.fetch);
}

/** The app of `name`, with or without explo-embed, as a Node request listener. */
async function listener(name: string, variant: Variant): Promise<RequestListener> {
  if (name === 'express') return expressApp(variant);
  if (name === 'koa') return koaApp(variant).callback();
  if (name === 'fastify') return fastifyListener(variant);
  if (name === 'hono') return honoListener(variant);
  if (name === 'nestjs') return nestListener(variant);
  throw new Error(`page-bench: unknown framework ${name}`);
}

/**
 * Both variants in this process, no sockets, driven by light-my-request: what is left is the
 * frameworks' and the middleware's own CPU per request, without the network stack both pay alike.
 * Variants alternate batch by batch, and each round's ratio is taken from its own two batches, so a
 * busy moment of a shared machine falls on both; the figure is the median of those paired ratios.
 * `order` says which app is built first (the first one built runs a little faster in some
 * frameworks: the bench runs both orders). `against` replaces the app with explo-embed: `without`
 * (an A/A control: the ratio shows this method's own noise) or `floor` (a middleware that does nothing).
 */
async function inProcess(name: string, order: string, against: Variant): Promise<void> {
  const apps = {} as Record<'with' | 'without', RequestListener>;
  if (order === 'without-first') apps.without = await listener(name, 'without');
  apps.with = await listener(name, against);
  apps.without ??= await listener(name, 'without');
  const cookie = async (app: RequestListener) => {
    const login = await inject(app, { method: 'POST', url: '/login', payload: {} });
    return [login.headers['set-cookie']]
      .flat()
      .map((value) => String(value).split(';')[0])
      .join('; ');
  };
  const cookies = { with: await cookie(apps.with), without: await cookie(apps.without) };
  const batch = async (variant: 'with' | 'without', path: string, size: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < size; i++) {
      const response = await inject(apps[variant], { method: 'GET', url: path, headers: { cookie: cookies[variant] } });
      if (response.statusCode !== 200) throw new Error(`page-bench ${name} ${variant} ${path}: ${response.statusCode}`);
    }
    const micros = Number(process.hrtime.bigint() - started) / size / 1000;
    // light-my-request's response writes to a socket that calls back through setImmediate, and a
    // loop of awaited injections never reaches the event loop's immediate phase: every response of
    // the run would stay queued (about 9 KB each, some 240 MB per route measured), and the garbage
    // collector's growing work would fall on whichever batch it happened in. Let them run between
    // batches.
    await new Promise((resolve) => setImmediate(resolve));
    return micros;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const compare = async (path: string) => {
    for (let i = 0; i < 3; i++) for (const variant of ['with', 'without'] as const) await batch(variant, path, 300);
    const samples = { with: [] as number[], without: [] as number[], ratio: [] as number[] };
    for (let round = 0; round < 120; round++) {
      const micros = { with: 0, without: 0 };
      for (const variant of round % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
        micros[variant] = await batch(variant, path, 100);
        samples[variant].push(micros[variant]);
      }
      samples.ratio.push(micros.without / micros.with);
    }
    return {
      withMicros: Number(median(samples.with).toFixed(1)),
      withoutMicros: Number(median(samples.without).toFixed(1)),
      ratio: Number(median(samples.ratio).toFixed(4)),
    };
  };
  const result = { framework: name, order, against, page: await compare('/page'), data: await compare('/data') };
  console.log(JSON.stringify(result));
  process.exit(0);
}

const against = ({ aa: 'without', floor: 'floor' } as const)[process.argv[5] as 'aa' | 'floor'] ?? 'with';
if (variant === 'inprocess') await inProcess(framework as string, process.argv[4] ?? 'with-first', against);
else {
  const server = createServer(await listener(framework as string, variant === 'with' ? 'with' : 'without'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The same line the examples print, so the bench starts this process like one of them.
  console.log(`page-bench listening on http://localhost:${(server.address() as AddressInfo).port}`);
}
