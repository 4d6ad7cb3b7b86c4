import { createExploFetch } from '@explo-embed/fetch';
import {
  cspNonce,
  dashboardPage,
  type EmbedTarget,
  EXPLO,
  type ExampleConfig,
  exampleCspHeader,
  loginPage,
  validCustomerId,
} from 'example-support';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';

const SESSION_COOKIE = 'session';

type Env = { Variables: { nonce: string; customerId: string | undefined } };

/** The example app: a host app's login stand-in (a signed cookie session) plus explo-embed. */
export function createApp(config: ExampleConfig, target: EmbedTarget = EXPLO): Hono<Env> {
  const app = new Hono<Env>();
  // The session, read once per request (as express-session does): the customer id in an
  // HMAC-signed, httpOnly cookie (Hono's own signed cookies).
  app.use(async (c, next) => {
    c.set('customerId', (await getSignedCookie(c, config.sessionSecret, SESSION_COOKIE)) || undefined);
    await next();
  });

  // The two lines a host app adds: create it, mount the token route; pages call explo.page().
  // The hook reads the session the middleware already read, from the context each call passes.
  const explo = createExploFetch<Context<Env>>({
    secret: config.secret,
    dashboards: config.dashboards,
    expiresIn: config.expiresIn,
    customers: target.customers, // provisioned in Explo (here, the stand-in) on their first visit
    customer: (_request, c) => c?.get('customerId'),
  });
  app.get('/explo/token', (c) => explo.tokenRoute(c.req.raw, c));

  // Probes and the token route come before the page middleware: they render no page.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Ready when a token can be issued now: for a load balancer's readiness probe.
  app.get('/readyz', (c) => {
    const health = explo.embed.health();
    return c.json(health, health.ready ? 200 : 503);
  });

  // A Content-Security-Policy that lets the embed (Explo, or the stand-in) in and nothing else; the
  // page's inline scripts carry this response's nonce.
  const csp = exampleCspHeader(target);
  app.use(secureHeaders({ contentSecurityPolicy: undefined }), async (c, next) => {
    const nonce = cspNonce();
    c.set('nonce', nonce);
    await next();
    c.header('content-security-policy', csp(nonce));
  });
  // 4 KB bodies at most.
  app.use(bodyLimit({ maxSize: 4096, onError: (c) => c.text('Request body too large', 413) }));

  // What a host app's front end asks: who is signed in (reads the session, like the token route).
  app.get('/api/me', (c) => {
    const customerId = c.get('customerId');
    return customerId ? c.json({ customerId }) : c.json({ error: 'not signed in' }, 401);
  });

  app.post('/login', async (c) => {
    const wantsJson = c.req.header('content-type')?.startsWith('application/json') === true;
    const body = wantsJson ? await jsonBody(c) : await c.req.parseBody();
    if (body === undefined) return c.text('Bad request', 400);
    const customerId = validCustomerId(body.customerId);
    if (customerId === undefined) {
      const message = 'customerId must be 1 to 128 printable characters.';
      return wantsJson ? c.json({ error: message }, 400) : c.html(loginPage('Hono', message), 400);
    }
    await setSignedCookie(c, SESSION_COOKIE, customerId, config.sessionSecret, { httpOnly: true, sameSite: 'Lax', path: '/' });
    return wantsJson ? c.json({ customerId }) : c.redirect('/', 303);
  });

  app.post('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    // A browser's form post is sent back to the login page; API clients get 204.
    const fromForm = c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded') === true;
    return fromForm ? c.redirect('/', 303) : c.body(null, 204);
  });

  app.get('/', async (c) => {
    const customerId = c.get('customerId');
    if (!customerId) return c.html(loginPage('Hono'));
    const page = await explo.page(c.req.raw, { context: c });
    for (const [name, value] of Object.entries(page.headers)) c.header(name, value);
    return c.html(
      dashboardPage({
        framework: 'Hono',
        customerId,
        jwt: page.exploJwt,
        errorCode: page.exploError?.code,
        environment: config.environment,
        mode: c.req.query('mode') === 'web-component' ? 'web-component' : 'iframe',
        ephemeralSecret: config.ephemeralSecret,
        expiresAt: page.exploToken?.expiresAt,
        expiresIn: page.exploToken?.expiresIn,
        target,
        nonce: c.get('nonce'),
      }),
    );
  });

  // Anything unexpected is a plain 500: never a stack, never the error's own message.
  app.onError((error, c) => {
    console.error('example-hono: request failed:', error.message);
    return c.text('Internal Server Error', 500);
  });
  return app;
}

/** A JSON body as an object, or undefined when it is not valid JSON. */
async function jsonBody(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await c.req.json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}
