import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { decryptExploJwt } from '@explo-embed/express';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { createApp } from '../src/app.js';
import { parseDashboards, readConfig } from '../src/config.js';

const KEY_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const KEY_VALUE = 'example-app-test-key-of-32-bytes';
const env = { EXPLO_KEY_ID: KEY_ID, EXPLO_KEY_VALUE: KEY_VALUE, EXPLO_DASHBOARDS: 'sales=emb-sales,ops=emb-ops', PORT: '0' };

describe('examples/express over real HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await listen(createServer(createApp(readConfig(env))));
  });
  afterAll(() => server.close());

  const login = async (customerId: string) => {
    const response = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ customerId }),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  };

  it('GET /healthz answers 200 JSON', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('logged out: / shows the login form and the token route answers 401', async () => {
    const page = await (await fetch(`${server.url}/`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<form method="post" action="/login">');
    expect((await fetch(`${server.url}/explo/token`)).status).toBe(401);
  });

  it('logged in: / embeds the iframe built from res.locals.exploJwt for that customer', async () => {
    const cookie = await login('customer_7');
    const page = await (await fetch(`${server.url}/`, { headers: { cookie, accept: 'text/html' } })).text();
    const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(page)?.[1];
    expect(jwt).toBeDefined();
    const { claims } = await decryptExploJwt(decodeURIComponent(jwt as string), { keyId: KEY_ID, keyValue: KEY_VALUE });
    expect(claims).toMatchObject({ cst: 'customer_7', dsh: 'emb-sales' });
    expect(page).toContain('customer_7');
    expect(page).not.toContain(KEY_VALUE);
  });

  it('web-component mode uses <explo-dashboard dash-jwt>', async () => {
    const cookie = await login('customer_8');
    const page = await (await fetch(`${server.url}/?mode=web-component`, { headers: { cookie, accept: 'text/html' } })).text();
    expect(page).toMatch(/<explo-dashboard dash-jwt="[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+" environment="production"/);
  });

  it('the token route serves the session customer, any allowlisted dashboard', async () => {
    const cookie = await login('customer_9');
    const body = (await (await fetch(`${server.url}/explo/token?dashboard=ops`, { headers: { cookie } })).json()) as {
      jwt: string;
    };
    expect((await decryptExploJwt(body.jwt, { keyId: KEY_ID, keyValue: KEY_VALUE })).claims).toMatchObject({
      cst: 'customer_9',
      dsh: 'emb-ops',
    });
  });

  it('escapes the customer id in HTML', async () => {
    const cookie = await login('<script>alert(1)</script>');
    const page = await (await fetch(`${server.url}/`, { headers: { cookie, accept: 'text/html' } })).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&#60;script&#62;');
  });

  it('POST /login validates customerId (form and JSON); JSON login works', async () => {
    const bad = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"customerId":""}',
    });
    expect(bad.status).toBe(400);
    const wrongType = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"customerId":["a"]}',
    });
    expect(wrongType.status).toBe(400);
    const form = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `customerId=${'x'.repeat(200)}`,
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('1 to 128');
    const ok = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"customerId":"json-user"}',
    });
    expect(await ok.json()).toEqual({ customerId: 'json-user' });
  });

  it('POST /logout ends the session', async () => {
    const cookie = await login('customer_10');
    expect((await fetch(`${server.url}/explo/token`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${server.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect((await fetch(`${server.url}/explo/token`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('example configuration', () => {
  it('parses EXPLO_DASHBOARDS and rejects malformed lists with the expected format', () => {
    expect(parseDashboards('a=1, b = 2', false)).toEqual({ a: '1', b: '2' });
    expect(() => parseDashboards('a', false)).toThrow(/name=embedId/);
    expect(() => parseDashboards(undefined, false)).toThrow(/EXPLO_DASHBOARDS/);
    expect(parseDashboards(undefined, true)).toEqual({ demo: 'demo-dashboard' });
  });

  it('needs both key variables or neither', () => {
    expect(() => readConfig({ EXPLO_KEY_ID: KEY_ID })).toThrow(/both EXPLO_KEY_ID and EXPLO_KEY_VALUE/);
    const dev = readConfig({});
    expect(dev.ephemeralSecret).toBe(true);
    expect(Buffer.byteLength(dev.secret.keyValue)).toBe(32);
  });
});

describe('the demo as Quick start runs it (pnpm start)', () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const run = (extraEnv: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd,
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
        const timer = setTimeout(() => reject(new Error(`no listening line: ${text()}`)), 20_000);
        child.stdout?.on('data', () => {
          const match = /listening on (http:\/\/localhost:\d+)/.exec(text());
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
      });
      expect(text()).toMatch(/Explo WILL REJECT these tokens/);
      const response = await fetch(`${url.replace('localhost', '127.0.0.1')}/healthz`);
      expect(response.status).toBe(200);
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
  });
});
