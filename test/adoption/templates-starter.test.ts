import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { fencedBlocks, installArgs, type Recipe, readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, cookiesOf, createStarter, freePort, packAll, ROOT, type StartedApp, sh, startApp } from './starter-kit.js';

// Server templates, as a new user follows the READMEs' "Server templates" sections to the letter:
// - Express: `npm init -y`, the section's install lines, its `server.js` (plain CommonJS JavaScript,
//   passport-local as the login) and its EJS, Pug and Handlebars views, started with `node`; one app
//   per engine, with the `app.set('view engine', ...)` line the section names for it.
// - Koa 3: the Node starter (`npm init -y`, TypeScript, `tsc --init`), the root README's Project
//   setup (ES modules), the section's install lines (which must resolve without ERESOLVE and leave
//   Koa 3's types in place), its `src/app.ts` and EJS view, built with tsc and started with `node`.
// Each over real HTTP: a visitor nobody has logged in as gets the login prompt (200, not 500) and a
// 401 from the token route; after the login, the page's iframe carries a token for the right
// customer, with `Cache-Control: private, no-store`; without a key value, the page says why. In
// Chromium: the login form, then the script-tag build answering the dashboard's `customerJwtExpired`.
const KEY = { keyId: '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081', keyValue: 'templates-adoption-key-32-bytes!' };
const SESSION_SECRET = 'templates-adoption-session-secret-32-chars';
const DEMO_PASSWORD = 'correct horse battery staple';
const EXPRESS_SECTION = readReadme(ROOT, 'packages/express/README.md', /^Server templates$/);
const KOA_SECTION = readReadme(ROOT, 'packages/koa/README.md', /^Server templates$/);
const SETUP = recipeOf(readReadme(ROOT, 'README.md', /^Project setup$/));

/** What each app's page is, and how its login is posted. */
interface Subject {
  name: string;
  app: () => StartedApp;
  /** Starts the same app without a key value (the page then says why there is no token). */
  startWithoutKey: () => Promise<StartedApp>;
  login: RequestInit;
  /** The login through the page's own form, in Chromium. */
  fillLogin: boolean;
}

/**
 * Files a README shows in languages the recipe does not write (JavaScript and views): a block whose
 * first line is a comment naming the path, as its engine writes one (`// server.js`,
 * `<%# views/dashboard.ejs -%>`, `//- views/dashboard.pug`, `{{!-- views/dashboard.hbs --}}`).
 */
function namedFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  const heading = /^(?:\/\/-?|<%#|\{\{!--) ((?:[\w.@-]+\/)*[\w.@-]+\.(?:js|ejs|pug|hbs))(?: -?%>| --\}\})?$/;
  for (const language of ['js', 'ejs', 'pug', 'handlebars']) {
    for (const code of fencedBlocks(markdown, language)) {
      const path = heading.exec(code.split('\n', 1)[0] as string)?.[1];
      if (path) files.set(path, code);
    }
  }
  return files;
}

function writeFiles(dir: string, files: Map<string, string>): void {
  for (const [path, code] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), code);
  }
}

/** The section's install lines as one `npm install` (and one `npm install -D`): the same packages, one resolution each. */
function oneInstall(recipe: Recipe): Recipe {
  const install = recipe.commands.map(installArgs);
  const merged = (dev: boolean) => install.flatMap((args) => (args && args.dev === dev ? args.packages : []));
  const commands = [merged(false), merged(true)]
    .map((packages, dev) => (packages.length === 0 ? '' : `npm install ${dev ? '-D ' : ''}${packages.join(' ')}`))
    .filter(Boolean);
  return { ...recipe, commands };
}

const ENV = { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, SESSION_SECRET, DEMO_PASSWORD };
/** The key value not set where the app runs: not a crash, the page says why it has no token. */
const { EXPLO_KEY_VALUE: _unset, ...ENV_WITHOUT_KEY } = ENV;
const ENGINES = ['ejs', 'pug', 'hbs'] as const;

