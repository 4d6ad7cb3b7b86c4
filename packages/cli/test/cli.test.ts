import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, describe, expect, it } from '@jest/globals';
import { fakeJwt, startExploApi } from '../../../test/support/explo-api.js';
import { encryptByHand } from '../../core/test/fixtures.js';
import { durationInWords, expiryInWords } from '../src/index.js';

// Every command runs as a real process through the published bin (built dist/).
const BIN = fileURLToPath(new URL('../bin/explo-embed.js', import.meta.url));
const KEY = { keyId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', keyValue: 'cli-test-key-value-of-32-bytes!!' };
const KEY2 = { keyId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', keyValue: 'second-cli-key-for-rotation-32b!' };
const API_TOKEN = 'cli-api-token-that-must-never-print-123';
const KEY_ENV = { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue };
const outputs: string[] = [];

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}, input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(input ?? '');
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) as string;
const noStack = (r: Result) => expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .+:\d+/);

afterAll(() => {
  // Across every command run above: no key value, no API token, ever.
  for (const text of outputs) {
    for (const secret of [KEY.keyValue, KEY2.keyValue, API_TOKEN]) expect(text).not.toContain(secret);
  }
});

describe('explo-embed mint', () => {
  it('prints the token as the last line of stdout; it decrypts to the customer and embed id', async () => {
    const r = await run(
      [
        'mint',
        '--customer',
        'acme',
        '--embed-id',
        'emb-1',
        '--expires',
        '2h',
        '--rbc',
        'flt,srt',
        '--des',
        '--iss',
        'https://app.example.com',
      ],
      KEY_ENV,
    );
    expect(r.code).toBe(0);
    const { claims, header } = await decryptExploJwt(lastLine(r.stdout), KEY);
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM', kid: KEY.keyId });
    expect(claims).toMatchObject({ cst: 'acme', dsh: 'emb-1', rbc: ['flt', 'srt'], des: true, iss: 'https://app.example.com/' });
    expect(claims.exp - (claims.iat as number)).toBe(7200);
    expect(r.stderr).toMatch(/expires in (2 h|1 h 59 min)/);
  });

  it('--json prints jwt, expiresAt, expiresIn', async () => {
    const r = await run(['mint', '--customer', 'acme', '--embed-id', 'emb-1', '--json'], KEY_ENV);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ customerId: 'acme', embedId: 'emb-1', keyId: KEY.keyId });
    expect(body.expiresIn).toBeGreaterThanOrEqual(86_390);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await decryptExploJwt(body.jwt, KEY)).claims.cst).toBe('acme');
  });

  it('--dashboard takes a name from EXPLO_DASHBOARDS, as the middleware does', async () => {
    const r = await run(['mint', '--customer', 'acme', '--dashboard', 'ops'], {
      ...KEY_ENV,
      EXPLO_DASHBOARDS: 'sales=emb-s, ops=emb-o',
    });
    expect(r.code).toBe(0);
    expect((await decryptExploJwt(lastLine(r.stdout), KEY)).claims.dsh).toBe('emb-o');
    expect(r.stderr).toMatch(/embed id emb-o/);
  });

  it('--key-file with several keys and --key-id picks one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'explo-cli-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [KEY, KEY2] }));
    const r = await run(['mint', '--customer', 'c', '--embed-id', 'e', '--key-file', file, '--key-id', KEY2.keyId]);
    expect(r.code).toBe(0);
    expect((await decryptExploJwt(lastLine(r.stdout), [KEY, KEY2])).header.kid).toBe(KEY2.keyId);
    const missing = await run(['mint', '--customer', 'c', '--embed-id', 'e', '--key-file', file, '--key-id', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--key-id nope/);
  });

  it('--via-api mints through the API with the documented request; the API token is never printed', async () => {
    const api = await startExploApi((_c, n) => ({ status: 200, body: { success: 1, jwt: fakeJwt(n) } }));
    try {
      const r = await run(['mint', '--customer', 'acme', '--embed-id', 'emb-9', '--expires', '5400', '--via-api'], {
        EXPLO_API_TOKEN: API_TOKEN,
        EXPLO_API_URL: api.url,
      });
      expect(r.code).toBe(0);
      expect(lastLine(r.stdout)).toBe(fakeJwt(0));
      expect(api.calls[0]?.headers['explo-authorization']).toBe(`Token ${API_TOKEN}`);
      expect(api.calls[0]?.body).toMatchObject({ provided_id: 'acme', embed_id: 'emb-9', expiration: 'PT1H30M', key_id: null });
    } finally {
      await api.close();
    }
    const refused = await startExploApi(() => ({ status: 401, body: { detail: 'Invalid token' } }));
    try {
      const r = await run(['mint', '--customer', 'a', '--embed-id', 'b', '--via-api'], {
        EXPLO_API_TOKEN: API_TOKEN,
        EXPLO_API_URL: refused.url,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/HTTP 401.*API token/);
      noStack(r);
    } finally {
      await refused.close();
    }
  });

  it.each([
    ['no keys', ['mint', '--customer', 'a', '--embed-id', 'b'], {}, /EXPLO_KEY_ID and EXPLO_KEY_VALUE/],
    ['only the key id', ['mint', '--customer', 'a', '--embed-id', 'b'], { EXPLO_KEY_ID: KEY.keyId }, /Set both/],
    [
      'a 33-byte key',
      ['mint', '--customer', 'a', '--embed-id', 'b'],
      { ...KEY_ENV, EXPLO_KEY_VALUE: `${KEY.keyValue}\n` },
      /32 bytes.*whitespace/,
    ],
    ['no API token', ['mint', '--customer', 'a', '--embed-id', 'b', '--via-api'], {}, /EXPLO_API_TOKEN/],
    [
      'an absurd lifetime',
      ['mint', '--customer', 'a', '--embed-id', 'b', '--expires', '90d'],
      KEY_ENV,
      /^explo-embed: --expires: must be between/,
    ],
    [
      'a bad rbc word',
      ['mint', '--customer', 'a', '--embed-id', 'b', '--rbc', 'flt,export'],
      KEY_ENV,
      /--rbc: "export" is not one of/,
    ],
    [
      'a bad origin',
      ['mint', '--customer', 'a', '--embed-id', 'b', '--iss', 'app.example.com'],
      KEY_ENV,
      /--iss must be an origin/,
    ],
    ['an over-long customer', ['mint', '--customer', 'c'.repeat(600), '--embed-id', 'b'], KEY_ENV, /--customer: .*512/],
    ['neither --embed-id nor --dashboard', ['mint', '--customer', 'a'], KEY_ENV, /--embed-id <id>.*--dashboard <name>/],
    [
      'a dashboard name without EXPLO_DASHBOARDS',
      ['mint', '--customer', 'a', '--dashboard', 'sales'],
      KEY_ENV,
      /EXPLO_DASHBOARDS.*--embed-id/,
    ],
    [
      'a dashboard name not in EXPLO_DASHBOARDS',
      ['mint', '--customer', 'a', '--dashboard', 'payroll'],
      { ...KEY_ENV, EXPLO_DASHBOARDS: 'sales=emb-s,ops=emb-o' },
      /--dashboard payroll: not in EXPLO_DASHBOARDS \(sales, ops\)/,
    ],
    ['a missing flag', ['mint', '--embed-id', 'b'], KEY_ENV, /--customer/],
    ['an unknown flag', ['mint', '--customer', 'a', '--embed-id', 'b', '--colour'], KEY_ENV, /unknown option '--colour'/],
    ['an unknown command', ['mnit'], KEY_ENV, /unknown command 'mnit'/],
  ])('%s: exit 2 with a clear line, no stack', async (_name, args, env, message) => {
    const r = await run(args, env as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    noStack(r);
  });
});

