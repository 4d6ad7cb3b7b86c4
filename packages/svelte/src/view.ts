import { EXPLO_FILL, type ExploEmbedKind, exploCss, exploEmbedElement, exploEmbedStyle } from '@explo-embed/browser/embed';
import type { ExploEmbedProps } from './props.js';

/** The fill wrapper's style (a 100%-high flex column), as CSS: Svelte takes styles as strings. */
export const FILL_PARENT = exploCss(EXPLO_FILL.parent);

/**
 * What shows an embed with a token: Explo's iframe or element, its attributes, then the host's class
 * and style (after the fill rule and a fixed height). Absent ones are left out.
 */
export function exploView(kind: ExploEmbedKind, jwt: string, props: ExploEmbedProps) {
  const style = [exploCss(exploEmbedStyle(props)), props.style ?? ''].filter(Boolean).join(';');
  const own = { ...(props.class ? { class: props.class } : {}), ...(style ? { style } : {}) };
  const { tag, attributes } = exploEmbedElement(kind, jwt, props);
  return { tag, attributes: { ...attributes, ...own } };
}
