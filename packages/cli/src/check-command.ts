import { assertApiOptions, type ExploEmbedError } from '@explo-embed/core';
import type { CliIo } from './cli-io.js';
import { loadDashboards } from './config.js';
import { EXIT } from './exit-codes.js';
import { assertKey, type KeySource, keySources } from './key-sources.js';
import { judgeOrigin } from './origin-check.js';
import { apiTokenFlag, checkEmbedIds, describeVerdict } from './resource-check.js';
import { safeJson } from './terminal-safe.js';

/** Flags of `check`. */
export interface CheckFlags {
  keyFile?: string;
  /** The embedding page's origin, judged as Explo needs it. */
  origin?: string;
  /** An Explo API token (or `-`: from stdin): the embed ids of `EXPLO_DASHBOARDS` are confirmed in Explo. */
  apiToken?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The core's option names, as the environment spells them here.
const ENV_NAMES: Readonly<Record<string, string>> = { 'api.token': 'EXPLO_API_TOKEN', 'api.url': 'EXPLO_API_URL' };

/**
 * `explo-embed check`: judges the configured secret(s) and API settings with the same checks the
 * middleware makes at start-up (the core's `assertSecret` and `assertApiOptions`), naming each
 * mistake as the user set it (`EXPLO_KEY_VALUE`, `keys.json[1].keyValue`), printing no secret.
 */
export async function checkCommand(flags: CheckFlags, io: CliIo): Promise<number> {
  const lines: string[] = [];
  let errors = 0;
  const ok = (text: string) => lines.push(`ok     ${text}`);
  const warn = (text: string) => lines.push(`warn   ${text}`);
  const fail = (text: string) => {
    errors++;
    lines.push(`error  ${text}`);
  };

  const keys = configuredKeys(flags, io, fail);
  for (const source of keys) {
    const { where } = source;
    try {
      const key = assertKey(source);
      ok(`${where}: key value is 32 bytes.`);
      if (UUID.test(key.keyId as string)) ok(`${where}: key id ${key.keyId} (a UUID, as Explo issues them).`);
      else warn(`${where}: key id ${safeJson(key.keyId)} is not a UUID; Explo's are. Did you copy the id, not the name?`);
    } catch (error) {
      fail((error as ExploEmbedError).message);
    }
  }

  const { EXPLO_API_TOKEN: token, EXPLO_API_URL: url } = io.env;
  if (token !== undefined) {
    try {
      assertApiOptions({ token, ...(url === undefined ? {} : { url }) });
      ok(`EXPLO_API_TOKEN is set (${token.length} characters; not shown).`);
      if (url !== undefined) ok(`EXPLO_API_URL is ${new URL(url).origin}.`);
    } catch (error) {
      const { option = '', reason = (error as Error).message } = error as { option?: string; reason?: string };
      fail(`${ENV_NAMES[option] ?? option} ${reason}`);
    }
  } else if (url !== undefined) {
    warn('EXPLO_API_URL is set but EXPLO_API_TOKEN is not, so it is unused.');
  }
  if (flags.origin !== undefined) {
    const judged = judgeOrigin(flags.origin);
    for (const line of judged.lines) lines.push(line);
    errors += judged.errors;
  }
  if (flags.apiToken !== undefined) {
    const judged = await confirmedDashboards(await apiTokenFlag(flags.apiToken, io), io.env);
    for (const line of judged.lines) lines.push(line);
    errors += judged.errors;
  }
  if (keys.length === 0 && token === undefined && flags.origin === undefined && flags.apiToken === undefined && errors === 0) {
    fail('Nothing is configured: set EXPLO_KEY_ID and EXPLO_KEY_VALUE (or --key-file), and/or EXPLO_API_TOKEN.');
  }
  io.stdout(`${lines.join('\n')}\n`);
  io.stdout(errors === 0 ? 'Configuration looks right.\n' : `${errors} problem${errors === 1 ? '' : 's'} found.\n`);
  return errors === 0 ? EXIT.OK : EXIT.USAGE;
}

/** `--api-token`: each embed id of `EXPLO_DASHBOARDS` confirmed in Explo's Resource API, in check's line format. */
async function confirmedDashboards(token: string, env: NodeJS.ProcessEnv): Promise<{ lines: string[]; errors: number }> {
  let dashboards: Record<string, string>;
  try {
    dashboards = env.EXPLO_DASHBOARDS?.trim() ? loadDashboards(env) : {};
  } catch (error) {
    return { lines: [`error  ${(error as Error).message}`], errors: 1 };
  }
  const ids = Object.entries(dashboards).map(([name, embedId]) => ({ embedId, where: `EXPLO_DASHBOARDS "${name}"` }));
  if (ids.length === 0) {
    return {
      lines: ['warn   --api-token: no embed id to confirm: set EXPLO_DASHBOARDS (name=embedId,...) to those your app uses.'],
      errors: 0,
    };
  }
  const checked = await checkEmbedIds(token, env, ids);
  if ('problem' in checked) return { lines: [`error  ${checked.problem}`], errors: 1 };
  const lines = checked.verdicts.map((verdict) => {
    const { text, fix } = describeVerdict(verdict);
    return verdict.ok ? `ok     ${text}` : `error  ${text}\n       fix: ${fix}`;
  });
  return { lines, errors: checked.verdicts.filter((verdict) => !verdict.ok).length };
}

function configuredKeys(flags: CheckFlags, io: CliIo, fail: (text: string) => void): KeySource[] {
  try {
    return keySources(io.env, flags.keyFile);
  } catch (error) {
    fail((error as Error).message);
    return [];
  }
}
