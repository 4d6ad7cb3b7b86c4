import { exploCspSources, toExploOrigin } from '@explo-embed/core';
import { safeJson } from './terminal-safe.js';

// This machine: plain http stays on it. Explo's docs allowlist only `localhost` (on a few ports)
// by default; they say nothing of 127.0.0.1 or [::1].
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const ALLOWED_LOCAL_PORTS = new Set(['3000', '3001', '3002', '6700', '8080']);

/** One thing Explo's rules say about an embedding page's origin. */
export interface OriginFinding {
  level: 'ok' | 'warn' | 'note';
  /** The check it belongs to: plain http, or Explo's domain allowlist. */
  topic: 'https' | 'allowlist';
  text: string;
}

/**
 * What Explo's rules say of an embedding page's origin, given in Explo's `iss` form (with the
 * trailing slash): a warning for plain http off this machine, and the domain allowlist (on it by
 * default for a few local ports, else a reminder to add it in Explo's settings).
 */
export function originFindings(iss: string): OriginFinding[] {
  const url = new URL(iss);
  const findings: OriginFinding[] = [];
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && !local) {
    findings.push({
      level: 'warn',
      topic: 'https',
      text: `${iss} is plain http: tokens in its pages travel unencrypted; use https.`,
    });
  }
  const allowedPort = ALLOWED_LOCAL_PORTS.has(url.port);
  findings.push(
    url.hostname === 'localhost' && allowedPort
      ? {
          level: 'ok',
          topic: 'allowlist',
          text: `${url.host} is on Explo's domain allowlist by default (localhost ports 3000 to 3002, 6700, 8080).`,
        }
      : local && allowedPort
        ? {
            level: 'note',
            topic: 'allowlist',
            text: `Explo's docs put localhost ports 3000 to 3002, 6700 and 8080 on its domain allowlist by default, and say nothing of ${url.hostname}: open the page as http://localhost:${url.port}/, or add ${url.origin} to the allowlist (Settings).`,
          }
        : {
            level: 'note',
            topic: 'allowlist',
            text: `add ${url.origin} to Explo's domain allowlist (Settings); Explo refuses embeds from other domains.`,
          },
  );
  return findings;
}

/** The Content-Security-Policy sources a page that embeds Explo needs, as one line (`frame-src https://app.explo.co; ...`). */
export function requiredCspText(): string {
  return Object.entries(exploCspSources())
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * `check --origin`: the embedding page's origin judged as Explo needs it (the `iss` claim, its
 * trailing slash, the domain allowlist), with the Content-Security-Policy the page needs.
 * Validation is the core's (`toExploOrigin`), so the CLI and the middleware agree.
 */
export function judgeOrigin(value: string): { lines: string[]; errors: number } {
  let iss: string;
  try {
    iss = toExploOrigin(value);
  } catch (error) {
    return { lines: [`error  --origin ${safeJson(value)}: ${(error as Error).message.replace(/^The origin /, '')}`], errors: 1 };
  }
  const lines = [`ok     origin ${iss} (as Explo needs it for the iss claim: with the trailing slash)`];
  for (const { level, text } of originFindings(iss)) lines.push(`${level.padEnd(7)}${text}`);
  lines.push(`note   the page's Content-Security-Policy must allow: ${requiredCspText()}`);
  return { lines, errors: 0 };
}
