import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fencedBlocks, sections } from './readme-recipe.js';

// @explo-embed/react declares React 18 and 19 as peers; the rest of the suite runs 19. Here it is as an
// app on React 18 would have it: the packed packages beside react@18 and its types.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PNPM = `pnpm@${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1]}`;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-react18-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  for (const dir of ['browser', 'react'])
    await run('npx', ['-y', PNPM, 'pack', '--pack-destination', packs], { cwd: join(ROOT, 'packages', dir) });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'react18-app', private: true, type: 'module' }));
  const tarballs = readdirSync(packs).map((file) => join(packs, file));
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      'react@18',
      'react-dom@18',
      '@types/react@18',
      '@types/react-dom@18',
      'typescript@~5.9.3',
      ...tarballs,
    ],
    { cwd: work, maxBuffer: 16 * 2 ** 20 },
  );
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('@explo-embed/react on React 18', () => {
  it('renders on the server as on React 19: the iframe, the web components with `class`', async () => {
    writeFileSync(
      join(work, 'ssr.mjs'),
      `import { createElement as h, version } from 'react';
import { renderToString } from 'react-dom/server';
import { ExploDashboard, ExploReportBuilder } from '@explo-embed/react';
console.log(JSON.stringify([
  version,
  renderToString(h(ExploDashboard, { token: 'a.b.c.d.e', className: 'wide' })),
  renderToString(h(ExploDashboard, { token: 'a.b.c.d.e', mode: 'web-component', className: 'wide', variables: { region: 'EU' } })),
  renderToString(h(ExploReportBuilder, { token: 'a.b.c.d.e', mode: 'web-component' })),
]));`,
    );
    const { stdout } = await run(process.execPath, ['ssr.mjs'], { cwd: work });
    const [version, iframe, dashboard, builder] = JSON.parse(stdout) as string[];
    expect(version).toMatch(/^18\./);
    expect(iframe).toBe(
      '<iframe src="https://app.explo.co/iframe/a.b.c.d.e/production" title="Explo dashboard" class="wide"></iframe>',
    );
    expect(dashboard).toBe(
      '<explo-dashboard dash-jwt="a.b.c.d.e" environment="production" variables="{&quot;region&quot;:&quot;EU&quot;}" class="wide"></explo-dashboard>',
    );
    expect(builder).toBe('<explo-report-builder jwt="a.b.c.d.e" environment="production"></explo-report-builder>');
  }, 60_000);

  it('the README’s examples compile verbatim against React 18’s types, under strict', async () => {
    // The React examples (the Next.js ones need a Next.js app: the Next.js starter test compiles them).
    const readme = sections(readFileSync(join(ROOT, 'packages/react/README.md'), 'utf8'), /^(Example|Single-page app \(Vite\))$/);
    const examples = fencedBlocks(readme, 'tsx');
    expect(examples.length).toBeGreaterThan(0);
    mkdirSync(join(work, 'src'), { recursive: true });
    examples.forEach((code, i) => {
      writeFileSync(join(work, 'src', `example-${i + 1}.tsx`), code);
    });
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'dom', 'dom.iterable'],
          types: [],
          jsx: 'react-jsx',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['src/*.tsx'],
      }),
    );
    const result = await run(join(work, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: work }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  }, 120_000);
});
