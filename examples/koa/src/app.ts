import { exploEmbed } from '@explo-embed/koa';
import '@explo-embed/koa/session'; // types ctx.session.customerId
import type { ServerResponse } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
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
import Koa from 'koa';
import helmet from 'koa-helmet';
import session from 'koa-session';

type NonceHolder = ServerResponse & { cspNonce?: string };

/** The example app: a host app's login stand-in plus two lines of explo-embed. */
export function createApp(config: ExampleConfig, target: EmbedTarget = EXPLO): Koa {
  const app = new Koa();
  app.keys = [config.sessionSecret];
  // A Content-Security-Policy that lets the embed (Explo, or the stand-in) in and nothing else; the
  // page's inline scripts carry this response's nonce (on the raw response, where helmet reads it).
  app.use(async (ctx, next) => {
    (ctx.res as NonceHolder).cspNonce = cspNonce();
    await next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: exampleCspDirectives(target, (_req, res) => `'nonce-${(res as NonceHolder).cspNonce}'`),
      },
    }),
  );
  app.use(session({ httpOnly: true, sameSite: 'lax', signed: true }, app));
  app.use(bodyParser({ enableTypes: ['json', 'form'], jsonLimit: '4kb', formLimit: '4kb' }));

  // The two lines a host app adds: mount the token route, attach tokens to pages.
  const explo = exploEmbed({
    secret: config.secret,
    dashboards: config.dashboards,
    expiresIn: config.expiresIn,
    customers: target.customers, // provisioned in Explo (here, the stand-in) on their first visit
  });
  app.use(explo);

  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  // Ready when a token can be issued now: for a load balancer's readiness probe.
  router.get('/readyz', (ctx) => {
    const health = explo.embed.health();
    ctx.status = health.ready ? 200 : 503;
    ctx.body = health;
  });

  // What a host app's front end asks: who is signed in (reads the session, like the token route).
  router.get('/api/me', (ctx) => {
    const customerId = ctx.session?.customerId;
    ctx.status = customerId ? 200 : 401;
    ctx.body = customerId ? { customerId } : { error: 'not signed in' };
  });

  router.post('/login', (ctx) => {
    const customerId = validCustomerId((ctx.request.body as Record<string, unknown> | undefined)?.customerId);
    const wantsJson = ctx.is('application/json') === 'application/json';
    if (customerId === undefined) {
      const message = 'customerId must be 1 to 128 printable characters.';
      ctx.status = 400;
      ctx.body = wantsJson ? { error: message } : loginPage('Koa', message);
      return;
    }
    // koa-session keeps the session in a signed cookie: a new one replaces whatever came before.
    ctx.session = { customerId };
    if (wantsJson) {
      ctx.body = { customerId };
    } else {
      ctx.status = 303;
      ctx.redirect('/');
    }
  });

  router.post('/logout', (ctx) => {
    ctx.session = null;
    if (ctx.is('application/x-www-form-urlencoded')) {
      ctx.status = 303;
      ctx.redirect('/');
    } else {
      ctx.status = 204;
    }
  });

  router.get('/', (ctx) => {
    const customerId = ctx.session?.customerId;
    ctx.type = 'html';
    if (!customerId) {
      ctx.body = loginPage('Koa');
      return;
    }
    ctx.body = dashboardPage({
      framework: 'Koa',
      customerId,
      jwt: ctx.state.exploJwt,
      errorCode: ctx.state.exploError?.code,
      environment: config.environment,
      mode: ctx.query.mode === 'web-component' ? 'web-component' : 'iframe',
      ephemeralSecret: config.ephemeralSecret,
      expiresAt: ctx.state.exploToken?.expiresAt,
      expiresIn: ctx.state.exploToken?.expiresIn,
      target,
      nonce: (ctx.res as NonceHolder).cspNonce,
    });
  });

  app.use(router.routes()).use(router.allowedMethods());
  // Server errors in the example's own routes: a plain message, never a stack. A client's mistake
  // (a body too large, malformed JSON) is answered with its 4xx by Koa and is not a server problem.
  app.on('error', (error: Error & { status?: number }) => {
    if (error.status === undefined || error.status >= 500) console.error('example-koa: request failed:', error.message);
  });
  return app;
}
