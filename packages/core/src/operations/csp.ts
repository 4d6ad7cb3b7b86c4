import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeOrigin } from '../model/claims.js';

/** Where Explo's embed loads from: Explo itself by default, or a stand-in (as in the examples' demo mode). */
export interface ExploCspOptions {
  /** The iframe's origin. Default `"https://app.explo.co"`. */
  appOrigin?: string;
  /** The web component's script. Default `"https://embed.explo.co"`. */
  embedOrigin?: string;
  /** Explo's API, called by the embed. Default `"https://api.explo.co"`. */
  apiOrigin?: string;
  /** Dashboard assets (images, fonts, styles). Default `"https://custom-assets.explo.co"`. */
  assetsOrigin?: string;
  /**
   * Where dashboards read their data. Default `["https://*.data.explo.co"]`. Explo has regional
   * data hosts (ap-southeast-1, eu-central-1, GovCloud): add yours as Explo gives it.
   */
  dataHosts?: readonly string[];
}

/** The Content-Security-Policy directives an embedding page needs, with the sources each must allow. */
export type ExploCspSources = Readonly<
  Record<'frame-src' | 'script-src' | 'connect-src' | 'img-src' | 'font-src' | 'style-src', readonly string[]>
>;

const origin = (value: string) => normalizeOrigin(value, 'CSP origin').slice(0, -1);

/** The sources a page that embeds Explo must allow, per directive (kebab-case, as helmet takes them). */
export function exploCspSources(options: ExploCspOptions = {}): ExploCspSources {
  const app = origin(options.appOrigin ?? 'https://app.explo.co');
  const embed = origin(options.embedOrigin ?? 'https://embed.explo.co');
  const api = origin(options.apiOrigin ?? 'https://api.explo.co');
  const assets = origin(options.assetsOrigin ?? 'https://custom-assets.explo.co');
  const data = [...(options.dataHosts ?? ['https://*.data.explo.co'])];
  const unique = (sources: string[]) => Object.freeze([...new Set(sources)]);
  return Object.freeze({
    'frame-src': unique([app]),
    'script-src': unique([embed]),
    'connect-src': unique([api, ...data, assets, app]),
    'img-src': unique([assets, app]),
    'font-src': unique([assets]),
    'style-src': unique([assets]),
  });
}

/** A directive's source as helmet takes it: a string, or a function of the request and response (a nonce). */
export type CspSource = string | ((request: IncomingMessage, response: ServerResponse) => string);

/**
 * Adds Explo's sources to an app's own CSP directives (for example helmet's defaults), without
 * mutating them: a directive the app does not set starts from its `default-src` (else `'self'`).
 *
 * @example
 * ```ts
 * helmet({ contentSecurityPolicy: { directives: withExploCsp(helmet.contentSecurityPolicy.getDefaultDirectives()) } })
 * ```
 */
export function withExploCsp(
  directives: Readonly<Record<string, Iterable<CspSource> | null | undefined>>,
  options: ExploCspOptions = {},
): Record<string, CspSource[] | null> {
  const merged: Record<string, CspSource[] | null> = {};
  for (const [name, sources] of Object.entries(directives)) merged[name] = sources == null ? null : [...sources];
  const fallback = directives['default-src'] ?? directives.defaultSrc;
  for (const [name, sources] of Object.entries(exploCspSources(options))) {
    const own = merged[name] ?? (fallback == null ? ["'self'"] : [...fallback]);
    merged[name] = [...own, ...sources.filter((source) => !own.includes(source))];
  }
  return merged;
}
