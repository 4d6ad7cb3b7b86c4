import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { parseDirective } from './directive.js';
import { forEachProseLine, headingText, sectionOf } from './markdown-sections.js';
import { readRepoFile, SITE } from './repo.js';

/**
 * Where each README section the site shows can be read on the site, so that a README's links
 * (`../core#errors`, `https://github.com/.../packages/fetch#sveltekit`) lead to the site's page for it.
 * Keyed `path#anchor` (`packages/core/README.md#errors`; `path#` for the whole file).
 */
export type SiteMap = ReadonlyMap<string, string>;

const SKIP = new Set(['.vitepress', 'dist', 'node_modules', 'public']);

/** The site's pages, by their path under `site/` (`guides/express.md`), sorted. */
export function sitePages(folder = ''): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(join(SITE, folder), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) pages.push(...sitePages(path));
    else if (entry.name.endsWith('.md')) pages.push(path);
  }
  return pages.sort();
}

/** A page's address on the site, base path left out: `guides/express.md` -> `/guides/express`, `api/index.md` -> `/api/`. */
export function pageUrl(page: string): string {
  return `/${page.replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, '')}`;
}

/**
 * Reads every page's `@section` directives, and gives each heading the anchor it gets on its page
 * (counted with the page's own headings, repeats numbered, as the renderer does). A link to a
 * section goes to the page that shows just that section without its heading (`body`) or the whole
 * file; else to the heading on a page that shows that very section; else on a page that shows a
 * larger part of its file; else on the page of the whole file.
 */
export function buildSiteMap(pages: readonly string[] = sitePages()): SiteMap {
  const found = new Map<string, { url: string; rank: number }>();
  const offer = (key: string, url: string, rank: number) => {
    const known = found.get(key);
    if (known === undefined || rank < known.rank) found.set(key, { url, rank });
  };
  for (const page of pages) {
    const url = pageUrl(page);
    const slugger = new GithubSlugger();
    forEachProseLine(readFileSync(join(SITE, page), 'utf8').split('\n'), (line) => {
      const directive = parseDirective(line, page);
      if (directive?.kind === 'section') {
        const { path, slug, body } = directive;
        const section = sectionOf(readRepoFile(path), slug, path);
        const shown = body || section.heading === undefined ? section.headings : [section.heading, ...section.headings];
        if (body || slug === undefined) offer(`${path}#${slug ?? ''}`, url, 0);
        for (const heading of shown) {
          const rank = slug === undefined ? 3 : heading.slug === slug ? 1 : 2;
          offer(`${path}#${heading.slug}`, `${url}#${slugger.slug(heading.text)}`, rank);
        }
        return;
      }
      const heading = /^#{1,6}\s+(.*?)\s*$/.exec(line)?.[1];
      if (heading !== undefined && !/\{#[^}]*\}$/.test(heading)) slugger.slug(headingText(heading));
    });
  }
  return new Map([...found].map(([key, { url }]) => [key, url]));
}
