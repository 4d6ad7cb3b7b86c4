import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXAMPLE_ENV } from '../../../test/contract/example-contract.js';
import { type ExampleProcess, startExampleProcess } from '../../../test/support/example-process.js';
import { ALL_PASS, doctorRunner, ENV } from './support/doctor-run.js';
import {
  type Answer,
  COOKIE,
  claims,
  html,
  iframe,
  json,
  KEY,
  OTHER_KEY,
  page,
  route,
  SAME_ID_OTHER_VALUE,
  seal,
  T,
} from './support/doctor-site.js';

// explo-embed doctor against a real example app, and against deliberately broken pages served on
// 127.0.0.1; doctor's clock is frozen at T for those, and their servers claim T in their Date.
const S = T / 1000;
const { cli, doctor, onSite, expectNothingSecretPrinted } = doctorRunner();

afterAll(expectNothingSecretPrinted);
describe('explo-embed doctor on the Express example, signed in over HTTP', () => {
  let example: ExampleProcess;
  beforeAll(async () => {
    example = await startExampleProcess('express', EXAMPLE_ENV);
  });
  afterAll(() => example.close());
  const env = {
    EXPLO_KEY_ID: EXAMPLE_ENV.EXPLO_KEY_ID,
    EXPLO_KEY_VALUE: EXAMPLE_ENV.EXPLO_KEY_VALUE,
    EXPLO_DASHBOARDS: EXAMPLE_ENV.EXPLO_DASHBOARDS,
  };

  it('iframe page: every check passes, the allowlist is a note; exit 0', async () => {
    const cookie = await example.login('doctor-iframe');
    const r = await doctor(`${example.url}/`, ['--cookie', cookie], env, null);
    expect(r.status).toEqual(ALL_PASS);
    expect(r.code).toBe(0);
    expect(r.text.route).toMatch(/fresh token.* for the same customer "doctor-iframe"/);
    expect(r.text.dashboard).toMatch(/"emb-sales" \("sales" in EXPLO_DASHBOARDS\)/);
    expect(r.stdout).not.toContain(cookie);
  });

  it('web-component page, cookie read from stdin: the script-src check joins, all pass', async () => {
    const cookie = await example.login('doctor-component');
    const r = await cli(['doctor', `${example.url}/?mode=web-component`, '--cookie', '-'], env, {
      now: null,
      stdin: `Cookie: ${cookie}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pass {2}embed +explo-dashboard with token "eyJhbGciOiJk…", environment "production"\.$/m);
    expect(r.stdout).toMatch(/^pass {2}script-src +allows https:\/\/embed\.explo\.co\.$/m);
    expect(r.stdout).toMatch(/^Nothing failed: 16 passed, 1 note\.$/m);
    expect(r.stderr).toBe('');
  });

  it('signed out: the page has no embed (exit 1), the token route answers 401', async () => {
    const r = await doctor(`${example.url}/`, [], env, null);
    expect(r.code).toBe(1);
    expect(r.status).toMatchObject({ page: 'pass', embed: 'fail', route: 'warn', 'route-auth': 'pass' });
    expect(r.text.embed).toMatch(/this page was read signed out: pass --cookie/);
  });
});

describe('explo-embed doctor on deliberately broken pages', () => {
  it('a page that is right passes every check (the harness itself)', async () => {
    const r = await onSite({});
    expect(r.status).toEqual(ALL_PASS);
    expect(r.code).toBe(0);
    expect(r.paths).toEqual(['/dashboard', '/explo/token?fresh=1&dashboard=sales', '/explo/token?fresh=1&dashboard=sales']);
  });

  it('no embed: fails; the token route’s token is judged instead', async () => {
    const r = await onSite({ page: page('<p>Welcome</p><iframe src="https://app.explo.co/dashboard"></iframe>') });
    expect(r.code).toBe(1);
    expect(r.status).toMatchObject({ embed: 'fail', token: 'pass', customer: 'pass', route: 'pass' });
    expect(r.text.embed).toMatch(
      /no Explo embed.*an iframe from https:\/\/app\.explo\.co has the URL "https:\/\/app\.explo\.co\/dashboard"/,
    );
    expect(r.text.token).toMatch(/^the token route's token decrypts/);
  });

  it('an expired token: expiry fails with how long ago', async () => {
    const r = await onSite({ page: page(iframe(seal(claims({ iat: S - 3780, exp: S - 180 })))) });
    expect(r.code).toBe(1);
    expect(r.status).toMatchObject({ token: 'pass', expiry: 'fail', lifetime: 'pass' });
    expect(r.text.expiry).toMatch(/^expired 3 min ago \(2026-11-30T11:57:00\.000Z\)/);
  });

  it.each([
    ['another key (kid)', OTHER_KEY, /minted with another key: its kid "7a6b5c4d-.*" is not among the 1 configured/],
    [
      'another value under the same kid',
      SAME_ID_OTHER_VALUE,
      /does not decrypt with the configured key "5d4c3b2a-.*": .*another key value/,
    ],
  ])('a token made with %s: token fails, no key value shown', async (_name, key, message) => {
    const r = await onSite({ page: page(iframe(seal(claims(), { key }))) });
    expect(r.code).toBe(1);
    expect(r.status.token).toBe('fail');
    expect(r.status.expiry).toBeUndefined();
    expect(r.text.token).toMatch(message);
  });

  it('a 16-byte IV (as Explo mints them) is read; a key file with two keys picks by kid', async () => {
    const legacy = await onSite({ page: page(iframe(seal(claims(), { ivLength: 16 }))) });
    expect(legacy.status.token).toBe('pass');
    expect(legacy.text.token).toMatch(/16-byte IV/);
    const file = join(mkdtempSync(join(tmpdir(), 'explo-doctor-')), 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [OTHER_KEY, KEY] }));
    const rotated = await onSite({}, ['--cookie', COOKIE, '--key-file', file], { EXPLO_DASHBOARDS: ENV.EXPLO_DASHBOARDS });
    expect(rotated.status).toEqual(ALL_PASS);
  });

  it('a dashboard not in EXPLO_DASHBOARDS fails; without EXPLO_DASHBOARDS it is a warning', async () => {
    const spec = { page: page(iframe(seal(claims({ dsh: 'emb-payroll' })))) };
    const r = await onSite(spec);
    expect(r.status.dashboard).toBe('fail');
    expect(r.text.dashboard).toMatch(/"emb-payroll" is none of EXPLO_DASHBOARDS \("sales", "ops"\)/);
    const { EXPLO_DASHBOARDS: _, ...noNames } = ENV;
    const unknown = await onSite(spec, ['--cookie', COOKIE], noNames);
    expect(unknown.status.dashboard).toBe('warn');
  });

  it.each([
    [
      'another origin',
      () => 'https://evil.example/',
      'fail',
      /is not this page's origin http:\/\/127\.0\.0\.1:\d+\/: Explo refuses/,
    ],
    [
      'the page origin without its slash',
      (origin: string) => origin,
      'fail',
      /not written as Explo compares it: .*trailing slash/,
    ],
    ['the page origin in Explo’s form', (origin: string) => `${origin}/`, 'pass', /is this page's origin/],
  ])('iss: %s', async (_name, iss, status, message) => {
    const r = await onSite({ page: (origin) => page(iframe(seal(claims({ iss: iss(origin) })))) });
    expect(r.status.iss).toBe(status);
    expect(r.text.iss).toMatch(message);
  });

  it.each([
    [
      'default-src without frame-src',
      { 'content-security-policy': "default-src 'self'" },
      'fail',
      /header's default-src \("'self'"\) blocks https:\/\/app\.explo\.co.*add https:\/\/app\.explo\.co to a frame-src directive/,
    ],
    [
      'frame-src for another host',
      { 'content-security-policy': 'frame-src https://app.example.com' },
      'fail',
      /header's frame-src .* blocks https:\/\/app\.explo\.co/,
    ],
    ['no CSP at all', { 'content-security-policy': null }, undefined, undefined],
    ['frame-src *.explo.co', { 'content-security-policy': 'frame-src https://*.explo.co' }, 'pass', /allows/],
  ] as const)('CSP %s', async (_name, headers, status, message) => {
    const r = await onSite({ page: page(undefined, headers) });
    expect(r.status['frame-src']).toBe(status);
    if (message) expect(r.text['frame-src']).toMatch(message);
    if (status === undefined) expect(r.status.csp).toBe('pass');
    expect(r.code).toBe(status === 'fail' ? 1 : 0);
  });

  it('CSP: a <meta> policy in the head counts, one in the body does not; connect-src is a warning for an iframe', async () => {
    const meta = `<meta http-equiv="Content-Security-Policy" content="frame-src 'self'; connect-src 'self'">`;
    const inHead = await onSite({ page: { ...page(), body: html(iframe(seal(claims())), meta) } });
    expect(inHead.status).toMatchObject({ 'frame-src': 'fail', 'connect-src': 'warn' });
    expect(inHead.text['frame-src']).toMatch(/^the <meta> policy's frame-src/);
    const inBody = await onSite({ page: { ...page(), body: html(`${meta}${iframe(seal(claims()))}`) } });
    expect(inBody.status).toMatchObject({ 'frame-src': 'pass', 'connect-src': 'pass' });
  });

  it('CSP for the web component: script-src must allow the bundle; with strict-dynamic only the nonce does', async () => {
    const component = `<script src="https://embed.explo.co/bundle.js" NONCE></script><explo-dashboard dash-jwt="${seal(claims())}" environment="production"></explo-dashboard>`;
    const csp = (scripts: string) => ({
      'content-security-policy': `frame-src https://app.explo.co; script-src ${scripts}; connect-src https:`,
    });
    const blocked = await onSite({ page: page(component.replace('NONCE', ''), csp("'self'")) });
    expect(blocked.status).toMatchObject({ embed: 'pass', 'script-src': 'fail', 'connect-src': 'pass' });
    expect(blocked.code).toBe(1);
    const strict = "'nonce-abc123' 'strict-dynamic' https://embed.explo.co";
    const noNonce = await onSite({ page: page(component.replace('NONCE', ''), csp(strict)) });
    expect(noNonce.status['script-src']).toBe('fail');
    expect(noNonce.text['script-src']).toMatch(/'strict-dynamic' ignores hosts: give <script .*> this response's nonce/);
    const withNonce = await onSite({ page: page(component.replace('NONCE', 'nonce="abc123"'), csp(strict)) });
    expect(withNonce.status['script-src']).toBe('pass');
    const bare = await onSite({ page: page(`<explo-report-builder jwt="${seal(claims())}"></explo-report-builder>`) });
    expect(bare.status).toMatchObject({ embed: 'pass', environment: 'warn', bundle: 'warn' });
  });

  it.each([
    ['public, max-age=300', 'fail'],
    ['s-maxage=60', 'fail'],
    ['max-age=600', 'fail'],
    ['no-cache', 'warn'],
    [null, 'warn'],
    ['no-store', 'pass'],
  ])('Cache-Control %p on the page: %s', async (value, status) => {
    const r = await onSite({ page: page(undefined, { 'cache-control': value }) });
    expect(r.status.cache).toBe(status);
    expect(r.code).toBe(status === 'fail' ? 1 : 0);
  });

  it('the token route answering another customer fails', async () => {
    const r = await onSite({
      route: (signedIn) => (signedIn ? json(200, { jwt: seal(claims({ cst: 'mallory', iat: S })) }) : route(false)),
    });
    expect(r.status.route).toBe('fail');
    expect(r.text.route).toMatch(/answers customer "mallory", but the page's token is for "acme"/);
    expect(r.code).toBe(1);
  });

  it('the token route answering 200 without the cookie fails; its cacheable answer fails too', async () => {
    const open = (): Answer => ({
      ...json(200, { jwt: seal(claims({ iat: S })) }),
      headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' },
    });
    const r = await onSite({ route: open });
    expect(r.status).toMatchObject({ route: 'pass', 'route-cache': 'fail', 'route-auth': 'fail' });
    expect(r.text['route-auth']).toMatch(/answers 200 without any cookie: it hands tokens to anyone/);
  });

  it('the token route handing back the page’s old token to fresh=1 is a warning; a redirect when signed out too', async () => {
    const jwt = seal(claims());
    const r = await onSite({
      page: page(iframe(jwt)),
      route: (signedIn) => (signedIn ? json(200, { jwt }) : { status: 302, headers: { location: '/login' } }),
    });
    expect(r.status).toMatchObject({ route: 'warn', 'route-auth': 'warn' });
    expect(r.text.route).toMatch(/answered the page's own token, minted 1 min before, to fresh=1/);
    expect(r.text['route-auth']).toMatch(/answers HTTP 302 to "\/login" \(not followed\) without the cookie, not 401/);
    expect(r.paths).not.toContain('/login');
    expect(r.code).toBe(0);
  });

  it('no token route (404), a wrong cookie (401), and --token-url', async () => {
    const none = await onSite({ route: () => ({ status: 404 }) });
    expect(none.status).toMatchObject({ route: 'fail', 'route-auth': 'fail' });
    const wrongCookie = await onSite({}, ['--cookie', 'session=expired']);
    expect(wrongCookie.status.route).toBe('fail');
    expect(wrongCookie.text.route).toMatch(/answered HTTP 401 \("ERR_EXPLO_UNAUTHENTICATED"\) to the signed-in user/);
    const moved = await onSite({}, ['--cookie', COOKIE, '--token-url', 'nowhere']);
    expect(moved.paths).toContain('/nowhere?fresh=1&dashboard=sales');
  });

  it.each([
    ['5 min ahead', 5 * 60_000, 'warn', /5 min ahead of this machine's: its tokens expire late/],
    ['61 s behind', -61_000, 'warn', /1 min 1 s behind this machine's: its tokens expire early/],
    ['59 s behind', -59_000, 'pass', /agrees .* \(within 59 s\)/],
  ])('a server clock %s: %s', async (_name, skew, status, message) => {
    const r = await onSite({ clock: T + skew });
    expect(r.status.clock).toBe(status);
    expect(r.text.clock).toMatch(message);
    expect(r.code).toBe(0);
  });

  it('a redirect from the page is reported, not followed', async () => {
    const r = await onSite({ page: { status: 302, headers: { location: '/login?next=%2Fdashboard' } } });
    expect(r.status).toMatchObject({ page: 'fail', clock: 'pass', route: 'pass' });
    expect(r.status.embed).toBeUndefined();
    expect(r.text.page).toMatch(/the page answered HTTP 302 to "\/login\?next=%2Fdashboard" \(not followed\)\. is --cookie/);
    expect(r.paths).not.toContain('/login?next=%2Fdashboard');
  });
});
