import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { createExploEmbed, decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { answerToken, listen, type RunningServer } from '../support/http.js';
import { node24Env } from './node24.js';
import { readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, packAll, ROOT, STARTERS, sh } from './starter-kit.js';

// A new user of Angular, as they start today: `ng new` (standalone, zoneless, the CLI's defaults),
// then @explo-embed/angular's README (its Example, Single-page app and Angular SSR sections), verbatim.
// `ng build` (a production build: AOT, strict templates, the package linked by the CLI) type-checks
// every file the README wrote. The built app is served beside a token route, and in Chromium the
// dashboard's iframe carries the customer's token. The Angular CLI needs Node 24 (node24.ts).
const KEY = { keyId: '3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b', keyValue: 'angular-starter-test-key-32-b!!!' };
const NAME = 'ng-app';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let work: string;
let dir: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-angular-'));
  dir = join(work, NAME);
  const env = await node24Env();
  const create = async () => {
    await sh(
      'npx',
      ['-y', `@angular/cli@${STARTERS.angularCli}`, 'new', NAME, '--defaults', '--skip-git', '--ssr=false', '--skip-install'],
      work,
      env,
    );
    // The CLI's install is left to the README's `npm install` (one install, not two), with one thing
    // named: npm resolves the compiler that @angular/build asks for (a peer, ^22) to an older patch
    // than the @angular/core it installs, and then refuses the pair (ERESOLVE). Naming the compiler
    // at core's version is what a user does about it.
    const core = (await sh('npm', ['view', '@angular/core', 'version'], dir, env)).trim();
    await sh('npm', ['pkg', 'set', `devDependencies.@angular/compiler-cli=${core}`], dir, env);
  };
  const [tarballs] = await Promise.all([packAll(), create()]);
  await applyRecipe(
    dir,
    recipeOf(readReadme(ROOT, 'packages/angular/README.md', /^(Example|Single-page app|Angular SSR)$/)),
    tarballs,
  );
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

describe(`ng new (@angular/cli ${STARTERS.angularCli}) with @explo-embed/angular's README`, () => {
  it('builds for production with the CLI (AOT, strict templates), every README file included', async () => {
    const output = await sh('npx', ['ng', 'build'], dir, await node24Env());
    expect(output).toContain(`dist/${NAME}`);
  }, 300_000);

  it('in Chromium, served beside a token route: the dashboard’s iframe carries the customer’s token', async () => {
    const root = join(dir, 'dist', NAME, 'browser');
    const embed = createExploEmbed({ secret: KEY, dashboards: { sales: 'emb-sales' }, reuse: false });
    server = await listen(
      createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname === '/explo/token') return answerToken(res, embed, url.searchParams.get('dashboard') ?? 'sales', false);
        // The built app's files; any other path is the app's own route (index.html).
        const file = normalize(join(root, url.pathname));
        const path = file.startsWith(root) && extname(file) ? file : join(root, 'index.html');
        readFile(path).then(
          (body) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
          () => res.writeHead(404).end(),
        );
      }),
    );
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      const iframe = page.locator('iframe[title="Explo dashboard"]');
      await iframe.waitFor({ timeout: 20_000 });
      const src = (await iframe.getAttribute('src')) ?? '';
      const jwt = /^https:\/\/app\.explo\.co\/iframe\/([^/]+)\/production$/.exec(src)?.[1];
      expect(jwt).toBeDefined();
      expect((await decryptExploJwt(decodeURIComponent(jwt as string), KEY)).claims).toMatchObject({
        cst: 'acme',
        dsh: 'emb-sales',
      });
    } finally {
      await context.close();
    }
  }, 120_000);
});
