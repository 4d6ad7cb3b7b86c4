const loading = new Map<string, HTMLScriptElement>();

/**
 * Loads Explo's web-component bundle once per page, however many embeds ask (and whichever of them
 * mounts first). Only ever called from an effect, in the browser.
 */
export function loadExploBundle(src: string): void {
  // The host page may load it itself (a <script> in its layout): once is enough.
  const href = new URL(src, location.href).href;
  if (loading.has(src) || Array.from(document.scripts).some((script) => script.src === href)) return;
  const script = document.createElement('script');
  script.src = src;
  script.async = true;
  document.head.appendChild(script);
  loading.set(src, script);
}
