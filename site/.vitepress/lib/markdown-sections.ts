import GithubSlugger from 'github-slugger';

/** A heading of a markdown text, with the anchor GitHub (and this site) gives it. */
export interface Heading {
  level: number;
  /** As GitHub reads it: inline code, links and emphasis reduced to their text. */
  text: string;
  slug: string;
  /** Its line number, from 0. */
  line: number;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/** The text a heading's markdown shows: inline code, links and emphasis reduced to their text, an explicit `{#id}` dropped. */
export function headingText(markdown: string): string {
  return markdown
    .replace(/\s*\{#[^}]*\}\s*$/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*)(.+?)\1/g, '$2');
}

/** Calls `visit` for each line outside fenced code blocks, with its number. */
export function forEachProseLine(lines: readonly string[], visit: (line: string, index: number) => void): void {
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const marker = FENCE.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) visit(line, index);
  });
}

/** The headings outside fenced code, each with its GitHub anchor (repeats numbered `-1`, `-2`, as GitHub does). */
export function headingsOf(markdown: string): Heading[] {
  const slugger = new GithubSlugger();
  const headings: Heading[] = [];
  forEachProseLine(markdown.split('\n'), (line, index) => {
    const match = HEADING.exec(line);
    if (!match) return;
    const text = headingText(match[2] as string);
    headings.push({ level: (match[1] as string).length, text, slug: slugger.slug(text), line: index });
  });
  return headings;
}

/** One section of a markdown file: its heading (none for the whole file) and the lines under it. */
export interface Section {
  heading: Heading | undefined;
  /** The section's lines after its heading, down to the next heading of the same or a higher level. */
  body: string;
  /** The headings inside the body. */
  headings: Heading[];
}

/**
 * The section of `markdown` under the heading whose GitHub anchor is `slug` (with its subsections),
 * or the whole text without `slug`. Throws, naming the anchors there are, when there is no such heading.
 */
export function sectionOf(markdown: string, slug: string | undefined, where: string): Section {
  const lines = markdown.split('\n');
  const headings = headingsOf(markdown);
  if (slug === undefined) return { heading: undefined, body: markdown, headings };
  const index = headings.findIndex((heading) => heading.slug === slug);
  const heading = headings[index];
  if (heading === undefined) {
    throw new Error(`${where} has no heading #${slug}; its anchors: ${headings.map((h) => h.slug).join(', ')}`);
  }
  const next = headings.slice(index + 1).find((other) => other.level <= heading.level);
  return {
    heading,
    body: lines.slice(heading.line + 1, next?.line).join('\n'),
    headings: headings.slice(index + 1).filter((other) => other.line < (next?.line ?? lines.length)),
  };
}

/** Moves every heading outside fenced code by `delta` levels (kept within 1 to 6). */
export function shiftHeadings(markdown: string, delta: number): string {
  if (delta === 0) return markdown;
  const lines = markdown.split('\n');
  forEachProseLine(lines, (line, index) => {
    const match = /^(#{1,6})(\s)/.exec(line);
    if (!match) return;
    const level = Math.min(6, Math.max(1, (match[1] as string).length + delta));
    lines[index] = '#'.repeat(level) + line.slice((match[1] as string).length);
  });
  return lines.join('\n');
}
