import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { githubUrl, ROOT, SITE } from '../repo.js';
import { tsdocSummaries } from './tsdoc-summaries.js';

/** One exported name of an API report: its declarations (overloads share a name) and its kind. */
interface Declaration {
  name: string;
  kind: string;
  code: string[];
}

/** What one checked-in API Extractor report (`api/core-adapter.api.md`) describes. */
export interface ApiReport {
  /** `core-adapter` */
  report: string;
  /** `@explo-embed/core/adapter` */
  entry: string;
  /** The built `.d.ts` it was made from, whose TSDoc the page shows. */
  types: string;
  declarations: Declaration[];
  /** Names passed on from another module: `ExploEvents` from `@explo-embed/browser`. */
  reexports: { name: string; from: string }[];
}

const KINDS: Readonly<Record<string, string>> = {
  function: 'Functions',
  class: 'Classes',
  interface: 'Interfaces',
  type: 'Types',
  const: 'Constants',
};
const DECLARATION = /^export (?:declare )?(?:abstract )?(function|class|interface|type|const|let|enum|namespace) ([\w$]+)/m;

/** The reports checked in under `api/`, by name (`core`, `core-adapter`...). */
export function apiReportNames(): string[] {
  return readdirSync(join(ROOT, 'api'))
    .filter((file) => file.endsWith('.api.md'))
    .map((file) => file.slice(0, -'.api.md'.length))
    .sort();
}

/** Reads one report: its package and entry point, and each declaration it holds. */
export function readApiReport(report: string): ApiReport {
  const text = readFileSync(join(ROOT, 'api', `${report}.api.md`), 'utf8');
  const packageName = /API Report File for "([^"]+)"/.exec(text)?.[1];
  const body = /```ts\n([\s\S]*?)\n```/.exec(text)?.[1];
  if (packageName === undefined || body === undefined) throw new Error(`api/${report}.api.md is not an API Extractor report`);
  const folder = packageName.replace('@explo-embed/', '');
  const subpath = report === folder ? '.' : `./${report.slice(folder.length + 1)}`;
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', folder, 'package.json'), 'utf8')) as {
    exports: Record<string, { types?: string }>;
  };
  const typesPath = manifest.exports[subpath]?.types;
  if (typesPath === undefined) throw new Error(`${packageName} exports no types for ${subpath} (api/${report}.api.md)`);
  const imports = new Map<string, string>();
  for (const [, names = '', from = ''] of body.matchAll(/^import (?:type )?\{([^}]*)\} from '([^']+)';$/gm)) {
    for (const name of names.split(',')) imports.set(name.trim().replace(/^default as /, ''), from);
  }
  const declarations = new Map<string, Declaration>();
  const reexports: ApiReport['reexports'] = [];
  for (const chunk of body.split(/\n\n+/)) {
    const code = chunk.split('\n').filter((line) => !/^\s*\/\/ /.test(line) && line.trim() !== '');
    const joined = code.join('\n');
    const passed = /^export \{ ([\w$]+) \}$/.exec(joined);
    if (passed) {
      reexports.push({ name: passed[1] as string, from: imports.get(passed[1] as string) ?? '' });
      continue;
    }
    const match = DECLARATION.exec(joined);
    if (!match) continue;
    const [, kind = '', name = ''] = match;
    const known = declarations.get(name) ?? { name, kind, code: [] };
    known.code.push(joined);
    declarations.set(name, known);
  }
  return {
    report,
    entry: subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`,
    types: join(ROOT, 'packages', folder, typesPath),
    declarations: [...declarations.values()],
    reexports,
  };
}

const LINK = /\{@link(?:code|plain)?\s+([^\s|}]+)\s*(?:\|\s*([^}]*?)\s*|([^}]*?)\s*)\}/g;

/** Prose as safe markdown: `<`, `>` and `{{` outside code spans escaped, since Vue reads each page as a template. */
function escapeProse(text: string): string {
  return text
    .split(/(`+[^`]*`+)/)
    .map((part) =>
      part.startsWith('`') ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{\{/g, '&#123;&#123;'),
    )
    .join('');
}

/** TSDoc as markdown: `{@link X}` as code, fenced examples kept, the prose escaped. */
function tsdocMarkdown(text: string): string {
  const linked = text.replace(LINK, (_match, target: string, label?: string, rest?: string) => {
    const shown = (label || rest || '').trim();
    return shown ? `${shown} (\`${target}\`)` : `\`${target}\``;
  });
  return linked
    .split(/(^```[\s\S]*?^```$)/m)
    .map((part) => (part.startsWith('```') ? part : escapeProse(part)))
    .join('');
}

let summaries: Map<string, Map<string, string>> | undefined;

/** The markdown of one report's page: each exported name with its TSDoc and declaration, by kind. */
export function renderApiReport(report: string): string {
  const api = readApiReport(report);
  if (!existsSync(api.types)) throw new Error(`${api.types} is missing: build the packages first (pnpm build).`);
  summaries ??= tsdocSummaries(
    apiReportNames().map((name) => readApiReport(name).types),
    join(ROOT, 'packages'),
  );
  const docs = summaries.get(api.types) ?? new Map<string, string>();
  const parts = [
    `# ${api.entry}`,
    `The public surface of \`${api.entry}\`, from its checked-in API Extractor report, [api/${report}.api.md](${githubUrl(`api/${report}.api.md`, undefined)}), with each name's TSDoc.`,
  ];
  for (const [kind, heading] of Object.entries(KINDS)) {
    const ofKind = api.declarations.filter((declaration) => (KINDS[declaration.kind] ? declaration.kind : 'const') === kind);
    if (ofKind.length === 0) continue;
    parts.push(`## ${heading}`);
    for (const declaration of ofKind) {
      const doc = docs.get(declaration.name);
      parts.push(
        `### ${declaration.name}`,
        ...(doc ? [tsdocMarkdown(doc)] : []),
        `\`\`\`ts\n${declaration.code.join('\n\n')}\n\`\`\``,
      );
    }
  }
  if (api.reexports.length > 0) {
    const rows = api.reexports.map(({ name, from }) => `| \`${name}\` | \`${from}\` |`);
    parts.push('## Passed on', ['| name | from |', '| --- | --- |', ...rows].join('\n'));
  }
  return parts.join('\n\n');
}

/** The list of every report's page; throws when a report has no page under `site/api/`. */
export function renderApiIndex(): string {
  const rows = apiReportNames().map((report) => {
    if (!existsSync(join(SITE, 'api', `${report}.md`))) {
      throw new Error(`api/${report}.api.md has no page: add site/api/${report}.md holding <!--@api: ${report}-->`);
    }
    const api = readApiReport(report);
    return `| [\`${api.entry}\`](./${report}) | ${api.declarations.length} | ${api.reexports.length} |`;
  });
  return ['| entry point | names declared | names passed on |', '| --- | --- | --- |', ...rows].join('\n');
}
