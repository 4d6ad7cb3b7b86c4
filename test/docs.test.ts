import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPLO_ERROR_CODES } from '@explo-embed/core';
import { describe, expect, it } from '@jest/globals';

// What the READMEs state that the code can check: every error code documented where users look for
// it, the browser helper's sizes as the build measured them, the Quick start the CI gate runs.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const section = (markdown: string, heading: string) => {
  const start = markdown.indexOf(`## ${heading}`);
  const end = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(start, end === -1 ? undefined : end);
};

describe('the READMEs', () => {
  it.each(['core', 'express', 'koa', 'nestjs', 'fastify', 'fetch'])(
    '%s documents every error code in its Errors table',
    (name) => {
      const errors = section(read(`packages/${name}/README.md`), 'Errors');
      for (const code of Object.values(EXPLO_ERROR_CODES)) expect(errors).toContain(`\`${code}\``);
    },
  );

  it('the browser README states the sizes the build measured', () => {
    const size = JSON.parse(read('packages/browser/dist/size.json')) as { script: { gzip: number }; esm: { gzip: number } };
    const readme = read('packages/browser/README.md');
    expect(readme).toContain(`${size.script.gzip} B min+gzip as a script tag`);
    expect(readme).toContain(`${size.esm.gzip} B min+gzip in your bundle`);
  });

  it.each(['vue', 'svelte', 'angular'])(
    'the %s README states what the build measured it adds over the browser helper',
    (name) => {
      const size = JSON.parse(read(`packages/${name}/dist/size.json`)) as { esm: { gzip: number }; budget: number };
      expect(read(`packages/${name}/README.md`)).toContain(`${size.esm.gzip} B min+gzip in your bundle over the browser helper`);
      expect(size.esm.gzip).toBeLessThanOrEqual(size.budget);
    },
  );

  it('the root README names every package and has a two-line Quick start', () => {
    const readme = read('README.md');
    for (const name of [
      'core',
      'express',
      'koa',
      'nestjs',
      'fastify',
      'fetch',
      'browser',
      'react',
      'vue',
      'svelte',
      'angular',
      'cli',
      'testing',
    ]) {
      expect(readme).toContain(`[\`@explo-embed/${name}\`](packages/${name})`);
    }
    const quickStart = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = quickStart.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^npx -y pnpm@\S+ install && npx -y pnpm@\S+ test$/);
  });
});
