import { quoteHostile } from '../terminal-safe.js';
import { type Finding, fail, pass, warn } from './finding.js';

const FIX = 'send Cache-Control: private, no-store on every response that carries a token.';

/** The headers CDNs obey over Cache-Control (RFC 9213; Surrogate-Control of the Edge Architecture spec). */
const TARGETED = ['cdn-cache-control', 'surrogate-control'] as const;
const NAMES: Readonly<Record<string, string>> = {
  'cache-control': 'Cache-Control',
  'cdn-cache-control': 'CDN-Cache-Control',
  'surrogate-control': 'Surrogate-Control',
};

/** What one caching header lets a shared cache do with the response. */
type Verdict = { kind: 'private' } | { kind: 'stores'; why: string } | { kind: 'unclear'; why: string };

/**
 * Whether a shared cache (a CDN, a proxy) may keep a response that carries one customer's token
 * and hand it to the next visitor. `private` or `no-store` forbid it, but only unqualified: the
 * forms with field names (`private="Set-Cookie"`, `no-cache="..."`) cover the named headers only
 * (RFC 9111 5.2.2.4, 5.2.2.7). `public`, `s-maxage`, a `max-age` or a future `Expires` allow it;
 * no header leaves it to the cache's heuristics. `CDN-Cache-Control` and `Surrogate-Control`
 * are judged the same way on their own: the CDNs that read them ignore Cache-Control.
 */
export function judgeCacheControl(check: string, what: string, headers: Headers, receivedAt: number): Finding {
  // The CDN-targeted headers first: a CDN that reads one ignores Cache-Control.
  for (const name of TARGETED) {
    const value = headers.get(name);
    if (value === null) continue;
    const verdict = judgeDirectives(value, name === 'surrogate-control');
    const shown = `${NAMES[name]} ${quoteHostile(value, 100)}`;
    const fix = `send ${NAMES[name]}: no-store (or no ${NAMES[name]} at all) beside Cache-Control: private, no-store; CDNs obey it over Cache-Control.`;
    if (verdict.kind === 'stores') {
      return fail(
        check,
        `${what}: ${shown} lets a CDN serve one customer's token to another (${verdict.why}); CDNs obey it over Cache-Control.`,
        fix,
      );
    }
    if (verdict.kind === 'unclear') {
      return warn(
        check,
        `${what}: ${shown} does not keep it out of the CDNs that obey it over Cache-Control (${verdict.why}).`,
        fix,
      );
    }
  }
  const value = headers.get('cache-control');
  const expires = futureExpires(headers, receivedAt);
  if (value === null) {
    if (expires !== undefined) {
      return fail(
        check,
        `${what} has no Cache-Control, but Expires ${quoteHostile(expires, 60)} in the future: any cache may keep it until then.`,
        FIX,
      );
    }
    return warn(check, `${what} has no Cache-Control: a shared cache may keep it by its own rules.`, FIX);
  }
  const verdict = judgeDirectives(value, false, expires);
  const shown = `Cache-Control ${quoteHostile(value, 100)}`;
  if (verdict.kind === 'private') return pass(check, `${what}: ${shown}.`);
  if (verdict.kind === 'stores') {
    return fail(check, `${what}: ${shown} lets a shared cache serve one customer's token to another (${verdict.why}).`, FIX);
  }
  return warn(check, `${what}: ${shown} does not keep it out of shared caches (${verdict.why}).`, FIX);
}

/** Directive name (lower case) -> its argument (unquoted), or undefined without one. Commas inside quotes do not split. */
function parseDirectives(value: string): Map<string, string | undefined> {
  const directives = new Map<string, string | undefined>();
  for (const match of value.matchAll(/([^,=\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"?|[^,]*))?/g)) {
    const name = (match[1] as string).toLowerCase();
    const argument = match[2]?.trim().replace(/^"|"$/g, '');
    if (!directives.has(name)) directives.set(name, argument);
  }
  return directives;
}

function judgeDirectives(value: string, surrogate: boolean, expires?: string): Verdict {
  const directives = parseDirectives(value);
  const bare = (name: string) => directives.has(name) && directives.get(name) === undefined;
  if (bare('no-store') || (!surrogate && bare('private')) || (surrogate && bare('no-store-remote'))) return { kind: 'private' };
  const qualified = ['private', 'no-store', 'no-cache'].filter((name) => directives.get(name) !== undefined);
  const named =
    qualified.length === 0
      ? ''
      : `; ${qualified.join(' and ')} with field names ${qualified.length === 1 ? 'covers' : 'cover'} only the headers named`;
  const seconds = (name: string) => Number(directives.get(name) ?? 0);
  const allows = [
    directives.has('public') ? 'public' : undefined,
    seconds('s-maxage') > 0 ? 's-maxage' : undefined,
    seconds('max-age') > 0 ? 'max-age' : undefined,
  ].filter((d) => d !== undefined);
  if (allows.length > 0)
    return { kind: 'stores', why: `${allows.join(', ')} ${allows.length === 1 ? 'allows' : 'allow'} storing${named}` };
  if (expires !== undefined && !bare('no-cache') && !directives.has('max-age') && !directives.has('s-maxage')) {
    return { kind: 'stores', why: `Expires ${quoteHostile(expires, 60)} is in the future${named}` };
  }
  if (bare('no-cache')) return { kind: 'unclear', why: `no-cache alone lets it be stored and revalidated${named}` };
  return { kind: 'unclear', why: `neither private nor no-store${named}` };
}

// An Expires later than the answer's own Date (this machine's clock without one) makes it fresh until then.
function futureExpires(headers: Headers, receivedAt: number): string | undefined {
  const expires = headers.get('expires');
  if (expires === null) return undefined;
  const at = Date.parse(expires);
  const date = Date.parse(headers.get('date') ?? '');
  return !Number.isNaN(at) && at > (Number.isNaN(date) ? receivedAt : date) ? expires : undefined;
}
