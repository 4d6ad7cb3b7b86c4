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
      // The key is the caller's own code, but it is still printed: keep it one clean line.
      const name = key.replace(/[^\w$.-]/g, '?').slice(0, 64);
      throw new ExploOptionError(path === 'options' ? name : `${path}.${name}`, 'unknown option (check the spelling).');
    }
  }
  return value as Record<string, unknown>;
}
