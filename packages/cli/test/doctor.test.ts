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
  GOOD_CSP,
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
    expect(r.stdout).toMatch(/^Nothing failed: 17 passed, 1 note\.$/m);
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
    // The route thrice: without a cookie, with a forged one, as the signed-in user.
    expect(r.paths).toEqual(['/dashboard', ...Array(3).fill('/explo/token?fresh=1&dashboard=sales')]);
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
    // A key file an editor saved with a byte order mark is read all the same.
    writeFileSync(file, `\uFEFF${JSON.stringify({ keys: [KEY] })}`);
    const bom = await onSite({}, ['--cookie', COOKIE, '--key-file', file], { EXPLO_DASHBOARDS: ENV.EXPLO_DASHBOARDS });
    expect(bom.status).toEqual(ALL_PASS);
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
    // Qualified by field names, private, no-store and no-cache cover those headers only (RFC 9111 5.2.2).
    ['private="Set-Cookie", s-maxage=3600', 'fail'],
    ['no-store="x", public, max-age=3600', 'fail'],
    ['private="Set-Cookie, Set-Cookie2"', 'warn'],
    ['no-cache="Set-Cookie", no-store', 'pass'],
  ])('Cache-Control %p on the page: %s', async (value, status) => {
    const r = await onSite({ page: page(undefined, { 'cache-control': value }) });
    expect(r.status.cache).toBe(status);
    expect(r.code).toBe(status === 'fail' ? 1 : 0);
  });

  it.each([
    [
      'CDN-Cache-Control that stores',
      { 'cdn-cache-control': 'public, max-age=3600' },
      'fail',
      /^the page: CDN-Cache-Control "public, max-age=3600" lets a CDN serve one customer's token to another .*CDNs obey it over Cache-Control/,
    ],
    [
      'Surrogate-Control that stores',
      { 'cache-control': 'no-store', 'surrogate-control': 'max-age=3600' },
      'fail',
      /^the page: Surrogate-Control "max-age=3600" lets a CDN serve/,
    ],
    [
      'CDN-Cache-Control: no-store',
      { 'cdn-cache-control': 'no-store' },
      'pass',
      /^the page: Cache-Control "private, no-store"\.\s*$/,
    ],
    [
      'CDN-Cache-Control: max-age=0 (stored, revalidated)',
      { 'cdn-cache-control': 'max-age=0' },
      'warn',
      /CDN-Cache-Control "max-age=0" does not keep it out of the CDNs/,
    ],
    [
      'no Cache-Control, a future Expires',
      { 'cache-control': null, expires: new Date(T + 3_600_000).toUTCString() },
      'fail',
      /has no Cache-Control, but Expires "Mon, 30 Nov 2026 13:00:00 GMT" in the future: any cache may keep it/,
    ],
    [
      'no Cache-Control, a past Expires',
      { 'cache-control': null, expires: new Date(T - 1000).toUTCString() },
      'warn',
      /has no Cache-Control: a shared cache may keep it by its own rules/,
    ],
  ] as const)('caching headers on the page: %s', async (_name, headers, status, message) => {
    const r = await onSite({ page: page(undefined, headers) });
    expect(r.status.cache).toBe(status);
    expect(r.text.cache).toMatch(message);
  });

  it("the token route's answer with CDN-Cache-Control that stores: route-cache fails, naming the header", async () => {
    const r = await onSite({
      route: (signedIn) =>
        signedIn
          ? {
              ...route(true),
              headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=60' },
            }
          : route(false),
    });
    expect(r.status['route-cache']).toBe('fail');
    expect(r.text['route-cache']).toMatch(/^the token route's answer: CDN-Cache-Control "max-age=60" lets a CDN/);
  });

  it('exp before iat fails lifetime, even when iat is in the future', async () => {
    const r = await onSite({ page: page(iframe(seal(claims({ iat: S + 3600, exp: S + 1800 })))) });
    expect(r.status.lifetime).toBe('fail');
    expect(r.text.lifetime).toMatch(
      /^exp \(2026-11-30T12:30:00\.000Z\) is not after iat \(2026-11-30T13:00:00\.000Z\): the token never was valid/,
    );
    expect(r.code).toBe(1);
  });

  it.each([
    ['exp and iat', { iat: T - 60_000, exp: T + 3_540_000 }, /^exp and iat are times in milliseconds/],
    ['iat', { iat: T - 60_000 }, /^iat is a time in milliseconds/],
  ])('%s in milliseconds (Date.now()): lifetime fails with "seconds, not milliseconds"', async (_name, times, message) => {
    const r = await onSite({ page: page(iframe(seal(claims(times)))) });
    expect(r.status.lifetime).toBe('fail');
    expect(r.text.lifetime).toMatch(message);
    expect(r.text.lifetime).toContain('in seconds, not milliseconds: Math.floor(Date.now() / 1000)');
    expect(r.text.lifetime).not.toMatch(/clock/);
    if ('exp' in times) {
      expect(r.status.expiry).toBe('fail');
      expect(r.text.expiry).toMatch(/is a time in milliseconds: read as seconds, the token never expires/);
    }
    expect(r.code).toBe(1);
  });

  it('a token route that answers a token to any Cookie header: the forged-cookie probe fails', async () => {
    const seen: (string | undefined)[] = [];
    const r = await onSite({
      route: (_signedIn, cookie) => {
        seen.push(cookie);
        return cookie === undefined ? route(false) : json(200, { jwt: seal(claims({ iat: S })) });
      },
    });
    expect(r.status).toMatchObject({ route: 'pass', 'route-auth': 'pass', 'route-forged': 'fail' });
    expect(r.text['route-forged']).toMatch(
      /answers 200 to a forged cookie \(the same names, random values\), with a token: it hands tokens to anyone/,
    );
    // The forged cookie: the same name, a random value of the same length.
    const forged = seen.find((c) => c !== undefined && c !== COOKIE) as string;
    expect(forged).toMatch(/^session=[A-Za-z0-9]+$/);
    expect(forged).toHaveLength(COOKIE.length);
    expect(r.code).toBe(1);
  });

  it('a token route that answers 200 without a token when signed out warns, describing it; a 403 to a forged cookie passes', async () => {
    const r = await onSite({
      route: (signedIn, cookie) =>
        signedIn
          ? route(true)
          : cookie === undefined
            ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>Sign in</p>' }
            : { status: 403 },
    });
    expect(r.status).toMatchObject({ 'route-auth': 'warn', 'route-forged': 'pass' });
    expect(r.text['route-auth']).toMatch(/answers 200 without any cookie, with 14 bytes of "text\/html" and no token, not 401/);
    expect(r.text['route-auth']).not.toMatch(/hands tokens/);
    expect(r.text['route-forged']).toMatch(/answers HTTP 403 to a forged cookie/);
  });

  it('a token route answer over the 64 KiB doctor reads says so', async () => {
    const r = await onSite({
      route: (signedIn) => (signedIn ? json(200, { padding: 'x'.repeat(70_000), jwt: seal(claims({ iat: S })) }) : route(false)),
    });
    expect(r.status.route).toBe('fail');
    expect(r.text.route).toMatch(
      /answered 200, but not JSON with a "jwt" \(it is larger than the 64 KiB doctor reads: cut there\)/,
    );
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
    expect(r.text['route-auth']).toMatch(/answers 200 without any cookie, with a token: it hands tokens to anyone/);
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

describe('explo-embed doctor: pages whose dashboard would be blank', () => {
  const jwt = seal(claims());
  const src = `https://app.explo.co/iframe/${jwt}/production`;

  it.each([
    ['without allow-scripts', 'sandbox allow-same-origin', 'fail', /sandbox \("allow-same-origin"\) lacks allow-scripts/],
    ['without allow-same-origin', 'sandbox allow-scripts allow-popups', 'fail', /lacks allow-same-origin/],
    ['with no flag at all', 'sandbox', 'fail', /lacks allow-scripts and allow-same-origin/],
    ['with both', 'sandbox allow-scripts allow-same-origin', 'pass', /allows scripts and the same origin/],
  ])('a CSP sandbox in the header %s: %s', async (_name, directive, status, message) => {
    const r = await onSite({ page: page(undefined, { 'content-security-policy': `${GOOD_CSP}; ${directive}` }) });
    expect(r.status['csp-sandbox']).toBe(status);
    expect(r.text['csp-sandbox']).toMatch(message);
    expect(r.code).toBe(status === 'fail' ? 1 : 0);
  });

  it('a CSP sandbox in a <meta> is ignored by browsers, and by doctor', async () => {
    const meta = `<meta http-equiv="Content-Security-Policy" content="sandbox">`;
    const r = await onSite({ page: { ...page(), body: html(iframe(jwt), meta) } });
    expect(r.status['csp-sandbox']).toBeUndefined();
    expect(r.code).toBe(0);
  });

  it.each([
    [
      'allow-scripts only',
      'allow-scripts',
      'fail',
      /sandbox "allow-scripts" lacks allow-same-origin: Explo's app runs without its origin/,
    ],
    ['allow-same-origin only', 'allow-same-origin allow-forms', 'fail', /lacks allow-scripts: Explo's app does not run/],
    ['empty', '', 'fail', /lacks allow-scripts and allow-same-origin/],
    ['both, in upper case', 'ALLOW-SCRIPTS  allow-same-origin', 'pass', /allows scripts and the same origin/],
  ])('an Explo <iframe sandbox> with %s: %s', async (_name, flags, status, message) => {
    const r = await onSite({ page: page(`<iframe sandbox="${flags}" src="${src}"></iframe>`) });
    expect(r.status.sandbox).toBe(status);
    expect(r.text.sandbox).toMatch(message);
  });

  it('an Explo iframe with srcdoc beside src fails: browsers show srcdoc', async () => {
    const r = await onSite({ page: page(`<iframe srcdoc="<p>Loading</p>" src="${src}"></iframe>`) });
    expect(r.status.embed).toBe('fail');
    expect(r.text.embed).toMatch(/also has a srcdoc attribute: browsers show srcdoc and never load src\. .*remove srcdoc/);
  });

  it.each([
    ['<svg>', `<svg>${iframe(jwt)}</svg>`],
    ['<math>', `<math>${iframe(jwt)}</math>`],
    ['<svg> (a web component)', `<svg><explo-dashboard dash-jwt="${jwt}" environment="production"></explo-dashboard></svg>`],
  ])('an embed inside %s is not an HTML element: no embed', async (_name, body) => {
    const r = await onSite({ page: page(body) });
    expect(r.status.embed).toBe('fail');
    expect(r.text.embed).toMatch(/^no Explo embed in the page's HTML/);
  });

  it('an iframe in an <svg>’s <foreignObject> is HTML again: it counts', async () => {
    const r = await onSite({ page: page(`<svg><foreignObject>${iframe(jwt)}</foreignObject></svg>`) });
    expect(r.status.embed).toBe('pass');
  });

  it.each([
    ['text/plain', 'warn'],
    ['application/json', 'warn'],
    ['module', undefined],
    ['text/javascript', undefined],
  ])('<script type="%s" src=".../bundle.js">: bundle %p', async (type, status) => {
    const body = `<script type="${type}" src="https://embed.explo.co/bundle.js"></script><explo-dashboard dash-jwt="${jwt}" environment="production"></explo-dashboard>`;
    const r = await onSite({ page: page(body) });
    expect(r.status.bundle).toBe(status);
  });

  it.each([
    ['empty', '', /environment "" is empty/],
    ['over 100 characters', 'p'.repeat(101), /environment "p{40}…" is longer than 100 characters/],
    ['with control characters', 'prod\tuction', /environment "prod\\tuction" holds control characters/],
  ])('a web component environment %s: warns', async (_name, environment, message) => {
    const r = await onSite({ page: page(`<explo-dashboard dash-jwt="${jwt}" environment="${environment}"></explo-dashboard>`) });
    expect(r.status.environment).toBe('warn');
    expect(r.text.environment).toMatch(message);
  });

  it('[::1] is this machine like 127.0.0.1 (no https warning); only localhost is on Explo’s documented allowlist', async () => {
    // Port 9 is one fetch refuses outright: nothing is sent anywhere.
    const r = await doctor('http://[::1]:9/');
    expect(r.status).toEqual({ page: 'fail' });
    for (const host of ['127.0.0.1', '[::1]']) {
      const check = await cli(['check', '--origin', `http://${host}:3000`]);
      expect(check.stdout).not.toMatch(/is on Explo's domain allowlist/);
      expect(check.stdout).toContain(`say nothing of ${host}: open the page as http://localhost:3000/`);
    }
    const local = await cli(['check', '--origin', 'http://localhost:3000']);
    expect(local.stdout).toMatch(/localhost:3000 is on Explo's domain allowlist by default/);
  });
});
