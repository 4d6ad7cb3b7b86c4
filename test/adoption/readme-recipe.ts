import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a README tells a new user to do, read the way the user reads it: the commands in its `sh`
 * blocks, the files it shows (a code block whose first line is a comment naming a path, such as
 * `// src/server.ts`, or `<!-- src/App.vue -->` for a Vue or Svelte component), the changes to
 * `tsconfig.json` (a `jsonc` block headed `// tsconfig.json`), and the other TypeScript, Vue and Svelte
 * blocks (snippets, compiled beside the app). Nothing is added to it.
 */
export interface Recipe {
  /** Shell commands, in order: `npm install ...`, `npm pkg set ...`. Comments stripped. */
  commands: string[];
  /** Files to write, by path relative to the app, verbatim. */
  files: Map<string, string>;
  /** TypeScript blocks (and Vue or Svelte components) that name no file: written as `readme-snippet-N.<extension>`. */
  snippets: { code: string; extension: 'ts' | 'tsx' | 'vue' | 'svelte' }[];
  /** `compilerOptions` to set, each with the comment line that heads its block (`(CommonJS only)`...). */
  tsconfig: { heading: string; compilerOptions: Record<string, unknown> }[];
}

const FENCE = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```$/gm;
const FILE_HEADING = /^\/\/ ((?:[\w.@-]+\/)*[\w.@-]+\.(?:ts|tsx|mts|cts|js|mjs|json|css))(?:[:\s]|$)/;
/** A Vue or Svelte component's heading: `<!-- src/App.vue -->`. */
const COMPONENT_HEADING = /^<!-- ((?:[\w.@-]+\/)*[\w.@-]+\.(?:vue|svelte)) -->$/;

/** Fenced blocks of one language, verbatim. */
export function fencedBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(FENCE)].filter((m) => m[1] === language).map((m) => m[2] as string);
}

/** The text of the `## ` sections whose heading matches `heading` (with their `###` subsections). */
export function sections(markdown: string, heading: RegExp): string {
  const parts = markdown.split(/^(?=## )/m);
  const chosen = parts.filter((part) => part.startsWith('## ') && heading.test(part.slice(3, part.indexOf('\n'))));
  if (chosen.length === 0) throw new Error(`no "## " section matches ${heading}`);
  return chosen.join('\n');
}

/** Reads a README file (relative to the repository root), or the chosen sections of it. */
export function readReadme(root: string, path: string, heading?: RegExp): string {
  const markdown = readFileSync(join(root, path), 'utf8');
  return heading ? sections(markdown, heading) : markdown;
}

/** The recipe in some markdown. */
export function recipeOf(markdown: string): Recipe {
  const recipe: Recipe = { commands: [], files: new Map(), snippets: [], tsconfig: [] };
  for (const match of markdown.matchAll(FENCE)) {
    const language = match[1] as string;
    const code = match[2] as string;
    const firstLine = code.split('\n', 1)[0] as string;
    if (language === 'sh') {
      for (const line of code.split('\n')) {
        const command = line.replace(/\s#.*$/, '').trim();
        if (/^npm (install|i|pkg set) /.test(command)) recipe.commands.push(command);
      }
    } else if (language === 'jsonc' && firstLine.startsWith('// tsconfig.json')) {
      const json = JSON.parse(code.slice(firstLine.length)) as { compilerOptions: Record<string, unknown> };
      recipe.tsconfig.push({ heading: firstLine, compilerOptions: json.compilerOptions });
    } else if (language === 'ts' || language === 'tsx' || language === 'vue' || language === 'svelte') {
      const file = (language === 'vue' || language === 'svelte' ? COMPONENT_HEADING : FILE_HEADING).exec(firstLine)?.[1];
      if (file) recipe.files.set(file, code);
      else recipe.snippets.push({ code, extension: language });
    }
  }
  return recipe;
}

/** The packages one `npm install` command names, and whether they are dev dependencies. */
export function installArgs(command: string): { dev: boolean; packages: string[] } | undefined {
  const words = command.split(/\s+/);
  if (words[0] !== 'npm' || (words[1] !== 'install' && words[1] !== 'i')) return undefined;
  const rest = words.slice(2);
  return { dev: rest.includes('-D') || rest.includes('--save-dev'), packages: rest.filter((word) => !word.startsWith('-')) };
}
