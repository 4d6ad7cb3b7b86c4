import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createExploEmbed, type ExploEmbed } from '@explo-embed/core';
import { type ExploStandIn, startExploStandIn } from '@explo-embed/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../../../test/support/browser.js';
import { listen, type RunningServer } from '../../../test/support/http.js';

// The browser helper in real Chromium, as shipped (the script-tag build), against the Explo stand-in
// on another origin, with a token route whose answers each test chooses and counts.
const KEY = { keyId: '6a5b4c3d-2e1f-4a9b-8c7d-6e5f4a3b2c1d', keyValue: 'browser-helper-v2-test-key-32by!' };
const DASHBOARDS = { sales: 'emb-sales', ops: 'emb-ops' };
const SCRIPT = readFileSync(fileURLToPath(new URL('../dist/explo-embed-browser.min.js', import.meta.url)), 'utf8');

type RouteMode = 'ok' | '503' | 'html' | 'redirect';
let routeMode: RouteMode = 'ok';
let lifetime = 300;
const tokenRequests: string[] = [];
const embeds = new Map<number, ExploEmbed>();
/** The minter for the current token lifetime (a test may shorten it). */
const embed = {
  mint: (request: Parameters<ExploEmbed['mint']>[0]) => {
    const existing = embeds.get(lifetime) ?? createExploEmbed({ secret: KEY, dashboards: DASHBOARDS, expiresIn: lifetime });
    embeds.set(lifetime, existing);
    return existing.mint(request);
  },
};
let standIn: ExploStandIn;
let app: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A page with `count` embeds of `dashboards` (iframes, or `<explo-dashboard>` elements), each kept fresh by the helper. */
async function pageHtml(url: URL): Promise<string> {
  const mode = url.searchParams.get('mode') ?? 'iframe';
  const dashboards = (url.searchParams.get('dashboards') ?? 'sales').split(',');
  const embeds = await Promise.all(
    dashboards.map(async (dashboard, i) => {
      const token = await embed.mint({ customerId: 'acme', dashboard });
      const html =
        mode === 'iframe'
          ? `<iframe id="e${i}" src="${standIn.iframeUrl(token.jwt)}"></iframe>`
          : `<explo-dashboard id="e${i}" dash-jwt="${token.jwt}" environment="production"></explo-dashboard>`;
      return { html, dashboard, expiresIn: token.expiresIn, id: `e${i}` };
    }),
  );
  const setup = embeds
    .map(
      ({ dashboard, expiresIn, id }) => `
    (function () {
      var el = document.getElementById('${id}');
      var handle = ExploEmbed.keepExploJwtFresh({
        tokenUrl: '/explo/token', dashboard: '${dashboard}', expiresIn: ${expiresIn},
        ${mode === 'iframe' ? `iframe: el, exploOrigin: '${standIn.origin}'` : 'webComponent: el'},
        onToken: function (t) { log.push({ embed: '${id}', kind: 'token', jwt: t.jwt }); },
        onError: function (e) { log.push({ embed: '${id}', kind: 'error', code: e.code, willRetry: e.willRetry }); }
      });
      ['dashboardLoaded', 'dashboardUpdated'].forEach(function (name) {
        handle.on(name, function (detail) { log.push({ embed: '${id}', kind: name, detail: detail }); });
      });
      handles['${id}'] = handle;
    })();`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>helper</title></head><body>
${embeds.map((e) => e.html).join('\n')}
${mode === 'iframe' ? '' : `<script src="${standIn.bundleUrl}"></script>`}
<script>${SCRIPT}</script>
<script>var log = []; var handles = {}; window.log = log; window.handles = handles;${setup}</script>
</body></html>`;
}

beforeAll(async () => {
  standIn = await startExploStandIn({ keys: KEY });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/page') {
      void pageHtml(url).then((html) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
      return;
    }
    if (url.pathname === '/login') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<form>Log in</form>');
    if (url.pathname !== '/explo/token') return void res.writeHead(404).end();
    const dashboard = url.searchParams.get('dashboard') ?? 'sales';
    tokenRequests.push(dashboard);
    if (routeMode === '503') return void res.writeHead(503, { 'retry-after': '0', 'content-type': 'text/plain' }).end('busy');
    if (routeMode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<form>Log in</form>');
    if (routeMode === 'redirect') return void res.writeHead(302, { location: '/login' }).end();
    void embed.mint({ customerId: 'acme', dashboard, fresh: true }).then((token) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ jwt: token.jwt, expiresIn: token.expiresIn, expiresAt: token.expiresAt, dashboard }));
    });
  });
  [app, browser] = await Promise.all([listen(server), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await standIn?.close();
});

beforeEach(() => {
  routeMode = 'ok';
  lifetime = 300;
  tokenRequests.splice(0);
  standIn.setFaults();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A fresh browser context (its own profile, cookies, BroadcastChannel and locks), with a clock `offset` ms ahead. */
async function newContext(offset = 0): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  // The page's Date runs `offset` ms off, and a test can move it (a laptop that slept).
  await context.addInitScript(`(() => {
    const RealDate = Date; let offset = ${offset};
    window.__moveClock = (ms) => { offset += ms; };
    class SkewedDate extends RealDate {
      constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
      static now() { return RealDate.now() + offset; }
    }
    window.Date = SkewedDate;
  })();`);
  return context;
}

async function open(context: BrowserContext, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.url}/page?${query}`);
  return page;
}

