import type { HTMLAttributes } from 'vue';

/** Attributes of Explo's `<explo-dashboard>` web component (from Explo's docs). */
export interface ExploDashboardElementAttributes extends HTMLAttributes {
  /** The customer's token. */
  'dash-jwt'?: string;
  /** Explo environment; without it, the last saved version is served. */
  environment?: string;
  /** JSON object of variables. */
  variables?: string;
  /** Minutes between data refreshes. */
  'refresh-minutes'?: number | string;
  /** Locale, e.g. `"fr-fr"`. */
  'locale-code'?: string;
  /** The legacy token of V0 variables. */
  'dash-user-group-token'?: string;
}

/** Attributes of Explo's `<explo-report-builder>` web component. */
export interface ExploReportBuilderElementAttributes extends HTMLAttributes {
  /** The customer's token. */
  jwt?: string;
  /** Explo environment. */
  environment?: string;
  /** JSON object of variables. */
  variables?: string;
  /** Locale, e.g. `"fr-fr"`. */
  'locale-code'?: string;
}

// Templates (vue-tsc, Volar) know Explo's elements once this package is imported. Writing them in your
// own templates also needs `isCustomElement` (see the README); this package's components need nothing.
declare module 'vue' {
  interface IntrinsicElementAttributes {
    'explo-dashboard': ExploDashboardElementAttributes;
    'explo-report-builder': ExploReportBuilderElementAttributes;
  }
}
