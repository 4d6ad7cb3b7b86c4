import { quoteHostile } from '../terminal-safe.js';
import { type Finding, fail, pass, warn } from './finding.js';

const FIX = 'send Cache-Control: private, no-store on every response that carries a token.';

/**
 * Whether a shared cache (a CDN, a proxy) may keep a response that carries one customer's token
 * and hand it to the next visitor: `private` or `no-store` forbid it; `public`, `s-maxage` or a
 * `max-age` allow it; no header leaves it to the cache's heuristics.
 */
export function judgeCacheControl(check: string, what: string, value: string | null): Finding {
  if (value === null) return warn(check, `${what} has no Cache-Control: a shared cache may keep it by its own rules.`, FIX);
  const directives = new Map(
    value.split(',').map((part) => {
      const [name = '', argument] = part.trim().split('=');
      return [name.trim().toLowerCase(), argument?.trim().replace(/^"|"$/g, '')] as const;
    }),
  );
  const shown = quoteHostile(value, 100);
  if (directives.has('private') || directives.has('no-store')) return pass(check, `${what}: Cache-Control ${shown}.`);
  const maxAge = Number(directives.get('max-age') ?? 0);
  if (directives.has('public') || directives.has('s-maxage') || maxAge > 0) {
    return fail(check, `${what}: Cache-Control ${shown} lets a shared cache serve one customer's token to another.`, FIX);
  }
  return warn(check, `${what}: Cache-Control ${shown} does not keep it out of shared caches.`, FIX);
}
