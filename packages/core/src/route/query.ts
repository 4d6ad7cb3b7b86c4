import { ExploQueryError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { MAX_DASHBOARD_NAME_LENGTH } from '../model/dashboards.js';

/** What the token route reads from its query string. */
export interface TokenQuery {
  dashboard: string | undefined;
  fresh: boolean;
}

const MAX_QUERY_LENGTH = 2048;
const PARAMS = ['dashboard', 'fresh'] as const;

/**
 * Parses the token route's raw query string (without `?`). Only `dashboard` and `fresh` are read;
 * other parameters (cache busters) are ignored. Arrays, repeats, over-long values -> `ERR_EXPLO_QUERY_INVALID`.
 */
export function parseTokenQuery(raw: string): TokenQuery {
  if (raw.length > MAX_QUERY_LENGTH) throw new ExploQueryError(`The query string is longer than ${MAX_QUERY_LENGTH} characters.`);
  const params = new URLSearchParams(raw);
  for (const key of params.keys()) {
    if (PARAMS.some((name) => key !== name && key.startsWith(name) && /^[[.]/.test(key.slice(name.length)))) {
      throw new ExploQueryError(`${quoteUntrusted(key, 40)}: array and object parameters are not accepted; pass one value.`);
    }
  }
  const one = (name: (typeof PARAMS)[number]): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1) throw new ExploQueryError(`"${name}" is given ${values.length} times; give it once.`);
    const value = values[0];
    if (value !== undefined && value.length > MAX_DASHBOARD_NAME_LENGTH) {
      throw new ExploQueryError(`"${name}" is longer than ${MAX_DASHBOARD_NAME_LENGTH} characters.`);
    }
    return value;
  };
  const dashboard = one('dashboard');
  if (dashboard === '') throw new ExploQueryError('"dashboard" is empty; omit it for the default dashboard.');
  const fresh = one('fresh');
  if (fresh !== undefined && !['', '1', 'true', '0', 'false'].includes(fresh)) {
    throw new ExploQueryError('"fresh" must be 1, true, 0 or false.');
  }
  return { dashboard, fresh: fresh === '' || fresh === '1' || fresh === 'true' };
}
