import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createExploEmbed, type ExploEmbed } from '@explo-embed/core';
import { type ExploStandIn, startExploStandIn } from '@explo-embed/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../../../test/support/browser.js';
import { answerToken, listen, type RunningServer } from '../../../test/support/http.js';
import { countTokenFetches, eventually, leading, pauseClock, tokenFetches, watchEventStreams } from './support/page-probes.js';

// The browser helper in real Chromium, as shipped (the script-tag build), against the Explo stand-in
// on another origin, with a token route whose answers each test chooses and counts. The pages' clock
// stands still until a test moves it, and their jitter is fixed (Math.random() is 0.5), so every
// retry and refresh happens at a time the test chose.
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
  const height = url.searchParams.get('height') === 'auto' ? "height: 'auto'," : '';
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
        tokenUrl: '/explo/token', dashboard: '${dashboard}', expiresIn: ${expiresIn}, ${height}
        ${mode === 'iframe' ? `iframe: el, exploOrigin: '${standIn.origin}'` : 'webComponent: el'},
        onToken: function (t) { log.push({ embed: '${id}', kind: 'token', jwt: t.jwt }); },
        onError: function (e) {
          var entry = { embed: '${id}', kind: 'error', code: e.code, willRetry: e.willRetry };
          if (e.retryIn !== undefined) entry.retryIn = e.retryIn;
          log.push(entry);
        }
      });
      ['dashboardLoaded', 'dashboardUpdated'].forEach(function (name) {
        handle.on(name, function (detail) { log.push({ embed: '${id}', kind: name, detail: detail }); });
      });
      handles['${id}'] = handle;
      rendered['${id}'] = ${expiresIn};
    })();`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>helper</title></head><body>
${embeds.map((e) => e.html).join('\n')}
${mode === 'iframe' ? '' : `<script src="${standIn.bundleUrl}"></script>`}
<script>${SCRIPT}</script>
<script>var log = []; var handles = {}; var rendered = {}; window.log = log; window.handles = handles; window.rendered = rendered;${setup}</script>
</body></html>`;
}

