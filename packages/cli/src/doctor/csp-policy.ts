/** One Content-Security-Policy: directive name (lower case) -> its source expressions. */
export type CspPolicy = ReadonlyMap<string, readonly string[]>;

/** A fetch a policy may block, described as CSP matches it. `host` may be a wildcard (`*.data.explo.co`). */
export interface CspTarget {
  scheme: 'https' | 'http';
  host: string;
  /** The URL's port, '' for the scheme's default. */
  port: string;
  path: string;
  /** A script element's nonce. */
  nonce?: string | undefined;
}

/** The kinds of fetch `doctor` asks about, with the directives that govern each, most specific first (CSP Level 3). */
export const FALLBACKS = Object.freeze({
  'frame-src': ['frame-src', 'child-src', 'default-src'],
  'script-src': ['script-src-elem', 'script-src', 'default-src'],
  'connect-src': ['connect-src', 'default-src'],
} as const);

/** The fetch kinds `doctor` checks. */
export type FetchKind = keyof typeof FALLBACKS;

/**
 * Parses a header value (several policies may be joined by commas, as repeated headers are) or a
 * meta tag's content. The first occurrence of a directive wins, as in browsers.
 */
export function parsePolicies(value: string): CspPolicy[] {
  return value.split(',').map((text) => {
    const policy = new Map<string, string[]>();
    for (const directive of text.split(';')) {
      const [name, ...sources] = directive.trim().split(/[\t\n\f\r ]+/);
      if (name && /^[a-z0-9-]+$/i.test(name) && !policy.has(name.toLowerCase())) policy.set(name.toLowerCase(), sources);
    }
    return policy;
  });
}

/** The directive that governs `kind` in `policy` and its sources; `undefined` when none restricts it. */
export function governing(policy: CspPolicy, kind: FetchKind): { directive: string; sources: readonly string[] } | undefined {
  for (const directive of FALLBACKS[kind]) {
    const sources = policy.get(directive);
    if (sources) return { directive, sources };
  }
  return undefined;
}

/** Whether a source list lets `target` (a script element's when `script`) load on a page at `page`. */
export function sourceListAllows(sources: readonly string[], target: CspTarget, page: URL, script = false): boolean {
  const lower = sources.map((s) => s.toLowerCase());
  // With 'strict-dynamic', browsers ignore a script's host sources and 'self': only a nonce (or hash) lets it in.
  const strict = script && lower.includes("'strict-dynamic'");
  return sources.some((source, i) => {
    if (source.toLowerCase().startsWith("'nonce-")) return target.nonce !== undefined && source.slice(7, -1) === target.nonce;
    if (strict) return false;
    return matches(lower[i] as string, target, page);
  });
}

const HOST_SOURCE = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d+|\*))?(\/[^?#]*)?$/;
const DEFAULT_PORT = { http: '80', https: '443' } as const;

// CSP Level 3, "Does url match expression in origin": scheme (with the http -> https upgrade),
// host (a leading "*." matches any subdomain), port, path.
function matches(source: string, target: CspTarget, page: URL): boolean {
  if (source === '*') return true;
  if (source === "'self'")
    return target.host === page.hostname && target.port === page.port && schemeFits(page.protocol.slice(0, -1), target);
  if (/^[a-z][a-z0-9+.-]*:$/.test(source)) return schemeFits(source.slice(0, -1), target);
  const match = HOST_SOURCE.exec(source);
  if (!match) return false;
  const [, scheme, host = '', port, path] = match;
  if (!schemeFits(scheme ?? page.protocol.slice(0, -1), target)) return false;
  if (host !== '*' && !(host.startsWith('*.') ? target.host.endsWith(host.slice(1)) : target.host === host)) return false;
  // An absent port means the scheme's default: the URL's port must be its default too.
  const wanted = port ?? '';
  if (wanted !== '*' && wanted !== target.port && !(target.port === '' && wanted === DEFAULT_PORT[target.scheme])) return false;
  if (path && path !== '/') return path.endsWith('/') ? target.path.startsWith(path) : target.path === path;
  return true;
}

function schemeFits(scheme: string, target: CspTarget): boolean {
  return scheme === target.scheme || (scheme === 'http' && target.scheme === 'https');
}
