import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../repo.js';

const CODE = /\bERR_EXPLO_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_])/g;
const SOURCE = /\.(ts|tsx|mts|vue|svelte)$/;

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

/**
 * Every `ERR_EXPLO_` code that a package's source or README names, with the packages that name it:
 * what the reference must explain, whichever table (or none) a code comes from.
 */
export function errorCodesFound(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const packages = join(ROOT, 'packages');
  for (const name of readdirSync(packages)) {
    const files = [...filesUnder(join(packages, name, 'src')), join(packages, name, 'README.md')];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const [code] of text.matchAll(CODE)) {
        const named = found.get(code) ?? new Set<string>();
        named.add(name);
        found.set(code, named);
      }
    }
  }
  return found;
}
