import { type DefaultTreeAdapterMap, type DefaultTreeAdapterTypes, defaultTreeAdapter, parse, type TreeAdapter } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;
type Document = DefaultTreeAdapterTypes.Document;

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
  /** The iframe's `sandbox` attribute, as written (hostile), when it has one. */
  sandbox?: string;
  /** The iframe has a `srcdoc` attribute: browsers show it instead of `src`. */
  srcdoc?: boolean;
}

/** What `doctor` reads from a page's HTML. */
export interface PageScan {
  embeds: FoundEmbed[];
  /**
   * Iframes from Explo's app host whose URL is not `/iframe/<token>/<environment>` (hostile), with
   * anything shaped like a token cut to its first 12 characters; `noEnvironment` when only the
   * environment segment is missing.
   */
  oddIframes: { url: string; noEnvironment: boolean }[];
  /** `<script src>` elements, resolved against the page, with their nonce. */
  scripts: { url: URL; nonce: string | undefined }[];
  /** `content` of each `<meta http-equiv="Content-Security-Policy">` in the head (the only place browsers read it). */
  metaCsp: string[];
  /** The page holds more than `MAX_NODES` elements and comments: it was read up to there only. */
  capped: boolean;
}

/** Elements and comments read at most: a hostile page of 2 MiB could otherwise make a tree of hundreds of MB. */
export const MAX_NODES = 50_000;

/** Explo's app host: where its iframes live. */
export const EXPLO_APP_ORIGIN = 'https://app.explo.co';

// Enough to show what a page holds; a hostile page cannot make the lists grow without bound.
const MAX_ITEMS = 50;
const IFRAME_PATH = /^\/(report-builder\/)?iframe\/([^/]+)\/([^/]+)\/?$/;
const NO_ENVIRONMENT = /^\/(report-builder\/)?iframe\/[^/]+\/?$/;
const HTML_NS = 'http://www.w3.org/1999/xhtml';
// The script types a browser runs (HTML's JavaScript MIME type essences, "module", or none).
const JS_TYPES =
  /^(?:|module|(?:application|text)\/(?:x-)?(?:javascript|ecmascript)|text\/javascript1\.[0-5]|text\/(?:jscript|livescript))$/;
const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Finds Explo embeds, scripts and meta CSPs in a page the way a browser parses it (parse5 follows
 * the HTML standard: `<template>` content and comments are not the page; a meta outside `<head>`
 * is not a policy). An iframe from another host counts when its path carries a compact JWE (a
 * local stand-in of Explo, for instance).
 */
export function scanPage(html: string, pageUrl: URL): PageScan {
  const scan: PageScan = { embeds: [], oddIframes: [], scripts: [], metaCsp: [], capped: false };
  const { document, capped } = parseCapped(html);
  scan.capped = capped;
  // Iterative: a hostile page may nest elements deeper than the call stack.
  const stack: Node[] = [document];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if ('tagName' in node) visit(node, pageUrl, scan);
    if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i] as Node);
  }
  return scan;
}

const STOP = new Error('explo-embed doctor: element cap');

/**
 * parse5 with a tree adapter that counts the elements and comments it creates and stops the
 * parse past `MAX_NODES`: the tree built so far is the page as read.
 */
function parseCapped(html: string): { document: Document; capped: boolean } {
  let nodes = 0;
  let document: Document | undefined;
  const count = () => {
    if (++nodes > MAX_NODES) throw STOP;
  };
  const adapter: TreeAdapter<DefaultTreeAdapterMap> = {
    ...defaultTreeAdapter,
    createDocument: () => {
      document = defaultTreeAdapter.createDocument();
      return document;
    },
    createElement: (tagName, namespaceURI, attrs) => {
      count();
      return defaultTreeAdapter.createElement(tagName, namespaceURI, attrs);
    },
    createCommentNode: (data) => {
      count();
      return defaultTreeAdapter.createCommentNode(data);
    },
  };
  try {
    return { document: parse(html, { treeAdapter: adapter }), capped: false };
  } catch (error) {
    if (error !== STOP || document === undefined) throw error;
    return { document, capped: true };
  }
}

function visit(element: Element, pageUrl: URL, scan: PageScan): void {
  // An <iframe> or <script> inside <svg> or <math> is not an HTML element: browsers do not load it.
  if (element.namespaceURI !== HTML_NS) return;
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
        const sandbox = attr('sandbox');
        add(scan.embeds, {
          kind,
          jwt,
          environment: decode(match[3] as string),
          url,
          ...(sandbox === undefined ? {} : { sandbox }),
          ...(attr('srcdoc') === undefined ? {} : { srcdoc: true }),
        });
      } else if (url.origin === EXPLO_APP_ORIGIN) {
        add(scan.oddIframes, {
          url: url.origin + cutTokens(url.href.slice(url.origin.length)),
          noEnvironment: NO_ENVIRONMENT.test(url.pathname),
        });
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
      // A script of another type (text/plain, a template's) is data: the browser does not run it.
      const type = attr('type')?.trim().toLowerCase() ?? '';
      const url = resolve(attr('src'), pageUrl);
      if (url && JS_TYPES.test(type)) add(scan.scripts, { url, nonce: attr('nonce') });
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

/** A URL's path and query with every run shaped like a token (three or more dot-separated base64url parts) cut to 12 characters. */
export function cutTokens(text: string): string {
  return text.replace(/([\w-]{12})[\w-]*(?:(?:\.|%2e)[\w-]*){2,}/gi, '$1…');
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
