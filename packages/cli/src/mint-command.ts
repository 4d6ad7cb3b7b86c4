import {
  createExploEmbed,
  type ExploClaimOptions,
  type ExploEmbedOptions,
  type ExploToken,
  type ReportBuilderFeature,
} from '@explo-embed/core';
import { CliError } from './cli-error.js';
import { type CliIo, nowOf } from './cli-io.js';
import { chooseMintKey, loadApi, loadKeys } from './config.js';
import { EXIT } from './exit-codes.js';
import { expiryInWords } from './expiry-words.js';

/** Flags shared by `mint` and `url`. */
export interface MintFlags {
  customer: string;
  dashboard: string;
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
  const base: Omit<ExploEmbedOptions, 'secret'> = {
    dashboards: { cli: flags.dashboard },
    expiresIn: /^\d+$/.test(flags.expires) ? Number(flags.expires) : (flags.expires as ExploEmbedOptions['expiresIn']),
    claims,
    reuse: false,
    ...(io.now ? { clock: io.now } : {}),
  };
  const options: ExploEmbedOptions = flags.viaApi
    ? { ...base, api: loadApi(io.env, flags.keyId ?? keys[0]?.keyId) }
    : { ...base, secret: chooseMintKey(keys, flags.keyId) };
  return createExploEmbed(options).mint({ customerId: flags.customer });
}

/** `explo-embed mint`: the token as the last line of stdout (or JSON). */
export async function mintCommand(flags: MintFlags, io: CliIo): Promise<number> {
  const token = await mintToken(flags, io);
  if (flags.json) {
    const { jwt, expiresAt, expiresIn, embedId, keyId } = token;
    io.stdout(
      `${JSON.stringify({ jwt, expiresAt, expiresIn, customerId: flags.customer, embedId, keyId: keyId ?? null }, null, 2)}\n`,
    );
  } else {
    io.stderr(
      `Token for customer ${JSON.stringify(flags.customer)}, embed id ${flags.dashboard}: ${expiryInWords(token.expiresAt.getTime() / 1000, nowOf(io))} (${token.expiresAt.toISOString()}).\n`,
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
