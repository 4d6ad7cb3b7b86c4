import type { ExploEmbedViewOptions } from './embed-types.js';

/**
 * An embed option that cannot be used: `appUrl` or `bundleUrl` not `https:` (or `http:` on a
 * loopback host), so that no `javascript:` or `data:` URL ever reaches an iframe's `src` or a
 * script's. Thrown when the embed's controller is made (server rendering included), before anything
 * is rendered; `option` names the option.
 */
export class ExploEmbedOptionError extends Error {
  /** Written out: a minifier renames classes. */
  override readonly name: string = 'ExploEmbedOptionError';
  /** The code of every such error, as `@explo-embed/core` names an invalid option. */
  static readonly code = 'ERR_EXPLO_OPTION_INVALID';
  /** Always `ERR_EXPLO_OPTION_INVALID`: branch on it, not on the message. */
  readonly code = ExploEmbedOptionError.code;
  /** The option at fault: `appUrl` or `bundleUrl`. */
  readonly option: 'appUrl' | 'bundleUrl';

  constructor(option: 'appUrl' | 'bundleUrl', message: string) {
    super(`Invalid option "${option}": ${message}`);
    this.option = option;
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const DEFAULT_APP_URL = 'https://app.explo.co';
const DEFAULT_BUNDLE_URL = 'https://embed.explo.co/bundle.js';

/**
 * Explo's app and bundle URLs for `options`, checked: absolute `https:` URLs (`http:` only on
 * `localhost`, `127.0.0.1` or `[::1]`, for a stand-in), without credentials; the app URL is a base
 * (no query or fragment; no trailing slash). What is returned is the parsed URL, not the string
 * given, so what reaches the page is exactly what was checked. Throws {@link ExploEmbedOptionError}.
 */
export function exploEmbedUrls(options: Pick<ExploEmbedViewOptions, 'appUrl' | 'bundleUrl'>): {
  appUrl: string;
  bundleUrl: string;
} {
  const app = checked('appUrl', options.appUrl ?? DEFAULT_APP_URL);
  if (app.search || app.hash) {
    throw new ExploEmbedOptionError('appUrl', 'must be a base URL such as "https://app.explo.co", without a query or fragment.');
  }
  return {
    appUrl: app.href.replace(/\/+$/, ''),
    bundleUrl: checked('bundleUrl', options.bundleUrl ?? DEFAULT_BUNDLE_URL).href,
  };
}

function checked(option: 'appUrl' | 'bundleUrl', value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const https = url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!url || !https || url.username || url.password) {
    throw new ExploEmbedOptionError(
      option,
      'must be an https URL such as "https://app.explo.co" (http only on localhost, 127.0.0.1 or [::1], for a stand-in).',
    );
  }
  return url;
}
