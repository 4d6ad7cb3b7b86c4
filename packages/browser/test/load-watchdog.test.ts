import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createExploEmbed } from '@explo-embed/core';
import { type ExploStandIn, startExploStandIn } from '@explo-embed/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../../../test/support/browser.js';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { eventually, pauseClock, watchEventStreams } from './support/page-probes.js';

// The load watchdog in real Chromium, as shipped (the script-tag build), against the Explo stand-in
// on another origin: a frame Explo refuses (this page's origin not allowed, an environment not
// published) sends nothing, and the helper says why once its clock passes loadTimeout. The page's
// clock stands still until a test moves it: the timeout passes when the test says so.
const KEY = { keyId: '7b6a5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', keyValue: 'load-watchdog-test-key-32-bytes!' };
const SCRIPT = readFileSync(fileURLToPath(new URL('../dist/explo-embed-browser.min.js', import.meta.url)), 'utf8');
const embed = createExploEmbed({ secret: KEY, dashboards: { sales: 'emb-sales' } });

let standIn: ExploStandIn;
let app: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A page with one embed (`mode`), its helper started with the options in `?options=` (JSON), logging what it hears. */
async function pageHtml(url: URL): Promise<string> {
  const { jwt } = await embed.mint({ customerId: 'acme' });
  const environment = url.searchParams.get('environment') ?? 'production';
  const mode = url.searchParams.get('mode') ?? 'iframe';
  const element =
    mode === 'iframe'
      ? `<iframe id="e" src="${standIn.iframeUrl(jwt, environment)}"></iframe>`
      : `<explo-dashboard id="e" dash-jwt="${jwt}" environment="${environment}"></explo-dashboard><script src="${standIn.bundleUrl}"></script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>watchdog</title></head><body>${element}
<script>${SCRIPT}</script>
<script>
  window.log = [];
  var handle = ExploEmbed.keepExploJwtFresh(Object.assign({
    tokenUrl: '/explo/token',
    ${mode === 'iframe' ? `iframe: document.getElementById('e'), exploOrigin: '${standIn.origin}'` : "webComponent: document.getElementById('e')"},
    onError: function (e) { log.push({ kind: 'error', code: e.code, message: e.message, willRetry: e.willRetry }); }
  }, ${url.searchParams.get('options') ?? '{}'}));
  ['dashboardReadyToLoad', 'analyticsEventFired'].forEach(function (name) {
    handle.on(name, function (detail) { log.push({ kind: name, detail: detail }); });
  });
</script></body></html>`;
}

