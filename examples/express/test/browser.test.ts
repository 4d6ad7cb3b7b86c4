import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmbedTarget, readConfig, startEmbedTarget } from 'example-support';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser } from '../../../test/support/browser.js';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { createApp } from '../src/app.js';

// Real headless Chromium against the Express demo embedding the Explo stand-in (another origin).
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

/** A logged-in page on the demo, counting its token requests. */
async function openDashboard(demo: Demo, mode: 'iframe' | 'web-component', customer: string) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const tokenRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/explo/token')) tokenRequests.push(request.url());
  });
  await page.goto(`${demo.server.url}/`);
  await page.fill('input[name=customerId]', customer);
  await Promise.all([page.waitForURL(`${demo.server.url}/`), page.click('button[type=submit]')]);
  await page.goto(`${demo.server.url}/?mode=${mode}`);
  return { page, tokenRequests };
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

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['iframe', 'web-component'] as const)('the demo in %s mode', (mode) => {
  it('shows the logged-in customer, then a later exp once the token is refreshed before expiry', async () => {
    const { page, tokenRequests } = await openDashboard(short, mode, `customer-${mode}`);
    try {
      await field(page, mode, 'status').filter({ hasText: 'valid' }).waitFor();
      expect(await field(page, mode, 'customer').textContent()).toBe(`customer-${mode}`);
      expect(await field(page, mode, 'dashboard').textContent()).toBe('emb-sales');
      const firstExp = Number(await field(page, mode, 'exp').textContent());
      await page.screenshot({ path: `${SCREENSHOTS}demo-${mode}-first-token.png`, fullPage: true });

      await page.waitForFunction(
        ({ m }) => {
          const root = m === 'iframe' ? null : document.querySelector('explo-dashboard');
          const log = document.querySelector('[data-testid="refresh-log"]');
          return (root !== null || m === 'iframe') && log !== null && log.children.length >= 1;
        },
        { m: mode },
        { timeout: 20_000 },
      );
      const deadline = Date.now() + 5_000;
      let laterExp = firstExp;
      while (laterExp <= firstExp && Date.now() < deadline) {
        laterExp = Number(await field(page, mode, 'exp').textContent());
        if (laterExp <= firstExp) await settle(100);
      }
      expect(laterExp).toBeGreaterThan(firstExp);
      expect(await field(page, mode, 'status').textContent()).toBe('valid');
      expect(await field(page, mode, 'customer').textContent()).toBe(`customer-${mode}`);
      expect(Number(await field(page, mode, 'updates').textContent())).toBeGreaterThanOrEqual(1);
      expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
      expect(tokenRequests.every((url) => url.includes('fresh=1'))).toBe(true);
      await page.screenshot({ path: `${SCREENSHOTS}demo-${mode}-refreshed.png`, fullPage: true });
    } finally {
      await page.close();
    }
  }, 45_000);
});

describe('the browser helper against the stand-in iframe', () => {
  it('ignores customerJwtExpired from another origin or another window, answers the real one', async () => {
    const { page, tokenRequests } = await openDashboard(long, 'iframe', 'origin-check');
    try {
      const frame = standInFrame(page, long);
      // Same origin as the page, not Explo's.
      await page.evaluate(() => window.postMessage({ event: 'customerJwtExpired' }, '*'));
      // A same-origin srcdoc iframe.
      await page.evaluate(() => {
        const f = document.createElement('iframe');
        f.srcdoc = "<script>parent.postMessage({ event: 'customerJwtExpired' }, '*')</script>";
        document.body.appendChild(f);
      });
      // Another window from Explo's own origin (not the embedded dashboard's).
      await page.evaluate((url) => {
        const f = document.createElement('iframe');
        f.src = url;
        f.id = 'other-explo-window';
        document.body.appendChild(f);
      }, `${long.target.appUrl}/healthz`);
      await page.waitForFunction(
        () => (document.getElementById('other-explo-window') as HTMLIFrameElement | null)?.contentWindow !== null,
      );
      await settle(300);
      const other = page.frames().find((f) => f.url() === `${long.target.appUrl}/healthz`);
      await other?.evaluate(() => window.parent.postMessage({ event: 'customerJwtExpired' }, '*'));
      await settle(1_000);
      expect(tokenRequests).toEqual([]);

      await announceExpiry(frame);
      await frame.waitForFunction(() => document.querySelector('[data-explo-field="updates"]')?.textContent === '1');
      expect(tokenRequests).toHaveLength(1);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('many expiry events at once -> one token request', async () => {
    const { page, tokenRequests } = await openDashboard(long, 'iframe', 'burst');
    try {
      const frame = standInFrame(page, long);
      await announceExpiry(frame, 25);
      await frame.waitForFunction(() => document.querySelector('[data-explo-field="updates"]')?.textContent === '1');
      await settle(1_000);
      expect(tokenRequests).toHaveLength(1);
      expect(await frame.locator('[data-explo-field="updates"]').textContent()).toBe('1');
    } finally {
      await page.close();
    }
  }, 30_000);

  it('the token route failing twice (network, then 503 with Retry-After) then recovering: the embed recovers', async () => {
    const { page, tokenRequests } = await openDashboard(long, 'iframe', 'flaky');
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
      await settle(1_100); // so the recovered token's exp is a later second
      await announceExpiry(frame);
      await frame.waitForFunction(() => document.querySelector('[data-explo-field="updates"]')?.textContent === '1', undefined, {
        timeout: 15_000,
      });
      expect(calls).toBe(3);
      expect(tokenRequests).toHaveLength(3);
      expect(Number(await frame.locator('[data-explo-field="exp"]').textContent())).toBeGreaterThan(firstExp);
      expect(await frame.locator('[data-explo-field="status"]').textContent()).toBe('valid');
      expect(await page.locator('[data-testid="explo-status"]').textContent()).toMatch(/refreshed 1 time/);
      await page.screenshot({ path: `${SCREENSHOTS}demo-recovered-after-failures.png`, fullPage: true });
    } finally {
      await page.close();
    }
  }, 30_000);

  it('after logout, onError reports 401 and refreshing stops', async () => {
    const { page, tokenRequests } = await openDashboard(long, 'iframe', 'leaving');
    try {
      await page.evaluate(() => fetch('/logout', { method: 'POST' }));
      const frame = standInFrame(page, long);
      await announceExpiry(frame);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="explo-status"]')?.getAttribute('data-code') === 'ERR_EXPLO_UNAUTHENTICATED',
      );
      expect(await page.locator('[data-testid="explo-status"]').textContent()).toMatch(/signed out/);
      expect(tokenRequests).toHaveLength(1);
      await announceExpiry(frame, 3);
      await settle(1_000);
      expect(tokenRequests).toHaveLength(1);
      await page.screenshot({ path: `${SCREENSHOTS}demo-after-logout.png`, fullPage: true });
    } finally {
      await page.close();
    }
  }, 30_000);

  it('stop() removes the listeners: later events fetch nothing', async () => {
    const { page, tokenRequests } = await openDashboard(long, 'iframe', 'stopper');
    try {
      await page.evaluate(() => (window as unknown as { exploStop: () => void }).exploStop());
      await announceExpiry(standInFrame(page, long), 2);
      await settle(800);
      expect(tokenRequests).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);
});
