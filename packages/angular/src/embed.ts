import { NgTemplateOutlet } from '@angular/common';
import {
  afterRenderEffect,
  booleanAttribute,
  ChangeDetectionStrategy,
  Component,
  CUSTOM_ELEMENTS_SCHEMA,
  computed,
  contentChild,
  ElementRef,
  type InputSignal,
  type InputSignalWithTransform,
  inject,
  input,
  type OutputEmitterRef,
  output,
  type Signal,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import {
  createExploEmbedController,
  EXPLO_CONTROLLER_OPTIONS,
  EXPLO_FILL,
  type ExploEmbedElement,
  type ExploEmbedKind,
  type ExploEmbedStatus,
  type ExploEmbedViewOptions,
  type ExploEvents,
  type ExploTokenRequest,
  exploCss,
  exploEmbedElement,
  exploEmbedStyle,
  exploShownJwt,
  type FreshToken,
  type RefreshError,
} from '@explo-embed/browser/embed';
import { ExploAttributes } from './attributes.js';
import { ExploEndedTemplate, ExploErrorTemplate, ExploLoadingTemplate } from './templates.js';

/**
 * An Explo dashboard (`<explo-embed-dashboard>`) or report builder (`<explo-embed-report-builder>`):
 * Explo's iframe (or `<explo-dashboard>` / `<explo-report-builder>`), from the token the server
 * rendered the page with or one fetched from the token route, kept fresh by `@explo-embed/browser`
 * (one refresh across tabs). One standalone component for both, told apart by its selector.
 *
 * Creating it touches nothing of the page, so Angular's server renders the embed itself when given a
 * token; in the browser (render effects never run on the server) it fetches the first token when none
 * was given, keeps it fresh, and stops when it is destroyed.
 *
 * Not `<explo-dashboard>`: that is Explo's own element, which the web-component mode renders inside
 * this component (a component of that name would match its own output, and Explo's bundle defines it).
 *
 * @example
 * ```html
 * <explo-embed-dashboard dashboard="sales" [variables]="{ region }" (load)="loaded = true">
 *   <ng-template exploLoading><p>Loading analytics…</p></ng-template>
 * </explo-embed-dashboard>
 * ```
 */
@Component({
  selector: 'explo-embed-dashboard, explo-embed-report-builder',
  imports: [NgTemplateOutlet, ExploAttributes],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { style: 'display: contents' },
  // The host's template for the state, or Explo's iframe or element (its attributes the browser
  // layer's), in Explo's flex column with `fill`.
  template: `
@let current = status();
@if (current.state === 'ended' && endedTemplate(); as ended) {
  <ng-container *ngTemplateOutlet="ended.template; context: { $implicit: current.error, restart: restart }" />
} @else if (view()) {
  @if (fill()) {
    <div [style]="fillParent"><ng-container *ngTemplateOutlet="embed" /></div>
  } @else {
    <ng-container *ngTemplateOutlet="embed" />
  }
} @else if (current.state === 'retrying' && errorTemplate(); as error) {
  <ng-container *ngTemplateOutlet="error.template; context: { $implicit: current.error }" />
} @else if (loadingTemplate(); as loading) {
  <ng-container *ngTemplateOutlet="loading.template" />
}
<ng-template #embed>
  @if (view(); as shown) {
    @switch (shown.tag) {
      @case ('iframe') {
        <iframe #element [exploAttributes]="shown.attributes" [class]="embedClass()" [style]="style()"></iframe>
      }
      @case ('explo-dashboard') {
        <explo-dashboard #element [exploAttributes]="shown.attributes" [class]="embedClass()" [style]="style()"></explo-dashboard>
      }
      @case ('explo-report-builder') {
        <explo-report-builder #element [exploAttributes]="shown.attributes" [class]="embedClass()" [style]="style()"></explo-report-builder>
      }
    }
  }
</ng-template>`,
})
export class ExploEmbed {
  /** Which embed: by the selector that matched. */
  readonly #kind: ExploEmbedKind =
    (inject(ElementRef).nativeElement as Element).tagName.toLowerCase() === 'explo-embed-report-builder'
      ? 'report-builder'
      : 'dashboard';

  /** Dashboard name from the server's allowlist (`?dashboard=` on the token route). Default: the route's default. */
  readonly dashboard: InputSignal<string | undefined> = input<string>();
  /**
   * The token the server rendered the page with (`exploToken`, or just its `jwt`). Without it, one is
   * fetched from `tokenUrl` in the browser. Read once: later tokens arrive by refresh.
   */
  readonly token: InputSignal<ExploEmbedViewOptions['token']> = input<ExploEmbedViewOptions['token']>();
  /** The token route. Default `"/explo/token"`; a full URL when it is on another origin. */
  readonly tokenUrl: InputSignal<string | undefined> = input<string>();
  /** Credentials and headers for a token route on another origin or behind a bearer token; read at each request. */
  readonly tokenRequest: InputSignal<ExploTokenRequest | undefined> = input<ExploTokenRequest>();
  /** Which tabs share one refresh: `true`, a customer or session id, `false`. Default: `true` without `tokenRequest`, `false` with it. */
  readonly shareAcrossTabs: InputSignal<boolean | string | undefined> = input<boolean | string>();
  /** Explo's iframe, or its web component. Default `"iframe"`. */
  readonly mode: InputSignal<'iframe' | 'web-component' | undefined> = input<'iframe' | 'web-component'>();
  /** Explo environment. Default `"production"`. */
  readonly environment: InputSignal<string | undefined> = input<string>();
  /** Where Explo's app is served (the iframe's base; its origin is the only one listened to). Default `"https://app.explo.co"`. */
  readonly appUrl: InputSignal<string | undefined> = input<string>();
  /** Explo's web-component bundle, loaded once per page. Default `"https://embed.explo.co/bundle.js"`. */
  readonly bundleUrl: InputSignal<string | undefined> = input<string>();
  /** Explo's locale, e.g. `"fr-fr"`. */
  readonly localeCode: InputSignal<string | undefined> = input<string>();
  /** The legacy `dash-user-group-token` of a web-component dashboard (V0 variables). */
  readonly userGroupToken: InputSignal<string | undefined> = input<string>();
  /** `"auto"`: the dashboard's own height (Explo's events). A number (px) or CSS length: fixed. Default: `embedStyle`'s. */
  readonly height: InputSignal<'auto' | number | string | undefined> = input<'auto' | number | string>();
  /** Dashboard variables: sent when the dashboard has loaded, and again whenever they change. */
  readonly variables: InputSignal<Record<string, unknown> | undefined> = input<Record<string, unknown>>();
  /**
   * Milliseconds to wait for Explo's `dashboardReadyToLoad` before `(error)` gets `ERR_EXPLO_NOT_LOADED`
   * (why it never loaded). Default 20 000 for a dashboard, off for a report builder; `false` turns it off.
   */
  readonly loadTimeout: InputSignal<number | false | undefined> = input<number | false>();
  /** The embed id, for messages only: `ERR_EXPLO_NOT_LOADED` then links to its editor in Explo. */
  readonly embedId: InputSignal<string | undefined> = input<string>();
  /** Accessible name of the iframe. Default `"Explo dashboard"` / `"Explo report builder"`. */
  readonly title: InputSignal<string | undefined> = input<string>();
  /** Class of the iframe or element (the host element is `display: contents`). */
  readonly embedClass: InputSignal<string | undefined> = input<string>();
  /** Style of the iframe or element, as CSS text (with `height="auto"`, the height is the dashboard's own). */
  readonly embedStyle: InputSignal<string | undefined> = input<string>();
  /**
   * The report builder's layout: Explo's rule (a `flex: 1` child of a 100%-high flex column, every
   * ancestor 100% high) applied by a wrapper, so it is not 0 px high. Default false.
   */
  readonly fill: InputSignalWithTransform<boolean, unknown> = input(false, { transform: booleanAttribute });

  /** The dashboard has loaded (Explo's `dashboardLoaded`). */
  readonly load: OutputEmitterRef<ExploEvents['dashboardLoaded']> = output<ExploEvents['dashboardLoaded']>();
  /** Every failure to get a token; `willRetry: false` means the embed has ended. */
  readonly error: OutputEmitterRef<RefreshError> = output<RefreshError>();
  /** Every token the embed received (`(token)`, beside the `[token]` it started from). */
  readonly tokenReceived: OutputEmitterRef<FreshToken> = output<FreshToken>({ alias: 'token' });

  /** The host's `<ng-template exploLoading>`. */
  protected readonly loadingTemplate: Signal<ExploLoadingTemplate | undefined> = contentChild(ExploLoadingTemplate);
  /** The host's `<ng-template exploError>`. */
  protected readonly errorTemplate: Signal<ExploErrorTemplate | undefined> = contentChild(ExploErrorTemplate);
  /** The host's `<ng-template exploEnded>`. */
  protected readonly endedTemplate: Signal<ExploEndedTemplate | undefined> = contentChild(ExploEndedTemplate);
  /** The wrapper's style with `fill`. */
  protected readonly fillParent: string = exploCss(EXPLO_FILL.parent);

  private readonly element = viewChild<ElementRef<HTMLElement>>('element');
  readonly #changes = signal(0);
  // A new controller when what it is made of changes (read here, so tracked); the token is read once, by design.
  readonly #controller = computed(() => {
    for (const name of EXPLO_CONTROLLER_OPTIONS) this[name]();
    return untracked(() =>
      createExploEmbedController({
        ...this.#options(),
        onLoad: (detail) => this.load.emit(detail),
        onError: (error) => this.error.emit(error),
        onToken: (token) => this.tokenReceived.emit(token),
      }),
    );
  });

  /** Where the embed is: loading, ready, retrying its first token, or ended. */
  protected readonly status: Signal<ExploEmbedStatus> = computed(() => {
    this.#changes();
    return this.#controller().status;
  });
  /** What shows the embed once there is a token: Explo's iframe or element, and its attributes. */
  protected readonly view: Signal<ExploEmbedElement | undefined> = computed(() => {
    const jwt = exploShownJwt(this.status());
    if (jwt === undefined) return undefined;
    // Written by Renderer2, past Angular's resource-URL check (see ExploAttributes): the browser
    // layer refuses an appUrl that is not https (ERR_EXPLO_OPTION_INVALID), as every skin's.
    return exploEmbedElement(this.#kind, jwt, this.#options());
  });
  /** The element's style: the fill rule, a fixed height, then `embedStyle`. */
  protected readonly style: Signal<string | undefined> = computed(() => {
    const own = exploCss(exploEmbedStyle({ fill: this.fill(), height: this.height() }));
    return [own, this.embedStyle()].filter(Boolean).join(';') || undefined;
  });
  /** Tries again after an ending. */
  protected readonly restart = (): void => this.#controller().restart();

  constructor() {
    // In the browser only: render effects never run on the server. Each one's cleanup runs when its
    // controller or element is replaced, and when the component is destroyed (stop()).
    afterRenderEffect((onCleanup) => {
      const controller = this.#controller();
      untracked(() => {
        const off = controller.subscribe(() => this.#changes.update((n) => n + 1));
        const stop = controller.start();
        onCleanup(() => {
          off();
          stop();
        });
      });
    });
    afterRenderEffect(() => {
      const variables = this.variables();
      untracked(() => this.#controller().update({ variables }));
    });
    afterRenderEffect((onCleanup) => {
      const controller = this.#controller();
      const element = this.element()?.nativeElement;
      if (element) onCleanup(untracked(() => controller.attach(element)));
    });
  }

  #options(): ExploEmbedViewOptions & { title?: string | undefined } {
    return {
      dashboard: this.dashboard(),
      token: this.token(),
      tokenUrl: this.tokenUrl(),
      tokenRequest: this.tokenRequest(),
      shareAcrossTabs: this.shareAcrossTabs(),
      mode: this.mode(),
      environment: this.environment(),
      appUrl: this.appUrl(),
      bundleUrl: this.bundleUrl(),
      localeCode: this.localeCode(),
      userGroupToken: this.userGroupToken(),
      height: this.height(),
      variables: this.variables(),
      loadTimeout: this.loadTimeout(),
      embedId: this.embedId(),
      title: this.title(),
    };
  }
}
