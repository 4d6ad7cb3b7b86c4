'use client';

import type { ReactNode } from 'react';
import { type ExploEmbedProps, ExploEmbedView } from './embed.js';

/**
 * An Explo dashboard: its iframe (or `<explo-dashboard>`), from the token the server rendered the page
 * with or one fetched from the token route, kept fresh by `@explo-embed/browser` (one refresh across
 * tabs). Server-rendered as the element itself when given a token.
 *
 * @example
 * ```tsx
 * <ExploDashboard dashboard="sales" token={exploToken} onLoad={() => setReady(true)} />
 * ```
 */
export function ExploDashboard(props: ExploEmbedProps): ReactNode {
  return <ExploEmbedView kind="dashboard" {...props} />;
}

/** An Explo report builder: as {@link ExploDashboard}, with `<explo-report-builder>` / Explo's report-builder iframe. */
export function ExploReportBuilder(props: ExploEmbedProps): ReactNode {
  return <ExploEmbedView kind="report-builder" {...props} />;
}
