import { sep } from 'node:path';
import ts from 'typescript';

const TAG_NAMES: Readonly<Record<string, string>> = { example: 'Example', deprecated: 'Deprecated', see: 'See' };

/** An `@example` that is bare code gets its fence; one that has it keeps it. */
function fenced(text: string, tag: string): string {
  return tag === 'example' && !text.startsWith('```') ? `\`\`\`ts\n${text}\n\`\`\`` : text;
}

/**
 * The TSDoc of each name a built entry point (`packages/core/dist/index.d.ts`) exports, as
 * markdown: the comment's text, then its `@example`, `@deprecated` and `@see` tags. One program
 * reads every entry point at once, declarations only, nothing type-checked.
 */
export function tsdocSummaries(entryPoints: readonly string[], packagesFolder: string): Map<string, Map<string, string>> {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noLib: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  // Only this repository's own declarations are read: a framework's types (React, Angular...) and
  // the standard library are read as empty files, which saves most of the time and names nothing lost.
  const host = ts.createCompilerHost(options);
  const ours = (file: string) => file.startsWith(packagesFolder) && !file.includes(`${sep}node_modules${sep}`);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, version, ...rest) =>
    ours(file) ? getSourceFile(file, version, ...rest) : ts.createSourceFile(file, '', version);
  const program = ts.createProgram({ rootNames: [...entryPoints], options, host });
  const checker = program.getTypeChecker();
  const summaries = new Map<string, Map<string, string>>();
  for (const entryPoint of entryPoints) {
    const byName = new Map<string, string>();
    summaries.set(entryPoint, byName);
    const source = program.getSourceFile(entryPoint);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) continue;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const tags = symbol
        .getJsDocTags(checker)
        .filter((tag) => ['example', 'deprecated', 'see'].includes(tag.name))
        .map((tag) => `**${TAG_NAMES[tag.name]}**\n\n${fenced(ts.displayPartsToString(tag.text ?? []).trim(), tag.name)}`);
      const doc = [text, ...tags].filter(Boolean).join('\n\n');
      if (doc !== '') byName.set(exported.name, doc);
    }
  }
  return summaries;
}
