import { posix } from 'node:path';
import { forEachProseLine, headingsOf } from './markdown-sections.js';
import { DOCS_URL, githubUrl, isFolder, REPO_URL, readRepoFile } from './repo.js';
import type { SiteMap } from './site-map.js';

const REPO_LINK = new RegExp(`^${REPO_URL.replace(/[.]/g, '\\.')}(?:/(?:tree|blob)/main/([^#?]*))?/?(?:#(.*))?$`);
const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Where a link in a repository file (`from`, such as `packages/express/README.md`) leads on the site:
 * the page that shows its target, else the target on GitHub, else the link as it is (another site).
 * A link to a heading its markdown file does not have is an error, so a renamed section cannot
 * leave a dead link behind.
 */
export function siteLink(target: string, from: string, siteMap: SiteMap): string {
  if (target.startsWith(DOCS_URL)) return `/${target.slice(DOCS_URL.length)}`;
  let path: string;
  let fragment: string | undefined;
  const repo = REPO_LINK.exec(target);
  if (repo) {
    path = (repo[1] ?? '').replace(/\/$/, '');
    fragment = repo[2];
  } else if (ABSOLUTE.test(target)) {
    return target;
  } else {
    const [relativePath = '', hash] = target.split('#');
    path = relativePath === '' ? from : posix.normalize(posix.join(posix.dirname(from), relativePath)).replace(/\/$/, '');
    fragment = hash;
  }
  const file = path === '' || path === '.' ? 'README.md' : isFolder(path) ? `${path}/README.md` : path;
  const shown = siteMap.get(`${file}#${fragment ?? ''}`);
  if (shown !== undefined) return shown;
  if (fragment && file.endsWith('.md') && !headingsOf(readRepoFile(file)).some((heading) => heading.slug === fragment)) {
    throw new Error(`${from} links to ${target}, but ${file} has no heading #${fragment}`);
  }
  return githubUrl(path === '.' ? '' : path, fragment);
}

/** The markdown with each inline link (outside code) pointed where {@link siteLink} says. */
export function rewriteLinks(markdown: string, from: string, siteMap: SiteMap): string {
  const lines = markdown.split('\n');
  forEachProseLine(lines, (line, index) => {
    lines[index] = line.replace(/\]\(([^)\s]+)\)/g, (_match, target: string) => `](${siteLink(target, from, siteMap)})`);
  });
  return lines.join('\n');
}
