import { join } from 'node:path';
import type { MarkdownRenderer } from 'vitepress';
import { renderApiIndex, renderApiReport } from './api/api-reports.js';
import { type Directive, parseDirective } from './directive.js';
import { renderErrorReference } from './errors/error-reference.js';
import { rewriteLinks } from './links.js';
import { forEachProseLine, sectionOf, shiftHeadings } from './markdown-sections.js';
import { ROOT, readRepoFile } from './repo.js';
import type { SiteMap } from './site-map.js';

/** What the renderer is given with each page (VitePress sets `relativePath`; `includes` in pages, for reloads). */
interface PageEnv {
  relativePath?: string;
  includes?: string[];
}

const FENCED_BLOCK = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```$/gm;

function expand(directive: Directive, siteMap: SiteMap, env: PageEnv): string {
  switch (directive.kind) {
    case 'section': {
      const { path, slug, body, level } = directive;
      env.includes?.push(join(ROOT, path));
      const source = readRepoFile(path);
      const section = sectionOf(source, slug, path);
      const { heading } = section;
      let text = body || heading === undefined ? section.body : `${source.split('\n')[heading.line]}\n${section.body}`;
      if (level !== undefined && heading !== undefined) text = shiftHeadings(text, level - heading.level);
      return rewriteLinks(text, path, siteMap);
    }
    case 'fences': {
      env.includes?.push(join(ROOT, directive.path));
      const { body } = sectionOf(readRepoFile(directive.path), directive.slug, directive.path);
      const blocks = [...body.matchAll(FENCED_BLOCK)].map(
        ([, language, code]) => `\`\`\`${language} [${directive.title}]\n${code}\`\`\``,
      );
      if (blocks.length === 0) throw new Error(`${directive.path}#${directive.slug ?? ''} has no code block to show`);
      return blocks.join('\n\n');
    }
    case 'errors':
      return renderErrorReference();
    case 'api':
      return renderApiReport(directive.report);
    case 'api-index':
      return renderApiIndex();
  }
}

/**
 * Replaces each directive line of a page (see `directive.ts`) with what it names, read from the
 * repository when the page is rendered (for the page and for the search index alike); renders
 * inline code `v-pre`, since Vue would read `{{ }}` in it as an expression; and hands ```mermaid
 * blocks to the theme's diagram component.
 */
export function exploDocsMarkdown(md: MarkdownRenderer, siteMap: () => SiteMap): void {
  md.core.ruler.before('normalize', 'explo-directives', (state) => {
    const env = state.env as PageEnv;
    const lines = state.src.split('\n');
    forEachProseLine(lines, (line, index) => {
      const directive = parseDirective(line, env.relativePath ?? 'a page');
      if (directive !== undefined) lines[index] = `\n${expand(directive, siteMap(), env)}\n`;
    });
    state.src = lines.join('\n');
  });
  // A ```mermaid block is drawn by the theme's MermaidDiagram (its source shown until then).
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index];
    if (token?.info.trim() === 'mermaid') return `<MermaidDiagram graph="${encodeURIComponent(token.content)}" />\n`;
    return fence ? fence(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
  };
  const codeInline = md.renderer.rules.code_inline;
  md.renderer.rules.code_inline = (tokens, index, options, env, self) => {
    tokens[index]?.attrSet('v-pre', '');
    return codeInline ? codeInline(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
  };
}
