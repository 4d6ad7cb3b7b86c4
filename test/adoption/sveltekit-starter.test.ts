import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { starterAppContract } from './app-contract.js';
import { fencedBlocks, type Recipe, readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, freePort, packAll, QUIET_ENV, ROOT, STARTERS, type StartedApp, sh, startApp } from './starter-kit.js';

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
    // ORIGIN, as the README says: SvelteKit refuses the login form's POST from an origin it does not know.
    { HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}`, EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue },
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

describe('sv create with the fetch README’s SvelteKit section', () => {
  it('has adapter-node from `sv add`, type-checks with the starter’s svelte-check, and builds without any EXPLO_* variable', async () => {
    expect(readFileSync(join(dir, 'vite.config.ts'), 'utf8')).toContain("from '@sveltejs/adapter-node'");
    const check = await sh('npm', ['run', 'check'], dir);
    expect(check).toContain('svelte-check found 0 errors and 0 warnings');
    expect(buildOutput).toMatch(/Using @sveltejs\/adapter-node/);
    expect(buildOutput).not.toMatch(/ERR_EXPLO/);
  }, 180_000);

  starterAppContract({
    app: () => app,
    browser: () => browser,
    key: KEY,
    refresher: '<ExploDashboard>',
  });

  it('answers other methods on the token route with its own 405 (the README’s fallback export)', async () => {
    const post = await fetch(`${app.url}/explo/token`, { method: 'POST', headers: { origin: app.url } });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
    expect(((await post.json()) as { code: string }).code).toBe('ERR_EXPLO_METHOD_NOT_ALLOWED');
  });
});
