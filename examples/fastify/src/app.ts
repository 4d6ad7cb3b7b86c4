import { exploEmbed } from '@explo-embed/fastify';
import '@explo-embed/fastify/session'; // types request.session.customerId
import type { ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifySession from '@fastify/session';
import {
  cspNonce,
  dashboardPage,
  type EmbedTarget,
  EXPLO,
  type ExampleConfig,
  exampleCspDirectives,
  loginPage,
  validCustomerId,
} from 'example-support';
import Fastify, { type FastifyInstance } from 'fastify';

type NonceHolder = ServerResponse & { cspNonce?: string };

/** The example app: a host app's login stand-in plus two lines of explo-embed. */
export async function createApp(config: ExampleConfig, target: EmbedTarget = EXPLO): Promise<FastifyInstance> {
  // 4 KB bodies at most: a larger login is answered 413 before any handler runs.
  const app = Fastify({ bodyLimit: 4096 });
  // A Content-Security-Policy that lets the embed (Explo, or the stand-in) in and nothing else; the
  // page's inline scripts carry this response's nonce (on the raw response, where helmet reads it).
  app.addHook('onRequest', async (_request, reply) => {
    (reply.raw as NonceHolder).cspNonce = cspNonce();
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: exampleCspDirectives(target, (_req, res) => `'nonce-${(res as NonceHolder).cspNonce}'`),
    },
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: config.sessionSecret,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto' },
  });

  // The two lines a host app adds: mount the token route, attach tokens to pages.
  await app.register(exploEmbed, {
    secret: config.secret,
    dashboards: config.dashboards,
    expiresIn: config.expiresIn,
    customers: target.customers, // provisioned in Explo (here, the stand-in) on their first visit
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready when a token can be issued now: for a load balancer's readiness probe.
  app.get('/readyz', async (_request, reply) => {
    const health = app.explo.embed.health();
    return reply.code(health.ready ? 200 : 503).send(health);
  });

  // What a host app's front end asks: who is signed in (reads the session, like the token route).
  app.get('/api/me', async (request, reply) => {
    const customerId = request.session.customerId;
    return customerId ? { customerId } : reply.code(401).send({ error: 'not signed in' });
  });

  app.post('/login', async (request, reply) => {
    const customerId = validCustomerId((request.body as { customerId?: unknown } | undefined)?.customerId);
    const wantsJson = request.headers['content-type']?.startsWith('application/json') === true;
    if (customerId === undefined) {
      const message = 'customerId must be 1 to 128 printable characters.';
      if (wantsJson) return reply.code(400).send({ error: message });
      return reply.code(400).type('text/html').send(loginPage('Fastify', message));
    }
    // A new session id on login, so a session planted before login is worthless.
    await request.session.regenerate();
    request.session.customerId = customerId;
    if (wantsJson) return { customerId };
    return reply.redirect('/', 303);
  });

  app.post('/logout', async (request, reply) => {
    await request.session.destroy();
    reply.clearCookie('sessionId');
    // A browser's form post is sent back to the login page; API clients get 204.
    const fromForm = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true;
    return fromForm ? reply.redirect('/', 303) : reply.code(204).send();
  });

  app.get<{ Querystring: { mode?: string } }>('/', async (request, reply) => {
    const customerId = request.session.customerId;
    reply.type('text/html');
    if (!customerId) return loginPage('Fastify');
    return dashboardPage({
      framework: 'Fastify',
      customerId,
      jwt: request.exploJwt,
      errorCode: request.exploError?.code,
      environment: config.environment,
      mode: request.query.mode === 'web-component' ? 'web-component' : 'iframe',
      ephemeralSecret: config.ephemeralSecret,
      expiresAt: request.exploToken?.expiresAt,
      expiresIn: request.exploToken?.expiresIn,
      target,
      nonce: (reply.raw as NonceHolder).cspNonce,
    });
  });

  // Errors: a client's mistake (body too large, malformed JSON) keeps its 4xx status; anything else
  // is a plain 500. Never a stack, never the error's own message.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status = error.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply
        .code(status)
        .type('text/plain')
        .send(status === 413 ? 'Request body too large' : 'Bad request');
    }
    console.error('example-fastify: request failed:', error.message);
    return reply.code(500).type('text/plain').send('Internal Server Error');
  });
  return app;
}
