import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One `npm install` line of a README. */
export interface InstallLine {
  dev: boolean;
  packages: string[];
}

/** A README as a fresh app: what it installs, the TypeScript examples it shows, how to compile them. */
export interface ReadmeApp {
  name: string;
  installLines: InstallLine[];
  examples: string[];
  /** Browser code: the DOM library instead of Node's types. */
  dom: boolean;
  /** React: its examples are `tsx` blocks, compiled with the React JSX transform. */
  jsx: boolean;
  /** Nest: the decorator settings its README asks for. */
  decorators: boolean;
  /** Its first example is an app (Express, Fastify, Hono) the test starts and asks for a page. */
  runs: boolean;
}

const README_APPS = [
  // The root README's example is the Express one; its full install line is in the Express README.
  { name: 'root', readme: 'README.md', installFrom: 'packages/express/README.md', runs: true },
  { name: 'core', readme: 'packages/core/README.md' },
  { name: 'express', readme: 'packages/express/README.md', runs: true },
  { name: 'koa', readme: 'packages/koa/README.md' },
  { name: 'nestjs', readme: 'packages/nestjs/README.md', decorators: true },
  { name: 'fastify', readme: 'packages/fastify/README.md', runs: true },
  { name: 'fetch', readme: 'packages/fetch/README.md', runs: true },
  { name: 'browser', readme: 'packages/browser/README.md', dom: true },
  { name: 'react', readme: 'packages/react/README.md', dom: true, jsx: true },
  { name: 'testing', readme: 'packages/testing/README.md' },
];

/** Fenced blocks of one language, verbatim. */
export function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const pattern = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) blocks.push(match[1] as string);
  return blocks;
}

/** Every `npm install ...` line in the README's shell blocks. */
export function installLines(markdown: string): InstallLine[] {
  return fencedBlocks(markdown, 'sh')
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npm install '))
    .map((line) => {
      const words = line.split(/\s+/).slice(2);
      return {
        dev: words.includes('-D') || words.includes('--save-dev'),
        packages: words.filter((word) => !word.startsWith('-')),
      };
    });
}

export function readmeApps(root: string): ReadmeApp[] {
  return README_APPS.map((app) => {
    const markdown = readFileSync(join(root, app.readme), 'utf8');
    const installs = readFileSync(join(root, app.installFrom ?? app.readme), 'utf8');
    return {
      name: app.name,
      installLines: installLines(installs),
      examples: fencedBlocks(markdown, app.jsx ? 'tsx' : 'ts'),
      dom: app.dom === true,
      jsx: app.jsx === true,
      decorators: app.decorators === true,
      runs: app.runs === true,
    };
  });
}
