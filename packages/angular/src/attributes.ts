import { Directive, ElementRef, type InputSignal, inject, input, type OnChanges, Renderer2 } from '@angular/core';

/**
 * Writes an embed's attributes as the browser layer lists them (the iframe's `src` and `title`, the
 * web component's `dash-jwt`, `environment`, `variables`...), each only when it differs from what the
 * element has. Hydration then keeps the server's iframe as it is: setting an iframe's `src` again, even
 * to the same URL, reloads it, and a `[src]` binding is set again when the page hydrates
 * (angular/angular#52477). Through Renderer2, so it writes the server's DOM too.
 *
 * No DomSanitizer is involved: Renderer2 writes what it is given. The iframe's URL is the one
 * `exploIframeSrc` made (the token and environment URL-encoded on the `appUrl` base), and the
 * browser layer refuses an `appUrl` that is not https (`ERR_EXPLO_OPTION_INVALID`) before any is
 * made, for every framework alike: nothing Angular's resource-URL check would refuse gets past it
 * (a `javascript:` appUrl, say).
 *
 * @internal
 */
@Directive({ selector: '[exploAttributes]' })
export class ExploAttributes implements OnChanges {
  /** Attribute name -> value; a name left out later is removed. */
  readonly exploAttributes: InputSignal<Record<string, string>> = input.required<Record<string, string>>();
  readonly #element: Element = inject(ElementRef).nativeElement;
  readonly #renderer = inject(Renderer2);
  #written: string[] = [];

  ngOnChanges(): void {
    const attributes = this.exploAttributes();
    for (const name of this.#written) {
      if (!(name in attributes)) this.#renderer.removeAttribute(this.#element, name);
    }
    for (const [name, value] of Object.entries(attributes)) {
      if (this.#element.getAttribute(name) !== value) this.#renderer.setAttribute(this.#element, name, value);
    }
    this.#written = Object.keys(attributes);
  }
}
