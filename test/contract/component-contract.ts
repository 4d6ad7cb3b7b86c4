import { createServer } from 'node:http';
import { createExploEmbed } from '@explo-embed/core';
import { type ExploStandIn, startExploStandIn } from '@explo-embed/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { eventually, watchEventStreams } from '../../packages/browser/test/support/page-probes.js';
import { launchBrowser } from '../support/browser.js';
import { answerToken, listen, type RunningServer } from '../support/http.js';

/**
 * What every framework's `<ExploDashboard>` does in real Chromium, against the Explo stand-in on
 * another origin and a token route on the page's own: the page has no token, so the component fetches
 * one, shows the stand-in's dashboard with it, and answers the stand-in's `customerJwtExpired` with a
 * fresh token, without reloading the iframe. A framework plugs in with a bundle of its page: it mounts
 * `<ExploDashboard dashboard="sales" appUrl={window.STAND_IN}>` (`mode={window.MODE}`,
 * `bundleUrl={window.BUNDLE_URL}`) into `#app`, and pushes every token's jwt onto `window.log`.
 */
export interface ComponentUnderTest {
  name: string;
  /** The page's script: one ES module, the framework included. */
  bundle(): Promise<string>;
}

const KEY = { keyId: '5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c', keyValue: 'component-contract-key-32-bytes!' };

export function componentContract({ name, bundle }: ComponentUnderTest): void {
  let standIn: ExploStandIn;
  let app: RunningServer;
  let browser: Browser;
  const tokenRequests: string[] = [];

  beforeAll(async () => {
    // Expiry is announced only when a test says so (expireNow()), never by the stand-in's own clock.
    standIn = await startExploStandIn({ keys: KEY, expiryWarning: 0 });
    // No reuse: each answer of the route is a new token (a refresh within 2 s would otherwise get the same one).
    const embed = createExploEmbed({ secret: KEY, dashboards: { sales: 'emb-sales' }, expiresIn: 300, reuse: false });
    const script = await bundle();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      if (url.pathname === '/') {
        const settings = { STAND_IN: standIn.url, BUNDLE_URL: standIn.bundleUrl, MODE: url.searchParams.get('mode') ?? 'iframe' };
        return void res.writeHead(200, { 'content-type': 'text/html' }).end(
          `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head><body><div id="app"></div>
<script>window.log = []; Object.assign(window, ${JSON.stringify(settings)});</script>
<script type="module" src="/app.js"></script></body></html>`,
        );
      }
      if (url.pathname !== '/explo/token') return void res.writeHead(404).end();
      const dashboard = url.searchParams.get('dashboard') ?? 'sales';
      tokenRequests.push(url.search);
      answerToken(res, embed, dashboard, url.searchParams.has('fresh'));
    });
    [app, browser] = await Promise.all([listen(server), launchBrowser()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await standIn?.close();
  });

  const jwtsOf = (page: Page) => page.evaluate(() => (window as unknown as { log: string[] }).log);

  describe(`${name} in Chromium, against the Explo stand-in`, () => {
    it.each(['iframe', 'web-component'])(
      '%s: fetches a token, shows the dashboard with it, and refreshes it when Explo says it expired',
      async (mode) => {
        tokenRequests.splice(0);
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          const streams = watchEventStreams(page);
          await page.goto(`${app.url}/?mode=${mode}`);
          const root = mode === 'iframe' ? page.frameLocator('iframe[title="Explo dashboard"]') : page.locator('explo-dashboard');
          const field = (name: string) => root.locator(`[data-explo-field="${name}"]`);
          await eventually(() => field('status').textContent(), 'valid');
          expect(await field('dashboard').textContent()).toBe('emb-sales');
          await eventually(() => streams(), 1); // it listens for expireNow()
          const [first] = await jwtsOf(page);
          expect(tokenRequests).toEqual(['?dashboard=sales']);
          standIn.expireNow();
          await eventually(() => field('updates').textContent(), '1');
          const jwts = await jwtsOf(page);
          expect(jwts).toHaveLength(2);
          expect(jwts[1]).not.toBe(first);
          expect(tokenRequests).toEqual(['?dashboard=sales', '?fresh=1&dashboard=sales']);
          expect((await standIn.verify(jwts[1] as string)).ok).toBe(true);
          expect(await field('status').textContent()).toBe('valid');
          if (mode === 'iframe') {
            // The fresh token reached the iframe by message: it was not reloaded.
            expect(await page.locator('iframe').getAttribute('src')).toBe(standIn.iframeUrl(first as string));
          }
        } finally {
          await context.close();
        }
      },
      30_000,
    );
  });
}
