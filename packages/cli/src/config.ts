import type { ExploApiOptions, ExploSecret } from '@explo-embed/core';
import { CliError } from './cli-error.js';
import { assertKey, keySources } from './key-sources.js';

/** Where the CLI reads keys and API settings from. */
export interface CliSources {
  env: NodeJS.ProcessEnv;
  keyFile?: string | undefined;
}

/**
 * The configured keys: `--key-file` or `EXPLO_KEY_ID` / `EXPLO_KEY_VALUE` (see {@link keySources}),
 * each checked as the middleware checks it and named as the user set it; no value is ever echoed.
 */
export function loadKeys({ env, keyFile }: CliSources): ExploSecret[] {
  return keySources(env, keyFile).map(assertKey);
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