beforeAll(async () => {
  // Explo announces expiry 5 s before; this stand-in only once a token has expired, so every refresh
  // these tests see before that is the helper's own (or expireNow()'s).
  standIn = await startExploStandIn({ keys: KEY, expiryWarning: 0 });
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
    answerToken(res, embed, dashboard, true);
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

/**
 * A fresh browser context (its own profile, cookies, BroadcastChannel and locks) whose clock stands
 * still at `offset` ms from now until a test moves it, with Math.random() fixed at 0.5 (jitter).
 */
async function newContext(offset = 0): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  await pauseClock(context, Date.now() + offset);
  await countTokenFetches(context);
  await context.addInitScript(() => {
    Math.random = () => 0.5;
  });
  return context;
}

const streams = new WeakMap<Page, () => number>();
async function open(context: BrowserContext, query = ''): Promise<Page> {
  const page = await context.newPage();
  streams.set(page, watchEventStreams(page));
  await page.goto(`${app.url}/page?${query}`);
  return page;
}

type LogEntry = {
  embed: string;
  kind: string;
  jwt?: string;
  code?: string;
  willRetry?: boolean;
  retryIn?: number;
  detail?: Record<string, unknown>;
};
const logOf = (page: Page) => page.evaluate(() => (window as unknown as { log: LogEntry[] }).log);
const tokensOf = async (page: Page) => (await logOf(page)).filter((e) => e.kind === 'token');
const field = (page: Page, embedId: string, name: string, mode: 'iframe' | 'wc' = 'iframe') =>
  (mode === 'iframe' ? page.frameLocator(`#${embedId}`) : page.locator(`#${embedId}`)).locator(`[data-explo-field="${name}"]`);
const stateOf = (page: Page, id = 'e0') =>
  page.evaluate((id) => (window as unknown as { handles: Record<string, { state: string }> }).handles[id]?.state, id);

/** Every embed shows a valid token and listens for expireNow() (its event stream is open). */
async function ready(page: Page, ids: string[], mode: 'iframe' | 'wc' = 'iframe'): Promise<void> {
  for (const id of ids) await eventually(() => field(page, id, 'status', mode).textContent(), 'valid');
  await eventually(() => streams.get(page)?.(), ids.length);
}

/** What each token request came to, in order (one embed per page): a token or an error. */
const outcomes = async (page: Page) => (await logOf(page)).filter((e) => e.kind === 'token' || e.kind === 'error');

/**
 * Moves the page's clock `total` ms, stopping at each retry the helper announced (`retryIn`) and
 * going on only once that attempt has its answer: the attempts are the ones a browser awake for
 * `total` ms would make, whatever this machine's speed.
 */
async function runThroughRetries(context: BrowserContext, page: Page, total: number): Promise<void> {
  for (let elapsed = 0; ; ) {
    const attempts = await tokenFetches(page);
    await eventually(async () => (await outcomes(page)).length, attempts);
    if (elapsed === total) return;
    const step = Math.min((await outcomes(page)).at(-1)?.retryIn ?? total, total - elapsed);
    await context.clock.runFor(step);
    elapsed += step;
  }
}

describe('@explo-embed/browser in Chromium', () => {
  it('two tabs and two embeds of one dashboard share one refresh; every embed gets the token', async () => {
    const context = await newContext();
    const first = await open(context, 'dashboards=sales,sales');
    await leading(first); // the first tab holds the lock before the second one asks for it
    const second = await open(context, 'dashboards=sales');
    await ready(first, ['e0', 'e1']);
    await ready(second, ['e0']);
    standIn.expireNow(); // all three embeds announce customerJwtExpired at once
    for (const [page, id] of [
      [first, 'e0'],
      [first, 'e1'],
      [second, 'e0'],
    ] as const) {
      await eventually(() => field(page, id, 'updates').textContent(), '1');
    }
    // Past the follower's wait for its leader (1 s; 11 s once acknowledged: the request timeout and 1 s):
    // had it not taken the leader's token, it would have fetched its own by now.
    await context.clock.runFor(11_000);
    expect([await tokenFetches(first), await tokenFetches(second)]).toEqual([1, 0]);
    expect(tokenRequests).toEqual(['sales']);
    const delivered = [...(await tokensOf(first)), ...(await tokensOf(second))];
    expect(delivered.map((t) => t.embed).sort()).toEqual(['e0', 'e0', 'e1']);
    expect(new Set(delivered.map((t) => t.jwt)).size).toBe(1);
  }, 30_000);

  it('each <explo-dashboard> gets its own token, and hears only its own events', async () => {
    const context = await newContext();
    const page = await open(context, 'mode=wc&dashboards=sales,ops');
    await ready(page, ['e0', 'e1'], 'wc');
    await leading(page, 2); // one group, and one lock, per dashboard
    standIn.expireNow();
    await eventually(() => field(page, 'e0', 'updates', 'wc').textContent(), '1');
    await eventually(() => field(page, 'e1', 'updates', 'wc').textContent(), '1');
    expect(await field(page, 'e0', 'dashboard', 'wc').textContent()).toBe('emb-sales');
    expect(await field(page, 'e1', 'dashboard', 'wc').textContent()).toBe('emb-ops');
    expect(await tokenFetches(page)).toBe(2);
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

  it.each([
    ['an iframe', 'iframe', 'iframe'],
    ['an <explo-dashboard> (an inline element until the helper makes it a block)', 'wc', 'wc'],
  ] as const)(
    "height: 'auto' sizes %s by the dashboard's own height (its inside: an iframe's border is outside), growing and shrinking",
    async (_name, query, mode) => {
      const context = await newContext();
      const page = await open(context, `mode=${query}&height=auto`);
      await ready(page, ['e0'], mode);
      const rendered = () => page.locator('#e0').evaluate((element) => element.clientHeight);
      try {
        standIn.setHeight(700);
        await eventually(rendered, 700);
        standIn.setHeight(350);
        await eventually(rendered, 350);
      } finally {
        standIn.setHeight();
      }
    },
    30_000,
  );

  it('offline: retries back off, and the refresh goes through as soon as the browser is back online', async () => {
    const context = await newContext();
    const page = await open(context, 'dashboards=sales');
    await ready(page, ['e0']);
    await leading(page);
    await context.setOffline(true);
    standIn.expireNow();
    await eventually(() => tokenFetches(page), 1);
    await runThroughRetries(context, page, 4_000);
    // Attempts at 0, 1.25 and 3.75 s (1 s, then 2 s, each plus half again of jitter): never a loop.
    const errors = (await logOf(page)).filter((e) => e.kind === 'error');
    expect(errors.map((e) => [e.code, e.willRetry, e.retryIn])).toEqual([
      ['ERR_EXPLO_NETWORK', true, 1_250],
      ['ERR_EXPLO_NETWORK', true, 2_500],
      ['ERR_EXPLO_NETWORK', true, 5_000],
    ]);
    expect(await tokenFetches(page)).toBe(3);
    expect(tokenRequests).toEqual([]);
    // The next retry is due at 8.75 s, and the clock stands still: only coming back online sends it.
    await context.setOffline(false);
    await eventually(() => field(page, 'e0', 'updates').textContent(), '1');
    expect(await tokenFetches(page)).toBe(4);
    expect(tokenRequests).toEqual(['sales']);
  }, 30_000);

  it('a 503 with Retry-After: 0 makes a handful of requests, not thousands', async () => {
    const context = await newContext();
    const page = await open(context, 'dashboards=sales');
    await ready(page, ['e0']);
    await leading(page);
    routeMode = '503';
    standIn.expireNow();
    await eventually(() => tokenFetches(page), 1);
    await runThroughRetries(context, page, 6_000);
    // At 0, 1.25 and 3.75 s, the next at 8.75 s: Retry-After: 0 shortens no wait (the unfixed helper made 2 827 in 6 s).
    expect(tokenRequests).toHaveLength(3);
    const waits = (await logOf(page)).filter((e) => e.kind === 'error').map((e) => [e.code, e.retryIn]);
    expect(waits).toEqual([
      ['ERR_EXPLO_SERVER', 1_250],
      ['ERR_EXPLO_SERVER', 2_500],
      ['ERR_EXPLO_SERVER', 5_000],
    ]);
    expect(await stateOf(page)).toBe('active');
  }, 30_000);

  it.each([
    ['html', 'ERR_EXPLO_BAD_RESPONSE'],
    ['redirect', 'ERR_EXPLO_REDIRECTED'],
  ] as const)(
    'an answer that is a login page (%s) ends refreshing, visibly; restart() goes on',
    async (mode, code) => {
      const context = await newContext();
      const page = await open(context, 'dashboards=sales');
      await ready(page, ['e0']);
      await leading(page);
      routeMode = mode;
      standIn.expireNow();
      await eventually(
        async () => (await logOf(page)).filter((e) => e.kind === 'error'),
        [{ embed: 'e0', kind: 'error', code, willRetry: false }],
      );
      expect(await stateOf(page)).toBe('ended');
      // A minute on, past the longest backoff: an ending is not retried.
      await context.clock.runFor(60_000);
      expect(await tokenFetches(page)).toBe(1);
      expect(tokenRequests).toEqual(['sales']);
      routeMode = 'ok';
      await page.evaluate(() => (window as unknown as { handles: Record<string, { restart(): void }> }).handles.e0?.restart());
      await eventually(() => field(page, 'e0', 'updates').textContent(), '1');
      expect(await stateOf(page)).toBe('active');
      expect(tokenRequests).toEqual(['sales', 'sales']);
    },
    30_000,
  );

  it('a page whose clock runs 10 minutes ahead neither loops nor refreshes late', async () => {
    lifetime = 12;
    const context = await newContext(10 * 60_000);
    const page = await open(context, 'dashboards=sales');
    await ready(page, ['e0']);
    await leading(page);
    // Refreshed 5 s before expiry (20% of 12 s is under the 5 s floor), counted from the page's receipt.
    const expiresIn = await page.evaluate(() => (window as unknown as { rendered: Record<string, number> }).rendered.e0);
    const due = ((expiresIn ?? Number.NaN) - 5) * 1_000;
    await context.clock.runFor(due - 1);
    expect(await tokenFetches(page)).toBe(0);
    expect(tokenRequests).toEqual([]);
    await context.clock.runFor(1);
    expect(await tokenFetches(page)).toBe(1);
    await eventually(() => field(page, 'e0', 'updates').textContent(), '1');
    await context.clock.runFor(1_000);
    expect(await tokenFetches(page)).toBe(1);
    expect(tokenRequests).toEqual(['sales']);
  }, 30_000);

  it('a tab that slept refreshes as soon as it is shown again, if its token is near expiry', async () => {
    const context = await newContext();
    const page = await open(context, 'dashboards=sales');
    await ready(page, ['e0']);
    await leading(page);
    expect(await tokenFetches(page)).toBe(0);
    // Timers do not run while a laptop sleeps; its wall clock jumps when it wakes.
    const now = await page.evaluate(() => Date.now());
    await context.clock.setSystemTime(now + 290_000);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
    expect(await tokenFetches(page)).toBe(1);
    await eventually(() => field(page, 'e0', 'updates').textContent(), '1');
    expect(tokenRequests).toEqual(['sales']);
  }, 30_000);
});
