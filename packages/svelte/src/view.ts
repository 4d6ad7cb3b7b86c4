import { EXPLO_FILL, type ExploEmbedKind, exploElementAttributes, exploIframeSrc } from '@explo-embed/browser/embed';
import type { ExploEmbedProps } from './props.js';

// Svelte takes styles as strings: Explo's fill rule and a fixed height, written as CSS.
const css = (style: Record<string, string>) =>
  Object.entries(style)
    .map(([name, value]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${value}`)
    .join(';');

/** The fill wrapper's style (a 100%-high flex column). */
export const FILL_PARENT = css(EXPLO_FILL.parent);

/**
 * What shows an embed with a token: Explo's iframe or element, its attributes, then the host's class
 * and style (after the fill rule and a fixed height; `"auto"` is the browser layer's). Absent ones are left out.
 */
export function exploView(kind: ExploEmbedKind, jwt: string, props: ExploEmbedProps) {
  const { height } = props;
  const fixed = height === undefined || height === 'auto' ? '' : `height:${typeof height === 'number' ? `${height}px` : height}`;
  const style = [props.fill ? css(EXPLO_FILL.child) : '', fixed, props.style ?? ''].filter(Boolean).join(';');
  const own = { ...(props.class ? { class: props.class } : {}), ...(style ? { style } : {}) };
  if (props.mode === 'web-component') {
    const { tag, attributes } = exploElementAttributes(kind, jwt, props);
    return { tag, attributes: { ...attributes, ...own } };
  }
  const title = props.title ?? (kind === 'dashboard' ? 'Explo dashboard' : 'Explo report builder');
  return { tag: 'iframe', attributes: { src: exploIframeSrc(kind, jwt, props), title, ...own } };
}
