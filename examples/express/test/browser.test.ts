import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmbedTarget, readConfig, startEmbedTarget } from 'example-support';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import {
  countTokenFetches,
  eventually,
  leading,
  pauseClock,
  tokenFetches,
} from '../../../packages/browser/test/support/page-probes.js';
import { launchBrowser } from '../../../test/support/browser.js';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { createApp } from '../src/app.js';

// Real headless Chromium against the Express demo embedding the Explo stand-in (another origin). The
// pages' clock stands still until a test moves it: a refresh or a retry happens when the test says.
const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));
const KEY_ENV = {
  EXPLO_KEY_ID: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  EXPLO_KEY_VALUE: 'browser-test-key-value-32-bytes!',
  EXPLO_DASHBOARDS: 'sales=emb-sales',
  EXPLO_STAND_IN: '1',
};

interface Demo {
  server: RunningServer;
  target: EmbedTarget;
}

async function startDemo(expiresIn: string): Promise<Demo> {
  const config = readConfig({ ...KEY_ENV, EXPLO_EXPIRES_IN: expiresIn });
  const target = await startEmbedTarget(config);
  const server = await listen(createServer(createApp(config, target)));
  return { server, target };
}

// Above Playwright's own 30 s waits and eventually()'s 15 s, so a wait that fails names itself.
const TEST_MS = 60_000;

let browser: Awaited<ReturnType<typeof launchBrowser>>;
// Each test gets its own context (cookies, session); all are closed after each test.
const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
let short: Demo;
let long: Demo;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, short, long] = await Promise.all([launchBrowser(), startDemo('12'), startDemo('300')]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const demo of [short, long]) {
    await demo?.server.close();
    await demo?.target.close();
  }
});

/** A logged-in page on the demo (its clock paused), counting its token requests, led by its helper. */
async function openDashboard(demo: Demo, mode: 'iframe' | 'web-component', customer: string) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  await pauseClock(context);
  await countTokenFetches(context);
  const page = await context.newPage();
  const tokenRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/explo/token')) tokenRequests.push(request.url());
  });
  await page.goto(`${demo.server.url}/`);
  await page.fill('input[name=customerId]', customer);
  // The login page is at `/` already: wait for the login's own answer (its session cookie), not the URL.
  const loggedIn = page.waitForResponse((response) => new URL(response.url()).pathname === '/login');
  await page.click('button[type=submit]');
  expect((await loggedIn).status()).toBe(303);
  await page.waitForLoadState();
  await page.goto(`${demo.server.url}/?mode=${mode}`);
  const servedAt = Date.now();
  // Until its helper holds the lock, an expiring embed asks a leader tab and waits a second for it.
  await leading(page);
  return { context, page, tokenRequests, servedAt };
}

