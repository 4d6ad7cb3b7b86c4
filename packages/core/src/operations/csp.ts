import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExploOptionError } from '../errors/errors.js';
import { knownKeys } from '../lib/option-checks.js';
import { originOption } from '../model/claims.js';

/**
 * Where Explo's embed loads from: Explo itself by default, or a stand-in (as in the examples' demo
 * mode). Every origin is `https:`; `http:` only for a loopback host (`localhost`, `127.0.0.1`,
 * `[::1]`), as a stand-in on this machine uses.
 */
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
   * data hosts (ap-southeast-1, eu-central-1, GovCloud): add yours as Explo gives it. Each is
   * `"https://host"` or `"https://*.host"`, a port allowed: a wildcard only as the first label, with
   * at least two labels after it (`"https://*.co"` is refused).
   */
  dataHosts?: readonly string[];
}

/** The Content-Security-Policy directives an embedding page needs, with the sources each must allow. */
export type ExploCspSources = Readonly<
  Record<'frame-src' | 'script-src' | 'connect-src' | 'img-src' | 'font-src' | 'style-src', readonly string[]>
>;

const KEYS = [
  'appOrigin',
  'embedOrigin',
  'apiOrigin',
  'assetsOrigin',
  'dataHosts',
] as const satisfies readonly (keyof ExploCspOptions)[];
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
// A host source CSP reads as one host: https only, no path, no spaces or semicolons to smuggle in another directive.
const DATA_HOST = new RegExp(`^https://(\\*\\.${LABEL}(?:\\.${LABEL})+|${LABEL}(?:\\.${LABEL})*)(:\\d{1,5})?/?$`, 'i');

/** An origin option as CSP takes it (no trailing slash): https, or http on a loopback host. */
function origin(name: string, value: unknown): string {
  const normalized = originOption(value, name);
  const url = new URL(normalized);
  if (url.protocol !== 'https:' && !LOOPBACK.test(url.hostname)) {
    throw new ExploOptionError(name, 'must use https (http only for a loopback host, e.g. "http://127.0.0.1:4000").');
  }
  return normalized;
}

function dataHosts(value: unknown): string[] {
  if (value === undefined) return ['https://*.data.explo.co'];
  if (!Array.isArray(value))
    throw new ExploOptionError('dataHosts', 'must be an array of hosts such as "https://*.data.explo.co".');
  return value.map((host: unknown, i) => {
    if (typeof host !== 'string' || !DATA_HOST.test(host)) {
      throw new ExploOptionError(
        `dataHosts[${i}]`,
        'must be "https://host" or "https://*.host" (a wildcard only as the first label), with no path, query or spaces.',
      );
    }
    return host.toLowerCase().replace(/\/$/, '');
  });
}

/**
 * The sources a page that embeds Explo must allow, per directive (kebab-case). Throws
 * `ExploOptionError` (`ERR_EXPLO_OPTION_INVALID`) naming the option for an origin that is not
 * https (http on a loopback host aside), or a data host not of the forms above.
 */
export function exploCspSources(options: ExploCspOptions = {}): ExploCspSources {
  const v = knownKeys(options, KEYS, 'options', '{ appOrigin, dataHosts, ... }') as ExploCspOptions;
  const app = origin('appOrigin', v.appOrigin ?? 'https://app.explo.co');
  const embed = origin('embedOrigin', v.embedOrigin ?? 'https://embed.explo.co');
  const api = origin('apiOrigin', v.apiOrigin ?? 'https://api.explo.co');
  const assets = origin('assetsOrigin', v.assetsOrigin ?? 'https://custom-assets.explo.co');
  const data = dataHosts(v.dataHosts);
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

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Adds Explo's sources to an app's own CSP directives (for example helmet's defaults), without
 * mutating them: a directive the app does not set starts from its `default-src` (else `'self'`).
 * Each directive keeps one spelling: Explo's sources join the app's `frameSrc` or `frame-src`,
 * whichever it uses; a directive the app lacks is added in the app's spelling (kebab-case unless all
 * its names are camelCase). A symbol, such as helmet's `dangerouslyDisableDefaultSrc` on
 * `default-src`, is kept as it is, and a directive the app lacks then starts from `'self'`.
 * Options as {@link exploCspSources}.
 *
 * @example
 * ```ts
 * helmet({ contentSecurityPolicy: { directives: withExploCsp(helmet.contentSecurityPolicy.getDefaultDirectives()) } })
 * ```
 */
export function withExploCsp<Value extends Iterable<CspSource> | symbol | null | undefined>(
  directives: Readonly<Record<string, Value>>,
  options: ExploCspOptions = {},
): Record<string, CspSource[] | null | Extract<Value, symbol>> {
  const list = (sources: Iterable<CspSource>) => (typeof sources === 'string' ? [sources] : [...sources]);
  const merged: Record<string, CspSource[] | null | Extract<Value, symbol>> = {};
  for (const [name, sources] of Object.entries(directives) as [string, Value][]) {
    merged[name] = sources == null ? null : typeof sources === 'symbol' ? (sources as Extract<Value, symbol>) : list(sources);
  }
  const names = Object.keys(merged);
  const camel = names.some((name) => /[A-Z]/.test(name)) && !names.some((name) => name.includes('-'));
  const fallback = merged['default-src'] ?? merged.defaultSrc;
  for (const [kebab, sources] of Object.entries(exploCspSources(options))) {
    const twin = camelCase(kebab);
    if (kebab in merged && twin in merged) {
      throw new TypeError(`withExploCsp: the directives set both "${kebab}" and "${twin}"; keep one.`);
    }
    const name = kebab in merged ? kebab : twin in merged || camel ? twin : kebab;
    const current = merged[name];
    if (typeof current === 'symbol') {
      throw new TypeError(
        `withExploCsp: "${name}" is a symbol, not a list of sources; Explo's hosts must be allowed there, so give it a list (or leave it out).`,
      );
    }
    const own = current ?? (fallback == null || typeof fallback === 'symbol' ? ["'self'"] : [...fallback]);
    merged[name] = [...own, ...sources.filter((source) => !own.includes(source))];
  }
  return merged;
}
