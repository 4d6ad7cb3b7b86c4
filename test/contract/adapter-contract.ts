import type { ExploCorsOptions, ExploEmbedOptions } from '@explo-embed/core';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../support/http.js';

/**
 * The behaviour every framework adapter must show. A framework plugs in with one factory that
 * starts an app on loopback with the adapter mounted from `options`, where:
 * - the customer comes from the `x-test-customer` header (`!throw` makes the resolver throw);
 * - `GET /page` and `POST /page` answer JSON `{ exploJwt, exploError }` from the framework's locals/state;
 * - `attach: 'header'` becomes an `attach` function that accepts requests with an `x-test-attach` header.
 */
export interface AdapterFactory {
  name: string;
  start(
    options: ExploEmbedOptions & { route?: string | false; attach?: boolean | 'header'; cors?: ExploCorsOptions },
  ): Promise<RunningServer>;
}

export const CONTRACT_KEY = Object.freeze({
  keyId: 'c0ffee00-1111-4222-8333-444455556666',
  keyValue: 'contract-suite-key-32-bytes-long',
});
export const CONTRACT_DASHBOARDS = Object.freeze({ sales: 'emb-sales', ops: 'emb-ops' });

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface Got {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export function runAdapterContract(factory: AdapterFactory): void {
  describe(`adapter contract: ${factory.name}`, () => {
    const servers: RunningServer[] = [];
    const seen: string[] = [];
    const logged: string[] = [];
    const logger = { warn: (line: string) => logged.push(line), error: (line: string) => logged.push(line) };
    const start = async (options: Partial<Parameters<AdapterFactory['start']>[0]> = {}) => {
      const server = await factory.start({ secret: CONTRACT_KEY, dashboards: CONTRACT_DASHBOARDS, logger, ...options });
      servers.push(server);
      return server;
    };
    const get = async (
      server: RunningServer,
      path: string,
      headers: Record<string, string> = {},
      method = 'GET',
    ): Promise<Got> => {
      const response = await fetch(server.url + path, { method, headers, redirect: 'manual' });
      const text = await response.text();
      seen.push(text, JSON.stringify([...response.headers]));
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text);
      } catch {
        // non-JSON bodies (framework 404 pages) are checked through `text`
      }
      return { status: response.status, headers: response.headers, text, json };
    };
    const as = (customer: string, extra: Record<string, string> = {}) => ({ 'x-test-customer': customer, ...extra });

    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.close()));
      logged.splice(0);
    });
    afterAll(() => {
      // Whatever happened above, no response ever carried the key value.
      for (const text of seen) expect(text).not.toContain(CONTRACT_KEY.keyValue);
    });

    const expectProblem = (got: Got, status: number, code: string) => {
      expect(got.status).toBe(status);
      expect(got.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(got.headers.get('cache-control')).toBe('no-store');
      expect(got.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      // RFC 9457: `type` is where the code is explained, its entry in the error reference.
      expect(got.json).toMatchObject({ type: `https://explo-embed.github.io/explo-embed/errors#${code}`, status, code });
      expect(typeof got.json.title).toBe('string');
      expect(got.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    };

    it('200: a token for the session customer and the default dashboard, not cached, no embed id', async () => {
      const server = await start();
      const got = await get(server, '/explo/token', as('acme'));
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toMatch(/^application\/json/);
      expect(got.headers.get('cache-control')).toBe('no-store');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(Object.keys(got.json).sort()).toEqual(['dashboard', 'expiresAt', 'expiresIn', 'jwt']);
      expect(got.json.dashboard).toBe('sales');
      expect(got.json.expiresIn).toBeGreaterThanOrEqual(86_390);
      expect(got.json.expiresIn).toBeLessThanOrEqual(86_400);
      expect(new Date(got.json.expiresAt as string).getTime()).toBeGreaterThan(Date.now());
      expect(got.text).not.toContain('emb-sales');
      const { claims } = await decryptExploJwt(got.json.jwt as string, CONTRACT_KEY);
      expect(claims).toMatchObject({ cst: 'acme', dsh: 'emb-sales' });
    });

    it('200: the named dashboard from the allowlist; reuse unless fresh; fresh bursts share one mint', async () => {
      let now = Date.now();
      const server = await start({ clock: () => now });
      const first = await get(server, '/explo/token?dashboard=ops', as('acme'));
      expect(first.json.dashboard).toBe('ops');
      expect((await decryptExploJwt(first.json.jwt as string, CONTRACT_KEY)).claims.dsh).toBe('emb-ops');
      const again = await get(server, '/explo/token?dashboard=ops&_=123', as('acme'));
      expect(again.json.jwt).toBe(first.json.jwt);
      // Many tabs asking for a fresh token at once, right after a mint: that token, not a new one each.
      const burst = await Promise.all(
        Array.from({ length: 5 }, () => get(server, '/explo/token?dashboard=ops&fresh=1', as('acme'))),
      );
      expect(new Set(burst.map((got) => got.json.jwt))).toEqual(new Set([first.json.jwt]));
      now += 2_001;
      const fresh = await get(server, '/explo/token?dashboard=ops&fresh=1', as('acme'));
      expect(fresh.json.jwt).not.toBe(first.json.jwt);
    });

    it('never hands one customer another customer’s token', async () => {
      const server = await start();
      const customers = Array.from({ length: 30 }, (_, i) => `customer-${i}`);
      const answers = await Promise.all(customers.map((c) => get(server, '/explo/token', as(c))));
      for (const [i, got] of answers.entries()) {
        expect((await decryptExploJwt(got.json.jwt as string, CONTRACT_KEY)).claims.cst).toBe(customers[i]);
      }
    });

    it('401 problem+json without a customer', async () => {
      const server = await start();
      expectProblem(await get(server, '/explo/token'), 401, 'ERR_EXPLO_UNAUTHENTICATED');
    });

    it('404 problem+json for a dashboard outside the allowlist', async () => {
      const server = await start();
      expectProblem(await get(server, '/explo/token?dashboard=payroll', as('acme')), 404, 'ERR_EXPLO_DASHBOARD_UNKNOWN');
      expectProblem(await get(server, '/explo/token?dashboard=emb-sales', as('acme')), 404, 'ERR_EXPLO_DASHBOARD_UNKNOWN');
    });

    it.each([
      ['repeated', '?dashboard=sales&dashboard=ops'],
      ['array', '?dashboard[]=sales'],
      ['object', '?dashboard[x]=sales'],
      ['over-long', `?dashboard=${'a'.repeat(200)}`],
      ['empty', '?dashboard='],
      ['bad fresh', '?fresh=maybe'],
    ])('400 problem+json for a malformed query (%s)', async (_name, query) => {
      const server = await start();
      expectProblem(await get(server, `/explo/token${query}`, as('acme')), 400, 'ERR_EXPLO_QUERY_INVALID');
    });

    it('403 problem+json when authorize refuses; the hook sees customer and dashboard', async () => {
      const calls: string[] = [];
      const server = await start({
        authorize: (customer, dashboard) => {
          calls.push(`${customer}/${dashboard}`);
          return dashboard !== 'ops';
        },
      });
      expect((await get(server, '/explo/token', as('acme'))).status).toBe(200);
      expectProblem(await get(server, '/explo/token?dashboard=ops', as('acme')), 403, 'ERR_EXPLO_FORBIDDEN');
      expect(calls).toEqual(['acme/sales', 'acme/ops']);
    });

    it('405 problem+json with Allow for other methods', async () => {
      const server = await start();
      const got = await get(server, '/explo/token', as('acme'), 'POST');
      expectProblem(got, 405, 'ERR_EXPLO_METHOD_NOT_ALLOWED');
      expect(got.headers.get('allow')).toBe('GET');
    });

    it('cors: an allowed origin may read the token and its errors; other origins get no grant', async () => {
      const app = 'https://app.example.com';
      const server = await start({ cors: { origins: [app], credentials: true } });
      const preflight = await get(server, '/explo/token', { origin: app, 'access-control-request-method': 'GET' }, 'OPTIONS');
      expect(preflight.status).toBe(204);
      expect(preflight.text).toBe(''); // a 204 has no body (the platform's Response refuses one)
      expect(preflight.headers.get('access-control-allow-origin')).toBe(app);
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
      expect(preflight.headers.get('access-control-max-age')).toBe('600');
      const token = await get(server, '/explo/token', as('acme', { origin: app }));
      expect(token.status).toBe(200);
      expect(token.headers.get('access-control-allow-origin')).toBe(app);
      expect(token.headers.get('vary')).toMatch(/Origin/);
      // A 401 must be readable cross-origin too, or the page sees a network error and retries forever.
      const refused = await get(server, '/explo/token', { origin: app });
      expectProblem(refused, 401, 'ERR_EXPLO_UNAUTHENTICATED');
      expect(refused.headers.get('access-control-allow-origin')).toBe(app);
      for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example']) {
        const other = await get(server, '/explo/token', as('acme', { origin }));
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
        expect(other.headers.get('access-control-allow-credentials')).toBeNull();
        const otherPreflight = await get(server, '/explo/token', { origin }, 'OPTIONS');
        expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
      }
    });

    it('another site cannot make the route mint on the user’s behalf (Sec-Fetch-Site), unless cors lists its origin', async () => {
      const app = 'https://app.example.com';
      const plain = await start();
      const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
      expectProblem(await get(plain, '/explo/token?fresh=1', as('acme', crossSite)), 403, 'ERR_EXPLO_FORBIDDEN');
      // A header given twice arrives joined: `cross-site, cross-site` is still another site.
      const twice = { 'sec-fetch-site': 'cross-site, cross-site', origin: 'https://evil.example' };
      expectProblem(await get(plain, '/explo/token', as('acme', twice)), 403, 'ERR_EXPLO_FORBIDDEN');
      for (const site of ['same-origin', 'same-site', 'none']) {
        expect((await get(plain, '/explo/token', as('acme', { 'sec-fetch-site': site }))).status).toBe(200);
      }
      const listed = await start({ cors: { origins: [app] } });
      expect((await get(listed, '/explo/token', as('acme', { 'sec-fetch-site': 'cross-site', origin: app }))).status).toBe(200);
      expectProblem(await get(listed, '/explo/token', as('acme', crossSite)), 403, 'ERR_EXPLO_FORBIDDEN');
    });

    it('without cors: no CORS header on any answer, and OPTIONS is 405', async () => {
      const server = await start();
      const token = await get(server, '/explo/token', as('acme', { origin: 'https://app.example.com' }));
      expect(token.headers.get('access-control-allow-origin')).toBeNull();
      expectProblem(
        await get(server, '/explo/token', { origin: 'https://app.example.com' }, 'OPTIONS'),
        405,
        'ERR_EXPLO_METHOD_NOT_ALLOWED',
      );
    });

    it('503 problem+json with Retry-After when the secret provider fails; no key, no stack', async () => {
      const server = await start({
        secret: () => {
          throw new Error(`vault unreachable (${CONTRACT_KEY.keyValue})`);
        },
        secretCache: { retryAfter: '9s' },
      });
      const got = await get(server, '/explo/token', as('acme'));
      expectProblem(got, 503, 'ERR_EXPLO_SECRET_UNAVAILABLE');
      expect(got.headers.get('retry-after')).toBe('9');
      expect(got.text).not.toContain('vault');
    });

    it('503 when the provider returns a malformed secret, logged loudly once with its cause and fix', async () => {
      const server = await start({ secret: async () => ({ keyId: CONTRACT_KEY.keyId, keyValue: `${CONTRACT_KEY.keyValue}\n` }) });
      expectProblem(await get(server, '/explo/token', as('acme')), 503, 'ERR_EXPLO_SECRET_UNAVAILABLE');
      await get(server, '/explo/token', as('acme'));
      await get(server, '/page', as('acme'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/ERR_EXPLO_KEY_LENGTH \(secret\).*it is 33 bytes.*whitespace.*Requests get 503/);
      expect(logged[0]).not.toContain(CONTRACT_KEY.keyValue);
    });

    it('500 problem+json (no stack) when the customer resolver throws; logged without its message', async () => {
      const server = await start();
      const got = await get(server, '/explo/token', as('!throw'));
      expectProblem(got, 500, 'ERR_EXPLO_HOOK_FAILED');
      expect(got.text).not.toContain('resolver exploded');
      expect(logged).toEqual([expect.stringMatching(/ERR_EXPLO_HOOK_FAILED \(route\): The customer hook threw/)]);
      // What threw and where, so the line can be found without onError; never its message. Where: the
      // file (in a bundled Worker, the script: workerd names it), line and column.
      expect(logged[0]).toMatch(/\(Error at [^()\s]+:\d+:\d+\)/);
      expect(logged.join('')).not.toContain('resolver exploded');
    });

    it('client errors (401, 403, 404, 400, 405) are answered, not logged', async () => {
      const server = await start({ authorize: () => false });
      await get(server, '/explo/token');
      await get(server, '/explo/token', as('acme'));
      await get(server, '/explo/token?dashboard=payroll', as('acme'));
      await get(server, '/explo/token?fresh=maybe', as('acme'));
      await get(server, '/explo/token', as('acme'), 'POST');
      expect(logged).toEqual([]);
    });

    it('attaches a token to every GET with a customer, whatever it accepts; not to other methods', async () => {
      const server = await start();
      const page = await get(server, '/page', as('acme', { accept: HTML }));
      expect(page.status).toBe(200);
      expect((await decryptExploJwt(page.json.exploJwt as string, CONTRACT_KEY)).claims.cst).toBe('acme');
      expect(page.json.exploError).toBeNull();
      // curl, a test client or fetch() get the same token: no `iframe/undefined/...` in a page they render.
      for (const accept of ['*/*', 'application/json', 'image/avif,image/webp']) {
        expect((await get(server, '/page', as('acme', { accept }))).json.exploJwt).toBe(page.json.exploJwt);
      }
      expect((await get(server, '/page', as('acme'))).json.exploJwt).toBe(page.json.exploJwt);
      expect((await get(server, '/page', as('acme'), 'POST')).json).toEqual({ exploJwt: null, exploError: null });
      // No customer: no token, and that is not an error.
      const loggedOut = await get(server, '/page', { accept: HTML });
      expect(loggedOut.json).toEqual({ exploJwt: null, exploError: null });
      // A response carrying one customer's token is never for a shared cache; others are left alone.
      expect(page.headers.get('cache-control')).toBe('private, no-store');
      expect(loggedOut.headers.get('cache-control')).not.toBe('private, no-store');
    });

    it('a GET that never reads its token costs no mint and gets no Cache-Control; reading it does', async () => {
      const minted: string[] = [];
      const server = await start({ onMint: ({ customerId }) => minted.push(customerId) });
      // Key material ready, as in a running app (a first request may import the key).
      await get(server, '/page?read=0', as('warm-up'));
      minted.splice(0);
      const json = await get(server, '/page?read=0', as('acme'));
      expect(json.json).toEqual({ read: false });
      expect(json.headers.get('cache-control')).not.toBe('private, no-store');
      expect(minted).toEqual([]);
      const page = await get(server, '/page', as('acme'));
      expect(page.headers.get('cache-control')).toBe('private, no-store');
      expect(minted).toEqual(['acme']);
      expect((await decryptExploJwt(page.json.exploJwt as string, CONTRACT_KEY)).claims.cst).toBe('acme');
    });

    it('an attach function narrows which GETs get a token', async () => {
      const server = await start({ attach: 'header' });
      expect((await get(server, '/page', as('acme'))).json.exploJwt).toBeNull();
      const chosen = await get(server, '/page', as('acme', { 'x-test-attach': '1' }));
      expect((await decryptExploJwt(chosen.json.exploJwt as string, CONTRACT_KEY)).claims.cst).toBe('acme');
      expect((await get(server, '/page', as('acme', { 'x-test-attach': '1' }), 'POST')).json.exploJwt).toBeNull();
    });

    it('page requests get no token but a coded reason when the secret is unavailable', async () => {
      const server = await start({
        secret: () => {
          throw new Error('down');
        },
      });
      const page = await get(server, '/page', as('acme', { accept: HTML }));
      expect(page.status).toBe(200);
      expect(page.json).toEqual({ exploJwt: null, exploError: 'ERR_EXPLO_SECRET_UNAVAILABLE' });
    });

    it('attach: false attaches nothing; route: false mounts no route; a custom route path works', async () => {
      const none = await start({ attach: false, route: false });
      expect((await get(none, '/page', as('acme', { accept: HTML }))).json.exploJwt).toBeNull();
      const routeless = await get(none, '/explo/token', as('acme'));
      expect(routeless.status).toBe(404);
      expect(routeless.text).not.toContain('ERR_EXPLO');
      const custom = await start({ route: '/api/analytics-token' });
      expect((await get(custom, '/api/analytics-token', as('acme'))).status).toBe(200);
      expect((await get(custom, '/explo/token', as('acme'))).status).toBe(404);
    });
  });
}
