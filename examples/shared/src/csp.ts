import { randomBytes } from 'node:crypto';
import { type CspSource, withExploCsp } from '@explo-embed/core';
import helmet from 'helmet';
import type { EmbedTarget } from './embed-target.js';

/** A fresh nonce for one page's inline scripts. */
export function cspNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The examples' Content-Security-Policy: helmet's defaults, plus what the embed needs and nothing
 * else: Explo's hosts, or the stand-in's origin when it is embedded instead. Inline scripts run
 * only with this request's nonce (`nonce(req, res)` reads it where the framework keeps it).
 */
export function exampleCspDirectives(target: EmbedTarget, nonce: CspSource): Record<string, CspSource[] | null> {
  const explo = target.standIn
    ? {
        appOrigin: target.origin,
        embedOrigin: target.origin,
        apiOrigin: target.origin,
        assetsOrigin: target.origin,
        dataHosts: [],
      }
    : {};
  const directives = withExploCsp(helmet.contentSecurityPolicy.getDefaultDirectives(), explo);
  directives['script-src'] = [...(directives['script-src'] ?? []), nonce];
  return directives;
}

/**
 * The same policy as one header value, for apps without helmet (Hono, Next.js route handlers):
 * built once, then stamped with each response's nonce.
 */
export function exampleCspHeader(target: EmbedTarget): (nonce: string) => string {
  const slot = "'nonce-{nonce}'";
  const value = Object.entries(exampleCspDirectives(target, slot))
    .flatMap(([name, sources]) => (sources === null ? [] : [[name, ...sources].join(' ')]))
    .join(';');
  return (nonce) => value.replace(slot, `'nonce-${nonce}'`);
}
