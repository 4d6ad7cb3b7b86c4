import {
  createExploEmbed,
  type ExploClaimOptions,
  type ExploEmbedOptions,
  type ExploToken,
  type ReportBuilderFeature,
} from '@explo-embed/core';
import { CliError } from './cli-error.js';
import { type CliIo, nowOf } from './cli-io.js';
import { chooseMintKey, loadApi, loadDashboards, loadKeys } from './config.js';
import { EXIT } from './exit-codes.js';
import { expiryInWords } from './expiry-words.js';
import { safeJson } from './terminal-safe.js';

/** Flags shared by `mint` and `url`. */
export interface MintFlags {
  customer: string;
  /** A raw embed id, as Explo shows it. */
  embedId?: string;
  /** A dashboard name from EXPLO_DASHBOARDS, as the middleware names dashboards. */
  dashboard?: string;
  expires: string;
  rbc?: string;
  des?: boolean;
  iss?: string;
  viaApi?: boolean;
  json?: boolean;
  keyFile?: string;
  keyId?: string;
}

/** Mints one token for a customer and an embed id, through the core (which validates every value). */
async function mintToken(flags: MintFlags, io: CliIo): Promise<ExploToken> {
  const claims: ExploClaimOptions = {};
  if (flags.rbc !== undefined) claims.rbc = flags.rbc.split(',').map((word) => word.trim()) as ReportBuilderFeature[];
  if (flags.des) claims.des = true;
  if (flags.iss !== undefined) claims.iss = flags.iss;
  const keys =
    flags.viaApi && flags.keyFile === undefined && io.env.EXPLO_KEY_VALUE === undefined
      ? []
      : loadKeys({ env: io.env, keyFile: flags.keyFile });
  const { dashboards, dashboard } = chooseDashboard(flags, io);
  const base: Omit<ExploEmbedOptions, 'secret'> = {
    dashboards,
    expiresIn: /^\d+$/.test(flags.expires) ? Number(flags.expires) : (flags.expires as ExploEmbedOptions['expiresIn']),
    claims,
    reuse: false,
    ...(io.now ? { clock: io.now } : {}),
  };
  const options: ExploEmbedOptions = flags.viaApi
    ? { ...base, api: loadApi(io.env, flags.keyId ?? keys[0]?.keyId) }
    : { ...base, secret: chooseMintKey(keys, flags.keyId) };
  try {
    return await createExploEmbed(options).mint({ customerId: flags.customer, dashboard });
  } catch (error) {
    throw asFlagError(error);
  }
}

/** `--embed-id` (a raw id) or `--dashboard` (a name in EXPLO_DASHBOARDS): exactly one. */
function chooseDashboard(flags: MintFlags, io: CliIo): { dashboards: Record<string, string>; dashboard: string } {
  if ((flags.embedId === undefined) === (flags.dashboard === undefined)) {
    throw new CliError(
      'Give either --embed-id <id> (the embed id Explo shows) or --dashboard <name> (a name in EXPLO_DASHBOARDS), not both.',
    );
  }
  if (flags.embedId !== undefined) return { dashboards: { '--embed-id': flags.embedId }, dashboard: '--embed-id' };
  const dashboards = loadDashboards(io.env);
  const name = flags.dashboard as string;
  if (!Object.hasOwn(dashboards, name)) {
    throw new CliError(`--dashboard ${name}: not in EXPLO_DASHBOARDS (${Object.keys(dashboards).join(', ')}).`);
  }
  return { dashboards, dashboard: name };
}

// The core names its options; the user typed flags. Say the flag.
const FLAGS: Readonly<Record<string, string>> = {
  expiresIn: '--expires',
  'dashboards.--embed-id': '--embed-id',
  'api.token': 'EXPLO_API_TOKEN',
  'api.url': 'EXPLO_API_URL',
};

function asFlagError(error: unknown): unknown {
  const coded = error as { code?: string; option?: string; reason?: string; message?: string };
  if (coded.code === 'ERR_EXPLO_OPTION_INVALID' && coded.option !== undefined) {
    const reason = String(coded.reason).replace(/options\.claims\.(rbc|iss|des)/g, '--$1');
    return new CliError(`${FLAGS[coded.option] ?? coded.option}: ${reason}`);
  }
  if (coded.code === 'ERR_EXPLO_CUSTOMER_INVALID') return new CliError(`--customer: ${coded.message}`);
  return error;
}

/** `explo-embed mint`: the token as the last line of stdout (or JSON). */
export async function mintCommand(flags: MintFlags, io: CliIo): Promise<number> {
  const token = await mintToken(flags, io);
  if (flags.json) {
    const { jwt, expiresAt, expiresIn, embedId, keyId } = token;
    io.stdout(`${safeJson({ jwt, expiresAt, expiresIn, customerId: flags.customer, embedId, keyId: keyId ?? null }, 2)}\n`);
  } else {
    io.stderr(
      `Token for customer ${safeJson(flags.customer)}, embed id ${token.embedId}: ${expiryInWords(token.expiresAt.getTime() / 1000, nowOf(io))} (${token.expiresAt.toISOString()}).\n`,
    );
    io.stdout(`${token.jwt}\n`);
  }
  return EXIT.OK;
}

/** Flags of `url`. */
export interface UrlFlags extends MintFlags {
  environment: string;
  reportBuilder?: boolean;
  appUrl: string;
}

/** `explo-embed url`: the iframe URL of a fresh token. */
export async function urlCommand(flags: UrlFlags, io: CliIo): Promise<number> {
  let base: URL;
  try {
    base = new URL(flags.appUrl);
  } catch {
    throw new CliError(`--app-url ${flags.appUrl} is not a URL.`);
  }
  const token = await mintToken({ ...flags, json: false }, io);
  const path = flags.reportBuilder ? 'report-builder/iframe' : 'iframe';
  const url = `${base.origin}/${path}/${encodeURIComponent(token.jwt)}/${encodeURIComponent(flags.environment)}`;
  io.stdout(`${url}\n`);
  return EXIT.OK;
}
