import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import type { ExploEmbedKind } from '@explo-embed/browser/embed';
import { ExploAttributes } from './attributes.js';
import { EMBED_TEMPLATE, ExploEmbed } from './embed.js';

// Not <explo-dashboard>: that is Explo's own element, which the web-component mode renders inside
// this component (a component of that name would match its own output, and Explo's bundle defines it).

/**
 * An Explo dashboard: its iframe (or `<explo-dashboard>`), from the token the server rendered the page
 * with or one fetched from the token route, kept fresh by `@explo-embed/browser` (one refresh across
 * tabs). Server-rendered as the element itself when given a token (Angular SSR).
 *
 * @example
 * ```html
 * <explo-embed-dashboard dashboard="sales" [variables]="{ region }" (load)="loaded = true">
 *   <ng-template exploLoading><p>Loading analytics…</p></ng-template>
 * </explo-embed-dashboard>
 * ```
 */
@Component({
  selector: 'explo-embed-dashboard',
  imports: [NgTemplateOutlet, ExploAttributes],
  template: EMBED_TEMPLATE,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { style: 'display: contents' },
})
export class ExploDashboard extends ExploEmbed {
  protected readonly kind: ExploEmbedKind = 'dashboard';
}

/** An Explo report builder: as {@link ExploDashboard}, with `<explo-report-builder>` / Explo's report-builder iframe. */
@Component({
  selector: 'explo-embed-report-builder',
  imports: [NgTemplateOutlet, ExploAttributes],
  template: EMBED_TEMPLATE,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { style: 'display: contents' },
})
export class ExploReportBuilder extends ExploEmbed {
  protected readonly kind: ExploEmbedKind = 'report-builder';
}
