import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, createStarter, freePort, packAll, ROOT, type StartedApp, sh, startApp } from './starter-kit.js';

// A new user of a single-page app, as they start today: `npm create vite -- --template react-ts`,
// then @explo-embed/react's "Single-page app (Vite)" section (and its other examples, and the
// browser helper's README, compiled beside it), verbatim. Type-checked strict, built by the
// starter's own `npm run build`, and served by `vite preview` (which uses the README's proxy) in
// front of the Express README's server, made from the Node starter as that README says. In
// Chromium: log in through the proxy, and the dashboard's iframe carries the customer's token.
const KEY = { keyId: '8192a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7', keyValue: 'vite-starter-test-key-32-bytes!!' };

let work: string;
let spa: string;
let api: StartedApp;
let preview: StartedApp;
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-vite-starter-'));
  spa = join(work, 'vite-app');
  const server = join(work, 'server');
  const [tarballs] = await Promise.all([packAll(join(work, 'packs')), createStarter('vite', spa), createStarter('node', server)]);
  await applyRecipe(
    spa,
    recipeOf(readReadme(ROOT, 'packages/react/README.md', /^(Example|Single-page app \(Vite\))$/)),
    tarballs,
    {
      snippetDir: 'src/readme-snippets',
    },
  );
  await applyRecipe(spa, recipeOf(readReadme(ROOT, 'packages/browser/README.md')), tarballs, {
    snippetDir: 'src/readme-snippets/browser',
  });
  // The server the SPA talks to: the Express README, as a Node user makes it (ES modules).
  await applyRecipe(server, recipeOf(readReadme(ROOT, 'README.md', /^Project setup$/)), tarballs, {
    tsconfig: (heading) => !heading.includes('CommonJS only'),
  });
  await applyRecipe(server, recipeOf(readReadme(ROOT, 'packages/express/README.md', /^(Install|Example)$/)), tarballs, {
    snippetDir: 'src/readme-snippets',
  });
  await sh('npx', ['tsc', '-p', '.'], server);
  const apiPort = await freePort();
  api = await startApp(
    server,
    [process.execPath, 'dist/server.js'],
    { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, SESSION_SECRET: 'vite-starter-session-secret-32-characters' },
    apiPort,
  );
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
  await api?.stop();
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

describe('create-vite react-ts with the react and browser READMEs', () => {
  it('type-checks strict and builds with the starter’s own `npm run build`', async () => {
    await sh('npx', ['tsc', '-p', 'tsconfig.app.json', '--noEmit', '--strict'], spa);
    await sh('npm', ['run', 'build'], spa);
  }, 300_000);

  it('in Chromium, through the README’s proxy: log in, and the dashboard carries the customer’s token', async () => {
    const port = await freePort();
    preview = await startApp(
      spa,
      ['npx', 'vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
      { API_URL: api.url },
      port,
    );
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(preview.url);
      // Logged out: the token route answers 401 through the proxy, and the embed ends with the README's message.
      await page.getByText('Log in to see your analytics (ERR_EXPLO_UNAUTHENTICATED).').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Log in' }).click();
      const iframe = page.locator('iframe[title="Explo dashboard"]');
      await iframe.waitFor({ timeout: 20_000 });
      const jwt = /^https:\/\/app\.explo\.co\/iframe\/([^/]+)\/production$/.exec((await iframe.getAttribute('src')) ?? '')?.[1];
      expect(jwt).toBeDefined();
      expect((await decryptExploJwt(decodeURIComponent(jwt as string), KEY)).claims).toMatchObject({
        cst: 'acme',
        dsh: 'a1b2c3d4',
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});
