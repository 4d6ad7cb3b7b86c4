import {
  createExploEmbed,
  decodeExploJwtHeader,
  decryptExploJwt,
  type ExploClaimOptions,
  type ExploEmbedError,
  type ExploEmbedOptions,
  type ExploJwtClaims,
  type ExploJwtExpiredError,
  type ExploJwtHeader,
  type ExploSecret,
  type ReportBuilderFeature,
} from '@explo-embed/core';
import { CliError } from './cli-error.js';
import { chooseMintKey, loadApi, loadKeys, readKeyFile } from './config.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { expiryInWords } from './expiry-words.js';

/** Where a command writes, and what it reads. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Current time in ms; for tests. */
  now?: () => number;
}

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

/** Mints one token for a customer and an embed id. */
async function mintToken(flags: MintFlags, io: CliIo) {
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

export interface UrlFlags extends MintFlags {
  environment: string;
  reportBuilder?: boolean;
  appUrl: string;
}

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

export interface InspectFlags {
  json?: boolean;
  keyFile?: string;
}

export async function inspectCommand(input: string, flags: InspectFlags, io: CliIo): Promise<number> {
  const jwt = (input === '-' ? await readAll(io.stdin) : input).trim();
  const now = nowOf(io);
  let header: ExploJwtHeader;
  let ivLength: number;
  try {
    ({ header, ivLength } = decodeExploJwtHeader(jwt));
  } catch (error) {
    return report(io, flags, error as ExploEmbedError);
  }
  const keys = loadKeys({ env: io.env, keyFile: flags.keyFile });
  if (keys.length === 0) {
    return report(io, flags, new CliError('Cannot decrypt: set EXPLO_KEY_ID and EXPLO_KEY_VALUE, or pass --key-file.'), {
      header,
      ivLength,
    });
  }
  try {
    const { claims } = await decryptExploJwt(jwt, keys, { currentDate: new Date(now), clockTolerance: 0 });
    return show(io, flags, 'valid', header, claims, ivLength, now);
  } catch (error) {
    const coded = error as ExploEmbedError;
    if (coded.code === 'ERR_EXPLO_JWT_EXPIRED') {
      const expired = coded as ExploJwtExpiredError;
      return show(io, flags, 'expired', expired.header, expired.claims, ivLength, now);
    }
    return report(io, flags, coded, { header, ivLength });
  }
}

function show(
  io: CliIo,
  flags: InspectFlags,
  status: 'valid' | 'expired',
  header: ExploJwtHeader,
  claims: ExploJwtClaims,
  ivLength: number,
  now: number,
): number {
  const expiresAt = new Date(claims.exp * 1000);
  const words = expiryInWords(claims.exp, now);
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ status, valid: status === 'valid', header, claims, expiresAt, expiresIn: Math.floor(claims.exp - now / 1000), expiry: words, legacyIv: ivLength === 16 }, null, 2)}\n`,
    );
  } else {
    const lines = [
      `status     ${status === 'valid' ? 'valid' : 'EXPIRED'}`,
      `header     ${JSON.stringify(header)}${ivLength === 16 ? '  (16-byte IV: minted by Explo / older python-jose)' : ''}`,
      `customer   ${JSON.stringify(claims.cst)}  (cst)`,
      `embed id   ${JSON.stringify(claims.dsh)}  (dsh)`,
      ...(typeof claims.iat === 'number' ? [`issued     ${new Date(claims.iat * 1000).toISOString()}  (iat)`] : []),
      `expiry     ${expiresAt.toISOString()}  (exp): ${words}`,
      `claims     ${JSON.stringify(claims)}`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return status === 'valid' ? EXIT.OK : EXIT.EXPIRED;
}

function report(
  io: CliIo,
  flags: InspectFlags,
  error: ExploEmbedError | CliError,
  partial?: { header: ExploJwtHeader; ivLength: number },
): number {
  const code = exitCodeFor(error.code);
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ status: 'invalid', valid: false, header: partial?.header ?? null, error: { code: error.code, message: error.message } }, null, 2)}\n`,
    );
  } else {
    if (partial) io.stdout(`header     ${JSON.stringify(partial.header)}\n`);
    io.stderr(`explo-embed: ${error.message}\n`);
  }
  return code;
}

