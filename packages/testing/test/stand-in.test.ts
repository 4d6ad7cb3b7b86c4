import { createServer } from 'node:http';
import { createExploEmbed, decodeExploJwtHeader, decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../../test/support/browser.js';
import { listen, type RunningServer } from '../../../test/support/http.js';
import { encryptByHand } from '../../core/test/fixtures.js';
import { type ExploStandIn, startExploStandIn } from '../src/index.js';

const KEY = { keyId: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a', keyValue: 'stand-in-test-key-of-32-bytes!!!' };
const OTHER = { keyId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', keyValue: 'a-foreign-key-nobody-configured!' };

let standIn: ExploStandIn;
beforeAll(async () => {
  standIn = await startExploStandIn({ keys: KEY });
});
afterAll(() => standIn.close());

const mint = (secret = KEY) =>
  createExploEmbed({ secret, dashboards: { d: 'emb-d' }, expiresIn: 60 }).mint({ customerId: 'acme' });

describe('the Explo stand-in', () => {
  it('listens on loopback and serves Explo’s URL shapes', async () => {
    expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { jwt } = await mint();
    expect(standIn.iframeUrl(jwt, 'staging')).toBe(`${standIn.url}/iframe/${jwt}/staging`);
    expect(standIn.iframeUrl(jwt, 'production', true)).toBe(`${standIn.url}/report-builder/iframe/${jwt}/production`);
    const page = await (await fetch(standIn.iframeUrl(jwt, 'staging'))).text();
    expect(page).toContain('"cst":"acme"');
    expect(page).toContain('"staging"');
    const rb = await fetch(standIn.iframeUrl(jwt, 'production', true));
    expect(rb.status).toBe(200);
    const bundle = await (await fetch(standIn.bundleUrl)).text();
    expect(bundle).toContain("define('explo-dashboard', 'dash-jwt'");
  });

  it('verifies tokens server-side: valid, expired, foreign, malformed', async () => {
    const valid = await standIn.verify((await mint()).jwt);
    expect(valid).toMatchObject({ ok: true, kid: KEY.keyId, claims: { cst: 'acme', dsh: 'emb-d' } });
    expect(valid.expiresIn).toBeGreaterThan(55);
    const now = Math.floor(Date.now() / 1000);
    const expired = await encryptByHand(
      { alg: 'dir', enc: 'A256GCM', kid: KEY.keyId },
      { cst: 'a', dsh: 'b', exp: now - 10 },
      KEY.keyValue,
      Buffer.alloc(16, 1),
    );
    expect(await standIn.verify(expired)).toMatchObject({ ok: false, code: 'ERR_EXPLO_JWT_EXPIRED', claims: { cst: 'a' } });
    expect(await standIn.verify((await mint(OTHER)).jwt)).toMatchObject({
      ok: false,
      code: 'ERR_EXPLO_JWT_UNKNOWN_KID',
      kid: OTHER.keyId,
    });
    expect(await standIn.verify('garbage')).toMatchObject({ ok: false, code: 'ERR_EXPLO_JWT_INVALID' });
  });

  it('POST /api/verify answers the pages that embed it (loopback by default), and no other origin', async () => {
    const { jwt } = await mint();
    const page = 'http://127.0.0.1:3000';
    const preflight = await fetch(`${standIn.url}/api/verify`, { method: 'OPTIONS', headers: { origin: page } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(page);
    const response = await fetch(`${standIn.url}/api/verify`, { method: 'POST', body: jwt, headers: { origin: page } });
    expect(response.headers.get('access-control-allow-origin')).toBe(page);
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(await response.json()).toMatchObject({ ok: true, claims: { cst: 'acme' } });
    // Its verdicts show decrypted claims: another site may not read them.
    const foreign = await fetch(`${standIn.url}/api/verify`, {
      method: 'POST',
      body: jwt,
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(await foreign.text()).not.toContain('*');
    expect((await fetch(`${standIn.url}/api/verify`)).status).toBe(405);
  });

  it('allowedOrigins names the embedding pages instead', async () => {
    const custom = await startExploStandIn({ keys: KEY, allowedOrigins: ['https://app.example.com'] });
    try {
      const { jwt } = await mint();
      const allowed = await fetch(`${custom.url}/api/verify`, {
        method: 'POST',
        body: jwt,
        headers: { origin: 'https://app.example.com' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const loopback = await fetch(`${custom.url}/api/verify`, {
        method: 'POST',
        body: jwt,
        headers: { origin: 'http://127.0.0.1:3000' },
      });
      expect(loopback.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await custom.close();
    }
  });

  it('never echoes the key', async () => {
    const { jwt } = await mint();
    const bodies = await Promise.all(
      [fetch(standIn.iframeUrl(jwt)), fetch(`${standIn.url}/stand-in-client.js`), fetch(standIn.bundleUrl)].map(async (p) =>
        (await p).text(),
      ),
    );
    for (const body of bodies) expect(body).not.toContain(KEY.keyValue);
  });
});

describe('the stand-in’s fault modes', () => {
  let faulty: ExploStandIn;
  beforeAll(async () => {
    faulty = await startExploStandIn({ keys: KEY, apiToken: 'stand-in-api-token' });
  });
  afterAll(() => faulty.close());
  const verifyOverHttp = (jwt: string, origin = 'http://127.0.0.1:3000') =>
    fetch(`${faulty.url}/api/verify`, { method: 'POST', headers: { origin, 'content-type': 'text/plain' }, body: jwt });

  it('clockSkew: its clock runs ahead, so tokens have less time left, or have expired', async () => {
    const { jwt } = await mint();
    faulty.setFaults({ clockSkew: 30 });
    expect((await faulty.verify(jwt)).expiresIn).toBeLessThan(31);
    faulty.setFaults({ clockSkew: 120 });
    expect(await faulty.verify(jwt)).toMatchObject({ ok: false, code: 'ERR_EXPLO_JWT_EXPIRED' });
    faulty.setFaults();
    expect((await faulty.verify(jwt)).ok).toBe(true);
  });

  it('verifyDelay and verifyFails: slow or failing checks', async () => {
    const { jwt } = await mint();
    faulty.setFaults({ verifyDelay: 300 });
    const started = performance.now();
    expect((await verifyOverHttp(jwt)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    faulty.setFaults({ verifyDelay: 0, verifyFails: true });
    expect((await verifyOverHttp(jwt)).status).toBe(500);
    faulty.setFaults();
    expect((await verifyOverHttp(jwt)).status).toBe(200);
  });

  it('refuseOrigins: an embedding page not on the allowlist is refused, in the iframe and for the web component', async () => {
    const { jwt } = await mint();
    faulty.setFaults({ refuseOrigins: ['http://127.0.0.1:3000'] });
    const refusedPage = await (
      await fetch(faulty.iframeUrl(jwt), { headers: { referer: 'http://127.0.0.1:3000/dashboards' } })
    ).text();
    expect(refusedPage).toContain('ERR_EXPLO_ORIGIN_REFUSED');
    expect(refusedPage).not.toContain('"cst":"acme"');
    const otherPage = await (await fetch(faulty.iframeUrl(jwt), { headers: { referer: 'http://127.0.0.1:4000/' } })).text();
    expect(otherPage).toContain('"cst":"acme"');
    expect(await (await verifyOverHttp(jwt)).json()).toMatchObject({ ok: false, code: 'ERR_EXPLO_ORIGIN_REFUSED', claims: {} });
    faulty.setFaults({ refuseOrigins: true });
    expect(await (await verifyOverHttp(jwt, 'http://127.0.0.1:4000')).json()).toMatchObject({ ok: false });
    faulty.setFaults();
  });

  it('its API mints as Explo does; legacyIv gives 16-byte IVs, which the core still reads', async () => {
    const generate = (token: string) =>
      fetch(`${faulty.url}/api/generate_jwt/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'explo-authorization': `Token ${token}` },
        body: JSON.stringify({ provided_id: 'acme', embed_id: 'emb-d', expiration: 'PT1H' }),
      });
    expect((await generate('wrong')).status).toBe(401);
    const modern = (await (await generate('stand-in-api-token')).json()) as { success: number; jwt: string };
    expect(modern.success).toBe(1);
    expect(decodeExploJwtHeader(modern.jwt).ivLength).toBe(12);
    faulty.setFaults({ legacyIv: true });
    const legacy = (await (await generate('stand-in-api-token')).json()) as { jwt: string };
    faulty.setFaults();
    expect(decodeExploJwtHeader(legacy.jwt)).toMatchObject({ ivLength: 16, header: { kid: KEY.keyId } });
    const { claims } = await decryptExploJwt(legacy.jwt, KEY);
    expect(claims).toMatchObject({ cst: 'acme', dsh: 'emb-d' });
    expect(claims.exp - (claims.iat as number)).toBe(3600);
  });

  it('the core mints through its API (api.url), and reads its 16-byte-IV tokens', async () => {
    faulty.setFaults({ legacyIv: true });
    const viaApi = createExploEmbed({
      secret: KEY,
      api: { token: 'stand-in-api-token', url: faulty.url },
      dashboards: { d: 'emb-d' },
      expiresIn: '90m',
      logger: { warn: () => {}, error: () => {} },
    });
    const token = await viaApi.mint({ customerId: 'acme' });
    faulty.setFaults();
    expect(decodeExploJwtHeader(token.jwt).ivLength).toBe(16);
    expect(token.expiresIn).toBeGreaterThan(5_390);
    expect((await faulty.verify(token.jwt)).claims).toMatchObject({ cst: 'acme', dsh: 'emb-d' });
  });

  it('expireNow(): every connected embed hears it at once (server-sent events)', async () => {
    const controller = new AbortController();
    const response = await fetch(`${faulty.url}/api/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    faulty.expireNow();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      text += Buffer.from(read.value).toString('utf8');
      if (text.includes('data: expire')) break;
    }
    controller.abort();
    expect(text).toContain('data: expire\n\n');
  });
});

/** The messages of the stand-in's event stream, read as they arrive, until `done` holds for them. */
async function streamUntil(url: string, act: () => void, done: (messages: string[]) => boolean): Promise<string[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  const messages = () => [...text.matchAll(/^data: (.*)$/gm)].map((m) => m[1] as string);
  // Connected (its first comment is in) before the test acts, so nothing is sent before it listens.
  while (!text.includes(': connected')) text += Buffer.from((await reader.read()).value ?? []).toString('utf8');
  act();
  while (!done(messages())) {
    const read = await reader.read();
    if (read.done) break;
    text += Buffer.from(read.value).toString('utf8');
  }
  controller.abort();
  return messages();
}

describe('the stand-in’s heights and editable-section events, on the server', () => {
  let standIn: ExploStandIn;
  beforeAll(async () => {
    standIn = await startExploStandIn({ keys: KEY });
  });
  afterAll(() => standIn.close());

  it('setHeight() and emitEditableSection() reach every open embed over the event stream', async () => {
    const detail = { charts: [{ id: 'c1' }], availableChartTemplates: [{ id: 't1' }] };
    const messages = await streamUntil(
      standIn.url,
      () => {
        standIn.setHeight(640);
        standIn.emitEditableSection('editableSectionUpdated', detail);
        standIn.emitEditableSection('editableSectionChartAdded', { chartId: 'c2' });
        standIn.setHeight();
      },
      (m) => m.length === 4,
    );
    expect(messages.map((m) => JSON.parse(m))).toEqual([
      { height: 640 },
      { event: 'editableSectionUpdated', detail },
      { event: 'editableSectionChartAdded', detail: { chartId: 'c2' } },
      { height: null },
    ]);
  });

  it('the height is state: an embed that connects, or a page served, later is told it first', async () => {
    standIn.setHeight(512.5);
    try {
      expect(
        await streamUntil(
          standIn.url,
          () => {},
          (m) => m.length === 1,
        ),
      ).toEqual(['{"height":512.5}']);
      const { jwt } = await mint();
      expect(await (await fetch(standIn.iframeUrl(jwt))).text()).toContain('height: 512.5,');
      expect(await (await fetch(standIn.bundleUrl)).text()).toContain('height: 512.5,');
    } finally {
      standIn.setHeight();
    }
    expect(await (await fetch(standIn.bundleUrl)).text()).toContain('height: null,');
  });

  it('refuses what Explo would not send', () => {
    for (const px of [-1, Number.NaN, Number.POSITIVE_INFINITY, '640' as unknown as number]) {
      expect(() => standIn.setHeight(px)).toThrow(
        new TypeError('setHeight takes a number of pixels >= 0, or nothing (the content height again).'),
      );
    }
    expect(() => standIn.emitEditableSection('dashboardLoaded' as 'editableSectionChartAdded', {})).toThrow(
      /^emitEditableSection takes one of editableSectionUpdated, editableSectionChartAdded, editableSectionChartRemoved\.$/,
    );
    expect(() => standIn.emitEditableSection('editableSectionChartRemoved', null as unknown as Record<string, unknown>)).toThrow(
      /needs a detail object/,
    );
    const half = { charts: [] } as unknown as { charts: []; availableChartTemplates: [] };
    expect(() => standIn.emitEditableSection('editableSectionUpdated', half)).toThrow(/availableChartTemplates/);
  });
});

describe('the stand-in’s heights and editable-section events, in a browser', () => {
  // A page on loopback with the stand-in's iframe and its <explo-dashboard>: it logs what each
  // announces where Explo announces it (the iframe: a message to its parent, from that frame; the
  // element: an event on it, heard on window as it bubbles).
  const EVENTS = [
    'dashboardReadyToLoad',
    'dashboardLoaded',
    'dashboardUpdated',
    'editableSectionUpdated',
    'editableSectionChartAdded',
    'editableSectionChartRemoved',
  ];
  type Entry = { from: string; event: string; detail: Record<string, unknown> };
  let standIn: ExploStandIn;
  let site: RunningServer;
  let browser: Browser;
  const embed = createExploEmbed({ secret: KEY, dashboards: { d: 'emb-d' }, expiresIn: '10m' });

  beforeAll(async () => {
    standIn = await startExploStandIn({ keys: KEY });
    const server = createServer((_req, res) => {
      embed.mint({ customerId: 'acme' }).then(({ jwt }) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html><head><meta charset="utf-8"><title>heights</title></head><body>
<iframe id="frame" style="width:600px;height:200px" src="${standIn.iframeUrl(jwt)}"></iframe>
<explo-dashboard id="element" style="display:block;width:600px" dash-jwt="${jwt}" environment="production"></explo-dashboard>
<script>
  var log = [];
  var frame = document.getElementById('frame');
  var element = document.getElementById('element');
  addEventListener('message', function (e) {
    if (e.source === frame.contentWindow && e.data && ${JSON.stringify(EVENTS)}.indexOf(e.data.event) >= 0)
      log.push({ from: 'iframe', event: e.data.event, detail: e.data.detail });
  });
  ${JSON.stringify(EVENTS)}.forEach(function (name) {
    addEventListener(name, function (e) { log.push({ from: e.target === element ? 'element' : 'elsewhere', event: name, detail: e.detail }); });
  });
</script>
<script src="${standIn.bundleUrl}"></script>
</body></html>`);
      });
    });
    [site, browser] = await Promise.all([listen(server), launchBrowser()]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await standIn?.close();
  });

  const logOf = (page: Page): Promise<Entry[]> => page.evaluate(() => (window as unknown as { log: Entry[] }).log);
  /** Waits until each embed has announced `event` `count` times; returns the log. */
  async function heard(page: Page, event: string, count = 1): Promise<Entry[]> {
    await page.waitForFunction(
      ([name, n]) => {
        const log = (window as unknown as { log: Entry[] }).log;
        return ['iframe', 'element'].every(
          (from) => log.filter((e) => e.from === from && e.event === name).length >= (n as number),
        );
      },
      [event, count] as const,
    );
    return logOf(page);
  }
  const of = (log: Entry[], event: string, from: string) =>
    log.filter((e) => e.event === event && e.from === from).map((e) => e.detail);

  it('loads with the estimate then the full height, then announces each change of height once, and only its own', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      let log = await heard(page, 'dashboardLoaded');
      const loaded: Record<string, number> = {};
      for (const from of ['iframe', 'element']) {
        expect(log.filter((e) => e.from === from).map((e) => e.event)).toEqual(['dashboardReadyToLoad', 'dashboardLoaded']);
        expect(of(log, 'dashboardReadyToLoad', from)).toEqual([{ dashboardId: 'emb-d', dashboardHeight: 300 }]);
        const [detail] = of(log, 'dashboardLoaded', from);
        expect(detail).toEqual({ dashboardId: 'emb-d', dashboardHeight: expect.any(Number), loadTime: expect.any(Number) });
        loaded[from] = detail?.dashboardHeight as number;
      }
      // The full height is its content's, not the frame's the page chose (200 px).
      expect(loaded.iframe).toBeGreaterThan(200);
      expect(loaded.element).toBe(loaded.iframe);

      standIn.setHeight(640);
      log = await heard(page, 'dashboardUpdated', 1);
      for (const from of ['iframe', 'element'])
        expect(of(log, 'dashboardUpdated', from)).toEqual([{ dashboardId: 'emb-d', dashboardHeight: 640 }]);
      // Really that tall: the page can size the embed by it.
      expect(await page.evaluate(() => (document.querySelector('#element .explo-stand-in') as HTMLElement).offsetHeight)).toBe(
        640,
      );
      expect(
        await page
          .frame({ url: /\/iframe\// })
          ?.evaluate(() => (document.querySelector('.explo-stand-in') as HTMLElement).offsetHeight),
      ).toBe(640);

      // The same height again, and the page resizing the embeds, are no change of the dashboard's.
      standIn.setHeight(640);
      await page.evaluate(() => {
        (document.getElementById('frame') as HTMLElement).style.height = '640px';
        (document.getElementById('element') as HTMLElement).style.height = '640px';
      });
      standIn.setHeight(812.4);
      log = await heard(page, 'dashboardUpdated', 2);
      // Back to its own content height.
      standIn.setHeight();
      log = await heard(page, 'dashboardUpdated', 3);
      for (const from of ['iframe', 'element']) {
        expect(of(log, 'dashboardUpdated', from).map((d) => d.dashboardHeight)).toEqual([640, 812.4, loaded[from]]);
      }
      expect(log.filter((e) => e.from === 'elsewhere')).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);

  it('an embed opened after setHeight() loads with that height', async () => {
    standIn.setHeight(480);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      const log = await heard(page, 'dashboardLoaded');
      for (const from of ['iframe', 'element']) expect(of(log, 'dashboardLoaded', from)[0]?.dashboardHeight).toBe(480);
    } finally {
      standIn.setHeight();
      await context.close();
    }
  }, 30_000);

  it('emitEditableSection(): each embed announces it where Explo does', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      await heard(page, 'dashboardLoaded');
      const section = { charts: [{ id: 'c1', type: 'bar' }], availableChartTemplates: [{ id: 't1', name: 'Revenue' }] };
      standIn.emitEditableSection('editableSectionUpdated', section);
      standIn.emitEditableSection('editableSectionChartAdded', { chartId: 'c2' });
      standIn.emitEditableSection('editableSectionChartRemoved', { chartId: 'c1' });
      const log = await heard(page, 'editableSectionChartRemoved');
      for (const from of ['iframe', 'element']) {
        expect(log.filter((e) => e.from === from && e.event.startsWith('editableSection'))).toEqual([
          { from, event: 'editableSectionUpdated', detail: section },
          { from, event: 'editableSectionChartAdded', detail: { chartId: 'c2' } },
          { from, event: 'editableSectionChartRemoved', detail: { chartId: 'c1' } },
        ]);
      }
      expect(log.filter((e) => e.from === 'elsewhere')).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);
});
