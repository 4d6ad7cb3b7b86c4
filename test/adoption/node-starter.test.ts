import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Recipe, readReadme, recipeOf } from './readme-recipe.js';
import {
  applyRecipe,
  cookiesOf,
  copyStarter,
  createStarter,
  freePort,
  packAll,
  ROOT,
  setCompilerOptions,
  sh,
  startApp,
} from './starter-kit.js';

// A new user of a Node server, as they start today: `npm init -y`, `npm install -D typescript`
// (TypeScript 7), `npx tsc --init`; then the root README's Project setup, then one package README:
// its install lines, its files and snippets, verbatim, with @explo-embed/* from the packed tarballs.
// Each README twice: as ES modules (the setup's `npm pkg set type=module`), and as CommonJS (the app
// as `npm init` made it, with the setup's one CommonJS setting). Type-checked strict (tsc --init's
// own settings), built, and where the README shows a server, run and asked for a page with a token.
const KEY = { keyId: '4d5e6f70-8192-4a3b-8c4d-5e6f708192a3', keyValue: 'adoption-test-key-value-32bytes!' };
const SETUP = recipeOf(readReadme(ROOT, 'README.md', /^Project setup$/));

/** Each README a Node server's user follows, and the sections of it that are for a Node server. */
const READMES: { name: string; path: string; sections?: RegExp; csp?: boolean }[] = [
  { name: 'root', path: 'README.md', sections: /^Example \(Express\)$/ },
  // Its Server templates are plain JavaScript and views: templates-starter.test.ts follows them.
  { name: 'express', path: 'packages/express/README.md', sections: /^(?!Server templates$)/ },
  { name: 'koa', path: 'packages/koa/README.md' },
  { name: 'fastify', path: 'packages/fastify/README.md' },
  // The Node sections only: each framework's section has a starter of its own (next-, sveltekit-,
  // react-router-, astro-, nuxt- and workers-starter.test.ts follow them).
  {
    name: 'fetch (Hono, Bun)',
    path: 'packages/fetch/README.md',
    sections: /^(Install|Example: Hono|Bun, Deno and other runtimes)$/,
    csp: true,
  },
  { name: 'core', path: 'packages/core/README.md' },
  { name: 'testing', path: 'packages/testing/README.md' },
];

let work: string;
let tarballs: Map<string, string>;
let base: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-node-starter-'));
  base = join(work, 'starter');
  [tarballs] = await Promise.all([packAll(join(work, 'packs')), createStarter('node', base)]);
}, 300_000);

afterAll(() => {
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

/**
 * One README's app in one module format: made, set up, installed, written. Built once, on first use.
 * The CommonJS app is the ES-module one with the Project setup's two differences undone and done
 * (`"type": "commonjs"`, as `npm init -y` wrote it; the CommonJS-only tsconfig settings): the same packages, so it is copied
 * with its node_modules rather than installed again.
 */
const apps = new Map<string, Promise<string>>();
function app(readme: (typeof READMES)[number], format: 'esm' | 'cjs'): Promise<string> {
  const key = `${readme.name}:${format}`;
  let made = apps.get(key);
  if (made === undefined) {
    made = (async () => {
      const dir = join(work, `${readme.name.replace(/\W+/g, '-')}-${format}`);
      if (format === 'cjs') {
        copyStarter(await app(readme, 'esm'), dir);
        rmSync(join(dir, 'dist'), { recursive: true, force: true });
        await sh('npm', ['pkg', 'set', 'type=commonjs'], dir); // as npm init -y wrote it
        for (const { heading, compilerOptions } of SETUP.tsconfig) {
          if (heading.includes('CommonJS only')) setCompilerOptions(join(dir, 'tsconfig.json'), compilerOptions);
        }
        return dir;
      }
      copyStarter(base, dir);
      await applyRecipe(dir, SETUP, tarballs, { tsconfig: (heading) => !heading.includes('CommonJS only') });
      await applyRecipe(dir, recipeOf(readReadme(ROOT, readme.path, readme.sections)), tarballs);
      return dir;
    })();
    apps.set(key, made);
  }
  return made;
}

const recipeFor = (readme: (typeof READMES)[number]): Recipe => recipeOf(readReadme(ROOT, readme.path, readme.sections));

describe.each(READMES.map((readme) => [readme.name, readme] as const))(
  'README of %s, from npm init + tsc --init',
  (_name, readme) => {
    it.each([['esm'], ['cjs']] as const)(
      'as %s: installs, type-checks strict and builds with tsc, verbatim',
      async (format) => {
        const recipe = recipeFor(readme);
        expect(recipe.files.size + recipe.snippets.length).toBeGreaterThan(0);
        const dir = await app(readme, format);
        await sh(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], dir);
      },
      300_000,
    );

    if (recipeFor(readme).files.has('src/server.ts')) {
      it.each([['esm'], ['cjs']] as const)(
        'as %s: runs as written; a logged-in customer gets a page with their token',
        async (format) => {
          const dir = await app(readme, format);
          await sh(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], dir);
          const server = await startApp(
            dir,
            [process.execPath, 'dist/server.js'],
            {
              SESSION_SECRET: 'adoption-session-secret-at-least-32-characters',
              EXPLO_KEY_ID: KEY.keyId,
              EXPLO_KEY_VALUE: KEY.keyValue,
            },
            await freePort(),
          );
          try {
            expect(await (await fetch(`${server.url}/`)).text()).toBe('Please log in.');
            const login = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual' });
            expect(login.status).toBe(303);
            const cookie = cookiesOf(login);
            const page = await (await fetch(`${server.url}/`, { headers: { cookie } })).text();
            const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(page)?.[1];
            expect(jwt).toBeDefined();
            const { claims } = await decryptExploJwt(jwt as string, KEY);
            expect(claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
            expect((await fetch(`${server.url}/explo/token`, { headers: { cookie } })).status).toBe(200);
            expect((await fetch(`${server.url}/explo/token`)).status).toBe(401);
            const post = await fetch(`${server.url}/explo/token`, { method: 'POST', headers: { cookie } });
            expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
            if (readme.csp) {
              const policy = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
              expect(policy).toMatch(/frame-src https:\/\/app\.explo\.co(;|$)/);
            }
          } finally {
            await server.stop();
          }
        },
        300_000,
      );
    }
  },
);
