import { exploEmbed } from '@explo-embed/express';
import '@explo-embed/express/session'; // types req.session.customerId
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
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';

/** The example app: a host app's login stand-in plus two lines of explo-embed. */
export function createApp(config: ExampleConfig, target: EmbedTarget = EXPLO): Express {
  const app = express();
  app.disable('x-powered-by');
  // A Content-Security-Policy that lets the embed (Explo, or the stand-in) in and nothing else;
  // the page's inline scripts carry this response's nonce.
  app.use((_req, res, next) => {
    res.locals.cspNonce = cspNonce();
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: exampleCspDirectives(target, (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`),
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '4kb' }), express.json({ limit: '4kb' }));
  app.use(
    session({
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );

  // The two lines a host app adds: mount the token route, attach tokens to pages.
  const explo = exploEmbed({
    secret: config.secret,
    dashboards: config.dashboards,
    expiresIn: config.expiresIn,
    customers: target.customers, // provisioned in Explo (here, the stand-in) on their first visit
  });
  app.use(explo);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready when a token can be issued now: for a load balancer's readiness probe.
  app.get('/readyz', (_req, res) => {
    const health = explo.embed.health();
    res.status(health.ready ? 200 : 503).json(health);
  });

  // What a host app's front end asks: who is signed in (reads the session, like the token route).
  app.get('/api/me', (req, res) => {
    const customerId = req.session.customerId;
    if (customerId) res.json({ customerId });
    else res.status(401).json({ error: 'not signed in' });
  });

  app.post('/login', (req, res, next) => {
    const customerId = validCustomerId(req.body?.customerId);
    const wantsJson = req.is('application/json') === 'application/json';
    if (customerId === undefined) {
      const message = 'customerId must be 1 to 128 printable characters.';
      if (wantsJson) res.status(400).json({ error: message });
      else res.status(400).type('html').send(loginPage('Express', message));
      return;
    }
    // A new session id on login, so a session planted before login is worthless.
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.customerId = customerId;
      if (wantsJson) res.json({ customerId: req.session.customerId });
      else res.redirect(303, '/');
    });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie('connect.sid');
      // A browser's form post is sent back to the login page; API clients get 204.
      if (req.is('application/x-www-form-urlencoded')) res.redirect(303, '/');
      else res.status(204).end();
    });
  });

  app.get('/', (req, res) => {
    const customerId = req.session.customerId;
    if (!customerId) {
      res.type('html').send(loginPage('Express'));
      return;
    }
    res.type('html').send(
      dashboardPage({
        framework: 'Express',
        customerId,
        jwt: res.locals.exploJwt,
        errorCode: res.locals.exploError?.code,
        environment: config.environment,
        mode: req.query.mode === 'web-component' ? 'web-component' : 'iframe',
        ephemeralSecret: config.ephemeralSecret,
        expiresAt: res.locals.exploToken?.expiresAt,
        expiresIn: res.locals.exploToken?.expiresIn,
        target,
        nonce: res.locals.cspNonce,
      }),
    );
  });

  // Errors: a client's mistake (body too large, malformed JSON: body-parser's 4xx) keeps its status;
  // anything else is a plain 500. Never a stack.
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res
        .status(status)
        .type('text')
        .send(status === 413 ? 'Request body too large' : 'Bad request');
      return;
    }
    console.error('example-express: request failed:', error instanceof Error ? error.message : error);
    res.status(500).type('text').send('Internal Server Error');
  });
  return app;
}
