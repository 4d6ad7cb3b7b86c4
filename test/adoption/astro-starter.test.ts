import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { starterAppContract } from './app-contract.js';
import { node24Env } from './node24.js';
import { fencedBlocks, readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, freePort, packAll, ROOT, STARTERS, type StartedApp, sh, startApp } from './starter-kit.js';

// A new user of Astro, as they start today: `npm create astro@latest -- --template minimal`, then
// @explo-embed/fetch's Astro section, verbatim (its `astro.config.mjs` and `.astro` page too, which
// readme-recipe does not read: this test writes them where their first comment says). Type-checked
// by `astro check` (with @astrojs/check and typescript, as `astro check` asks on first use), built
// by `astro build` with no EXPLO_* variable set (as in CI), served by the Node adapter's standalone
// server with them, logged in, and read over HTTP and in Chromium. Astro 7 needs Node 22 or later:
// every step after the install runs on Node 24 (the README's `npm install` runs on the machine's
// Node through applyRecipe).
//
// create-astro downloads its templates from GitHub, which this machine cannot reach: the test writes
// the files of the minimal template (withastro/astro, examples/minimal) at the pinned Astro, without
// its favicons and editor settings. `@astrojs/check` and `typescript` go in its devDependencies, so
// that one install brings everything.
const KEY = { keyId: '92a3b4c5-d6e7-4f80-9a1b-2c3d4e5f6a7b', keyValue: 'astro-starter-test-key-32-bytes!' };
const SECTION = /^Astro$/;

const MINIMAL_TEMPLATE: Record<string, string> = {
  'package.json': `${JSON.stringify(
    {
      name: 'astro-app',
      type: 'module',
      version: '0.0.1',
      private: true,
      engines: { node: '>=22.12.0' },
      scripts: { dev: 'astro dev', build: 'astro build', preview: 'astro preview', astro: 'astro' },
      dependencies: { astro: `^${STARTERS.astro}` },
      devDependencies: { '@astrojs/check': '^0.9.12', typescript: '^6.0.3' },
      allowScripts: { esbuild: true },
    },
    null,
    2,
  )}\n`,
  'astro.config.mjs': `// @ts-check
import { defineConfig } from 'astro/config';

// https://astro.build/config
export default defineConfig({});
`,
  'tsconfig.json': `{
  "extends": "astro/tsconfigs/strict",
  "include": [".astro/types.d.ts", "**/*"],
  "exclude": ["dist"]
}
`,
  'src/pages/index.astro': `---

---

<html lang="en">
	<head>
		<meta charset="utf-8" />
		<link rel="icon" type="image/svg+xml" href="/favicon.svg" />
		<link rel="icon" href="/favicon.ico" />
		<meta name="viewport" content="width=device-width" />
		<meta name="generator" content={Astro.generator} />
		<title>Astro</title>
	</head>
	<body>
		<h1>Astro</h1>
	</body>
</html>
`,
  '.gitignore': '# build output\ndist/\n# generated types\n.astro/\n\n# dependencies\nnode_modules/\n',
};

/** The section's JavaScript and Astro files, by the path their first comment names (`// astro.config.mjs`; `---` then `// src/pages/x.astro`). */
function astroFiles(section: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const code of fencedBlocks(section, 'js')) {
    const path = /^\/\/ ([\w./-]+\.m?js)\n/.exec(code)?.[1];
    if (path) files.set(path, code);
  }
  for (const code of fencedBlocks(section, 'astro')) {
    const path = /^---\n\/\/ ([\w./-]+\.astro)\n/.exec(code)?.[1];
    if (path) files.set(path, code);
  }
  return files;
}

let work: string;
let dir: string;
let node24: NodeJS.ProcessEnv;
let app: StartedApp;
let browser: Browser;
let buildOutput: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-astro-starter-'));
  dir = join(work, 'astro-app');
  const section = readReadme(ROOT, 'packages/fetch/README.md', SECTION);
  const recipe = recipeOf(section);
  for (const [path, code] of astroFiles(section)) recipe.files.set(path, code);
  for (const [path, text] of Object.entries(MINIMAL_TEMPLATE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const [tarballs, env] = await Promise.all([packAll(join(work, 'packs')), node24Env()]);
  node24 = env;
  await applyRecipe(dir, recipe, tarballs, { snippetDir: 'src/readme-snippets' });
  // The build, as CI runs it: none of the app's secrets in its environment.
  const buildEnv: NodeJS.ProcessEnv = { ...node24, NO_COLOR: '1' };
  for (const name of ['EXPLO_KEY_ID', 'EXPLO_KEY_VALUE']) delete buildEnv[name];
  buildOutput = await sh('npx', ['astro', 'build'], dir, buildEnv);
  const port = await freePort();
  app = await startApp(
    dir,
    ['node', 'dist/server/entry.mjs'],
    { ...node24, HOST: '127.0.0.1', EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue },
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

describe('the Astro minimal template with the fetch README’s Astro section', () => {
  it('type-checks with `astro check` and builds a Node server without any EXPLO_* variable', async () => {
    const check = await sh('npx', ['astro', 'check'], dir, node24);
    expect(check).toMatch(/- 0 errors\n- 0 warnings/);
    expect(buildOutput).toMatch(/adapter: @astrojs\/node/);
    expect(buildOutput).not.toMatch(/ERR_EXPLO/);
  }, 180_000);

  starterAppContract({
    app: () => app,
    browser: () => browser,
    key: KEY,
    refresher: 'the page’s script',
    // Astro trusts a request's Host only from security.allowedDomains; without it, a request's own
    // origin is localhost on its port, and a form POST must come from there (as from a browser at
    // http://localhost:<port>).
    origin: () => `http://localhost:${new URL(app.url).port}`,
  });

  it('gives a visitor who did not log in no session', async () => {
    expect((await fetch(`${app.url}/dashboard`)).headers.getSetCookie()).toEqual([]);
  });
});
