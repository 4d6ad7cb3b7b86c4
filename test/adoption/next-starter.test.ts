import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { readReadme, recipeOf } from './readme-recipe.js';
import {
  applyRecipe,
  cookiesOf,
  createStarter,
  freePort,
  packAll,
  QUIET_ENV,
  ROOT,
  type StartedApp,
  sh,
  startApp,
} from './starter-kit.js';

// A new user of Next.js, as they start today: `create-next-app` with its defaults (App Router,
// Turbopack, Tailwind, cacheComponents), then @explo-embed/fetch's Next.js section and
// @explo-embed/react's, verbatim. A copy of the app (made once the fetch section is installed) then
// follows the fetch README's Edge runtimes section: its token route with `runtime = 'edge'` and the
// next.config.ts that allows it, built and started beside the first. Type-checked, built by `next build` with no EXPLO_* variable set
// (as in CI), started by `next start` with them, logged in, and read over HTTP and in Chromium.
//
// This machine reaches no font host: the starter's `next/font/google` fonts come from Next.js's own
// test hook (NEXT_FONT_GOOGLE_MOCKED_RESPONSES) instead of Google. The app itself is unchanged.
const KEY = { keyId: '5e6f7081-92a3-4b4c-9d5e-6f708192a3b4', keyValue: 'next-starter-test-key-32-bytes!!' };
const SESSION_SECRET = 'next-starter-session-secret-of-32-chars-or-more';
/** The Google fonts create-next-app's layout loads (a bump of the starter may change them: see the build's error). */
const STARTER_FONTS = ['Geist', 'Geist Mono'];

