import { exploCspSources, toExploOrigin } from '@explo-embed/core';
import { safeJson } from './terminal-safe.js';

// Explo's domain allowlist admits these local ports without being asked (Explo's docs).
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
const ALLOWED_LOCAL_PORTS = new Set(['3000', '3001', '3002', '6700', '8080']);

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
  const url = new URL(iss);
  const lines = [`ok     origin ${iss} (as Explo needs it for the iss claim: with the trailing slash)`];
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && !local) {
    lines.push(`warn   ${iss} is plain http: tokens in its pages travel unencrypted; use https.`);
  }
  if (local && ALLOWED_LOCAL_PORTS.has(url.port)) {
    lines.push(`ok     ${url.host} is on Explo's domain allowlist by default (localhost ports 3000 to 3002, 6700, 8080).`);
  } else {
    lines.push(`note   add ${url.origin} to Explo's domain allowlist (Settings); Explo refuses embeds from other domains.`);
  }
  const csp = Object.entries(exploCspSources())
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
  lines.push(`note   the page's Content-Security-Policy must allow: ${csp}`);
  return { lines, errors: 0 };
}
