import { exploEmbedComponent } from './embed.js';

/**
 * An Explo dashboard: its iframe (or `<explo-dashboard>`), from the token the server rendered the page
 * with or one fetched from the token route, kept fresh by `@explo-embed/browser` (one refresh across
 * tabs). Server-rendered as the element itself when given a token (Nuxt).
 *
 * @example
 * ```vue
 * <ExploDashboard dashboard="sales" :token="exploToken" @load="ready = true" />
 * ```
 */
export const ExploDashboard = exploEmbedComponent('dashboard', 'ExploDashboard');

/** An Explo report builder: as {@link ExploDashboard}, with `<explo-report-builder>` / Explo's report-builder iframe. */
export const ExploReportBuilder = exploEmbedComponent('report-builder', 'ExploReportBuilder');
