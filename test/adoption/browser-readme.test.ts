import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exploEmbed } from '@explo-embed/express';
import { startExploStandIn } from '@explo-embed/testing';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import ejs from 'ejs';
import express from 'express';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { listen, type RunningServer } from '../support/http.js';
import { fencedBlocks } from './readme-recipe.js';

// The browser README's plain-HTML example, verbatim, in real Chromium: rendered by EJS as the README
// says, its script served as the README says, and app.explo.co answered by the Explo stand-in (the
// page and the helper see Explo's real origin, so the default exploOrigin is what is tested). And the
// same template for a visitor nobody has logged in as: the login prompt, not a 500.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = { keyId: '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d', keyValue: 'browser-readme-key-of-32-bytes!!' };
const [html] = fencedBlocks(readFileSync(join(ROOT, 'packages/browser/README.md'), 'utf8'), 'ejs');

let browser: Browser;
let app: RunningServer;
let standIn: Awaited<ReturnType<typeof startExploStandIn>>;

beforeAll(async () => {
  standIn = await startExploStandIn({ keys: KEY });
  const server = express();
  server.use('/assets', express.static(join(ROOT, 'packages/browser/dist')));
  server.use(
    exploEmbed({
      secret: KEY,
      dashboards: { sales: 'emb-sales' },
      expiresIn: 12,
      customer: (req) => (req.query.visitor === 'anonymous' ? undefined : 'readme-customer'),
    }),
  );
  server.get('/', (_req, res) => {
    res.type('html').send(ejs.render(`<!doctype html><html><body>${html}</body></html>`, res.locals));
  });
  [browser, app] = await Promise.all([launchBrowser(), listen(createServer(server))]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await standIn?.close();
});

it('the plain-HTML example shows a visitor nobody has logged in as the login prompt', async () => {
  const page = await fetch(`${app.url}/?visitor=anonymous`);
  expect(page.status).toBe(200);
  expect(page.headers.get('cache-control')).toBeNull();
  const body = await page.text();
  expect(body).toContain('<a href="/login">Log in</a>');
  expect(body).not.toMatch(/<iframe|<script/);
});

it('the plain-HTML example keeps the dashboard’s token fresh, as written', async () => {
  expect(html).toContain('<script src="/assets/explo-embed-browser.min.js"></script>');
  const context = await browser.newContext();
  try {
    await context.route('https://app.explo.co/**', async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const answer = await fetch(`${standIn.url}${url.pathname}${url.search}`, {
        method: request.method(),
        headers: { 'content-type': request.headers()['content-type'] ?? 'text/plain' },
        body: request.method() === 'POST' ? request.postData() : null,
      });
      await route.fulfill({
        status: answer.status,
        headers: Object.fromEntries(answer.headers),
        body: Buffer.from(await answer.arrayBuffer()),
      });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/explo/token')) tokenRequests.push(request.url());
    });
    await page.goto(`${app.url}/`);
    const frame = page.frameLocator('#dashboard');
    await frame.locator('[data-explo-field="status"]').filter({ hasText: 'valid' }).waitFor({ timeout: 15_000 });
    expect(await frame.locator('[data-explo-field="customer"]').textContent()).toBe('readme-customer');
    // 12 s tokens: the helper refreshes before expiry and hands the dashboard the new one.
    await frame
      .locator('[data-explo-field="updates"]')
      .filter({ hasText: /^[1-9]/ })
      .waitFor({ timeout: 20_000 });
    expect(await frame.locator('[data-explo-field="status"]').textContent()).toBe('valid');
    expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
    expect(tokenRequests.every((url) => url.includes('fresh=1'))).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);
