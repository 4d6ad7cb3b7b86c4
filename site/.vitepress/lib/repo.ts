import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPLO_DOCS_URL } from '../../../packages/core/src/errors/docs-url.js';

/** The repository's root folder, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The site's own folder (VitePress's source folder). */
export const SITE = join(ROOT, 'site');

/** The repository's public address: where a link to a file the site does not show goes. */
export const REPO_URL = 'https://github.com/explo-embed/explo-embed';

/** Where the site is published (one constant, in the core, which links its errors there). */
export const DOCS_URL = EXPLO_DOCS_URL;

/** The site's base path: `/explo-embed/`. */
export const BASE_PATH = new URL(DOCS_URL).pathname;

/** Reads a file of the repository by its path from the root (`packages/fetch/README.md`). */
export function readRepoFile(path: string): string {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    throw new Error(`the docs site includes ${path}, which does not exist`);
  }
}

/** True when a repository path names a folder. */
export function isFolder(path: string): boolean {
  try {
    return statSync(join(ROOT, path)).isDirectory();
  } catch {
    return false;
  }
}

/** A repository path on GitHub: `tree/main/...` for a folder, `blob/main/...` for a file. */
export function githubUrl(path: string, fragment: string | undefined): string {
  const at = path === '' ? REPO_URL : `${REPO_URL}/${isFolder(path) ? 'tree' : 'blob'}/main/${path}`;
  return fragment ? `${at}#${fragment}` : at;
}
