import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPLO_ERROR_CODES } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import sirv from 'sirv';
import { EXPLO_DOCS_URL, errorDocsUrl } from '../packages/core/src/errors/docs-url.js';
import { launchBrowser } from './support/browser.js';
import { listen, type RunningServer } from './support/http.js';

// The built docs site (`pnpm docs:build`, which `pnpm test` runs before Jest), served on loopback
// under its published base path as a static host serves it, crawled in Chromium from its home page.
const DIST = fileURLToPath(new URL('../site/dist/', import.meta.url));
const BASE = new URL(EXPLO_DOCS_URL).pathname;

/** One page as the browser loaded it: its status, what it logged as errors, its ids and its links. */
interface Visit {
  status: number;
  errors: string[];
  ids: Set<string>;
  links: string[];
}

let site: RunningServer;
let browser: Browser;

/** Loads a page and waits until Vue has taken it over (hydration errors show by then). */
async function load(page: Page, url: string): Promise<Visit> {
  const errors: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === 'error') errors.push(message.text());
  };
  const onError = (error: Error) => errors.push(String(error));
  page.on('console', onConsole);
  page.on('pageerror', onError);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    const status = response?.status() ?? 0;
    if (status === 200)
      await page.waitForFunction(() =>
        Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__),
      );
    const found = await page.evaluate(() => ({
      ids: [...document.querySelectorAll('[id]')].map((element) => element.id),
      links: [...document.querySelectorAll('a[href]')].map((anchor) => (anchor as HTMLAnchorElement).href),
    }));
    return { status, errors, ids: new Set(found.ids), links: found.links };
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
  }
}

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('site/dist is missing: run `pnpm docs:build` first.');
  const files = sirv(DIST, { dev: false, etag: false });
  const notFound = readFileSync(join(DIST, '404.html'));
  site = await listen(
    createServer((request, response) => {
      const answerNotFound = () => {
        response.writeHead(404, { 'content-type': 'text/html' }).end(notFound);
      };
      const path = new URL(request.url ?? '/', 'http://site').pathname;
      if (!path.startsWith(BASE)) return answerNotFound();
      // As GitHub Pages does: /errors is errors.html, /api/ is api/index.html.
      request.url = path.slice(BASE.length - 1);
      files(request, response, answerNotFound);
    }),
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the docs site', () => {
  const visits = new Map<string, Visit>();
  const links: { from: string; to: string; hash: string }[] = [];

  // The crawl: from the home page, every page a link on a visited page leads to, in one tab.
  beforeAll(async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const queue = [`${site.url}${BASE}`];
    while (queue.length > 0) {
      const url = queue.shift() as string;
      if (visits.has(url)) continue;
      const visit = await load(page, url);
      visits.set(url, visit);
      if (visit.status !== 200) continue;
      for (const href of visit.links) {
        const target = new URL(href);
        if (target.origin !== site.url) continue;
        const to = `${target.origin}${target.pathname}`;
        links.push({ from: url, to, hash: decodeURIComponent(target.hash.slice(1)) });
        if (!visits.has(to)) queue.push(to);
      }
    }
    await context.close();
  }, 300_000);

  it('every page loads in Chromium without an error, from the start page, the guides and the error reference to every API page', () => {
    const pages = [...visits.keys()].map((url) => url.slice(site.url.length));
    expect(pages).toEqual(expect.arrayContaining([BASE, `${BASE}errors`, `${BASE}guides/sveltekit`, `${BASE}api/core`]));
    expect(pages.length).toBeGreaterThan(50);
    const failed = [...visits].filter(([, visit]) => visit.status !== 200 || visit.errors.length > 0);
    expect(failed.map(([url, visit]) => ({ url, status: visit.status, errors: visit.errors }))).toEqual([]);
  });

  it('no internal link is broken: every page and every #anchor it names exists', () => {
    expect(links.length).toBeGreaterThan(1000);
    const broken = links.filter(
      ({ to, hash }) => visits.get(to)?.status !== 200 || (hash !== '' && !visits.get(to)?.ids.has(hash)),
    );
    expect(broken).toEqual([]);
  });

  it('explains every code of the core where its problem+json type and its log line point, and every code of the page', () => {
    const errors = visits.get(`${site.url}${BASE}errors`);
    expect(errors).toBeDefined();
    const pageCodes = [
      'ERR_EXPLO_REDIRECTED',
      'ERR_EXPLO_BAD_RESPONSE',
      'ERR_EXPLO_REFUSED',
      'ERR_EXPLO_SERVER',
      'ERR_EXPLO_NETWORK',
      'ERR_EXPLO_NOT_LOADED',
    ];
    for (const code of [...Object.values(EXPLO_ERROR_CODES), ...pageCodes]) {
      expect(errorDocsUrl(code)).toBe(`${EXPLO_DOCS_URL}errors#${code}`);
      expect(errors?.ids.has(code)).toBe(true);
    }
  });

  it('draws the sequence diagram of How it works in the page, offline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await load(page, `${site.url}${BASE}concepts`);
    await page.locator('.mermaid svg').first().waitFor();
    expect(await page.locator('.mermaid svg').first().textContent()).toContain('customerJwtExpired');
    await context.close();
  });

  it.each(['ERR_EXPLO_SECRET_MISSING', 'ERR_EXPLO_NOT_LOADED'])(
    'its search box finds %s and leads to its entry',
    async (code) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await load(page, `${site.url}${BASE}`);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.locator('#localsearch-input').fill(code);
      const entry = page.locator(`a.result[href="${BASE}errors#${code}"]`);
      await entry.waitFor();
      expect(await entry.textContent()).toContain(code);
      await entry.click();
      await page.waitForURL(`**/errors#${code}`);
      const heading = page.locator(`[id="${code}"]`);
      await heading.waitFor({ state: 'visible' });
      expect(await heading.textContent()).toContain(code);
      await context.close();
    },
  );
});
