import { PassThrough } from 'node:stream';
import { runCli } from '@explo-embed/cli';
import { decryptExploJwt } from '@explo-embed/core';
import { createExploAdapter } from '@explo-embed/core/adapter';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encryptByHand } from '../../packages/core/test/fixtures.js';

// Forged tokens and hostile requests: correctly encrypted (so they reach the claim checks), with
// headers and claims built to break things: control and direction characters, huge and non-finite
// numbers, deep and duplicate-key JSON, long strings. Only coded errors may come out, with short
// clean messages; the CLI prints nothing that can act on a terminal.
const KEY = { keyId: '8b9c0d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e', keyValue: 'hostile-input-test-key-32-bytes!' };
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const NOW = Date.UTC(2026, 10, 24) / 1000;

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('\u001b[31mFORGED\u001b[0m', 'a\nERR_EXPLO_FAKE: injected line', '\u202eevil', '\u009b2J', 'x'.repeat(5000)),
);
const hostileNumber = fc.constantFrom('1e300', '-1e300', '1e400', '-1e400', '0', '-0', '4.2e12', '8.64e12', '8.64e13', '1.5');
const hostileClaims = fc.oneof(
  fc
    .record({ cst: hostileString, dsh: hostileString, exp: hostileNumber, iat: hostileNumber })
    .map(({ cst, dsh, exp, iat }) => `{"cst":${JSON.stringify(cst)},"dsh":${JSON.stringify(dsh)},"exp":${exp},"iat":${iat}}`),
  fc.constantFrom(
    `{"cst":"a","dsh":"b","exp":${NOW + 60},"exp":"later"}`,
    `{"cst":"a","cst":{"x":1},"dsh":"b","exp":${NOW + 60}}`,
    `{"cst":"a","dsh":"b","exp":${NOW + 60},"nested":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
    '[1,2,3]',
    'null',
    `{"cst":"a","dsh":"b","exp":${NOW + 60}}${'\u0000'.repeat(3)}`,
  ),
);
const hostileHeader = fc.record({ kid: hostileString, extra: hostileString }).map(({ kid, extra }) => ({
  alg: 'dir',
  enc: 'A256GCM',
  kid,
  x: extra,
}));
const forged = fc
  .tuple(fc.boolean(), hostileHeader, hostileClaims)
  .map(([ownKid, header, claims]) => ({ header: ownKid ? { ...header, kid: KEY.keyId } : header, claims }));

const expectCleanFailure = (error: unknown) => {
  const { code, message } = error as { code?: unknown; message?: unknown };
  expect(code).toMatch(/^ERR_EXPLO_[A-Z_]+$/);
  expect(typeof message).toBe('string');
  expect((message as string).length).toBeLessThan(300);
  expect(message).not.toMatch(UNSAFE);
};

describe('hostile input', () => {
  it('decryptExploJwt: forged headers and claims give coded errors with short, clean messages', async () => {
    await fc.assert(
      fc.asyncProperty(forged, async ({ header, claims }) => {
        const jwt = await encryptByHand(header, claims, KEY.keyValue, Buffer.alloc(12, 7));
        await decryptExploJwt(jwt, KEY, { currentDate: new Date(NOW * 1000) }).then(
          ({ claims: decoded }) => expect(Number.isFinite(decoded.exp)).toBe(true),
          expectCleanFailure,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('explo-embed inspect: forged tokens never reach the terminal as control sequences', async () => {
    await fc.assert(
      fc.asyncProperty(forged, async ({ header, claims }) => {
        const jwt = await encryptByHand(header, claims, KEY.keyValue, Buffer.alloc(12, 9));
        let out = '';
        const io = {
          stdout: (text: string) => {
            out += text;
          },
          stderr: (text: string) => {
            out += text;
          },
          stdin: new PassThrough(),
          env: { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue },
          now: () => NOW * 1000,
        };
        for (const args of [
          ['inspect', jwt],
          ['inspect', '--json', jwt],
        ]) {
          out = '';
          const code = await runCli(args, io);
          expect([0, 3, 4, 5]).toContain(code);
          expect(out).not.toMatch(UNSAFE);
          expect(out).not.toContain('unexpected failure');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the token route: hostile query strings get a 4xx or a token, with clean problem details', async () => {
    const adapter = createExploAdapter<undefined>(
      { secret: KEY, dashboards: { sales: 'emb-sales' }, logger: false },
      () => 'acme',
    );
    const query = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      hostileString.map((s) => `dashboard=${encodeURIComponent(s)}`),
      hostileString.map((s) => `${encodeURIComponent(s)}[]=1&fresh=${encodeURIComponent(s)}`),
    );
    await fc.assert(
      fc.asyncProperty(query, async (raw) => {
        const response = await adapter.respond(undefined, { method: 'GET', url: `/explo/token?${raw}`, headers: {} });
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) {
          const problem = JSON.parse(response.body) as { detail: string; code: string };
          expect(problem.code).toMatch(/^ERR_EXPLO_/);
          expect(problem.detail.length).toBeLessThan(300);
          expect(problem.detail).not.toMatch(UNSAFE);
        }
      }),
      { numRuns: 500 },
    );
  });
});
