import { createExploEmbed, decodeExploJwtHeader, decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
