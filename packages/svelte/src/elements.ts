import type { HTMLAttributes } from 'svelte/elements';

/** Attributes of Explo's `<explo-dashboard>` web component (from Explo's docs). */
export interface ExploDashboardElementAttributes extends HTMLAttributes<HTMLElement> {
  /** The customer's token. */
  'dash-jwt'?: string | undefined | null;
  /** Explo environment; without it, the last saved version is served. */
  environment?: string | undefined | null;
  /** JSON object of variables. */
  variables?: string | undefined | null;
  /** Minutes between data refreshes. */
  'refresh-minutes'?: number | string | undefined | null;
  /** Locale, e.g. `"fr-fr"`. */
  'locale-code'?: string | undefined | null;
  /** The legacy token of V0 variables. */
  'dash-user-group-token'?: string | undefined | null;
}

/** Attributes of Explo's `<explo-report-builder>` web component. */
export interface ExploReportBuilderElementAttributes extends HTMLAttributes<HTMLElement> {
  /** The customer's token. */
  jwt?: string | undefined | null;
  /** Explo environment. */
  environment?: string | undefined | null;
  /** JSON object of variables. */
  variables?: string | undefined | null;
  /** Locale, e.g. `"fr-fr"`. */
  'locale-code'?: string | undefined | null;
}

// Svelte's markup (svelte-check) knows Explo's elements once this package is imported.
declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'explo-dashboard': ExploDashboardElementAttributes;
    'explo-report-builder': ExploReportBuilderElementAttributes;
  }
}