export interface CheckFlags {
  keyFile?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the configured secret(s) and API settings without printing any secret. */
export async function checkCommand(flags: CheckFlags, io: CliIo): Promise<number> {
  const lines: string[] = [];
  let errors = 0;
  const ok = (text: string) => lines.push(`ok     ${text}`);
  const warn = (text: string) => lines.push(`warn   ${text}`);
  const fail = (text: string) => {
    errors++;
    lines.push(`error  ${text}`);
  };

  const candidates: { where: string; key: Partial<ExploSecret> }[] = [];
  if (flags.keyFile !== undefined) {
    try {
      for (const [i, entry] of readKeyFile(flags.keyFile).entries()) {
        const key = typeof entry === 'object' && entry !== null ? (entry as Partial<ExploSecret>) : {};
        candidates.push({ where: `--key-file entry ${i}`, key });
      }
    } catch (error) {
      fail((error as Error).message);
    }
  } else if (io.env.EXPLO_KEY_ID !== undefined || io.env.EXPLO_KEY_VALUE !== undefined) {
    candidates.push({
      where: 'EXPLO_KEY_ID/EXPLO_KEY_VALUE',
      key: { keyId: io.env.EXPLO_KEY_ID, keyValue: io.env.EXPLO_KEY_VALUE },
    });
  }
  for (const { where, key } of candidates) {
    const { keyId, keyValue } = key;
    if (typeof keyId !== 'string' || keyId === '') fail(`${where}: the key id is missing.`);
    else if (keyId.trim() !== keyId) fail(`${where}: the key id has whitespace around it.`);
    else if (UUID.test(keyId)) ok(`${where}: key id ${keyId} (a UUID, as Explo issues them).`);
    else warn(`${where}: key id ${JSON.stringify(keyId)} is not a UUID; Explo's key ids are. Did you copy the id, not the name?`);
    if (typeof keyValue !== 'string' || keyValue === '') {
      fail(`${where}: the key value is missing.`);
      continue;
    }
    const bytes = Buffer.byteLength(keyValue, 'utf8');
    if (bytes === 32) {
      ok(`${where}: key value is 32 bytes.`);
    } else if (keyValue.trim() !== keyValue && Buffer.byteLength(keyValue.trim(), 'utf8') === 32) {
      fail(
        `${where}: key value is ${bytes} bytes because of leading/trailing whitespace (a newline from an env file?); it must be exactly 32 bytes: trim it.`,
      );
    } else if (/^[A-Za-z0-9+/]{43}=$/.test(keyValue.trim())) {
      fail(
        `${where}: key value is ${bytes} bytes and looks base64-encoded; Explo uses the value exactly as shown (32 bytes), not decoded or encoded.`,
      );
    } else {
      fail(`${where}: key value is ${bytes} bytes; it must be exactly 32 bytes of UTF-8, as Explo shows it.`);
    }
  }

  const token = io.env.EXPLO_API_TOKEN;
  if (token !== undefined) {
    if (token.trim() !== token) fail('EXPLO_API_TOKEN has leading/trailing whitespace: trim it.');
    else if (!/^[\x21-\x7e]{8,512}$/.test(token))
      fail('EXPLO_API_TOKEN does not look like an API token (8 to 512 visible characters, no spaces).');
    else ok(`EXPLO_API_TOKEN is set (${token.length} characters; not shown).`);
  }
  const apiUrl = io.env.EXPLO_API_URL;
  if (apiUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(apiUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) fail(`EXPLO_API_URL ${JSON.stringify(apiUrl)} is not an http(s) URL.`);
    else if (parsed.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
      warn(`EXPLO_API_URL ${apiUrl} is plain http: the API token would travel unencrypted.`);
    } else ok(`EXPLO_API_URL is ${parsed.origin}.`);
  }
  if (candidates.length === 0 && token === undefined && errors === 0) {
    fail('Nothing is configured: set EXPLO_KEY_ID and EXPLO_KEY_VALUE (or --key-file), and/or EXPLO_API_TOKEN.');
  }
  io.stdout(`${lines.join('\n')}\n`);
  io.stdout(errors === 0 ? 'Configuration looks right.\n' : `${errors} problem${errors === 1 ? '' : 's'} found.\n`);
  return errors === 0 ? EXIT.OK : EXIT.USAGE;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  if (text.length > 65_536) throw new CliError('stdin holds more than 64 KiB; expected one token.');
  return text;
}

function nowOf(io: CliIo): number {
  return io.now ? io.now() : Date.now();
}
