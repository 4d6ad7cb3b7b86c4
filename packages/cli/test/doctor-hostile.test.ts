import { afterAll, describe, expect, it } from '@jest/globals';
import { MAX_NODES, scanPage } from '../src/doctor/page-scan.js';
import { doctorRunner, ENV } from './support/doctor-run.js';
import { COOKIE, claims, html, iframe, KEY, page, route, seal, startSite } from './support/doctor-site.js';

// Everything doctor reads from a page is hostile: quoted, escaped and bounded in what it prints.
// And what it refuses before fetching anything, and how its report ends.
const { cli, doctor, onSite, expectNothingSecretPrinted } = doctorRunner();

afterAll(expectNothingSecretPrinted);

describe('explo-embed doctor reads the page as hostile input', () => {
  const ESC = '\u001b[31m';
  const CSI = '\u009b2J';
  const RLO = '\u202e';
  const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const longest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

  it('terminal escapes and huge values in claims, environment, headers: quoted, escaped and bounded', async () => {
    const cst = `${ESC}evil${CSI}${RLO}${'x'.repeat(3000)}`;
    const environment = encodeURIComponent(`${ESC}prod${RLO}`);
    const site = await startSite({
      page: page(iframe(seal(claims({ cst })), environment), {
        'content-type': 'text/html\x9b',
        'content-security-policy': `frame-src \x9b2J ${'a'.repeat(5000)}`,
      }),
      route: (signedIn) => (signedIn ? route(true) : { status: 302, headers: { location: `/login\x9b31m${'l'.repeat(5000)}` } }),
    });
    try {
      const text = await cli(['doctor', `${site.url}/`, '--cookie', COOKIE]);
      expect(text.code).toBe(1);
      expect(text.stdout).not.toMatch(ACTIVE);
      expect(longest(text.stdout)).toBeLessThan(1200);
      expect(text.stdout).toContain('customer "\\u001b[31mevil\\u009b2J\\u202exxxxxxxx');
      expect(text.stdout).toMatch(/environment "\\u001b\[31mprod\\u202e"/);
      expect(text.stdout).toMatch(/frame-src \("\\u009b2J a{100,}…"\) blocks/);
      expect(text.stdout).toMatch(/HTTP 302 to "\/login\\u009b31ml{100,}…" \(not followed\)/);
      expect(text.stdout).toMatch(/^fail {2}route +.*answers customer "acme", but the page's token is for "\\u001b/m);
      const asJson = await cli(['doctor', `${site.url}/`, '--cookie', COOKIE, '--json']);
      expect(asJson.stdout).not.toMatch(ACTIVE);
      expect(JSON.parse(asJson.stdout).ok).toBe(false);
    } finally {
      await site.close();
    }
  });

  it('a hostile kid, a 100 KB token attribute, a 3 MiB page, a Date that is not one', async () => {
    const kid = `${ESC}kid${'k'.repeat(5000)}`;
    const withKid = await onSite({ page: page(iframe(seal(claims(), { header: { alg: 'dir', enc: 'A256GCM', kid } }))) });
    expect(withKid.status.token).toBe('fail');
    expect(withKid.text.token).toMatch(/its kid "\\u001b\[31mkidk{60,}…" is not among/);
    const huge = await onSite({ page: page(`<explo-dashboard dash-jwt="${'A'.repeat(100_000)}"></explo-dashboard>`) });
    expect(huge.status.token).toBe('fail');
    expect(huge.text.token).toMatch(/is not an Explo token: The token is longer than 16384 characters/);
    const big = await onSite({ page: { ...page(), body: html(`${iframe(seal(claims()))}${'<p>filler</p>'.repeat(250_000)}`) } });
    expect(big.status).toMatchObject({ page: 'warn', embed: 'pass', token: 'pass' });
    expect(big.text.page).toMatch(/only its first 2048 KiB were read/);
    const date = await onSite({ page: page(undefined, { date: `Mon, \x9b${'9'.repeat(300)}` }) });
    expect(date.status.clock).toBe('warn');
    expect(date.text.clock).toMatch(/Date header "Mon, \\u009b9+…" is not a date/);
    for (const r of [withKid, huge, big, date]) expect(r.stdout).not.toMatch(ACTIVE);
  });
});

describe('explo-embed doctor keeps a hostile page small', () => {
  const embed = iframe(seal(claims()));

  it(`2 MiB of <b>: the parse stops past ${MAX_NODES} elements and comments, the tree read so far is scanned`, () => {
    const base = new URL('https://app.example.com/');
    const before = scanPage(html(`${embed}${'<b>'.repeat(700_000)}`), base);
    expect(before).toMatchObject({ capped: true, embeds: [{ kind: 'iframe' }] });
    const after = scanPage(html(`${'<div>'.repeat(MAX_NODES)}${embed}`), base);
    expect(after).toMatchObject({ capped: true, embeds: [] });
    expect(scanPage(html(`${'<!---->'.repeat(MAX_NODES + 1)}${embed}`), base)).toMatchObject({ capped: true, embeds: [] });
    // Just under the cap, all of it is read.
    expect(scanPage(html(`${'<i></i>'.repeat(MAX_NODES - 10)}${embed}`), base)).toMatchObject({ capped: false, embeds: [{}] });
  });

  it('a page of nested elements past the cap: page warns, an embed before it still counts', async () => {
    const r = await onSite({ page: page(`${embed}${'<b>'.repeat(60_000)}`) });
    expect(r.status).toMatchObject({ page: 'warn', embed: 'pass', token: 'pass' });
    expect(r.text.page).toMatch(
      / KiB with more than 50,000 elements: only the first 50,000 were read\. .*put the embed near the top/,
    );
  });

  it('an Explo iframe URL without the environment: its token cut to 12 characters, the fix names the segment', async () => {
    const jwt = seal(claims());
    const r = await onSite({ page: page(`<iframe src="https://app.explo.co/iframe/${jwt}?x=1"></iframe>`) });
    expect(r.status.embed).toBe('fail');
    expect(r.text.embed).toContain(
      `has the URL "https://app.explo.co/iframe/${jwt.slice(0, 12)}…?x=1", with no environment segment`,
    );
    expect(r.text.embed).not.toContain(jwt.slice(0, 13));
    expect(r.text.embed).toMatch(/Explo's iframe URL is https:\/\/app\.explo\.co\/iframe\/<token>\/<environment>/);
    const elsewhere = await onSite({ page: page(`<iframe src="https://app.explo.co/share/${jwt}/x/y"></iframe>`) });
    expect(elsewhere.text.embed).toContain(`/share/${jwt.slice(0, 12)}…/x/y"`);
    expect(elsewhere.text.embed).not.toContain(jwt.slice(0, 13));
  });

  it('inspect: a header or claims nested thousands deep is a malformed token (exit 3), not a crash', async () => {
    const header = `{"alg":"dir","enc":"A256GCM","kid":"${KEY.keyId}","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const deepHeader = `${Buffer.from(header).toString('base64url')}..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`;
    for (const json of [[], ['--json']]) {
      const r = await cli(['inspect', ...json, deepHeader]);
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).toMatch(/Nested deeper than 32 levels in the protected header: not an Explo token/);
    }
    let nested: unknown = 1;
    for (let i = 0; i < 1000; i++) nested = [nested];
    const deepClaims = await cli(['inspect', seal(claims({ x: nested }))]);
    expect(deepClaims.code).toBe(3);
    expect(deepClaims.stderr).toMatch(/Nested deeper than 32 levels in the claims/);
  });
});

describe('explo-embed doctor: what it refuses and how it ends', () => {
  it.each([
    ['not a URL', ['doctor', 'dashboard'], ENV, /^explo-embed: <page-url> "dashboard" is not a URL/],
    ['not http(s)', ['doctor', 'ftp://127.0.0.1/'], ENV, /http or https URL/],
    [
      'credentials in the URL',
      ['doctor', 'http://me:hunter2@127.0.0.1/'],
      ENV,
      /user name or password: pass the session with --cookie/,
    ],
    [
      'a token route elsewhere',
      ['doctor', 'http://127.0.0.1/', '--token-url', 'https://evil.example/t'],
      ENV,
      /--token-url must be on the page's origin/,
    ],
    ['a bad timeout', ['doctor', 'http://127.0.0.1/', '--timeout', '0'], ENV, /--timeout: give seconds from 1 to 120/],
    ['a two-line cookie', ['doctor', 'http://127.0.0.1/', '--cookie', 'a=1\nb=2'], ENV, /--cookie: give one Cookie header line/],
    [
      'a 33-byte key',
      ['doctor', 'http://127.0.0.1/'],
      { ...ENV, EXPLO_KEY_VALUE: `${KEY.keyValue}\n` },
      /32 bytes.*it is 33 bytes/,
    ],
    [
      'a malformed EXPLO_DASHBOARDS',
      ['doctor', 'http://127.0.0.1/'],
      { ...ENV, EXPLO_DASHBOARDS: 'sales' },
      /EXPLO_DASHBOARDS: "sales" is not name=embedId/,
    ],
  ])('%s: exit 2, one line, nothing fetched', async (_name, args, env, message) => {
    const r = await cli(args, env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('a page that never answers: fails after --timeout; a closed port: connection refused', async () => {
    const hung = await onSite({ hang: true }, ['--cookie', COOKIE, '--timeout', '1']);
    expect(hung.status).toEqual({ page: 'fail' });
    expect(hung.text.page).toMatch(/no answer within 1 s/);
    expect(hung.code).toBe(1);
    const site = await startSite();
    await site.close();
    const closed = await doctor(`${site.url}/`);
    expect(closed.text.page).toMatch(/connection refused/);
  });

  it('the text report: a header, one line per check with its fix below, a summary; --json has the same counts', async () => {
    const site = await startSite({ page: page(undefined, { 'cache-control': 'public' }) });
    try {
      const text = await cli(['doctor', `${site.url}/dashboard`, '--cookie', COOKIE]);
      const lines = text.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`explo-embed doctor "${site.url}/dashboard"`);
      expect(lines).toContain(
        'fail  cache         the page: Cache-Control "public" lets a shared cache serve one customer\'s token to another (public allows storing).',
      );
      expect(lines).toContain(
        '                    fix: send Cache-Control: private, no-store on every response that carries a token.',
      );
      expect(lines.at(-1)).toBe('Something failed: 1 failed, 15 passed, 1 note.');
      expect(text.code).toBe(1);
      const json = JSON.parse((await cli(['doctor', `${site.url}/dashboard`, '--cookie', COOKIE, '--json'])).stdout);
      expect(json).toMatchObject({ page: `${site.url}/dashboard`, ok: false, summary: { pass: 15, warn: 0, fail: 1, note: 1 } });
      expect(json.checks).toHaveLength(17);
    } finally {
      await site.close();
    }
  });
});
