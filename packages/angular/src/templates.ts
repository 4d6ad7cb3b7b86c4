import { Directive, inject, TemplateRef } from '@angular/core';
import type { RefreshError } from '@explo-embed/browser/embed';

/** What an `<ng-template exploError let-error>` receives: the failure (another try is planned). */
export interface ExploErrorContext {
  /** The failure to get the first token (`willRetry: true`). */
  $implicit: RefreshError;
}

/** What an `<ng-template exploEnded let-error let-restart="restart">` receives. */
export interface ExploEndedContext {
  /** Why the embed ended (401: logged out, 403, the token route answered a login page). */
  $implicit: RefreshError;
  /** Tries again (after the user logged in again). */
  restart: () => void;
}

/**
 * `<ng-template exploLoading>` inside an embed: shown while there is no token yet. Default: nothing.
 *
 * @example
 * ```html
 * <ng-template exploLoading><p>Loading analytics…</p></ng-template>
 * ```
 */
@Directive({ selector: 'ng-template[exploLoading]' })
export class ExploLoadingTemplate {
  /** The template. */
  readonly template: TemplateRef<unknown> = inject(TemplateRef);
}

/**
 * `<ng-template exploError let-error>` inside an embed: shown while the first token cannot be had and
 * another try is planned. Default: the `exploLoading` template.
 */
@Directive({ selector: 'ng-template[exploError]' })
export class ExploErrorTemplate {
  /** The template. */
  readonly template: TemplateRef<ExploErrorContext> = inject(TemplateRef);

  /** Types `let-error` in the template (Angular's strict templates read this guard). */
  static ngTemplateContextGuard(_directive: ExploErrorTemplate, context: unknown): context is ExploErrorContext {
    return true;
  }
}

/**
 * `<ng-template exploEnded let-error let-restart="restart">` inside an embed: shown instead of the
 * embed once it has ended; `restart()` tries again. Default: the embed stays.
 */
@Directive({ selector: 'ng-template[exploEnded]' })
export class ExploEndedTemplate {
  /** The template. */
  readonly template: TemplateRef<ExploEndedContext> = inject(TemplateRef);

  /** Types `let-error` and `let-restart` in the template (Angular's strict templates read this guard). */
  static ngTemplateContextGuard(_directive: ExploEndedTemplate, context: unknown): context is ExploEndedContext {
    return true;
  }
}
