import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, cookiesOf, copyStarter, createStarter, freePort, packAll, ROOT, sh, startApp } from './starter-kit.js';

// A new NestJS user, as they start today: `npx @nestjs/cli new` (Nest 12, ES modules, Express), then
// @explo-embed/nestjs's README for their platform, verbatim: Express (the default), or Fastify
// (@nestjs/platform-fastify with @fastify/secure-session). Type-checked with the starter's strict
// tsconfig, built with its `npm run build`, run, logged in, and asked for the page and the token.
const KEY = { keyId: '708192a3-b4c5-4d6e-8f70-8192a3b4c5d6', keyValue: 'nest-starter-test-key-32-bytes!!' };
const PLATFORMS = [
  ['Express', /^(Install|Quick start|On Express|Configuration from ConfigService)$/],
  ['Fastify', /^(Quick start|On Fastify)$/],
] as const;

let work: string;
const apps = new Map<string, Promise<string>>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-nest-starter-'));
  const base = join(work, 'starter');
  const [tarballs] = await Promise.all([packAll(join(work, 'packs')), createStarter('nest', base)]);
  for (const [platform, sections] of PLATFORMS) {
    const dir = join(work, platform.toLowerCase());
    copyStarter(base, dir);
    apps.set(
      platform,
      applyRecipe(dir, recipeOf(readReadme(ROOT, 'packages/nestjs/README.md', sections)), tarballs, {
        snippetDir: 'src/readme-snippets',
      }).then(() => dir),
    );
  }
  await Promise.all(apps.values());
}, 900_000);

afterAll(() => {
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

describe.each(PLATFORMS.map(([platform]) => [platform]))('nest new, on %s, with the nestjs README', (platform) => {
  it('type-checks strict, builds with `npm run build`, runs: login, an HTML page with the token, the token route', async () => {
    const dir = (await apps.get(platform)) as string;
    await sh('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], dir);
    await sh('npm', ['run', 'build'], dir);
    const server = await startApp(
      dir,
      [process.execPath, 'dist/main.js'],
      {
        EXPLO_KEY_ID: KEY.keyId,
        EXPLO_KEY_VALUE: KEY.keyValue,
        SESSION_SECRET: 'nest-starter-session-secret-of-at-least-32-chars',
      },
      await freePort(),
    );
    try {
      const loggedOut = await fetch(`${server.url}/dashboard`);
      expect(await loggedOut.text()).toBe('Please log in.');
      const login = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/dashboard');
      const cookie = cookiesOf(login);
      const page = await fetch(`${server.url}/dashboard`, { headers: { cookie } });
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('private, no-store');
      const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(await page.text())?.[1];
      expect(jwt).toBeDefined();
      expect((await decryptExploJwt(jwt as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
      expect((await fetch(`${server.url}/explo/token`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${server.url}/explo/token`)).status).toBe(401);
      // The starter's own route is untouched.
      expect(await (await fetch(`${server.url}/`)).text()).toBe('Hello World!');
    } finally {
      await server.stop();
    }
  }, 300_000);
});
