import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, jest } from '@jest/globals';

const dir = fileURLToPath(new URL('../..', import.meta.url));

/** The Angular compiler's command line (ngc), from this package's own @angular/compiler-cli. */
export function ngcPath(): string {
  const require = createRequire(join(dir, 'package.json'));
  const manifest = require('@angular/compiler-cli/package.json') as { bin: Record<string, string> };
  return join(dir, 'node_modules/@angular/compiler-cli', manifest.bin.ngc as string);
}

/**
 * The package compiled from source by ngc in partial mode, as it is published (what an app's
 * Angular linker reads): a folder of ES modules, made once per version of the sources and shared by
 * every test file. Jest has no Angular transform, and a plain TypeScript build of the decorators
 * would not know the signal inputs.
 */
export function compiledDir(): string {
  const sources = readdirSync(join(dir, 'src')).sort();
  const hash = createHash('sha256');
  for (const file of [...sources.map((name) => join('src', name)), 'tsconfig.json']) hash.update(readFileSync(join(dir, file)));
  const cache = join(dir, 'node_modules/.cache/explo-embed-test');
  const out = join(cache, `ngc-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(out)) return out;
  // Compiled beside its final place and renamed into it: two Jest workers asking at once both succeed.
  const staging = join(cache, `ngc-staging-${process.pid}`);
  mkdirSync(cache, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  // ngc type-checks against the browser layer's published types: build them if this checkout has not
  // (pnpm test:fast runs without a build; tsc -b does nothing when they are up to date).
  const tsc = join(dir, '../../node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', join(dir, '../browser/tsconfig.build.json')], { stdio: 'pipe' });
  execFileSync(process.execPath, [ngcPath(), '-p', join(dir, 'tsconfig.json'), '--outDir', staging, '--declaration', 'false'], {
    stdio: 'pipe',
  });
  try {
    renameSync(staging, out);
  } catch (error) {
    if (!existsSync(out)) throw error; // else another worker got there first
    rmSync(staging, { recursive: true, force: true });
  }
  return out;
}

/** The compiled package's entry. Import `@angular/compiler` first: its declarations are linked when they load (JIT). */
export async function compiledPackage(): Promise<typeof import('../../src/index.js')> {
  return (await import(pathToFileURL(join(compiledDir(), 'index.js')).href)) as typeof import('../../src/index.js');
}

/**
 * Angular announces development mode on the console at each bootstrap. The suite is quiet: that line
 * is taken, and anything else the console gets fails the test.
 */
export function expectOnlyDevModeNotice(): void {
  const spy = () => jest.spyOn(console, 'log').mockImplementation(() => {});
  let log: ReturnType<typeof spy>;
  beforeEach(() => {
    log = spy();
  });
  afterEach(() => {
    const lines = log.mock.calls.map((args) => args.join(' '));
    log.mockRestore();
    expect(lines.filter((line) => line !== 'Angular is running in development mode.')).toEqual([]);
  });
}
