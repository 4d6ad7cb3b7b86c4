import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type CliRun, runInProcess } from './support/cli-run.js';

// A key value mistake is named as the user set it: the variable, or the key file's entry.
const KEY = { keyId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', keyValue: 'cli-test-key-value-of-32-bytes!!' };
const LONG = `${KEY.keyValue}\n`;
const WHITESPACE =
  'must be exactly 32 bytes of UTF-8; it is 33 bytes. It has leading or trailing whitespace (often a newline from an env file or `echo`): trim it.';
const SHORT =
  'must be exactly 32 bytes of UTF-8; it is 5 bytes. Use the key value exactly as Explo shows it (it is not base64 or hex encoded).';
const dir = mkdtempSync(join(tmpdir(), 'explo-cli-keys-'));
const printed: CliRun[] = [];

function keyFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const r = await runInProcess(args, env);
  printed.push(r);
  return r;
}

const MINT = ['mint', '--customer', 'acme', '--embed-id', 'emb'];

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const r of printed) expect(`${r.stdout}${r.stderr}`).not.toContain(KEY.keyValue);
});

describe('EXPLO_KEY_ID / EXPLO_KEY_VALUE', () => {
  it.each([
    ['a 33-byte key value', { ...KEY, keyValue: LONG }, `EXPLO_KEY_VALUE ${WHITESPACE}`],
    ['an empty key id', { ...KEY, keyId: '' }, 'EXPLO_KEY_ID must be a non-empty string (the key id Explo shows).'],
    [
      'a key id with a newline',
      { ...KEY, keyId: `${KEY.keyId}\n` },
      'EXPLO_KEY_ID must be at most 256 characters with no whitespace around it and no control characters.',
    ],
  ])('%s: the variable is named, exit 2', async (_name, key, message) => {
    const env = { EXPLO_KEY_ID: key.keyId, EXPLO_KEY_VALUE: key.keyValue };
    expect(await run(MINT, env)).toEqual({ code: 2, stdout: '', stderr: `explo-embed: ${message}\n` });
    const check = await run(['check'], env);
    expect(check.code).toBe(2);
    expect(check.stdout).toBe(`error  ${message}\n1 problem found.\n`);
  });

  it.each([
    ['url', ['url', '--customer', 'acme', '--embed-id', 'emb']],
    ['doctor', ['doctor', 'https://app.example.com/']],
  ])('%s names it the same, before anything is fetched', async (_name, args) => {
    const r = await run(args, { EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: LONG });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `explo-embed: EXPLO_KEY_VALUE ${WHITESPACE}\n` });
  });

  it('only one of the two set: says which', async () => {
    const r = await run(MINT, { EXPLO_KEY_VALUE: KEY.keyValue });
    expect(r.stderr).toBe('explo-embed: Set both EXPLO_KEY_ID and EXPLO_KEY_VALUE (only EXPLO_KEY_VALUE is set).\n');
    expect((await run(['check'], { EXPLO_KEY_VALUE: KEY.keyValue })).stdout).toBe(
      'error  Set both EXPLO_KEY_ID and EXPLO_KEY_VALUE (only EXPLO_KEY_VALUE is set).\n1 problem found.\n',
    );
  });
});

describe('--key-file: the file and the entry', () => {
  const second = { keyId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', keyValue: 'short' };

  it.each([
    ['an array', 'array.json', [KEY, second], '[1]'],
    ['{ "keys": [...] }', 'wrapped.json', { keys: [KEY, second] }, '.keys[1]'],
    ['one { keyId, keyValue }', 'one.json', second, ''],
  ])('%s', async (_name, name, content, at) => {
    const file = keyFile(name, content);
    const message = `${file}${at}.keyValue ${SHORT}`;
    expect(await run([...MINT, '--key-file', file])).toEqual({ code: 2, stdout: '', stderr: `explo-embed: ${message}\n` });
    const check = await run(['check', '--key-file', file]);
    expect(check.code).toBe(2);
    expect(check.stdout.split('\n')).toContain(`error  ${message}`);
  });

  it('an entry that is not a key object', async () => {
    const file = keyFile('numbers.json', [KEY, 7]);
    expect((await run([...MINT, '--key-file', file])).stderr).toBe(
      `explo-embed: ${file}[1] must be an object { keyId, keyValue }.\n`,
    );
  });

  it('one good key in a file mints', async () => {
    const r = await run([...MINT, '--key-file', keyFile('good.json', KEY)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it.each([
    ['no keys', { keys: [] }],
    ['a misspelt wrapper', { key: [KEY] }],
    ['a number', 42],
  ])('%s: says what a key file holds', async (_name, content) => {
    const file = keyFile('empty.json', content);
    expect((await run([...MINT, '--key-file', file])).stderr).toBe(
      `explo-embed: --key-file ${file}: no keys. Expected JSON: [{ "keyId": "...", "keyValue": "..." }, ...], { "keys": [...] } or one { "keyId", "keyValue" }.\n`,
    );
  });
});
