import type { DetailedHTMLProps, HTMLAttributes } from 'react';

/**
 * What every element takes in JSX (`ref`, `style`...), and `class`: React 18 sets a custom element's
 * props as attributes by their own names, so `className` would not become `class` there.
 */
export type CustomElementProps = DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & { class?: string | undefined };

/** Attributes of Explo's `<explo-dashboard>` web component (from Explo's docs). */
export interface ExploDashboardElementAttributes extends CustomElementProps {
  /** The customer's token. */
  'dash-jwt'?: string;
  /** Explo environment; without it, the last saved version is served. */
  environment?: string;
  /** JSON object of variables. */
  variables?: string;
  /** Minutes between data refreshes. */
  'refresh-minutes'?: number | string;
  /** Locale, e.g. `"en-US"`. */
  'locale-code'?: string;
}

/** Attributes of Explo's `<explo-report-builder>` web component. */
export interface ExploReportBuilderElementAttributes extends CustomElementProps {
  /** The customer's token. */
  jwt?: string;
  /** Explo environment. */
  environment?: string;
}

// JSX knows Explo's elements once this package is imported: no `'explo-dashboard': any` in the app.
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'explo-dashboard': ExploDashboardElementAttributes;
      'explo-report-builder': ExploReportBuilderElementAttributes;
    }
  }
}
