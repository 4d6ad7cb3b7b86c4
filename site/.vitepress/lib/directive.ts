/**
 * The comments a site page uses to show what the repository holds, so nothing is retyped:
 *
 * - `<!--@section: packages/fetch/README.md#sveltekit-->` a README's section under its GitHub
 *   anchor, with its heading (`as=h2` moves it to that level, its subsections with it); `body`
 *   leaves the heading out; no anchor: the whole file.
 * - `<!--@fences: packages/express/README.md#install [Express]-->` only the section's code blocks,
 *   titled for a `::: code-group`.
 * - `<!--@errors-->` the error reference; `<!--@api: core-->` one API report; `<!--@api-index-->` the list.
 */
export type Directive =
  | { kind: 'section'; path: string; slug: string | undefined; body: boolean; level: number | undefined }
  | { kind: 'fences'; path: string; slug: string | undefined; title: string }
  | { kind: 'errors' }
  | { kind: 'api'; report: string }
  | { kind: 'api-index' };

const LINE = /^<!--@([a-z-]+)(?::\s*(.*?))?\s*-->$/;

/** The directive on a line, if the line is one; throws on a malformed one. */
export function parseDirective(line: string, where: string): Directive | undefined {
  const match = LINE.exec(line.trim());
  if (!match) return undefined;
  const [, kind, argument = ''] = match;
  const words = argument.split(/\s+/).filter(Boolean);
  const [target = '', ...options] = words;
  const [path = '', slug] = target.split('#');
  switch (kind) {
    case 'section': {
      const level = options.find((option) => /^as=h[1-6]$/.test(option));
      const unknown = options.filter((option) => option !== 'body' && option !== level);
      if (path === '' || unknown.length > 0) throw new Error(`${where}: bad directive ${line.trim()}`);
      return { kind, path, slug, body: options.includes('body'), level: level ? Number(level.slice(4)) : undefined };
    }
    case 'fences': {
      const title = /\[(.+)\]$/.exec(argument)?.[1];
      if (path === '' || title === undefined) throw new Error(`${where}: bad directive ${line.trim()}`);
      return { kind, path, slug, title };
    }
    case 'errors':
    case 'api-index':
      return { kind };
    case 'api':
      if (target === '') throw new Error(`${where}: bad directive ${line.trim()}`);
      return { kind, report: target };
    default:
      throw new Error(`${where}: unknown directive ${line.trim()}`);
  }
}
