import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { readReadme, recipeOf } from './readme-recipe.js';
import {
  applyRecipe,
  createStarter,
  freePort,
  packAll,
  ROOT,
  type StartedApp,
  sh,
  startApp,
  type ViteTemplate,
} from './starter-kit.js';

/** A component package's README, tried as a new user of a Vite single-page app would. */
export interface ViteSpaAdoption {
  /** `npm create vite -- --template <template>`. */
  template: ViteTemplate;
  /** The component package's README: its "Example" and "Single-page app (Vite)" sections are applied. */
  readme: string;
  /** Other READMEs applied beside it (all their blocks), each with the folder for its snippets. */
  alsoReadmes?: { readme: string; snippetDir: string }[];
  /** What type-checks and builds the app, in order: the starter's own scripts first. */
  checks: string[][];
}

const KEY = { keyId: '8192a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7', keyValue: 'vite-starter-test-key-32-bytes!!' };

/**
 * The whole adoption, one suite per template: the Vite starter with the README's sections verbatim,
 * type-checked and built by the starter's own scripts, and served by `vite preview` (which uses the
 * README's proxy) in front of the Express README's server, made from the Node starter as that README
 * says. In Chromium: logged out, the README's ended message; log in through the proxy, and the
 * dashboard's iframe carries the customer's token.
 */
export function viteSpaAdoption({ template, readme, alsoReadmes = [], checks }: ViteSpaAdoption): void {
  let work: string;
  let spa: string;
  let api: StartedApp;
  let preview: StartedApp;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `explo-vite-${template}-`));
    spa = join(work, 'vite-app');
    const server = join(work, 'server');
    const [tarballs] = await Promise.all([
      packAll(join(work, 'packs')),
      createStarter('vite', spa, template),
      createStarter('node', server),
    ]);
    await applyRecipe(spa, recipeOf(readReadme(ROOT, readme, /^(Example|Single-page app \(Vite\))$/)), tarballs, {
      snippetDir: 'src/readme-snippets',
    });
    for (const also of alsoReadmes) await applyRecipe(spa, recipeOf(readReadme(ROOT, also.readme)), tarballs, also);
    // The server the SPA talks to: the Express README, as a Node user makes it (ES modules).
    await applyRecipe(server, recipeOf(readReadme(ROOT, 'README.md', /^Project setup$/)), tarballs, {
      tsconfig: (heading) => !heading.includes('CommonJS only'),
    });
    await applyRecipe(server, recipeOf(readReadme(ROOT, 'packages/express/README.md', /^(Install|Example)$/)), tarballs, {
      snippetDir: 'src/readme-snippets',
    });
    await sh('npx', ['tsc', '-p', '.'], server);
    api = await startApp(
      server,
      [process.execPath, 'dist/server.js'],
      { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, SESSION_SECRET: 'vite-starter-session-secret-32-characters' },
      await freePort(),
    );
    browser = await launchBrowser();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await api?.stop();
    if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
  });

  describe(`create-vite ${template} with ${readme}`, () => {
    it(`type-checks and builds with the starter’s own scripts (${checks.map((c) => c.join(' ')).join(', ')})`, async () => {
      for (const [file, ...args] of checks) await sh(file as string, args, spa);
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
        const src = (await iframe.getAttribute('src')) ?? '';
        const jwt = /^https:\/\/app\.explo\.co\/iframe\/([^/]+)\/production$/.exec(src)?.[1];
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
}
