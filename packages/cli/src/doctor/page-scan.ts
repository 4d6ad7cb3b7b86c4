import { type DefaultTreeAdapterTypes, parse } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** How a page embeds Explo. */
export type EmbedKind = 'iframe' | 'report-builder iframe' | 'explo-dashboard' | 'explo-report-builder';

/** One embed found in the page, with its token as written there (hostile until decrypted). */
export interface FoundEmbed {
  kind: EmbedKind;
  jwt: string;
  /** The iframe URL's environment segment, or the web component's `environment` attribute. */
  environment: string | undefined;
  /** The iframe's URL (parsed), for the iframe kinds. */
  url?: URL;
}

/** What `doctor` reads from a page's HTML. */
export interface PageScan {
  embeds: FoundEmbed[];
  /** Iframes from Explo's app host whose URL is not `/iframe/<token>/<environment>`, as written (hostile). */
  oddIframes: string[];
  /** `<script src>` elements, resolved against the page, with their nonce. */
  scripts: { url: URL; nonce: string | undefined }[];
  /** `content` of each `<meta http-equiv="Content-Security-Policy">` in the head (the only place browsers read it). */
  metaCsp: string[];
}

/** Explo's app host: where its iframes live. */
export const EXPLO_APP_ORIGIN = 'https://app.explo.co';

// Enough to show what a page holds; a hostile page cannot make the lists grow without bound.
const MAX_ITEMS = 50;
const IFRAME_PATH = /^\/(report-builder\/)?iframe\/([^/]+)\/([^/]+)\/?$/;
const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Finds Explo embeds, scripts and meta CSPs in a page the way a browser parses it (parse5 follows
 * the HTML standard: `<template>` content and comments are not the page; a meta outside `<head>`
 * is not a policy). An iframe from another host counts when its path carries a compact JWE (a
 * local stand-in of Explo, for instance).
 */
export function scanPage(html: string, pageUrl: URL): PageScan {
  const scan: PageScan = { embeds: [], oddIframes: [], scripts: [], metaCsp: [] };
  // Iterative: a hostile page may nest elements deeper than the call stack.
  const stack: Node[] = [parse(html)];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if ('tagName' in node) visit(node, pageUrl, scan);
    if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i] as Node);
  }
  return scan;
}

function visit(element: Element, pageUrl: URL, scan: PageScan): void {
  const attr = (name: string) => element.attrs.find((a) => a.name === name)?.value;
  const add = <T>(list: T[], item: T) => {
    if (list.length < MAX_ITEMS) list.push(item);
  };
  switch (element.tagName) {
    case 'iframe': {
      const url = resolve(attr('src'), pageUrl);
      if (!url) return;
      const match = IFRAME_PATH.exec(url.pathname);
      const jwt = match ? decode(match[2] as string) : undefined;
      if (match && jwt !== undefined && (url.origin === EXPLO_APP_ORIGIN || COMPACT_JWE.test(jwt))) {
        const kind = match[1] ? 'report-builder iframe' : 'iframe';
        add(scan.embeds, { kind, jwt, environment: decode(match[3] as string), url });
      } else if (url.origin === EXPLO_APP_ORIGIN) {
        add(scan.oddIframes, attr('src') as string);
      }
      return;
    }
    case 'explo-dashboard':
    case 'explo-report-builder': {
      const jwt = element.tagName === 'explo-dashboard' ? attr('dash-jwt') : (attr('jwt') ?? attr('report-builder-token'));
      if (jwt !== undefined) add(scan.embeds, { kind: element.tagName, jwt, environment: attr('environment') });
      return;
    }
    case 'script': {
      const url = resolve(attr('src'), pageUrl);
      if (url) add(scan.scripts, { url, nonce: attr('nonce') });
      return;
    }
    case 'meta': {
      const content = attr('content');
      const inHead = element.parentNode !== null && 'tagName' in element.parentNode && element.parentNode.tagName === 'head';
      if (inHead && content !== undefined && attr('http-equiv')?.trim().toLowerCase() === 'content-security-policy') {
        add(scan.metaCsp, content);
      }
      return;
    }
  }
}

function resolve(src: string | undefined, base: URL): URL | undefined {
  if (src === undefined) return undefined;
  try {
    return new URL(src.trim(), base);
  } catch {
    return undefined;
  }
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
