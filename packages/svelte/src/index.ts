export type { ExploEvents, FreshToken, RefreshError, RefreshErrorCode } from '@explo-embed/browser';
/**
 * An Explo dashboard: its iframe (or `<explo-dashboard>`), from the token the server rendered the page
 * with or one fetched from the token route, kept fresh by `@explo-embed/browser` (one refresh across
 * tabs). Server-rendered as the element itself when given a token (SvelteKit).
 */
export { default as ExploDashboard } from './ExploDashboard.svelte';
/** An Explo report builder: as `ExploDashboard`, with `<explo-report-builder>` / Explo's report-builder iframe. */
export { default as ExploReportBuilder } from './ExploReportBuilder.svelte';
export type { ExploDashboardElementAttributes, ExploReportBuilderElementAttributes } from './elements.js';
export type { ExploEmbedProps } from './props.js';
