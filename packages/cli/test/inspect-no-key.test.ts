import { describe, expect, it } from '@jest/globals';
import { encryptByHand } from '../../core/test/fixtures.js';
import { runInProcess } from './support/cli-run.js';

// inspect with no usable key: the header (a token of Explo's can be read for its kid before the
// key is at hand), then one line saying why the claims are not shown; exit 2, as configuration.
const KEY = { keyId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', keyValue: 'cli-test-key-value-of-32-bytes!!' };
const HEADER = { alg: 'dir', enc: 'A256GCM', kid: KEY.keyId };
const T = 1_767_225_600; // 2026-01-01T00:00:00Z, seconds
const NOW = { now: T * 1000 };
const NO_KEY = 'no key configured (set EXPLO_KEY_ID and EXPLO_KEY_VALUE or --key-file) to decrypt the claims.';
const HEADER_LINE = `header     ${JSON.stringify(HEADER)}`;
const token = (ivLength = 12) =>
  encryptByHand(HEADER, { cst: 'acme', dsh: 'emb', iat: T, exp: T + 600 }, KEY.keyValue, Buffer.alloc(ivLength, 7));

describe('inspect with no key configured', () => {
  it('prints the header on stdout and one line on stderr; exit 2', async () => {
    expect(await runInProcess(['inspect', await token()], {}, NOW)).toEqual({
      code: 2,
      stdout: `${HEADER_LINE}\n`,
      stderr: `explo-embed: ${NO_KEY}\n`,
    });
  });

  it("says when the token is one of Explo's (16-byte IV), read from stdin", async () => {
    const r = await runInProcess(['inspect', '-'], {}, { ...NOW, stdin: `${await token(16)}\n` });
    expect(r).toEqual({
      code: 2,
      stdout: `${HEADER_LINE}  (16-byte IV: minted by Explo / older python-jose)\n`,
      stderr: `explo-embed: ${NO_KEY}\n`,
    });
  });

  it('--json: one object that says so, nothing on stderr; exit 2', async () => {
    const r = await runInProcess(['inspect', '--json', await token(16)], {}, NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      status: 'no-key',
      valid: false,
      header: HEADER,
      legacyIv: true,
      error: { code: 'ERR_EXPLO_CLI_USAGE', message: NO_KEY },
    });
  });

  it('a malformed token is still exit 3, the token judged first', async () => {
    expect(await runInProcess(['inspect', 'not-a-token'], {}, NOW)).toMatchObject({ code: 3, stdout: '' });
  });

  it('with the key, the same token is valid: exit 0', async () => {
    const r = await runInProcess(['inspect', await token()], { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue }, NOW);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['status     valid', HEADER_LINE]);
  });
});

describe('inspect with a key set wrong', () => {
  const message =
    'EXPLO_KEY_VALUE must be exactly 32 bytes of UTF-8; it is 33 bytes. It has leading or trailing whitespace (often a newline from an env file or `echo`): trim it.';
  const env = { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: `${KEY.keyValue}\n` };

  it('shows the header and names the variable; exit 2', async () => {
    expect(await runInProcess(['inspect', await token()], env, NOW)).toEqual({
      code: 2,
      stdout: `${HEADER_LINE}\n`,
      stderr: `explo-embed: ${message}\n`,
    });
  });

  it("--json reports the core's code", async () => {
    const r = await runInProcess(['inspect', '--json', await token()], env, NOW);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      status: 'no-key',
      valid: false,
      header: HEADER,
      legacyIv: false,
      error: { code: 'ERR_EXPLO_KEY_LENGTH', message },
    });
    expect(r.stdout).not.toContain(KEY.keyValue);
  });

  it('only one variable set: says which', async () => {
    const r = await runInProcess(['inspect', await token()], { EXPLO_KEY_ID: KEY.keyId }, NOW);
    expect(r).toEqual({
      code: 2,
      stdout: `${HEADER_LINE}\n`,
      stderr: 'explo-embed: Set both EXPLO_KEY_ID and EXPLO_KEY_VALUE (only EXPLO_KEY_ID is set).\n',
    });
  });
});