describe('explo-embed inspect', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const hand = (claims: Record<string, unknown>, ivLength = 12, kid = KEY.keyId, keyValue = KEY.keyValue) =>
    encryptByHand({ alg: 'dir', enc: 'A256GCM', kid }, claims, keyValue, Buffer.alloc(ivLength, 5));

  it('shows header, claims and expiry in words; exit 0', async () => {
    const jwt = await hand({ cst: 'acme', dsh: 'emb', iat: now(), exp: now() + 7170 });
    const r = await run(['inspect', jwt], KEY_ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status\s+valid/);
    expect(r.stdout).toContain('"acme"');
    expect(r.stdout).toMatch(/expires in 1 h 59 min/);
  });

  it('reads the token from stdin with -', async () => {
    const jwt = await hand({ cst: 'stdin-customer', dsh: 'emb', exp: now() + 60 });
    const r = await run(['inspect', '-'], KEY_ENV, `${jwt}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stdin-customer');
  });

  it('reads Explo’s legacy 16-byte-IV tokens', async () => {
    const jwt = await hand({ cst: 'legacy', dsh: 'emb', exp: now() + 3600.5 }, 16);
    const r = await run(['inspect', jwt], KEY_ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/16-byte IV/);
    expect(r.stdout).toContain('"legacy"');
  });

  it('says "expired" with exit 5', async () => {
    const jwt = await hand({ cst: 'old', dsh: 'emb', exp: now() - 185 });
    const r = await run(['inspect', jwt], KEY_ENV);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/EXPIRED/);
    expect(r.stdout).toMatch(/expired 3 min( \d+ s)? ago/);
    const json = await run(['inspect', '--json', jwt], KEY_ENV);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'expired', valid: false, claims: { cst: 'old' } });
  });

  it('wrong key or unknown kid: exit 4', async () => {
    const wrong = await hand({ cst: 'a', dsh: 'b', exp: now() + 60 }, 12, KEY.keyId, KEY2.keyValue);
    const r1 = await run(['inspect', wrong], KEY_ENV);
    expect(r1.code).toBe(4);
    expect(r1.stderr).toMatch(/key does not match/);
    const unknown = await hand({ cst: 'a', dsh: 'b', exp: now() + 60 }, 12, 'some-other-kid');
    const r2 = await run(['inspect', unknown], KEY_ENV);
    expect(r2.code).toBe(4);
    expect(r2.stderr).toContain('some-other-kid');
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a signed JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJjc3QiOiJhIn0.c2ln'],
    [
      'alg none',
      `${Buffer.from('{"alg":"none","enc":"A256GCM"}').toString('base64url')}..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`,
    ],
  ])('malformed (%s): exit 3, one line', async (_name, jwt) => {
    const r = await run(['inspect', jwt], KEY_ENV);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    noStack(r);
  });

  it('--json for a valid token', async () => {
    const jwt = await hand({ cst: 'j', dsh: 'e', exp: now() + 600 });
    const r = await run(['inspect', '--json', jwt], KEY_ENV);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: 'valid',
      valid: true,
      header: { kid: KEY.keyId },
      claims: { cst: 'j' },
      legacyIv: false,
    });
  });

  it('without keys: shows the header, says how to decrypt, exit 2', async () => {
    const jwt = await hand({ cst: 'a', dsh: 'b', exp: now() + 60 });
    const r = await run(['inspect', jwt]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(KEY.keyId);
    expect(r.stderr).toMatch(/EXPLO_KEY_ID and EXPLO_KEY_VALUE/);
  });
});

describe('explo-embed url', () => {
  it('prints the iframe URL of a fresh token; report builder and environment', async () => {
    const r = await run(['url', '--customer', 'acme', '--embed-id', 'emb', '--environment', 'staging'], KEY_ENV);
    expect(r.code).toBe(0);
    const match = /^https:\/\/app\.explo\.co\/iframe\/([^/]+)\/staging$/.exec(r.stdout.trim());
    expect((await decryptExploJwt(decodeURIComponent(match?.[1] as string), KEY)).claims.cst).toBe('acme');
    const rb = await run(['url', '--customer', 'acme', '--embed-id', 'emb', '--report-builder'], KEY_ENV);
    expect(rb.stdout.trim()).toMatch(/^https:\/\/app\.explo\.co\/report-builder\/iframe\/[^/]+\/production$/);
  });
});

describe('explo-embed check', () => {
  it('passes a good configuration and prints no secret', async () => {
    const r = await run(['check'], { ...KEY_ENV, EXPLO_API_TOKEN: API_TOKEN });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/key value is 32 bytes/);
    expect(r.stdout).toMatch(/EXPLO_API_TOKEN is set/);
  });

  it.each([
    [
      'trailing newline',
      { ...KEY_ENV, EXPLO_KEY_VALUE: `${KEY.keyValue}\n` },
      /it is 33 bytes\. It has leading or trailing whitespace/,
    ],
    ['base64-encoded', { ...KEY_ENV, EXPLO_KEY_VALUE: Buffer.from(KEY.keyValue).toString('base64') }, /looks base64-encoded/],
    ['too short', { ...KEY_ENV, EXPLO_KEY_VALUE: 'short' }, /5 bytes/],
    ['API token with a newline', { EXPLO_API_TOKEN: `${API_TOKEN}\n` }, /EXPLO_API_TOKEN has leading or trailing whitespace/],
    ['a bad API URL', { EXPLO_API_TOKEN: API_TOKEN, EXPLO_API_URL: 'api.explo.co' }, /EXPLO_API_URL must be an https base URL/],
    [
      'a plain-http API URL off this machine',
      { EXPLO_API_TOKEN: API_TOKEN, EXPLO_API_URL: 'http://api.explo.co' },
      /EXPLO_API_URL must use https/,
    ],
    ['nothing', {}, /Nothing is configured/],
  ])('reports %s with exit 2', async (_name, env, message) => {
    const r = await run(['check'], env as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(message);
    expect(r.stdout).not.toContain('cli-test-key-value');
  });

  it('--origin judges the embedding page as Explo needs it, with the CSP and the allowlist', async () => {
    const good = await run(['check', '--origin', 'https://app.example.com']);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/ok\s+origin https:\/\/app\.example\.com\/ /);
    expect(good.stdout).toMatch(/add https:\/\/app\.example\.com to Explo's domain allowlist/);
    expect(good.stdout).toMatch(
      /frame-src https:\/\/app\.explo\.co; script-src https:\/\/embed\.explo\.co; connect-src https:\/\/api\.explo\.co https:\/\/\*\.data\.explo\.co/,
    );
    const local = await run(['check', '--origin', 'http://localhost:3000']);
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/localhost:3000 is on Explo's domain allowlist by default/);
    for (const [origin, reason] of [
      ['https:app.example.com/', /"\/\/" after the scheme/],
      ['https://app.example.com/dashboard', /no path, query or hash/],
      ['app.example.com', /an origin such as/],
      ['ftp://app.example.com', /http or https/],
    ] as const) {
      const bad = await run(['check', '--origin', origin]);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toMatch(reason);
    }
  });

  it('warns about a key id that is not a UUID', async () => {
    const r = await run(['check'], { ...KEY_ENV, EXPLO_KEY_ID: 'Production key' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warn .*not a UUID/);
  });
});

describe('help', () => {
  it.each([
    [['--help']],
    [['mint', '--help']],
    [['inspect', '--help']],
    [['url', '--help']],
    [['check', '--help']],
    [['doctor', '--help']],
  ])('%p prints usage, exit 0', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: explo-embed/);
  });

  it('the top-level help documents the exit codes', async () => {
    expect((await run(['--help'])).stdout).toMatch(/5\s+expired token/);
  });
});

describe('expiry in words', () => {
  it.each([
    [7140, '1 h 59 min'],
    [3605, '1 h'],
    [180, '3 min'],
    [45, '45 s'],
    [0, '0 s'],
    [93_600, '1 d 2 h'],
  ])('%i s -> %s', (seconds, words) => {
    expect(durationInWords(seconds)).toBe(words);
  });

  it('says expires in / expired ago', () => {
    expect(expiryInWords(1000, 1000_000 - 60_000)).toBe('expires in 1 min');
    expect(expiryInWords(1000, 1000_000 + 180_000)).toBe('expired 3 min ago');
  });
});