let work: string;
let dir: string;
let app: StartedApp;
let browser: Browser;
let buildOutput: string;
let edgeDir: string;
let edgeApp: StartedApp;
let edgeBuildOutput: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-next-starter-'));
  dir = join(work, 'next-app');
  const [tarballs] = await Promise.all([packAll(join(work, 'packs')), createStarter('next', dir)]);
  await applyRecipe(dir, recipeOf(readReadme(ROOT, 'packages/fetch/README.md', /^Next\.js/)), tarballs, {
    snippetDir: 'lib/readme-snippets',
  });
  edgeDir = join(work, 'next-edge-app');
  cpSync(dir, edgeDir, { recursive: true, verbatimSymlinks: true });
  await applyRecipe(edgeDir, recipeOf(readReadme(ROOT, 'packages/fetch/README.md', /^Edge runtimes$/)), tarballs, {
    snippetDir: 'lib/readme-snippets-edge',
  });
  await applyRecipe(dir, recipeOf(readReadme(ROOT, 'packages/react/README.md', /^Next\.js$/)), tarballs, {
    snippetDir: 'lib/readme-snippets',
  });
  const fonts = join(work, 'google-fonts-mock.cjs');
  writeFileSync(
    fonts,
    `module.exports = ${JSON.stringify(
      Object.fromEntries(
        STARTER_FONTS.map((family) => [
          `https://fonts.googleapis.com/css2?family=${family.replace(/ /g, '+')}:wght@100..900&display=swap`,
          `@font-face { font-family: '${family}'; font-style: normal; font-weight: 100 900; src: local('Arial'); }`,
        ]),
      ),
    )};`,
  );
  // The build, as CI runs it: none of the app's secrets in its environment.
  const env: NodeJS.ProcessEnv = { ...QUIET_ENV, NEXT_FONT_GOOGLE_MOCKED_RESPONSES: fonts };
  for (const name of ['EXPLO_KEY_ID', 'EXPLO_KEY_VALUE', 'SESSION_SECRET']) delete env[name];
  buildOutput = await sh('npx', ['next', 'build'], dir, env);
  edgeBuildOutput = await sh('npx', ['next', 'build'], edgeDir, env);
  const edgePort = await freePort();
  edgeApp = await startApp(
    edgeDir,
    ['npx', 'next', 'start', '-p', String(edgePort), '-H', '127.0.0.1'],
    { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, SESSION_SECRET },
    edgePort,
    { readyPath: '/dashboard' },
  );
  const port = await freePort();
  app = await startApp(
    dir,
    ['npx', 'next', 'start', '-p', String(port), '-H', '127.0.0.1'],
    { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, SESSION_SECRET },
    port,
    { readyPath: '/dashboard' },
  );
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await edgeApp?.stop();
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

const jwtIn = (html: string) => /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(html)?.[1];

async function logIn(): Promise<string> {
  const login = await fetch(`${app.url}/login`, { method: 'POST', redirect: 'manual' });
  expect(login.status).toBe(303);
  expect(new URL(login.headers.get('location') ?? '', app.url).pathname).toBe('/dashboard');
  return cookiesOf(login);
}

describe('create-next-app with the fetch and react READMEs', () => {
  it('type-checks strict (the starter’s own tsconfig) and builds without any EXPLO_* variable', async () => {
    await sh('npx', ['tsc', '--noEmit', '-p', '.'], dir);
    expect(buildOutput).toMatch(/Compiled successfully|Generating static pages/);
    expect(buildOutput).not.toMatch(/ERR_EXPLO|Invalid option/);
  });

  it('serves the dashboard page: a login form, then after login an iframe with the customer’s token', async () => {
    const loggedOut = await fetch(`${app.url}/dashboard`);
    expect(loggedOut.status).toBe(200);
    const html = await loggedOut.text();
    expect(html).toContain('<form action="/login" method="post">');
    expect(jwtIn(html)).toBeUndefined();
    const cookie = await logIn();
    const page = await fetch(`${app.url}/dashboard`, { headers: { cookie } });
    // Rendered per request (it reads headers()), so Next.js itself marks it for no shared cache.
    expect(page.headers.get('cache-control')).toMatch(/\bprivate\b.*\bno-store\b/);
    const jwt = jwtIn(await page.text());
    expect(jwt).toBeDefined();
    expect((await decryptExploJwt(jwt as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
  });

  it('shares one token cache between pages and the token route (one instance on globalThis)', async () => {
    const cookie = await logIn();
    const onPage = jwtIn(await (await fetch(`${app.url}/dashboard`, { headers: { cookie } })).text());
    const fromRoute = (await (await fetch(`${app.url}/explo/token`, { headers: { cookie } })).json()) as { jwt: string };
    expect(fromRoute.jwt).toBe(onPage);
  });

  it('the Edge runtimes section: type-checks, builds the token route as an edge function, serves the session’s customer a token', async () => {
    await sh('npx', ['tsc', '--noEmit', '-p', '.'], edgeDir);
    expect(edgeBuildOutput).not.toMatch(/ERR_EXPLO|Invalid option/);
    const manifest = JSON.parse(readFileSync(join(edgeDir, '.next/server/middleware-manifest.json'), 'utf8')) as {
      functions: Record<string, unknown>;
    };
    expect(Object.keys(manifest.functions)).toEqual(['/explo/token/route']);
    const login = await fetch(`${edgeApp.url}/login`, { method: 'POST', redirect: 'manual' });
    const cookie = cookiesOf(login);
    const token = await fetch(`${edgeApp.url}/explo/token?fresh=1`, { headers: { cookie } });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    const { jwt } = (await token.json()) as { jwt: string };
    expect((await decryptExploJwt(jwt, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
    const anonymous = await fetch(`${edgeApp.url}/explo/token`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('ERR_EXPLO_UNAUTHENTICATED');
    // The pages (Node.js runtime) still have their token.
    expect(jwtIn(await (await fetch(`${edgeApp.url}/dashboard`, { headers: { cookie } })).text())).toBeDefined();
  });

  it('serves the token route: a fresh token for the session’s customer, 401 without one', async () => {
    const cookie = await logIn();
    const token = await fetch(`${app.url}/explo/token?fresh=1`, { headers: { cookie } });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    const { jwt } = (await token.json()) as { jwt: string };
    expect((await decryptExploJwt(jwt, KEY)).claims.cst).toBe('acme');
    const anonymous = await fetch(`${app.url}/explo/token`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('ERR_EXPLO_UNAUTHENTICATED');
  });

  it('renders <ExploDashboard> with the server’s token, and the proxy’s CSP lets Explo in', async () => {
    const cookie = await logIn();
    const response = await fetch(`${app.url}/analytics`, { headers: { cookie } });
    const jwt = jwtIn(await response.text());
    expect((await decryptExploJwt(jwt as string, KEY)).claims.cst).toBe('acme');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-src https:\/\/app\.explo\.co(;|$)/);
    expect(csp).toMatch(/script-src [^;]*https:\/\/embed\.explo\.co/);
    expect(csp).toMatch(/connect-src [^;]*https:\/\/api\.explo\.co/);
  });

  it('in Chromium: the page hydrates under its CSP (Next.js’s scripts run; no violation)', async () => {
    const context = await browser.newContext();
    try {
      const url = new URL(app.url);
      const cookie = (await logIn()).split('=');
      await context.addCookies([
        { name: cookie[0] as string, value: cookie.slice(1).join('='), domain: url.hostname, path: '/' },
      ]);
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${app.url}/analytics`, { waitUntil: 'load' });
      const iframe = page.locator('iframe[title="Explo dashboard"]');
      expect(await iframe.getAttribute('src')).toMatch(/^https:\/\/app\.explo\.co\/iframe\/[^/]+\/production$/);
      // Next.js's inline bootstrap scripts ran (they fill self.__next_f): the client component hydrated.
      expect(await page.evaluate(() => Array.isArray((self as unknown as { __next_f?: unknown }).__next_f))).toBe(true);
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
