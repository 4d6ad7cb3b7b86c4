import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { fencedBlocks, type Recipe, readReadme, recipeOf } from './readme-recipe.js';
import {
  applyRecipe,
  cookiesOf,
  freePort,
  packAll,
  QUIET_ENV,
  ROOT,
  STARTERS,
  type StartedApp,
  sh,
  startApp,
} from './starter-kit.js';

// A new user of SvelteKit, as they start today: `npx sv create` (minimal template, TypeScript, no
// add-ons), then @explo-embed/fetch's SvelteKit section, verbatim: its `sv add` of adapter-node, its
// install, its files. Type-checked by the starter's `npm run check` (svelte-check), built by
// `vite build` with no EXPLO_* variable set (as in CI), served by adapter-node's `node build` with
// them, logged in, and read over HTTP and in Chromium. The starter's SvelteKit 2 runs on this
// machine's Node 20.
//
// One change of order, not of content: `sv create` and `sv add` run with `--no-install`, so the
// README's `npm install` that follows installs everything once.
const KEY = { keyId: '7081a2b3-c4d5-4e6f-8a7b-8c9d0e1f2a3b', keyValue: 'sveltekit-starter-test-key-32by!' };
const SECTION = /^SvelteKit$/;
/** `sv create`'s choices, non-interactive: minimal template, TypeScript, no add-ons (the install comes later). */
const SV_CREATE_OPTIONS = ['--template', 'minimal', '--types', 'ts', '--no-add-ons', '--no-install'];

let work: string;
let dir: string;
let app: StartedApp;
let browser: Browser;
let buildOutput: string;

/** A block whose first line names a SvelteKit route file (`+page.svelte`, `+server.ts`): readme-recipe's path pattern has no `+`. */
const ROUTE_FILE = /^(?:\/\/ |<!-- )((?:[\w.@-]+\/)*\+[\w.@-]+\.(?:ts|svelte))(?: -->)?$/;

