import {
  decodeExploJwtHeader,
  decryptExploJwt,
  type ExploEmbedError,
  type ExploJwtClaims,
  type ExploJwtExpiredError,
  type ExploJwtHeader,
  type ExploSecret,
} from '@explo-embed/core';
import { CliError } from './cli-error.js';
import { type CliIo, nowOf, readStdin } from './cli-io.js';
import { loadKeys } from './config.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { expiryInWords } from './expiry-words.js';
import { safeJson } from './terminal-safe.js';

export interface InspectFlags {
  json?: boolean;
  keyFile?: string;
}

const NO_KEY = 'no key configured (set EXPLO_KEY_ID and EXPLO_KEY_VALUE or --key-file) to decrypt the claims.';

/**
 * `explo-embed inspect <jwt | ->`: the header, and with a key the claims and expiry. Exit 0 valid,
 * 5 expired, 3 malformed, 4 wrong key, 2 no usable key configured (the header is still shown).
 */
export async function inspectCommand(input: string, flags: InspectFlags, io: CliIo): Promise<number> {
  const jwt = (input === '-' ? await readStdin(io.stdin, 'one token') : input).trim();
  const now = nowOf(io);
  let header: ExploJwtHeader;
  let ivLength: number;
  try {
    ({ header, ivLength } = decodeExploJwtHeader(jwt));
    tooDeep(header, 'protected header');
  } catch (error) {
    return report(io, flags, error as ExploEmbedError);
  }
  let keys: ExploSecret[];
  try {
    keys = loadKeys({ env: io.env, keyFile: flags.keyFile });
  } catch (error) {
    // A key set wrong (33 bytes, say) is no usable key: the header still shows, and the mistake.
    if (!String((error as { code?: unknown }).code).startsWith('ERR_EXPLO_')) throw error;
    return report(io, flags, error as ExploEmbedError, { header, ivLength }, 'no-key');
  }
  // The header needs no key (a token of Explo's can be read for its kid before the key is at
  // hand); the claims do. Not a valid token as far as this run can tell: exit 2, configuration.
  if (keys.length === 0) return report(io, flags, new CliError(NO_KEY), { header, ivLength }, 'no-key');
  try {
    const { claims } = await decryptExploJwt(jwt, keys, { currentDate: new Date(now), clockTolerance: 0 });
    tooDeep(claims, 'claims');
    return show(io, flags, 'valid', header, claims, ivLength, now);
  } catch (error) {
    const coded = error as ExploEmbedError;
    if (coded.code === 'ERR_EXPLO_JWT_EXPIRED') {
      const expired = coded as ExploJwtExpiredError;
      try {
        tooDeep(expired.claims, 'claims');
      } catch (deep) {
        return report(io, flags, deep as CliError, { header, ivLength });
      }
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
      `${safeJson({ status, valid: status === 'valid', header, claims, expiresAt, expiresIn: Math.floor(claims.exp - now / 1000), expiry: words, legacyIv: ivLength === 16 }, 2)}\n`,
    );
  } else {
    const lines = [
      `status     ${status === 'valid' ? 'valid' : 'EXPIRED'}`,
      headerLine(header, ivLength),
      `customer   ${safeJson(claims.cst)}  (cst)`,
      `embed id   ${safeJson(claims.dsh)}  (dsh)`,
      ...(typeof claims.iat === 'number' ? [`issued     ${new Date(claims.iat * 1000).toISOString()}  (iat)`] : []),
      `expiry     ${expiresAt.toISOString()}  (exp): ${words}`,
      `claims     ${safeJson(claims)}`,
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
  status: 'invalid' | 'no-key' = 'invalid',
): number {
  if (flags.json) {
    const header = partial ? { header: partial.header, legacyIv: partial.ivLength === 16 } : { header: null };
    const body = { status, valid: false, ...header, error: { code: error.code, message: error.message } };
    io.stdout(`${safeJson(body, 2)}\n`);
  } else {
    if (partial) io.stdout(`${headerLine(partial.header, partial.ivLength)}\n`);
    io.stderr(`explo-embed: ${error.message}\n`);
  }
  return exitCodeFor(error.code);
}

function headerLine(header: ExploJwtHeader, ivLength: number): string {
  return `header     ${safeJson(header)}${ivLength === 16 ? '  (16-byte IV: minted by Explo / older python-jose)' : ''}`;
}

/** Nesting that deep is no token of Explo's: JSON.stringify (to print it) would overflow the stack. */
const MAX_DEPTH = 32;

/** Throws a malformed-token error (exit 3) when `value` nests objects or arrays deeper than `MAX_DEPTH`. Iterative. */
function tooDeep(value: unknown, what: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_DEPTH)
      throw new CliError(`Nested deeper than ${MAX_DEPTH} levels in the ${what}: not an Explo token.`, 'ERR_EXPLO_JWT_INVALID');
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
}
