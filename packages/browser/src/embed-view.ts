import type { ExploEmbedKind, ExploEmbedStatus, ExploEmbedViewOptions } from './embed-types.js';
import { exploEmbedUrls } from './embed-urls.js';

// The view rules every framework's <ExploDashboard> follows, written once: what makes a controller,
// which jwt to show, the element that shows it (iframe or web component), and the styles of `height`
// and `fill`. Pure functions: nothing here touches the page, so servers render with them too.

/**
 * The options a controller is made of: a component makes a new controller when any of them changes.
 * The token is not among them: it is read once, by design (later tokens arrive by refresh, without
 * reloading the embed). Callbacks and variables reach the same controller through `update()`.
 */
export const EXPLO_CONTROLLER_OPTIONS = Object.freeze([
  'dashboard',
  'tokenUrl',
  'mode',
  'environment',
  'appUrl',
  'bundleUrl',
  'localeCode',
  'userGroupToken',
  'height',
  'shareAcrossTabs',
  'loadTimeout',
  'embedId',
] as const);

/** One of {@link EXPLO_CONTROLLER_OPTIONS}. */
export type ExploControllerOption = (typeof EXPLO_CONTROLLER_OPTIONS)[number];

/**
 * The values of {@link EXPLO_CONTROLLER_OPTIONS} in `options`, in that order: a new controller when
 * any differs (a hook's dependency list; read inside a reactive scope, it tracks exactly these).
 */
export function exploControllerKey(options: ExploEmbedViewOptions): unknown[] {
  return EXPLO_CONTROLLER_OPTIONS.map((name) => options[name]);
}

/** The jwt an embed shows in `status`: while ready, and after it ended (the embed stays); else none. */
export function exploShownJwt(status: ExploEmbedStatus): string | undefined {
  return status.state === 'ready' || status.state === 'ended' ? status.jwt : undefined;
}

/**
 * The iframe URL of an embed: Explo's app, the token, the environment (and the locale, if any).
 * Throws `ExploEmbedOptionError` for an `appUrl` that is not https (see {@link exploEmbedUrls}).
 */
export function exploIframeSrc(kind: ExploEmbedKind, jwt: string, options: ExploEmbedViewOptions): string {
  const base = `${exploEmbedUrls(options).appUrl}${kind === 'dashboard' ? '' : '/report-builder'}`;
  const url = `${base}/iframe/${encodeURIComponent(jwt)}/${encodeURIComponent(options.environment ?? 'production')}`;
  return options.localeCode ? `${url}?locale_code=${encodeURIComponent(options.localeCode)}` : url;
}

/** The web component's tag and attributes for an embed (variables as Explo's JSON string). */
export function exploElementAttributes(
  kind: ExploEmbedKind,
  jwt: string,
  options: ExploEmbedViewOptions,
): { tag: 'explo-dashboard' | 'explo-report-builder'; attributes: Record<string, string> } {
  const attributes: Record<string, string> = { environment: options.environment ?? 'production' };
  const variables =
    options.variables && Object.keys(options.variables).length > 0 ? JSON.stringify(options.variables) : undefined;
  if (variables) attributes.variables = variables;
  if (options.localeCode) attributes['locale-code'] = options.localeCode;
  if (kind === 'report-builder') return { tag: 'explo-report-builder', attributes: { jwt, ...attributes } };
  if (options.userGroupToken) attributes['dash-user-group-token'] = options.userGroupToken;
  return { tag: 'explo-dashboard', attributes: { 'dash-jwt': jwt, ...attributes } };
}

/** What shows an embed that has a token: Explo's iframe (its `src` and `title`), or Explo's element. */
export type ExploEmbedElement =
  | { tag: 'iframe'; attributes: { src: string; title: string } }
  | { tag: 'explo-dashboard' | 'explo-report-builder'; attributes: Record<string, string> };

/**
 * The element that shows `jwt`, by `mode`: Explo's iframe with its URL and accessible name (the
 * host's `title`, or {@link exploTitle}'s), or the web component with the attributes Explo reads.
 */
export function exploEmbedElement(
  kind: ExploEmbedKind,
  jwt: string,
  options: ExploEmbedViewOptions & { title?: string | undefined },
): ExploEmbedElement {
  if (options.mode === 'web-component') return exploElementAttributes(kind, jwt, options);
  return { tag: 'iframe', attributes: { src: exploIframeSrc(kind, jwt, options), title: exploTitle(kind, options.title) } };
}

/** The iframe's accessible name: the host's `title`, or `"Explo dashboard"` / `"Explo report builder"`. */
export function exploTitle(kind: ExploEmbedKind, title?: string): string {
  return title ?? (kind === 'dashboard' ? 'Explo dashboard' : 'Explo report builder');
}

/**
 * Explo's layout rule for the report builder, as styles: it renders 0 px high unless it is `flex: 1`
 * in a `display: flex; flex-direction: column; height: 100%` parent (and every ancestor is 100% high).
 */
export const EXPLO_FILL = Object.freeze({
  parent: Object.freeze({ display: 'flex', flexDirection: 'column', height: '100%' }),
  child: Object.freeze({ flex: '1 1 auto', minHeight: '0' }),
});

/**
 * A fixed height as a CSS length: a number is pixels, a string is used as it is. `undefined` and
 * `"auto"` give none (with `"auto"`, the browser layer sets the element's height from Explo's events).
 */
export function exploFixedHeight(height: ExploEmbedViewOptions['height']): string | undefined {
  if (height === undefined || height === 'auto') return undefined;
  return typeof height === 'number' ? `${height}px` : height;
}

/**
 * The embed's own style (camelCase, as React and Vue take it): {@link EXPLO_FILL}'s child rule with
 * `fill`, then a fixed height. Empty when neither applies. The host's own style goes after it.
 */
export function exploEmbedStyle(options: { fill?: boolean | undefined; height?: ExploEmbedViewOptions['height'] }): {
  [property: string]: string;
} {
  const height = exploFixedHeight(options.height);
  return { ...(options.fill ? EXPLO_FILL.child : {}), ...(height === undefined ? {} : { height }) };
}

/** A camelCase style as CSS text (`minHeight` becomes `min-height`), for frameworks that take strings. */
export function exploCss(style: { readonly [property: string]: string }): string {
  return Object.entries(style)
    .map(([name, value]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${value}`)
    .join(';');
}
