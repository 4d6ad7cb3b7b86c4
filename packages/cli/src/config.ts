import { readFileSync } from 'node:fs';
import { assertSecret, type ExploApiOptions, type ExploSecret } from '@explo-embed/core';
import { CliError } from './cli-error.js';

/** Where the CLI reads keys and API settings from. */
export interface CliSources {
  env: NodeJS.ProcessEnv;
  keyFile?: string | undefined;
}

/**
 * The configured keys: `--key-file` (JSON: an array of `{ keyId, keyValue }` or `{ keys: [...] }`)
 * or `EXPLO_KEY_ID` / `EXPLO_KEY_VALUE`. Each key is checked; no value is ever echoed.
 */
export function loadKeys({ env, keyFile }: CliSources): ExploSecret[] {
  if (keyFile !== undefined) {
    const list = readKeyFile(keyFile);
    list.forEach((key, i) => {
      assertSecret(key, `--key-file entry ${i}`);
    });
    return list as ExploSecret[];
  }
  const keyId = env.EXPLO_KEY_ID;
  const keyValue = env.EXPLO_KEY_VALUE;
  if (keyId === undefined && keyValue === undefined) return [];
  if (keyId === undefined || keyValue === undefined) {
    throw new CliError(
      `Set both EXPLO_KEY_ID and EXPLO_KEY_VALUE (only ${keyId === undefined ? 'EXPLO_KEY_VALUE' : 'EXPLO_KEY_ID'} is set).`,
    );
  }
  const key = { keyId, keyValue };
  assertSecret(key, 'EXPLO_KEY_ID/EXPLO_KEY_VALUE');
  return [key];
}

/** The raw entries of a key file (not yet validated). Throws a CliError for a missing file or bad JSON. */
export function readKeyFile(keyFile: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(keyFile, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable JSON';
    throw new CliError(`--key-file ${keyFile}: ${reason}. Expected JSON: [{ "keyId": "...", "keyValue": "..." }, ...].`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CliError(`--key-file ${keyFile}: expected a non-empty array of { keyId, keyValue } (or { "keys": [...] }).`);
  }
  return list;
}

/** The one key to mint with: `--key-id` among the loaded keys, else the first. */
export function chooseMintKey(keys: ExploSecret[], keyId: string | undefined): ExploSecret {
  if (keys.length === 0) {
    throw new CliError('No key configured: set EXPLO_KEY_ID and EXPLO_KEY_VALUE, pass --key-file, or use --via-api.');
  }
  if (keyId === undefined) return keys[0] as ExploSecret;
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) throw new CliError(`--key-id ${keyId}: no such key among the ${keys.length} configured.`);
  return key;
}

/** API settings from `EXPLO_API_TOKEN` / `EXPLO_API_URL`. */
export function loadApi(env: NodeJS.ProcessEnv, keyId: string | undefined): ExploApiOptions {
  const token = env.EXPLO_API_TOKEN;
  if (!token) throw new CliError('--via-api needs EXPLO_API_TOKEN (an Explo API token; it is never printed).');
  return { token, ...(env.EXPLO_API_URL ? { url: env.EXPLO_API_URL } : {}), ...(keyId ? { keyId } : {}) };
}

/** `EXPLO_DASHBOARDS="sales=a1b2c3d4,ops=e5f6a7b8"`: the names `--dashboard` takes, as the examples read them. */
export function loadDashboards(env: NodeJS.ProcessEnv): Record<string, string> {
  const value = env.EXPLO_DASHBOARDS?.trim();
  if (!value) {
    throw new CliError(
      '--dashboard takes a name from EXPLO_DASHBOARDS ("sales=a1b2c3d4,ops=e5f6a7b8"); for a raw embed id use --embed-id.',
    );
  }
  const dashboards: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const [name, embedId, extra] = pair.split('=').map((part) => part.trim());
    if (!name || !embedId || extra !== undefined) {
      throw new CliError(
        `EXPLO_DASHBOARDS: "${pair.trim().slice(0, 60)}" is not name=embedId (e.g. "sales=a1b2c3d4,ops=e5f6a7b8").`,
      );
    }
    dashboards[name] = embedId;
  }
  return dashboards;
}
