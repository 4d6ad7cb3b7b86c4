import { describe, expect, it } from '@jest/globals';
import * as core from '../src/index.js';

// Error names are written out per class: a minifier renames classes, and `name` must survive it.
describe('every error class names itself', () => {
  const classes = (Object.entries(core) as [string, unknown][]).filter(
    (entry): entry is [string, new (...args: unknown[]) => Error] =>
      typeof entry[1] === 'function' && entry[1].prototype instanceof core.ExploEmbedError,
  );

  it('covers the exported classes', () => {
    expect(classes.length).toBeGreaterThanOrEqual(20);
  });

  it.each(classes)('%s', (exportName, ErrorClass) => {
    // Only the name is read: any arguments its constructor accepts will do.
    const args = exportName === 'ExploJwtExpiredError' ? [new Date(0), {}, {}] : ['x', 1];
    const instance = Reflect.construct(ErrorClass, args) as Error;
    expect(instance.name).toBe(exportName);
    expect(Object.hasOwn(instance, 'name')).toBe(true);
  });
});
