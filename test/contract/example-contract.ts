import { type ChildProcess, spawn } from 'node:child_process';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../support/http.js';

/**
 * The app contract every example (express, koa, nestjs) keeps: the same routes, env and pages.
 * An example plugs in with its directory (for `pnpm start`) and an in-process starter.
 */
export interface ExampleUnderTest {
  name: string;
  /** Absolute path of the example's directory. */
  dir: string;
  /** Starts the example's app in process on loopback with this environment. */
  start(env: Record<string, string>): Promise<RunningServer>;
}

const KEY_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const KEY_VALUE = 'example-app-test-key-of-32-bytes';
const KEY = { keyId: KEY_ID, keyValue: KEY_VALUE };
export const EXAMPLE_ENV = {
  EXPLO_KEY_ID: KEY_ID,
  EXPLO_KEY_VALUE: KEY_VALUE,
  EXPLO_DASHBOARDS: 'sales=emb-sales,ops=emb-ops',
  PORT: '0',
};
const HTML = { accept: 'text/html' };

/** A minimal cookie jar: what a browser would send back, expired cookies dropped. */
class Jar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] as string) <= Date.now());
      if (expired || pair.slice(index + 1) === '') this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(index + 1));
    }
  }
  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export function runExampleContract(example: ExampleUnderTest): void {
  describe(`example ${example.name} over real HTTP`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await example.start(EXAMPLE_ENV);
    });
    afterAll(() => server.close());

    const request = async (jar: Jar, path: string, init: RequestInit = {}) => {
      const response = await fetch(server.url + path, {
        redirect: 'manual',
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie: jar.header },
      });
      jar.store(response);
      return response;
    };
    const login = async (customerId: string) => {
      const jar = new Jar();
      const response = await request(jar, '/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ customerId }).toString(),
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/');
      return jar;
    };
    const postJson = (path: string, body: string) =>
      fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    it('GET /healthz answers 200 JSON', async () => {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('GET /readyz answers 200 with the health of the embed (a fixed secret: ready)', async () => {
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ready: true, secret: 'ready' });
    });

    it('pages carry a Content-Security-Policy that lets Explo in and nothing else; inline scripts need the nonce', async () => {
      const jar = await login('customer_csp');
      const response = await request(jar, '/', { headers: HTML });
      const csp = response.headers.get('content-security-policy') ?? '';
      const directive = (name: string) => (new RegExp(`(?:^|;)${name} ([^;]*)`).exec(csp)?.[1] ?? '').split(' ');
      expect(directive('frame-src')).toEqual(["'self'", 'https://app.explo.co']);
      const scripts = directive('script-src');
      expect(scripts).toEqual(["'self'", 'https://embed.explo.co', expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]{24}'$/)]);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(directive('connect-src')).toEqual(expect.arrayContaining(['https://api.explo.co', 'https://*.data.explo.co']));
      const nonce = /'nonce-([^']+)'/.exec(scripts[2] as string)?.[1];
      const page = await response.text();
      const inline = page.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [];
      expect(inline.length).toBeGreaterThan(0);
      for (const tag of inline) expect(tag).toContain(`nonce="${nonce}"`);
      // A token page is for this customer only: no shared cache may keep it.
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    });

    it('logged out: / shows the login form and the token route answers 401', async () => {
      const page = await (await fetch(`${server.url}/`, { headers: HTML })).text();
      expect(page).toContain('<form method="post" action="/login">');
      expect((await fetch(`${server.url}/explo/token`)).status).toBe(401);
    });

    it('logged in: / embeds the iframe built from the attached token, for that customer', async () => {
      const jar = await login('customer_7');
      const page = await (await request(jar, '/', { headers: HTML })).text();
      const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(page)?.[1];
      expect(jwt).toBeDefined();
      const { claims } = await decryptExploJwt(decodeURIComponent(jwt as string), KEY);
      expect(claims).toMatchObject({ cst: 'customer_7', dsh: 'emb-sales' });
      expect(page).toContain('customer_7');
      expect(page).not.toContain(KEY_VALUE);
    });

    it('?mode=web-component uses <explo-dashboard dash-jwt>', async () => {
      const jar = await login('customer_8');
      const page = await (await request(jar, '/?mode=web-component', { headers: HTML })).text();
      expect(page).toMatch(/<explo-dashboard dash-jwt="[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+" environment="production"/);
    });

    it('the token route serves the session customer, any allowlisted dashboard', async () => {
      const jar = await login('customer_9');
      const body = (await (await request(jar, '/explo/token?dashboard=ops')).json()) as { jwt: string };
      expect((await decryptExploJwt(body.jwt, KEY)).claims).toMatchObject({ cst: 'customer_9', dsh: 'emb-ops' });
    });

    it('GET /api/me answers the session customer, 401 without one', async () => {
      expect((await fetch(`${server.url}/api/me`)).status).toBe(401);
      const jar = await login('customer_me');
      expect(await (await request(jar, '/api/me')).json()).toEqual({ customerId: 'customer_me' });
    });

    it('escapes the customer id in HTML', async () => {
      const jar = await login('<script>alert(1)</script>');
      const page = await (await request(jar, '/', { headers: HTML })).text();
      expect(page).not.toContain('<script>alert(1)</script>');
      expect(page).toContain('&#60;script&#62;');
    });

    it('POST /login validates customerId (form and JSON); JSON login answers JSON', async () => {
      expect((await postJson('/login', '{"customerId":""}')).status).toBe(400);
      expect((await postJson('/login', '{"customerId":["a"]}')).status).toBe(400);
      expect((await postJson('/login', '{}')).status).toBe(400);
      const form = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `customerId=${'x'.repeat(200)}`,
      });
      expect(form.status).toBe(400);
      expect(await form.text()).toContain('1 to 128');
      const ok = await postJson('/login', '{"customerId":"json-user"}');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ customerId: 'json-user' });
    });

    it('a body too large or malformed is a 4xx, never a 500', async () => {
      const big = await postJson('/login', JSON.stringify({ customerId: 'x', pad: 'y'.repeat(10_000) }));
      expect(big.status).toBe(413);
      const bad = await postJson('/login', '{"customerId":');
      expect(bad.status).toBe(400);
      const bigForm = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `customerId=x&pad=${'y'.repeat(10_000)}`,
      });
      expect(bigForm.status).toBe(413);
      for (const response of [big, bad, bigForm]) expect(await response.text()).not.toMatch(/\bat .*\.(ts|js):\d+/);
    });

    it('a page fetched without Accept: text/html (curl, fetch) still carries the token', async () => {
      const jar = await login('customer_curl');
      const page = await (await request(jar, '/')).text();
      const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(page)?.[1];
      expect(jwt).toBeDefined();
      expect(page).not.toContain('undefined');
      expect((await decryptExploJwt(decodeURIComponent(jwt as string), KEY)).claims.cst).toBe('customer_curl');
    });

    it('POST /logout ends the session', async () => {
      const jar = await login('customer_10');
      expect((await request(jar, '/explo/token')).status).toBe(200);
      const out = await request(jar, '/logout', { method: 'POST' });
      expect(out.status).toBe(204);
      expect((await request(jar, '/explo/token')).status).toBe(401);
      const form = await login('customer_11');
      const viaForm = await request(form, '/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(viaForm.status).toBe(303);
      expect((await request(form, '/explo/token')).status).toBe(401);
    });
  });

  describe(`example ${example.name} as Quick start runs it (pnpm start)`, () => {
    const run = (extraEnv: Record<string, string>) =>
      spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: example.dir,
        env: { ...process.env, NODE_OPTIONS: '', ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const output = (child: ChildProcess) => {
      let text = '';
      child.stdout?.on('data', (d) => (text += d));
      child.stderr?.on('data', (d) => (text += d));
      return () => text;
    };

    it('starts with no keys, warns loudly, and answers /healthz on $PORT', async () => {
      const child = run({ PORT: '0' });
      const text = output(child);
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no listening line: ${text()}`)), 25_000);
          child.stdout?.on('data', () => {
            const match = /listening on (http:\/\/localhost:\d+)/.exec(text());
            if (match) {
              clearTimeout(timer);
              resolve(match[1] as string);
            }
          });
        });
        expect(text()).toMatch(/Explo WILL REJECT these tokens/);
        const base = url.replace('localhost', '127.0.0.1');
        const response = await fetch(`${base}/healthz`);
        expect(response.status).toBe(200);
        // Without keys the demo embeds the local Explo stand-in, with 30 s tokens the helper refreshes.
        const standIn = /Explo stand-in serving embeds at (http:\/\/127\.0\.0\.1:\d+)/.exec(text())?.[1];
        expect(standIn).toBeDefined();
        const jar = new Jar();
        const login = await fetch(`${base}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'customerId=demo-user',
          redirect: 'manual',
        });
        jar.store(login);
        const page = await (await fetch(`${base}/`, { headers: { cookie: jar.header, accept: 'text/html' } })).text();
        expect(page).toContain(`src="${standIn}/iframe/`);
        expect(page).toContain('ExploEmbed.keepExploJwtFresh');
        expect(page).toMatch(/expires in (2\d|30) s/);
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('refuses a 33-byte key with one clear line and never prints it', async () => {
      const child = run({ PORT: '0', EXPLO_KEY_ID: KEY_ID, EXPLO_KEY_VALUE: `${KEY_VALUE}\n`, EXPLO_DASHBOARDS: 'a=b' });
      const text = output(child);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(text()).toMatch(/32 bytes.*it is 33 bytes.*whitespace/s);
      expect(text()).not.toContain(KEY_VALUE);
      expect(text()).not.toMatch(/\n\s+at /);
    });
  });
}
