import { ExploOptionError } from '../errors/errors.js';

/** Longest dashboard name, in characters (the token route's query is bounded by it too). */
export const MAX_DASHBOARD_NAME_LENGTH = 128;
/** Longest embed id, in characters. */
export const MAX_EMBED_ID_LENGTH = 256;

// Control characters cannot be in an Explo embed id; refusing them keeps logs and cache keys clean.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The `dashboards` allowlist after validation: names to embed ids, and the default name. */
export interface DashboardAllowlist {
  readonly embedIds: ReadonlyMap<string, string>;
  readonly defaultName: string;
}

/** Validates `dashboards` and `defaultDashboard` once. Throws {@link ExploOptionError} naming the field. */
export function resolveDashboards(value: unknown, defaultDashboard: unknown): DashboardAllowlist {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ExploOptionError('dashboards', 'must be an object { name: embedId }, e.g. { sales: "a1b2c3" }.');
  }
  const embedIds = new Map<string, string>();
  for (const [name, embedId] of Object.entries(value)) {
    if (name.length === 0 || name.length > MAX_DASHBOARD_NAME_LENGTH) {
      throw new ExploOptionError('dashboards', `names must be 1 to ${MAX_DASHBOARD_NAME_LENGTH} characters.`);
    }
    if (typeof embedId !== 'string' || embedId.length === 0 || embedId.length > MAX_EMBED_ID_LENGTH || CONTROL.test(embedId)) {
      throw new ExploOptionError(
        `dashboards.${name}`,
        `must be the dashboard's embed id: a non-empty string of at most ${MAX_EMBED_ID_LENGTH} characters, no control characters.`,
      );
    }
    embedIds.set(name, embedId);
  }
  const [first] = embedIds.keys();
  if (first === undefined) throw new ExploOptionError('dashboards', 'must name at least one dashboard.');
  const defaultName = defaultDashboard ?? first;
  if (typeof defaultName !== 'string' || !embedIds.has(defaultName)) {
    throw new ExploOptionError('defaultDashboard', 'must be one of the names in "dashboards".');
  }
  return Object.freeze({ embedIds, defaultName });
}
