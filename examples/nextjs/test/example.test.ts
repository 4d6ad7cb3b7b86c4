import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXAMPLE_ENV, runExampleContract } from '../../../test/contract/example-contract.js';
import { launchBrowser } from '../../../test/support/browser.js';
import { type ExampleProcess, startServerProcess } from '../../../test/support/example-process.js';

const dir = fileURLToPath(new URL('..', import.meta.url));

// `pnpm start` builds, then serves: the contract needs the build first (about 10 s on two cores).
beforeAll(async () => {
  await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.resolve('next/dist/bin/next')), 'build'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '', NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 16 * 2 ** 20,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`next build failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
}, 240_000);

// In its own process, as Next.js runs: the custom server (src/server.ts) around the build.
runExampleContract({
  name: 'nextjs',
  dir,
  start: (env) => startServerProcess('example-nextjs', dir, ['--import', 'tsx', 'src/server.ts'], env),
});

describe('example nextjs: a server component', () => {
  let app: ExampleProcess;
  beforeAll(async () => {
    app = await startServerProcess('example-nextjs', dir, ['--import', 'tsx', 'src/server.ts'], EXAMPLE_ENV);
  });
  afterAll(() => app.close());

  it('gets the token through explo.page(await headers()): the signed-in customer’s, none when logged out', async () => {
    const loggedOut = await (await fetch(`${app.url}/server-rendered`)).text();
    expect(loggedOut).toContain('Please log in.');
    const cookie = await app.login('customer_rsc');
    const page = await (await fetch(`${app.url}/server-rendered`, { headers: { cookie } })).text();
    const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(page)?.[1];
    expect(jwt).toBeDefined();
    const { keyId, keyValue } = { keyId: EXAMPLE_ENV.EXPLO_KEY_ID, keyValue: EXAMPLE_ENV.EXPLO_KEY_VALUE };
    expect((await decryptExploJwt(jwt as string, { keyId, keyValue })).claims).toMatchObject({
      cst: 'customer_rsc',
      dsh: 'emb-sales',
    });
  });
});

describe('example nextjs: <ExploDashboard> in real Chromium', () => {
  let app: ExampleProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    // The stand-in in place of Explo, with 12 s tokens: refreshed about 7 s after the page loads.
    [app, browser] = await Promise.all([
      startServerProcess('example-nextjs', dir, ['--import', 'tsx', 'src/server.ts'], {
        ...EXAMPLE_ENV,
        EXPLO_STAND_IN: '1',
        EXPLO_EXPIRES_IN: '12',
      }),
      launchBrowser(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['iframe', (page: import('playwright-core').Page) => page.frameLocator('iframe')],
    ['web-component', (page: import('playwright-core').Page) => page.locator('explo-dashboard')],
  ])(
    '%s: hydrates without an error, and the token refreshes',
    async (mode, embed) => {
      const context = await browser.newContext();
      try {
        await context.addCookies([
          { name: 'session', value: (await app.login(`react-${mode}`)).split('=')[1] as string, url: app.url },
        ]);
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (message) => {
          // A browser asks every origin for /favicon.ico; neither the app nor the stand-in has one.
          if (message.location().url.endsWith('/favicon.ico')) return;
          if (message.type() === 'error' || message.type() === 'warning')
            problems.push(`${message.text()} ${message.location().url}`);
        });
        page.on('pageerror', (error) => problems.push(error.message));
        await page.goto(`${app.url}/server-rendered?mode=${mode}`);
        const field = (name: string) => embed(page).locator(`[data-explo-field="${name}"]`);
        await field('status').filter({ hasText: 'valid' }).waitFor({ timeout: 10_000 });
        expect(await field('customer').textContent()).toBe(`react-${mode}`);
        await field('updates').filter({ hasText: '1' }).waitFor({ timeout: 15_000 });
        expect(await field('status').textContent()).toBe('valid');
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    40_000,
  );
});