/** The recipe, with the section's route files written where their heading says rather than compiled as snippets. */
function withRouteFiles(recipe: Recipe): Recipe {
  const snippets = recipe.snippets.filter(({ code }) => {
    const path = ROUTE_FILE.exec(code.split('\n', 1)[0] as string)?.[1];
    if (path) recipe.files.set(path, code);
    return path === undefined;
  });
  return { ...recipe, snippets };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-sveltekit-starter-'));
  dir = join(work, 'sveltekit-app');
  const section = readReadme(ROOT, 'packages/fetch/README.md', SECTION);
  const svAdd = fencedBlocks(section, 'sh')
    .flatMap((block) => block.split('\n'))
    .find((line) => line.startsWith('npx sv add '));
  if (!svAdd) throw new Error('the SvelteKit section no longer says `npx sv add ...`: update this test');
  const [tarballs] = await Promise.all([
    packAll(join(work, 'packs')),
    sh('npx', ['-y', `sv@${STARTERS.sv}`, 'create', 'sveltekit-app', ...SV_CREATE_OPTIONS], work),
  ]);
  await sh('npx', ['-y', `sv@${STARTERS.sv}`, ...svAdd.split(/\s+/).slice(2), '--no-install'], dir);
  await applyRecipe(dir, withRouteFiles(recipeOf(section)), tarballs, { snippetDir: 'src/lib/readme-snippets' });
  // The build, as CI runs it: none of the app's secrets in its environment.
  const env: NodeJS.ProcessEnv = { ...QUIET_ENV };
  for (const name of ['EXPLO_KEY_ID', 'EXPLO_KEY_VALUE']) delete env[name];
  buildOutput = await sh('npx', ['vite', 'build'], dir, env);
  const port = await freePort();
  app = await startApp(
    dir,
    ['node', 'build'],
    { HOST: '127.0.0.1', EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue },
    port,
    { readyPath: '/dashboard' },
  );
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

const jwtIn = (html: string) => /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(html)?.[1];
const IFRAME_SRC = /^https:\/\/app\.explo\.co\/iframe\/([^/]+)\/production$/;

async function logIn(): Promise<string> {
  const login = await fetch(`${app.url}/login`, { method: 'POST', redirect: 'manual' });
  expect(login.status).toBe(303);
  expect(new URL(login.headers.get('location') ?? '', app.url).pathname).toBe('/dashboard');
  return cookiesOf(login);
}

/**
 * Explo's side of the iframe: until the page answers, it says the token is expiring (the page's
 * helper listens once the component has hydrated), then shows the token it was handed as its title.
 */
const EXPLO_STAND_IN = `<!doctype html><title>waiting</title><script>
let renewed = false;
addEventListener('message', (event) => {
  if (event.data && event.data.event === 'updateCustomerJwt') { renewed = true; document.title = event.data.detail.jwt; }
});
(function expiring() { if (!renewed) { parent.postMessage({ event: 'customerJwtExpired' }, '*'); setTimeout(expiring, 250); } })();
</script>`;

describe('sv create with the fetch README’s SvelteKit section', () => {
  it('has adapter-node from `sv add`, type-checks with the starter’s svelte-check, and builds without any EXPLO_* variable', async () => {
    expect(readFileSync(join(dir, 'vite.config.ts'), 'utf8')).toContain("from '@sveltejs/adapter-node'");
    const check = await sh('npm', ['run', 'check'], dir);
    expect(check).toContain('svelte-check found 0 errors and 0 warnings');
    expect(buildOutput).toMatch(/Using @sveltejs\/adapter-node/);
    expect(buildOutput).not.toMatch(/ERR_EXPLO/);
  }, 180_000);

  it('serves the dashboard page: a login form, then after login the iframe with the customer’s token, never cached', async () => {
    const loggedOut = await fetch(`${app.url}/dashboard`);
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.headers.get('cache-control')).toBeNull();
    const html = await loggedOut.text();
    expect(html).toContain('<form action="/login" method="post">');
    expect(jwtIn(html)).toBeUndefined();
    const cookie = await logIn();
    const page = await fetch(`${app.url}/dashboard`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const jwt = jwtIn(await page.text());
    expect(jwt).toBeDefined();
    expect((await decryptExploJwt(jwt as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
  });

  it('serves the token route: the session’s customer’s token, 401 without one; one token cache with the page', async () => {
    const cookie = await logIn();
    const onPage = jwtIn(await (await fetch(`${app.url}/dashboard`, { headers: { cookie } })).text());
    const token = await fetch(`${app.url}/explo/token`, { headers: { cookie } });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    const { jwt } = (await token.json()) as { jwt: string };
    expect(jwt).toBe(onPage);
    expect((await decryptExploJwt(jwt, KEY)).claims.cst).toBe('acme');
    const anonymous = await fetch(`${app.url}/explo/token`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('ERR_EXPLO_UNAUTHENTICATED');
  });

  it('in Chromium: <ExploDashboard> hydrates over the server’s iframe and answers Explo’s expiry with a fresh token', async () => {
    const context = await browser.newContext();
    try {
      await context.route('https://app.explo.co/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: EXPLO_STAND_IN }),
      );
      const url = new URL(app.url);
      const [name, ...value] = (await logIn()).split('=');
      await context.addCookies([{ name: name as string, value: value.join('='), domain: url.hostname, path: '/' }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || /hydrat/i.test(message.text())) errors.push(message.text());
      });
      const tokenRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/explo/token')) tokenRequests.push(request.url());
      });
      await page.goto(`${app.url}/dashboard`);
      const iframe = page.locator('iframe[title="Explo dashboard"]');
      const served = IFRAME_SRC.exec((await iframe.getAttribute('src')) ?? '')?.[1];
      expect((await decryptExploJwt(served as string, KEY)).claims.cst).toBe('acme');
      const explo = page.frames().find((frame) => frame.url().startsWith('https://app.explo.co/'));
      expect(explo).toBeDefined();
      await explo?.waitForFunction(() => document.title !== 'waiting', undefined, { timeout: 20_000 });
      const renewed = await explo?.title();
      expect((await decryptExploJwt(renewed as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
      expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
      for (const asked of tokenRequests) {
        expect(Object.fromEntries(new URL(asked).searchParams)).toEqual({ dashboard: 'sales', fresh: '1' });
      }
      expect(await iframe.count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
