import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { starterAppContract } from './app-contract.js';
import { node24Env } from './node24.js';
import { readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, freePort, packAll, ROOT, STARTERS, type StartedApp, sh, startApp } from './starter-kit.js';

// A new user of Nuxt 4, as they start today: `npm create nuxt@latest` (its minimal template), then
// @explo-embed/fetch's Nuxt section, verbatim. Type-checked by `nuxt typecheck` (with vue-tsc and
// typescript installed as Nuxt's TypeScript guide says), built by `nuxt build` with no NUXT_* secret
// set (as in CI), started with them, logged in, and read over HTTP and in Chromium. Nuxt 4.6 needs
// Node 22 or later: every Nuxt step runs on Node 24 (but the README's `npm install`, which applyRecipe
// runs on the machine's Node; the postinstall `nuxt prepare` only warns there).
//
// create-nuxt downloads its template from GitHub, which this machine cannot reach: the test writes
// the files the minimal template makes (nuxt/starter, branch v4), at the pinned Nuxt, without its
// favicon. One change: `overrides` holds Vite at 8.3, because a fresh install gets Vite 8.4, whose
// build of any Nuxt 4.6.4 app with pages fails, this README's or not (see STARTERS.nuxtVite).
const KEY = { keyId: '6f708192-a3b4-4c5d-8e6f-708192a3b4c5', keyValue: 'nuxt-starter-test-key-32-bytes!!' };
const SESSION_PASSWORD = 'nuxt-starter-session-password-of-32-chars-or-more';

const MINIMAL_TEMPLATE: Record<string, string> = {
  'package.json': `${JSON.stringify(
    {
      name: 'nuxt-app',
      type: 'module',
      private: true,
      scripts: {
        build: 'nuxt build',
        dev: 'nuxt dev',
        generate: 'nuxt generate',
        preview: 'nuxt preview',
        postinstall: 'nuxt prepare',
      },
      dependencies: { nuxt: STARTERS.nuxt, vue: '^3.5.44', 'vue-router': '^5.4.0' },
      overrides: { vite: STARTERS.nuxtVite },
    },
    null,
    2,
  )}\n`,
  'nuxt.config.ts': `// https://nuxt.com/docs/api/configuration/nuxt-config
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: true }
})
`,
  'tsconfig.json': `{
  // https://nuxt.com/docs/guide/concepts/typescript
  "files": [],
  "references": [
    { "path": "./.nuxt/tsconfig.app.json" },
    { "path": "./.nuxt/tsconfig.server.json" },
    { "path": "./.nuxt/tsconfig.shared.json" },
    { "path": "./.nuxt/tsconfig.node.json" }
  ]
}
`,
  'app/app.vue': `<template>
  <div>
    <NuxtRouteAnnouncer />
    <NuxtWelcome />
  </div>
</template>
`,
  'public/robots.txt': 'User-Agent: *\nDisallow:\n',
  '.gitignore': '.output\n.data\n.nuxt\n.nitro\n.cache\ndist\nnode_modules\nlogs\n*.log\n.env\n.env.*\n!.env.example\n',
};

let work: string;
let dir: string;
let node24: NodeJS.ProcessEnv;
let app: StartedApp;
let browser: Browser;
let buildOutput: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-nuxt-starter-'));
  dir = join(work, 'nuxt-app');
  for (const [path, text] of Object.entries(MINIMAL_TEMPLATE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  node24 = await node24Env();
  // The starter's install, with what Nuxt's TypeScript guide adds for `nuxt typecheck` (one npm
  // install where create-nuxt and the guide make two), while the packages are packed.
  const [tarballs] = await Promise.all([
    packAll(join(work, 'packs')),
    sh('npm', ['install', '--save-dev', 'vue-tsc', 'typescript'], dir, node24),
  ]);
  await applyRecipe(dir, recipeOf(readReadme(ROOT, 'packages/fetch/README.md', /^Nuxt$/)), tarballs, {
    snippetDir: 'server/readme-snippets',
  });
  // The build, as CI runs it: none of the app's secrets in its environment.
  const buildEnv = { ...node24 };
  for (const name of Object.keys(buildEnv)) if (name.startsWith('NUXT_')) delete buildEnv[name];
  buildOutput = await sh('npx', ['nuxt', 'build'], dir, buildEnv);
  const port = await freePort();
  app = await startApp(
    dir,
    ['node', '.output/server/index.mjs'],
    {
      ...node24,
      HOST: '127.0.0.1',
      NUXT_EXPLO_KEY_ID: KEY.keyId,
      NUXT_EXPLO_KEY_VALUE: KEY.keyValue,
      NUXT_SESSION_PASSWORD: SESSION_PASSWORD,
    },
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

describe('the Nuxt 4 minimal starter with the fetch README’s Nuxt section', () => {
  it('type-checks with `nuxt typecheck` and builds without any NUXT_* variable', async () => {
    await sh('npx', ['nuxt', 'typecheck'], dir, node24);
    expect(buildOutput).toMatch(/Build complete/);
    expect(buildOutput).not.toMatch(/ERR_EXPLO/);
  }, 180_000);

  starterAppContract({
    app: () => app,
    browser: () => browser,
    key: KEY,
    refresher: '<ExploDashboard>',
  });

  it('answers POST on the token route with 405', async () => {
    expect((await fetch(`${app.url}/explo/token`, { method: 'POST' })).status).toBe(405);
  });
});