let work: string;
let expressDir: string;
let koaDir: string;
let browser: Browser;
const started: StartedApp[] = [];
const apps = new Map<string, StartedApp>();

async function start(dir: string, entry: string, env: NodeJS.ProcessEnv): Promise<StartedApp> {
  const app = await startApp(dir, [process.execPath, entry], env, await freePort());
  started.push(app);
  return app;
}

/** The Express app, made as the section says: `npm init -y`, its installs, its files, one server per engine. */
async function makeExpress(tarballs: Promise<Map<string, string>>): Promise<void> {
  mkdirSync(expressDir);
  await sh('npm', ['init', '-y'], expressDir);
  await applyRecipe(expressDir, oneInstall(recipeOf(EXPRESS_SECTION)), await tarballs);
  const files = namedFiles(EXPRESS_SECTION);
  writeFiles(expressDir, files);
  const server = files.get('server.js') ?? '';
  for (const engine of ['pug', 'hbs']) {
    const line = `app.set('view engine', '${engine}')`;
    // The change the section asks for, in its words; the server it changes must hold the line it replaces.
    const says = EXPRESS_SECTION.replace(/\s+/g, ' ').includes(`In \`server.js\`, \`${line}\``);
    if (!says || !server.includes("app.set('view engine', 'ejs')")) {
      throw new Error(`the Express section no longer says how to use ${engine}`);
    }
    writeFileSync(join(expressDir, `server-${engine}.js`), server.replace("app.set('view engine', 'ejs')", line));
  }
}

/** The Koa 3 app: the Node starter, the Project setup (ES modules), the section's installs as written, its files. */
async function makeKoa(tarballs: Promise<Map<string, string>>): Promise<void> {
  await createStarter('node', koaDir);
  await applyRecipe(koaDir, SETUP, new Map(), { tsconfig: (heading) => !heading.includes('CommonJS only') });
  // As written: an ERESOLVE fails npm, and so this step.
  await applyRecipe(koaDir, recipeOf(KOA_SECTION), await tarballs);
  writeFiles(koaDir, namedFiles(KOA_SECTION));
  await sh(join(koaDir, 'node_modules/.bin/tsc'), ['-p', '.'], koaDir);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-templates-'));
  expressDir = join(work, 'express-app');
  koaDir = join(work, 'koa-app');
  // The starters are made while the packages are packed; the installs wait for the tarballs.
  const tarballs = packAll(join(work, 'packs'));
  // Both finish before a failure is reported: nothing keeps writing into a folder afterAll removes.
  for (const made of await Promise.allSettled([makeExpress(tarballs), makeKoa(tarballs)])) {
    if (made.status === 'rejected') throw made.reason;
  }
  const [ejsApp, pugApp, hbsApp, koaApp, chromium] = await Promise.all([
    start(expressDir, 'server.js', ENV),
    start(expressDir, 'server-pug.js', ENV),
    start(expressDir, 'server-hbs.js', ENV),
    start(koaDir, 'dist/app.js', ENV),
    launchBrowser(),
  ]);
  apps.set('ejs', ejsApp).set('pug', pugApp).set('hbs', hbsApp).set('koa', koaApp);
  browser = chromium;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(started.map((app) => app.stop()));
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

const passportLogin: RequestInit = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ username: 'ada', password: DEMO_PASSWORD }).toString(),
  redirect: 'manual',
};

const SUBJECTS: Subject[] = [
  ...ENGINES.map(
    (engine): Subject => ({
      name: `Express 5 + passport + ${engine}, CommonJS JavaScript`,
      app: () => apps.get(engine) as StartedApp,
      startWithoutKey: () => start(expressDir, engine === 'ejs' ? 'server.js' : `server-${engine}.js`, ENV_WITHOUT_KEY),
      login: passportLogin,
      fillLogin: true,
    }),
  ),
  {
    name: 'Koa 3 + EJS rendered from ctx.state, TypeScript',
    app: () => apps.get('koa') as StartedApp,
    startWithoutKey: () => start(koaDir, 'dist/app.js', ENV_WITHOUT_KEY),
    login: { method: 'POST', redirect: 'manual' },
    fillLogin: false,
  },
];

