import {
  decodeExploJwtHeader,
  decryptExploJwt,
  type ExploEmbedError,
  type ExploJwtClaims,
  type ExploJwtExpiredError,
  type ExploJwtHeader,
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

export async function inspectCommand(input: string, flags: InspectFlags, io: CliIo): Promise<number> {
  const jwt = (input === '-' ? await readStdin(io.stdin, 'one token') : input).trim();
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
      `${safeJson({ status, valid: status === 'valid', header, claims, expiresAt, expiresIn: Math.floor(claims.exp - now / 1000), expiry: words, legacyIv: ivLength === 16 }, 2)}\n`,
    );
  } else {
    const lines = [
      `status     ${status === 'valid' ? 'valid' : 'EXPIRED'}`,
      `header     ${safeJson(header)}${ivLength === 16 ? '  (16-byte IV: minted by Explo / older python-jose)' : ''}`,
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
): number {
  const code = exitCodeFor(error.code);
  if (flags.json) {
    io.stdout(
      `${safeJson({ status: 'invalid', valid: false, header: partial?.header ?? null, error: { code: error.code, message: error.message } }, 2)}\n`,
    );
  } else {
    if (partial) io.stdout(`header     ${safeJson(partial.header)}\n`);
    io.stderr(`explo-embed: ${error.message}\n`);
  }
  return code;
}
