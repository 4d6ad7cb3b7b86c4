import { ExploOptionError } from '../errors/errors.js';
import { durationToMs } from './duration.js';

/** A {@link Duration} option in milliseconds, or `fallbackMs` when it is not given. Throws naming the option. */
export function durationOption(name: string, value: unknown, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const ms = durationToMs(value);
  if (ms === undefined) {
    throw new ExploOptionError(name, 'must be a number of seconds or a string such as "90s", "30m", "2h" or "1d".');
  }
  return ms;
}

/** A function option, or undefined. Throws naming the option when it is something else. */
export function functionOption<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ExploOptionError(name, 'must be a function.');
  return value;
}

/**
 * An options object whose keys are all `known`; a misspelt key is an error rather than silently
 * ignored. `path` names the object in messages (`"api"` gives `"api.tokn"`).
 */
export function knownKeys(value: unknown, known: readonly string[], path: string, shape: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ExploOptionError(path, `must be an object ${shape}.`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      // The key is the caller's own code, but it is still printed: only when it looks like an option's
      // name (a secret used as a key by mistake, such as a 32-byte key value, is never echoed).
      const name = /^[A-Za-z_$][\w$]{0,23}$/.test(key) ? key : `(an unknown key of ${key.length} characters)`;
      const near = closest(key, known);
      throw new ExploOptionError(
        path === 'options' ? name : `${path}.${name}`,
        `unknown option (check the spelling${near ? `: did you mean "${near}"?` : ''}).`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** The known name a misspelt one most likely meant: the same but for case, or within two edits. */
function closest(key: string, known: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}
