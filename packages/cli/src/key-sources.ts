import { readFileSync } from 'node:fs';
import { assertSecret, type ExploEmbedError, type ExploSecret } from '@explo-embed/core';
import { CliError } from './cli-error.js';

/** One configured key, not yet checked, and the names the user knows it and its fields by. */
export interface KeySource {
  key: unknown;
  /** The key as a whole: `EXPLO_KEY_ID/EXPLO_KEY_VALUE`, `keys.json[1]`. */
  where: string;
  /** Each field as the user set it: `EXPLO_KEY_VALUE`, `keys.json[1].keyValue`. */
  names: { keyId: string; keyValue: string };
}

/**
 * The keys as given: `--key-file` (JSON: an array of `{ keyId, keyValue }`, `{ "keys": [...] }` or
 * one `{ keyId, keyValue }`), else `EXPLO_KEY_ID` / `EXPLO_KEY_VALUE` (none when neither is set).
 * Throws a CliError for an unreadable file or only one of the two variables.
 */
export function keySources(env: NodeJS.ProcessEnv, keyFile: string | undefined): KeySource[] {
  if (keyFile !== undefined) return readKeyFile(keyFile);
  const { EXPLO_KEY_ID: keyId, EXPLO_KEY_VALUE: keyValue } = env;
  if (keyId === undefined && keyValue === undefined) return [];
  if (keyId === undefined || keyValue === undefined) {
    throw new CliError(
      `Set both EXPLO_KEY_ID and EXPLO_KEY_VALUE (only ${keyId === undefined ? 'EXPLO_KEY_VALUE' : 'EXPLO_KEY_ID'} is set).`,
    );
  }
  const names = { keyId: 'EXPLO_KEY_ID', keyValue: 'EXPLO_KEY_VALUE' };
  return [{ key: { keyId, keyValue }, where: 'EXPLO_KEY_ID/EXPLO_KEY_VALUE', names }];
}

/**
 * Checks one key with the middleware's own check (the core's `assertSecret`), naming what is wrong
 * as the user set it: the core says `<where>.keyValue`, the user set `EXPLO_KEY_VALUE`. The error
 * keeps the core's code (`ERR_EXPLO_KEY_LENGTH`, ...); no value is ever echoed.
 */
export function assertKey({ key, where, names }: KeySource): ExploSecret {
  try {
    assertSecret(key, where);
    return key;
  } catch (error) {
    const { code, message } = error as ExploEmbedError;
    for (const field of ['keyId', 'keyValue'] as const) {
      const said = `${where}.${field} `;
      if (message.startsWith(said)) throw new CliError(`${names[field]} ${message.slice(said.length)}`, code);
    }
    throw error;
  }
}

function readKeyFile(keyFile: string): KeySource[] {
  const expected =
    'Expected JSON: [{ "keyId": "...", "keyValue": "..." }, ...], { "keys": [...] } or one { "keyId", "keyValue" }.';
  let parsed: unknown;
  try {
    // Editors on Windows may start the file with a byte order mark: JSON.parse refuses it.
    parsed = JSON.parse(readFileSync(keyFile, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable JSON';
    throw new CliError(`--key-file ${keyFile}: ${reason}. ${expected}`);
  }
  const entry = (key: unknown, where: string): KeySource => ({
    key,
    where,
    names: { keyId: `${where}.keyId`, keyValue: `${where}.keyValue` },
  });
  if (Array.isArray(parsed) && parsed.length > 0) return parsed.map((key, i) => entry(key, `${keyFile}[${i}]`));
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const { keys } = parsed as { keys?: unknown };
    if (Array.isArray(keys) && keys.length > 0) return keys.map((key, i) => entry(key, `${keyFile}.keys[${i}]`));
    if (keys === undefined && ('keyId' in parsed || 'keyValue' in parsed)) return [entry(parsed, keyFile)];
  }
  throw new CliError(`--key-file ${keyFile}: no keys. ${expected}`);
}
