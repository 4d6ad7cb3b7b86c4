import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { decryptExploJwt } from '@explo-embed/core';
import { exploEmbed } from '@explo-embed/express';
import { type ExploStandIn, startExploStandIn } from '@explo-embed/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../../../test/support/browser.js';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { eventually, watchEventStreams } from './support/page-probes.js';

// A single-page app: the page on one origin, its API (and token route) on another, the user known
// by a bearer token or by a cookie sent cross-origin. The script-tag build in real Chromium.
const KEY = { keyId: '0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b', keyValue: 'cross-origin-spa-test-key-32byte' };
const SCRIPT = readFileSync(fileURLToPath(new URL('../dist/explo-embed-browser.min.js', import.meta.url)), 'utf8');
const BEARER = 'Bearer spa-access-token-for-acme';

let standIn: ExploStandIn;
let api: RunningServer;
let site: RunningServer;
let browser: Browser;
const seenAuthorization: (string | undefined)[] = [];

beforeAll(async () => {
  standIn = await startExploStandIn({ keys: KEY });
  site = await listen(
    createServer((req, res) => {
      const mode = new URL(req.url ?? '/', 'http://x').searchParams.get('mode') ?? 'bearer';
      res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(mode));
    }),
  );
  const app = express();
  app.use(
    exploEmbed({
      secret: KEY,
      dashboards: { sales: 'emb-sales' },
      cors: { origins: [site.url], credentials: true },
      logger: false,
      customer: (req) => {
        seenAuthorization.push(req.headers.authorization);
        if (req.headers.authorization === BEARER) return 'acme';
        return /(?:^|; )customer=acme(?:;|$)/.test(req.headers.cookie ?? '') ? 'acme' : undefined;
      },
    }),
  );
  api = await listen(createServer(app));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([api?.close(), site?.close(), standIn?.close()]);
});

/** The page: its first token fetched as the app does (bearer or cookie), then kept fresh through `tokenRequest`. */
function pageHtml(mode: string): string {
  const first = mode === 'cookie' ? "{ credentials: 'include' }" : `{ headers: { authorization: '${BEARER}' } }`;
  const request =
    mode === 'cookie'
      ? "{ credentials: 'include' }"
      : // The access token expired meanwhile: the route answers 401.
        `function () { return Promise.resolve({ headers: { authorization: '${mode === 'bearer' ? BEARER : 'Bearer expired'}' } }); }`;
  return `<!doctype html><html><body><iframe id="e0"></iframe><script>${SCRIPT}</script><script>
    window.log = [];
    fetch('${api.url}/explo/token', ${first}).then(function (r) { return r.json(); }).then(function (token) {
      var iframe = document.getElementById('e0');
      iframe.src = '${standIn.url}/iframe/' + token.jwt + '/production';
      ExploEmbed.keepExploJwtFresh({
        tokenUrl: '${api.url}/explo/token', iframe: iframe, exploOrigin: '${standIn.origin}', expiresIn: token.expiresIn,
        tokenRequest: ${request},
        onToken: function (t) { log.push({ kind: 'token', jwt: t.jwt }); },
        onError: function (e) { log.push({ kind: 'error', code: e.code, willRetry: e.willRetry }); }
      });
      iframe.onload = function () { log.push({ kind: 'loaded' }); };
    });
  </script></body></html>`;
}

type Entry = { kind: string; jwt?: string; code?: string; willRetry?: boolean };
const logOf = (page: Page) => page.evaluate(() => (window as unknown as { log: Entry[] }).log);

/**
 * Waits (Playwright polling the page) until the page's log has an entry of one of `kinds`, and
 * returns the log; a failing test times out after 15 s and the assertions that follow show the log.
 */
async function until(page: Page, kinds: string[]): Promise<Entry[]> {
  await page
    .waitForFunction((k) => (window as unknown as { log: Entry[] }).log.some((e) => k.includes(e.kind)), kinds, {
      timeout: 15_000,
    })
    .catch(() => {});
  return logOf(page);
}

/**
 * Opens the page in a fresh context and waits until its embed can hear expireNow() (the stand-in
 * iframe is loaded and its event stream open). With `tokenRequest` the tab shares no refresh with
 * other tabs (each may be another customer), so it fetches for itself at once: no lock to wait for.
 */
async function openPage(mode: string, setUp?: (context: BrowserContext) => Promise<void>) {
  const context = await browser.newContext();
  await setUp?.(context);
  const page = await context.newPage();
  const streams = watchEventStreams(page);
  await page.goto(`${site.url}/?mode=${mode}`);
  await until(page, ['loaded']);
  await eventually(streams, 1);
  expect(await page.evaluate(async () => (await navigator.locks.query()).held?.length)).toBe(0);
  return { context, page };
}

describe('a token route on another origin (single-page app)', () => {
  it('a bearer token from tokenRequest: the refresh carries it, and the new token is for the same customer', async () => {
    const { context, page } = await openPage('bearer');
    seenAuthorization.splice(0);
    standIn.expireNow();
    const log = await until(page, ['token']);
    const token = log.find((e) => e.kind === 'token');
    expect(token?.jwt).toBeDefined();
    expect((await decryptExploJwt(token?.jwt as string, KEY)).claims.cst).toBe('acme');
    expect(seenAuthorization).toEqual([BEARER]);
    await context.close();
  }, 30_000);

  it('a 401 from the other origin is read (CORS on errors too) and ends refreshing instead of retrying', async () => {
    const { context, page } = await openPage('expired');
    standIn.expireNow();
    const log = await until(page, ['error']);
    expect(log.filter((e) => e.kind === 'error')).toEqual([
      { kind: 'error', code: 'ERR_EXPLO_UNAUTHENTICATED', willRetry: false },
    ]);
    await context.close();
  }, 30_000);

  it('credentials: include sends the session cookie to the other origin', async () => {
    const { context, page } = await openPage('cookie', (c) =>
      c.addCookies([{ name: 'customer', value: 'acme', domain: new URL(api.url).hostname, path: '/' }]),
    );
    standIn.expireNow();
    const log = await until(page, ['token', 'error']);
    expect(log.filter((e) => e.kind === 'error')).toEqual([]);
    const token = log.find((e) => e.kind === 'token');
    expect((await decryptExploJwt(token?.jwt as string, KEY)).claims.cst).toBe('acme');
    await context.close();
  }, 30_000);
});