const IFRAME = /<iframe id="dashboard" src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"\s+data-expires-in="(\d+)"/;

async function logIn(url: string, login: RequestInit): Promise<string> {
  const response = await fetch(`${url}/login`, login);
  expect([302, 303]).toContain(response.status);
  expect(response.headers.get('location')).toBe('/');
  return cookiesOf(response);
}

it('the Koa section installs as written, with no forced peers: Koa 3 with its own types, and EJS', () => {
  expect(recipeOf(KOA_SECTION).commands.join('\n')).not.toMatch(/--force|--legacy-peer-deps/);
  const version = (name: string) => JSON.parse(readFileSync(join(koaDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  expect(version('koa')).toMatch(/^3\./);
  expect(version('@types/koa')).toMatch(/^3\./);
  expect(JSON.parse(readFileSync(join(koaDir, 'package.json'), 'utf8')).dependencies).toHaveProperty('ejs');
});

describe.each(SUBJECTS.map((subject) => [subject.name, subject] as const))('%s', (_name, subject) => {
  it('a visitor nobody has logged in as gets the login prompt, and the token route answers 401', async () => {
    const { url } = subject.app();
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).not.toContain('<iframe');
    expect((await fetch(`${url}/explo/token`)).status).toBe(401);
  });

  it('after the login, the page carries the customer’s token, private and never stored', async () => {
    const { url } = subject.app();
    const cookie = await logIn(url, subject.login);
    const page = await fetch(`${url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const [, jwt, expiresIn] = IFRAME.exec(await page.text()) ?? [];
    expect(Number(expiresIn)).toBeGreaterThan(0);
    expect((await decryptExploJwt(jwt as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
    const route = await fetch(`${url}/explo/token`, { headers: { cookie } });
    expect(route.status).toBe(200);
    expect((await decryptExploJwt(((await route.json()) as { jwt: string }).jwt, KEY)).claims.cst).toBe('acme');
  });

  it('a logged-in customer without a token sees why, not a 500', async () => {
    const app = await subject.startWithoutKey();
    const cookie = await logIn(app.url, subject.login);
    const page = await fetch(`${app.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Analytics are unavailable right now \(ERR_EXPLO_SECRET_\w+\)\./);
  });

  it('in Chromium: the login prompt, then the script-tag build keeps the dashboard’s token fresh', async () => {
    const { url } = subject.app();
    const context = await browser.newContext();
    try {
      // Explo's iframe is a blank page on Explo's origin: the helper hears only that origin.
      await context.route('https://app.explo.co/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Explo</title>' }),
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${url}/`);
      if (subject.fillLogin) {
        await page.locator('input[name="username"]').fill('ada');
        await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
      }
      await page.getByRole('button', { name: 'Log in' }).click();
      const frame = await (await page.locator('iframe#dashboard').elementHandle())?.contentFrame();
      if (!frame) throw new Error('the page has no dashboard iframe after the login');
      await frame.waitForURL(/^https:\/\/app\.explo\.co\/iframe\/[^/]+\/production$/);
      // Explo's notice that the token is about to expire: the helper fetches a fresh one and hands it back.
      const fresh = await frame.evaluate(
        () =>
          new Promise<string>((resolve) => {
            addEventListener('message', (event) => {
              if (event.data?.event === 'updateCustomerJwt') resolve(event.data.detail.jwt);
            });
            parent.postMessage({ event: 'customerJwtExpired' }, '*');
          }),
      );
      expect((await decryptExploJwt(fresh as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
