import { createExploEmbed } from '@explo-embed/core';
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
