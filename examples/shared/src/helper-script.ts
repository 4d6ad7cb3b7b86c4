import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

// turbopackIgnore: resolved by Node when the page is served, not by a bundler (examples/nextjs).
/** The browser helper's script-tag bundle (global `ExploEmbed`), ready to inline in a page. */
export function helperScript(): string {
  cached ??= readFileSync(
    createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ '@explo-embed/browser/script'),
    'utf8',
  ).replace(/<\/script/gi, '<\\/script');
  return cached;
}
