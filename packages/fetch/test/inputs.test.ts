import { createServer } from 'node:http';
import { decryptExploJwt, type ExploEmbedError } from '@explo-embed/core';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createApp, defineEventHandler, type H3Event, toNodeListener } from 'h3';
import { defineHandler, H3 } from 'h3-v2';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { createExploFetch, type ExploFetch } from '../src/index.js';

// What each framework hands a handler, on the platform's own Request and Response: a Request, an event
// holding one ({ request }: SvelteKit, React Router, Astro), an h3 event (Nuxt 4 on h3 1, Nitro 3 on
// h3 2). Anything else is the app's wiring mistake: a coded answer and a log line, never a TypeError
// and never a page that silently has no token.
const KEY = { keyId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', keyValue: 'fetch-inputs-test-key-32-bytes!!' };
const dashboards = { sales: 'emb-sales', ops: 'emb-ops' };
const cookieCustomer = (request: Request) => /(?:^|;\s*)customer=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
const asAcme = { cookie: 'customer=acme' };

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const claimsOf = async (response: Response) =>
  (await decryptExploJwt(((await response.json()) as { jwt: string }).jwt, KEY)).claims;

function explo<Context = unknown>(
  customer: (request: Request, context: Context | undefined) => string | undefined = cookieCustomer,
  logged: string[] = [],
): ExploFetch<Context> {
  const logger = { warn: (line: string) => logged.push(line), error: (line: string) => logged.push(line) };
  return createExploFetch<Context>({ secret: KEY, dashboards, customer, logger });
}

describe('an event that holds the request (SvelteKit, React Router, Astro)', () => {
  // The shape SvelteKit hands `GET` and `load`: the request, and what the app's hooks put in `locals`.
  type KitEvent = { request: Request; url: URL; locals: { customerId?: string } };
  const kitEvent = (path: string, customerId?: string): KitEvent => {
    const request = new Request(`http://app.test${path}`, { headers: asAcme });
    return { request, url: new URL(request.url), locals: customerId === undefined ? {} : { customerId } };
  };

  it('tokenRoute(event): the token route, and the event is the customer hook’s context', async () => {
    const app = explo<KitEvent>((_request, event) => event?.locals.customerId);
    const response = await app.tokenRoute(kitEvent('/explo/token?dashboard=ops', 'globex'));
    expect(response.status).toBe(200);
    expect(await claimsOf(response)).toMatchObject({ cst: 'globex', dsh: 'emb-ops' });
    expect((await app.tokenRoute(kitEvent('/explo/token'))).status).toBe(401);
  });

  it('page(event): the token of the event’s customer and its no-store header; handle(event) routes by its path', async () => {
    const app = explo<KitEvent>((_request, event) => event?.locals.customerId);
    const page = await app.page(kitEvent('/dashboard', 'acme'));
    expect(page.headers).toEqual({ 'cache-control': 'private, no-store' });
    expect((await decryptExploJwt(page.exploJwt as string, KEY)).claims.cst).toBe('acme');
    expect(await app.page(kitEvent('/dashboard'))).toEqual({ headers: {} });
    expect(await app.handle(kitEvent('/dashboard', 'acme'))).toBeUndefined();
    expect((await app.handle(kitEvent('/explo/token', 'acme')))?.status).toBe(200);
  });

  it('a context given beside the event wins over the event', async () => {
    const app = explo<{ customerId?: string }>((_request, context) => context?.customerId);
    const event = { request: new Request('http://app.test/explo/token'), customerId: 'from-event' };
    expect(await claimsOf(await app.tokenRoute(event, { customerId: 'given' }))).toMatchObject({ cst: 'given' });
    expect(await claimsOf(await app.tokenRoute(event))).toMatchObject({ cst: 'from-event' });
  });
});

describe('h3 events, served over HTTP (the platform’s own Request and Response)', () => {
  it('h3 1 (Nuxt 4): defineEventHandler(explo.tokenRoute) answers the token route; page(event) has the token', async () => {
    const app = explo<H3Event>();
    const h3 = createApp();
    h3.use('/explo/token', defineEventHandler(app.tokenRoute));
    h3.use(
      '/dashboard',
      defineEventHandler(async (event) => {
        const { exploJwt, exploError, headers } = await app.page(event);
        return new Response(JSON.stringify({ exploJwt: exploJwt ?? null, exploError: exploError?.code ?? null }), { headers });
      }),
    );
    const server = await listen(createServer(toNodeListener(h3)));
    servers.push(server);
    const token = await fetch(`${server.url}/explo/token?dashboard=ops`, { headers: asAcme });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(await claimsOf(token)).toMatchObject({ cst: 'acme', dsh: 'emb-ops' });
    expect((await fetch(`${server.url}/explo/token`)).status).toBe(401);
    const page = await fetch(`${server.url}/dashboard`, { headers: asAcme });
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const { exploJwt } = (await page.json()) as { exploJwt: string };
    expect((await decryptExploJwt(exploJwt, KEY)).claims.cst).toBe('acme');
  });

  it('h3 1: a method no Request can carry (TRACE) is a 405, not a crash', async () => {
    const h3 = createApp();
    h3.use('/explo/token', defineEventHandler(explo().tokenRoute));
    const server = await listen(createServer(toNodeListener(h3)));
    servers.push(server);
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${server.url}/explo/token`, { method: 'TRACE' }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(405);
  });

  it('h3 2 (Nitro 3): its event’s req is the Request', async () => {
    const app = explo();
    const h3 = new H3().get('/explo/token', defineHandler(app.tokenRoute));
    const response = await h3.fetch(new Request('http://app.test/explo/token', { headers: asAcme }));
    expect(response.status).toBe(200);
    expect(await claimsOf(response)).toMatchObject({ cst: 'acme' });
  });
});

describe('hostile requests through an h3 event or a lenient Request', () => {
  it('h3 1: the token route is the path h3 routed on, not a re-parsed one (`%5C` read as a slash)', async () => {
    const app = explo();
    const h3 = createApp();
    h3.use(defineEventHandler(async (event) => (await app.handle(event)) ?? new Response('static file')));
    const server = await listen(createServer(toNodeListener(h3)));
    servers.push(server);
    for (const path of ['/static/..%5Cexplo%5Ctoken', '/static/x%5C..%5C..%5Cexplo%5Ctoken']) {
      const { request } = await import('node:http');
      const body = await new Promise<string>((resolve, reject) => {
        request(`${server.url}${path}`, { headers: asAcme }, (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect([path, body]).toEqual([path, 'static file']);
    }
    expect((await fetch(`${server.url}/explo/token`, { headers: asAcme })).status).toBe(200);
  });

  it('h3 1: a Host header Node passes but a URL refuses is no 500', async () => {
    const h3 = createApp();
    h3.use('/explo/token', defineEventHandler(explo().tokenRoute));
    const server = await listen(createServer(toNodeListener(h3)));
    servers.push(server);
    const { request } = await import('node:http');
    for (const host of ['a b', '[', 'a:99999']) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        request(`${server.url}/explo/token`, { headers: { host, ...asAcme } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
      expect([host, status]).toEqual([host, 200]);
    }
  });

  it('a Request-like whose URL cannot be read: 400 ERR_EXPLO_QUERY_INVALID, not a TypeError', async () => {
    const lenient = { url: '/explo/token', method: 'GET', headers: new Headers(asAcme) } as unknown as Request;
    const response = await explo().tokenRoute(lenient);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('ERR_EXPLO_QUERY_INVALID');
  });

  it('something with a get() that is no Headers (Koa’s ctx) is not taken for headers', async () => {
    const koaLike = { get: () => 'acme', method: 'GET', url: '/', headers: { cookie: 'customer=acme' } } as unknown as Request;
    expect((await explo().page(koaLike)).exploError?.code).toBe('ERR_EXPLO_REQUEST_UNSUPPORTED');
    const hostile = Object.defineProperty({}, 'constructor', {
      get() {
        throw new Error('no');
      },
    }) as unknown as Request;
    expect((await explo().page(hostile)).exploError?.code).toBe('ERR_EXPLO_REQUEST_UNSUPPORTED');
  });
});

describe('anything else: a coded error at the first call, logged with what to do', () => {
  const wrong: [string, unknown][] = [
    ['a URL string', 'http://app.test/explo/token'],
    ['a URL', new URL('http://app.test/explo/token')],
    ['undefined', undefined],
    ['a Hono-style context (c, not c.req.raw)', { req: { raw: new Request('http://app.test/') }, env: {} }],
    ['a Node request', { url: '/explo/token', method: 'GET', headers: { cookie: 'customer=acme' } }],
  ];

  it.each(wrong)('tokenRoute(%s): 500 problem+json ERR_EXPLO_REQUEST_UNSUPPORTED, logged once', async (_name, input) => {
    const logged: string[] = [];
    const app = explo(cookieCustomer, logged);
    const response = await app.tokenRoute(input as Request);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { code: string }).code).toBe('ERR_EXPLO_REQUEST_UNSUPPORTED');
    expect((await app.handle(input as Request))?.status).toBe(500);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/ERR_EXPLO_REQUEST_UNSUPPORTED \(route\): explo\.tokenRoute\(\) was given .*Request/);
  });

  it.each(wrong)('page(%s): exploError ERR_EXPLO_REQUEST_UNSUPPORTED, never an empty page', async (_name, input) => {
    const page = await explo().page(input as Request);
    expect(page.exploJwt).toBeUndefined();
    expect((page.exploError as ExploEmbedError).code).toBe('ERR_EXPLO_REQUEST_UNSUPPORTED');
    expect(page.headers).toEqual({});
  });

  it('what the framework’s own request throws passes through (Next.js learns a route is dynamic that way)', async () => {
    const signal = new Error('Route /explo/token used request.url while prerendering');
    const prerendering = new Proxy(new Request('http://app.test/explo/token'), {
      get(target, property) {
        if (property === 'url') throw signal;
        return Reflect.get(target, property);
      },
    });
    await expect(explo().tokenRoute(prerendering)).rejects.toBe(signal);
    await expect(explo().page(prerendering)).rejects.toBe(signal);
  });

  it('the message names the type it got, never its contents', async () => {
    const { exploError } = await explo().page({ secret: 'contract-secret-value' } as unknown as Request);
    expect(exploError?.message).toMatch(/was given an object \(Object\)/);
    expect(exploError?.message).not.toContain('contract-secret-value');
  });

  it('types: what the framework hands a handler compiles; a wrong shape does not', () => {
    const app = explo<{ locals: object }>();
    const request = new Request('http://app.test/');
    const typed = (): unknown[] => [
      app.tokenRoute(request),
      app.tokenRoute({ request, locals: {} }),
      app.page(new Headers()),
      // @ts-expect-error: a URL string is not a request
      app.tokenRoute('http://app.test/explo/token'),
      // @ts-expect-error: an event must be the hook's context type too
      app.tokenRoute({ request }),
      // @ts-expect-error: Hono's context is passed beside c.req.raw, not instead of it
      explo<{ req: { raw: Request } }>().tokenRoute({ req: { raw: request } }),
      // @ts-expect-error: page takes Headers, tokenRoute does not
      app.tokenRoute(new Headers()),
    ];
    expect(typeof typed).toBe('function');
  });
});