type LogEntry = {
  embed: string;
  kind: string;
  jwt?: string;
  code?: string;
  willRetry?: boolean;
  detail?: Record<string, unknown>;
};
const logOf = (page: Page) => page.evaluate(() => (window as unknown as { log: LogEntry[] }).log);
const tokensOf = async (page: Page) => (await logOf(page)).filter((e) => e.kind === 'token');
const field = (page: Page, embedId: string, name: string, mode: 'iframe' | 'wc' = 'iframe') =>
  (mode === 'iframe' ? page.frameLocator(`#${embedId}`) : page.locator(`#${embedId}`)).locator(`[data-explo-field="${name}"]`);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads until the value equals `expected` (or `timeout` ms pass), then asserts it. */
async function eventually<T>(read: () => Promise<T> | T, expected: T, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  let value = await read();
  while (!Object.is(value, expected) && JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < until) {
    await settle(100);
    value = await read();
  }
  expect(value).toEqual(expected);
}

describe('@explo-embed/browser in Chromium', () => {
  it('two tabs and two embeds of one dashboard share one refresh; every embed gets the token', async () => {
    const context = await newContext();
    const first = await open(context, 'dashboards=sales,sales');
    const second = await open(context, 'dashboards=sales');
    await eventually(() => field(second, 'e0', 'status').textContent(), 'valid');
    await settle(300); // the tabs have found their leader
    standIn.expireNow(); // all three embeds announce customerJwtExpired at once
    for (const [page, id] of [
      [first, 'e0'],
      [first, 'e1'],
      [second, 'e0'],
    ] as const) {
      await eventually(() => field(page, id, 'updates').textContent(), '1', 10_000);
    }
    await settle(1_500);
    expect(tokenRequests).toEqual(['sales']);
    const delivered = [...(await tokensOf(first)), ...(await tokensOf(second))];
    expect(delivered.map((t) => t.embed).sort()).toEqual(['e0', 'e0', 'e1']);
    expect(new Set(delivered.map((t) => t.jwt)).size).toBe(1);
  }, 30_000);

  it('each <explo-dashboard> gets its own token, and hears only its own events', async () => {
    const context = await newContext();
    const page = await open(context, 'mode=wc&dashboards=sales,ops');
    await eventually(() => field(page, 'e1', 'status', 'wc').textContent(), 'valid');
    standIn.expireNow();
    await eventually(() => field(page, 'e0', 'updates', 'wc').textContent(), '1', 10_000);
    await eventually(() => field(page, 'e1', 'updates', 'wc').textContent(), '1', 10_000);
    expect(await field(page, 'e0', 'dashboard', 'wc').textContent()).toBe('emb-sales');
    expect(await field(page, 'e1', 'dashboard', 'wc').textContent()).toBe('emb-ops');
    expect([...tokenRequests].sort()).toEqual(['ops', 'sales']);
    const loaded = (await logOf(page)).filter((e) => e.kind === 'dashboardLoaded');
    expect(loaded.map((e) => [e.embed, e.detail?.dashboardId])).toEqual(
      expect.arrayContaining([
        ['e0', 'emb-sales'],
        ['e1', 'emb-ops'],
      ]),
    );
    expect(loaded).toHaveLength(2);
  }, 30_000);

  it('typed events and dashboard variables reach the right iframe', async () => {
    const context = await newContext();
    const page = await open(context, 'dashboards=sales');
    await eventually(async () => (await logOf(page)).some((e) => e.kind === 'dashboardLoaded'), true);
    const loaded = (await logOf(page)).find((e) => e.kind === 'dashboardLoaded');
    expect(loaded?.detail).toMatchObject({
      dashboardId: 'emb-sales',
      dashboardHeight: expect.any(Number),
      loadTime: expect.any(Number),
    });
    await page.evaluate(() =>
      (window as unknown as { handles: Record<string, { updateVariables(v: object): void }> }).handles.e0?.updateVariables({
        region: 'EU',
        year: 2026,
      }),
    );
    await eventually(() => field(page, 'e0', 'variables').textContent(), '{"region":"EU","year":2026}');
    await eventually(async () => (await logOf(page)).filter((e) => e.kind === 'dashboardUpdated').length, 1);
  }, 30_000);

  it('offline: retries back off, and the refresh goes through as soon as the browser is back online', async () => {
    const context = await newContext();
    const page = await open(context, 'dashboards=sales');
    await eventually(() => field(page, 'e0', 'status').textContent(), 'valid');
    await context.setOffline(true);
    standIn.expireNow();
    await settle(4_000);
    const errors = (await logOf(page)).filter((e) => e.kind === 'error');
    // Attempts at about 0, 1.25 and 3.75 s: never a loop.
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBeLessThanOrEqual(3);
    expect(errors.every((e) => e.code === 'ERR_EXPLO_NETWORK' && e.willRetry)).toBe(true);
    expect(tokenRequests).toEqual([]);
    await context.setOffline(false);
    await eventually(() => field(page, 'e0', 'updates').textContent(), '1', 3_000);
    expect(tokenRequests).toEqual(['sales']);
  }, 30_000);

  it('a 503 with Retry-After: 0 makes a handful of requests, not thousands', async () => {
    const context = await newContext();
    const page = await open(context, 'dashboards=sales');
    await eventually(() => field(page, 'e0', 'status').textContent(), 'valid');
    routeMode = '503';
    standIn.expireNow();
    await settle(6_000);
    // 1 to 1.5 s, then 2 to 3 s, then 4 to 6 s: at most 4 requests in 6 s (the unfixed helper made 2 827).
    expect(tokenRequests.length).toBeGreaterThanOrEqual(2);
    expect(tokenRequests.length).toBeLessThanOrEqual(4);
    expect(
      await page.evaluate(() => (window as unknown as { handles: Record<string, { state: string }> }).handles.e0?.state),
    ).toBe('active');
  }, 30_000);

  it.each([
    ['html', 'ERR_EXPLO_BAD_RESPONSE'],
    ['redirect', 'ERR_EXPLO_REDIRECTED'],
  ] as const)(
    'an answer that is a login page (%s) ends refreshing, visibly; restart() goes on',
    async (mode, code) => {
      const context = await newContext();
      const page = await open(context, 'dashboards=sales');
      await eventually(() => field(page, 'e0', 'status').textContent(), 'valid');
      routeMode = mode;
      standIn.expireNow();
      await eventually(
        async () => (await logOf(page)).filter((e) => e.kind === 'error'),
        [{ embed: 'e0', kind: 'error', code, willRetry: false }],
      );
      const state = () =>
        page.evaluate(() => (window as unknown as { handles: Record<string, { state: string }> }).handles.e0?.state);
      expect(await state()).toBe('ended');
      await settle(3_000);
      expect(tokenRequests).toEqual(['sales']);
      routeMode = 'ok';
      await page.evaluate(() => (window as unknown as { handles: Record<string, { restart(): void }> }).handles.e0?.restart());
      await eventually(() => field(page, 'e0', 'updates').textContent(), '1');
      expect(await state()).toBe('active');
    },
    30_000,
  );

  it('a page whose clock runs 10 minutes ahead neither loops nor refreshes late', async () => {
    lifetime = 12; // refreshed 5 s before expiry: at about 7 s
    const context = await newContext(10 * 60_000);
    const page = await open(context, 'dashboards=sales');
    await eventually(() => field(page, 'e0', 'status').textContent(), 'valid');
    await settle(4_000);
    expect(tokenRequests).toEqual([]);
    await eventually(() => tokenRequests.length, 1, 6_000);
    await eventually(() => field(page, 'e0', 'updates').textContent(), '1');
    await settle(1_000);
    expect(tokenRequests).toHaveLength(1);
  }, 30_000);

  it('a tab that slept refreshes as soon as it is shown again, if its token is near expiry', async () => {
    const context = await newContext();
    const page = await open(context, 'dashboards=sales');
    await eventually(() => field(page, 'e0', 'status').textContent(), 'valid');
    await settle(500);
    expect(tokenRequests).toEqual([]);
    // Timers do not run while a laptop sleeps; its wall clock jumps when it wakes.
    await page.evaluate(() => {
      (window as unknown as { __moveClock(ms: number): void }).__moveClock(290_000);
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    await eventually(() => tokenRequests.length, 1, 3_000);
  }, 30_000);
});