function standInFrame(page: Page, demo: Demo): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${demo.target.appUrl}/iframe/`));
  if (!frame) throw new Error('no stand-in iframe on the page');
  return frame;
}

const field = (page: Page, mode: 'iframe' | 'web-component', name: string) =>
  (mode === 'iframe' ? page.frameLocator('iframe') : page.locator('explo-dashboard')).locator(`[data-explo-field="${name}"]`);

/** Makes the stand-in iframe announce expiry, as Explo does (from Explo's origin and window). */
const announceExpiry = (frame: Frame, times = 1) =>
  frame.evaluate((n) => {
    for (let i = 0; i < n; i++) window.parent.postMessage({ event: 'customerJwtExpired' }, '*');
  }, times);

/**
 * Counts the customerJwtExpired messages the page's window receives from now on, in a listener
 * added after the helper's: once it has counted a message, the helper has handled it.
 */
async function countExpiryMessages(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const seen = { count: 0 };
    Object.assign(window, { expirySeen: seen });
    addEventListener('message', (event) => {
      if ((event.data as { event?: unknown } | null)?.event === 'customerJwtExpired') seen.count++;
    });
  });
  return () => page.evaluate(() => (window as unknown as { expirySeen: { count: number } }).expirySeen.count);
}

/**
 * Waits until 2 s have passed on the server's clock since it served the page (and minted its
 * token). The demo's token route answers a fresh request within 2 s of a mint with that same token
 * (a burst of tabs mints once), and a token's exp is counted from the server's clock, to the second:
 * a refreshed token carries a later exp only once those 2 s are over. The example app takes no
 * clock to inject, so this is the one wait on real time in these tests: at most 2 s, less whatever
 * the test has spent since.
 */
async function pastFreshCoalescing(servedAt: number): Promise<void> {
  const wait = servedAt + 2_000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

const statusCode = (page: Page, code: string) =>
  page.waitForFunction((c) => document.querySelector('[data-testid="explo-status"]')?.getAttribute('data-code') === c, code);

describe.each(['iframe', 'web-component'] as const)('the demo in %s mode', (mode) => {
  it(
    'shows the logged-in customer, then a later exp once the token is refreshed before expiry',
    async () => {
      const { context, page, tokenRequests, servedAt } = await openDashboard(short, mode, `customer-${mode}`);
      try {
        await field(page, mode, 'status').filter({ hasText: 'valid' }).waitFor();
        expect(await field(page, mode, 'customer').textContent()).toBe(`customer-${mode}`);
        expect(await field(page, mode, 'dashboard').textContent()).toBe('emb-sales');
        const firstExp = Number(await field(page, mode, 'exp').textContent());
        await page.screenshot({ path: `${SCREENSHOTS}demo-${mode}-first-token.png`, fullPage: true });

        // The page was rendered with the seconds its token had left; the helper refreshes 5 s before
        // that (20% of 12 s is under the 5 s floor). Explo (the stand-in) also announces expiry 5 s
        // before, by its own count: whichever comes first, the token is refreshed before it expires.
        const status = await page.locator('[data-testid="explo-status"]').textContent();
        const expiresIn = Number(status?.match(/expires in (\d+) s/)?.[1]);
        expect(expiresIn).toBeGreaterThan(5);
        await pastFreshCoalescing(servedAt);
        await context.clock.runFor((expiresIn - 5) * 1_000);
        await page.waitForFunction(() => (document.querySelector('[data-testid="refresh-log"]')?.children.length ?? 0) >= 1);
        await eventually(async () => Number(await field(page, mode, 'updates').textContent()) >= 1, true);
        expect(Number(await field(page, mode, 'exp').textContent())).toBeGreaterThan(firstExp);
        expect(await field(page, mode, 'status').textContent()).toBe('valid');
        expect(await field(page, mode, 'customer').textContent()).toBe(`customer-${mode}`);
        expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
        expect(tokenRequests.every((url) => url.includes('fresh=1'))).toBe(true);
        await page.screenshot({ path: `${SCREENSHOTS}demo-${mode}-refreshed.png`, fullPage: true });
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );
});

describe('the browser helper against the stand-in iframe', () => {
  it(
    'ignores customerJwtExpired from another origin or another window, answers the real one',
    async () => {
      const { page, tokenRequests } = await openDashboard(long, 'iframe', 'origin-check');
      try {
        const frame = standInFrame(page, long);
        const seen = await countExpiryMessages(page);
        // Same origin as the page, not Explo's.
        await page.evaluate(() => window.postMessage({ event: 'customerJwtExpired' }, '*'));
        // A same-origin srcdoc iframe (its script carries the page's CSP nonce, or it would not run).
        await page.evaluate(() => {
          const f = document.createElement('iframe');
          const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;
          f.srcdoc = `<script nonce="${nonce}">parent.postMessage({ event: 'customerJwtExpired' }, '*')</script>`;
          document.body.appendChild(f);
        });
        // Another window from Explo's own origin (not the embedded dashboard's).
        const otherUrl = `${long.target.appUrl}/healthz`;
        const loaded = page.waitForEvent('framenavigated', { predicate: (f) => f.url() === otherUrl });
        await page.evaluate((url) => {
          const f = document.createElement('iframe');
          f.src = url;
          document.body.appendChild(f);
        }, otherUrl);
        await (await loaded).evaluate(() => window.parent.postMessage({ event: 'customerJwtExpired' }, '*'));
        // All three reached the helper, which fetched nothing (it would have, at once: it leads).
        await eventually(seen, 3);
        expect(await tokenFetches(page)).toBe(0);
        expect(tokenRequests).toEqual([]);

        await announceExpiry(frame);
        await frame.waitForFunction(() => document.querySelector('[data-explo-field="updates"]')?.textContent === '1');
        expect(await tokenFetches(page)).toBe(1);
        expect(tokenRequests).toHaveLength(1);
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );

  it(
    'many expiry events at once -> one token request',
    async () => {
      const { context, page, tokenRequests } = await openDashboard(long, 'iframe', 'burst');
      try {
        const frame = standInFrame(page, long);
        const seen = await countExpiryMessages(page);
        await announceExpiry(frame, 25);
        await eventually(seen, 25);
        expect(await tokenFetches(page)).toBe(1);
        await frame.waitForFunction(() => document.querySelector('[data-explo-field="updates"]')?.textContent === '1');
        // Ten seconds on (the longest a request may take), still one: none was queued behind it.
        await context.clock.runFor(10_000);
        expect(await tokenFetches(page)).toBe(1);
        expect(tokenRequests).toHaveLength(1);
        expect(await frame.locator('[data-explo-field="updates"]').textContent()).toBe('1');
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );

  it(
    'the token route failing twice (network, then 503 with Retry-After) then recovering: the embed recovers',
    async () => {
      const { context, page, tokenRequests, servedAt } = await openDashboard(long, 'iframe', 'flaky');
      try {
        let calls = 0;
        await page.route('**/explo/token?**', async (route) => {
          calls++;
          if (calls === 1) return route.abort('connectionreset');
          if (calls === 2) {
            return route.fulfill({
              status: 503,
              headers: { 'retry-after': '1', 'content-type': 'application/problem+json' },
              body: '{}',
            });
          }
          return route.continue();
        });
        const frame = standInFrame(page, long);
        const firstExp = Number(await frame.locator('[data-explo-field="exp"]').textContent());
        await pastFreshCoalescing(servedAt);
        await announceExpiry(frame);
        // The reset is retried after 1 to 1.5 s; the 503 after 2 to 3 s (its Retry-After: 1 is shorter).
        await statusCode(page, 'ERR_EXPLO_NETWORK');
        await context.clock.runFor(1_500);
        await statusCode(page, 'ERR_EXPLO_SERVER');
        await context.clock.runFor(3_000);
        await frame.waitForFunction(() => document.querySelector('[data-explo-field="updates"]')?.textContent === '1');
        expect(calls).toBe(3);
        expect(await tokenFetches(page)).toBe(3);
        expect(tokenRequests).toHaveLength(3);
        expect(Number(await frame.locator('[data-explo-field="exp"]').textContent())).toBeGreaterThan(firstExp);
        expect(await frame.locator('[data-explo-field="status"]').textContent()).toBe('valid');
        expect(await page.locator('[data-testid="explo-status"]').textContent()).toMatch(/refreshed 1 time/);
        await page.screenshot({ path: `${SCREENSHOTS}demo-recovered-after-failures.png`, fullPage: true });
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );

  it(
    'after logout, onError reports 401 and refreshing stops',
    async () => {
      const { context, page, tokenRequests } = await openDashboard(long, 'iframe', 'leaving');
      try {
        await page.evaluate(() => fetch('/logout', { method: 'POST' }));
        const frame = standInFrame(page, long);
        const seen = await countExpiryMessages(page);
        await announceExpiry(frame);
        await statusCode(page, 'ERR_EXPLO_UNAUTHENTICATED');
        expect(await page.locator('[data-testid="explo-status"]').textContent()).toMatch(/signed out/);
        expect(tokenRequests).toHaveLength(1);
        await announceExpiry(frame, 3);
        await eventually(seen, 4);
        // A minute on, past the longest backoff: nothing more, whether asked or not.
        await context.clock.runFor(60_000);
        expect(await tokenFetches(page)).toBe(1);
        expect(tokenRequests).toHaveLength(1);
        await page.screenshot({ path: `${SCREENSHOTS}demo-after-logout.png`, fullPage: true });
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );

  it(
    'stop() removes the listeners: later events fetch nothing',
    async () => {
      const { page, tokenRequests } = await openDashboard(long, 'iframe', 'stopper');
      try {
        await page.evaluate(() => (window as unknown as { exploStop: () => void }).exploStop());
        const seen = await countExpiryMessages(page);
        await announceExpiry(standInFrame(page, long), 2);
        await eventually(seen, 2);
        expect(await tokenFetches(page)).toBe(0);
        expect(tokenRequests).toEqual([]);
      } finally {
        await page.close();
      }
    },
    TEST_MS,
  );
});