beforeAll(async () => {
  standIn = await startExploStandIn({ keys: KEY });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    void pageHtml(url).then((html) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  });
  [app, browser] = await Promise.all([listen(server), launchBrowser()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await standIn?.close();
});
afterEach(async () => {
  standIn.setFaults();
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

type Entry = { kind: string; code?: string; message?: string; willRetry?: boolean; detail?: Record<string, unknown> };
const logOf = (page: Page) => page.evaluate(() => (window as unknown as { log: Entry[] }).log);
const kinds = async (page: Page) => (await logOf(page)).map((entry) => entry.code ?? entry.kind);

/** Opens the page with a paused clock, and collects its console warnings. */
async function open(query: string): Promise<{ context: BrowserContext; page: Page; warnings: string[]; streams: () => number }> {
  const context = await browser.newContext();
  contexts.push(context);
  await pauseClock(context);
  const page = await context.newPage();
  const streams = watchEventStreams(page);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto(`${app.url}/page?${query}`);
  return { context, page, warnings, streams };
}
/** The embed's status as the stand-in shows it (`valid`, `rejected: <code>`). */
const status = (page: Page, mode = 'iframe') =>
  (mode === 'iframe' ? page.frameLocator('#e') : page.locator('#e')).locator('[data-explo-field="status"]').textContent();

describe('the load watchdog', () => {
  it('a frame Explo refuses (this page’s origin not allowed): after 20 s, ERR_EXPLO_NOT_LOADED says why, and links the editor', async () => {
    standIn.setFaults({ refuseOrigins: [app.url] });
    const { context, page, warnings } = await open(`options=${encodeURIComponent('{"embedId":"emb-sales"}')}`);
    await eventually(() => status(page), 'rejected: ERR_EXPLO_ORIGIN_REFUSED');
    await context.clock.runFor(19_999);
    expect(await logOf(page)).toEqual([]);
    await context.clock.runFor(1);
    const [error] = await logOf(page);
    expect(error).toMatchObject({ code: 'ERR_EXPLO_NOT_LOADED', willRetry: true });
    const message = error?.message ?? '';
    // The causes, in order, with what to change: this page's origin, the CSP directive, the environment; then the editor.
    const order = [`lack ${app.url}`, `frame-src blocks ${standIn.origin}`, 'environment "production" not published'];
    expect(order.map((text) => message.indexOf(text))).toEqual(
      [...order.map((text) => message.indexOf(text))].sort((a, b) => a - b),
    );
    for (const text of order) expect(message).toContain(text);
    expect(message).toMatch(new RegExp(`Editor: ${standIn.origin}/embed_id/emb-sales$`));
    expect(warnings).toEqual([`ERR_EXPLO_NOT_LOADED ${message}`]);
    // Once: it does not repeat.
    await context.clock.runFor(40_000);
    expect(await kinds(page)).toEqual(['ERR_EXPLO_NOT_LOADED']);
  }, 30_000);

  it('an environment not published: the message names it; for a web component, the script-src Explo’s bundle needs', async () => {
    standIn.setFaults({ unpublished: ['staging'] });
    const frame = await open('environment=staging');
    await eventually(() => status(frame.page), 'rejected: ERR_EXPLO_ENVIRONMENT_UNPUBLISHED');
    await frame.context.clock.runFor(20_000);
    expect((await logOf(frame.page))[0]?.message).toContain('environment "staging" not published');

    const element = await open('environment=staging&mode=wc');
    await eventually(() => status(element.page, 'wc'), 'rejected: ERR_EXPLO_ENVIRONMENT_UNPUBLISHED');
    await element.context.clock.runFor(20_000);
    const message = (await logOf(element.page))[0]?.message ?? '';
    expect(message).toContain('script-src blocks https://embed.explo.co');
    expect(message).toContain('environment "staging" not published');
    expect(message).not.toContain('Editor:'); // no embed id given
  }, 30_000);

  it('a dashboard that loads is never reported, however long the page stays (three times the timeout); loadTimeout: false turns it off', async () => {
    const loaded = await open('');
    await eventually(() => status(loaded.page), 'valid');
    await eventually(async () => (await kinds(loaded.page)).includes('dashboardReadyToLoad'), true);
    await loaded.context.clock.runFor(60_000);
    expect(await kinds(loaded.page)).toEqual(['dashboardReadyToLoad']);
    expect(loaded.warnings).toEqual([]);

    standIn.setFaults({ refuseOrigins: true });
    const off = await open(`options=${encodeURIComponent('{"loadTimeout":false}')}`);
    await eventually(() => status(off.page), 'rejected: ERR_EXPLO_ORIGIN_REFUSED');
    await off.context.clock.runFor(60_000);
    expect([await logOf(off.page), off.warnings]).toEqual([[], []]);
  }, 30_000);

  it('a shorter loadTimeout is honoured', async () => {
    standIn.setFaults({ refuseOrigins: true });
    const { context, page } = await open(`options=${encodeURIComponent('{"loadTimeout":5000}')}`);
    await eventually(() => status(page), 'rejected: ERR_EXPLO_ORIGIN_REFUSED');
    await context.clock.runFor(4_999);
    expect(await logOf(page)).toEqual([]);
    await context.clock.runFor(1);
    expect((await logOf(page))[0]?.message).toMatch(/^No dashboardReadyToLoad from Explo within 5 s\./);
  }, 30_000);

  it('analyticsEventFired reaches the embed’s listeners, typed', async () => {
    const { page, streams } = await open('');
    await eventually(async () => (await kinds(page)).includes('dashboardReadyToLoad'), true);
    await eventually(() => streams(), 1); // it listens to the stand-in's events
    standIn.emitAnalytics({ name: 'CSV Downloaded', user_id: 'u1', properties: { customer_provided_id: 'acme' } });
    await eventually(
      async () => (await logOf(page)).find((entry) => entry.kind === 'analyticsEventFired')?.detail?.name,
      'CSV Downloaded',
    );
  }, 30_000);
});
