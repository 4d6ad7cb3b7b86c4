import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// These run against the built dist/ (the test command builds first), the way users load us.
const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));

/** The names each entry point must expose; internals must stay out of the main entry points. */
const EXPECTED: Record<string, Record<string, string[]>> = {
  core: {
    '@explo-embed/core': ['createExploEmbed', 'decryptExploJwt', 'ExploEmbedError', 'assertSecret', 'assertApiOptions'],
    '@explo-embed/core/adapter': ['createExploAdapter', 'pageLocals', 'pageHeaders', 'pageOn', 'replyTarget', 'sessionCustomer'],
    '@explo-embed/core/app': ['decryptExploJwt', 'ExploEmbedError', 'EXPLO_ERROR_CODES', 'exploCspSources', 'withExploCsp'],
  },
  browser: {
    '@explo-embed/browser': ['keepExploJwtFresh'],
    '@explo-embed/browser/token': ['fetchExploToken', 'backoffMs'],
  },
  react: { '@explo-embed/react': ['ExploDashboard', 'ExploReportBuilder'] },
  vue: { '@explo-embed/vue': ['ExploDashboard', 'ExploReportBuilder'] },
  // svelte: .svelte files, which Node cannot load; checked below by compiling them as an app would.
  cli: { '@explo-embed/cli': ['runCli', 'EXIT'] },
  express: { '@explo-embed/express': ['exploEmbed', 'sessionCustomer', 'decryptExploJwt', 'ExploEmbedError'] },
  koa: { '@explo-embed/koa': ['exploEmbed', 'sessionCustomer', 'decryptExploJwt', 'ExploEmbedError'] },
  fastify: { '@explo-embed/fastify': ['exploEmbed', 'sessionCustomer', 'decryptExploJwt', 'ExploEmbedError'] },
  fetch: { '@explo-embed/fetch': ['createExploFetch', 'decryptExploJwt', 'ExploEmbedError'] },
  testing: { '@explo-embed/testing': ['startExploStandIn'] },
  nestjs: { '@explo-embed/nestjs': ['ExploEmbedModule', 'ExploEmbedService', 'ExploJwt', 'getExploPage', 'decryptExploJwt'] },
};
/** Where the packages live: npm shows a README's links as they are, so each must be absolute or an anchor. */
const REPOSITORY = 'https://github.com/explo-embed/explo-embed';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const anchorsOf = (markdown: string) =>
  new Set([...markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string)));

/** What adapter authors use: never part of a package's main entry point (it would freeze the internals). */
const INTERNAL = ['createExploAdapter', 'handleTokenRequest', 'issueToken', 'parseTokenQuery', 'problemResponse', 'splitUrl'];

describe.each(packages)('package %s', (dir) => {
  const cwd = join(root, 'packages', dir);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const entries = Object.entries(EXPECTED[dir] ?? {});

  it('is publishable: exports with types, engines, files', () => {
    expect(manifest.name).toBe(`@explo-embed/${dir}`);
    expect(manifest.private).toBeUndefined();
    // Svelte libraries add the `svelte` condition (Svelte's bundler plugins and SvelteKit look for it).
    const svelte = dir === 'svelte' ? { svelte: './dist/index.js' } : {};
    // The core has an edge entry beside each Node one, chosen by the edge runtimes' conditions.
    const edge = dir === 'core' ? edgeConditions('index') : {};
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', ...svelte, ...edge, default: './dist/index.js' });
    expect(manifest.engines.node).toBe('>=20.19');
    expect(manifest.files).toContain('dist');
    expect(existsSync(join(cwd, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(cwd, 'README.md'))).toBe(true);
    for (const framework of [
      'express',
      'koa',
      '@nestjs/common',
      '@nestjs/core',
      'fastify',
      'hono',
      'next',
      'react',
      'vue',
      'svelte',
    ]) {
      expect(manifest.dependencies?.[framework]).toBeUndefined();
    }
  });

  it('says where it comes from, as npmjs.com shows it: repository (with its folder), homepage, bugs, keywords, license', () => {
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${dir}` });
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/packages/${dir}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(manifest.license).toBe('MIT');
    expect(manifest.keywords).toEqual(expect.arrayContaining(['explo']));
    expect(typeof manifest.description).toBe('string');
  });

  it('has a README whose every link resolves on npmjs.com: an anchor in it, a file of this repository, or another site', () => {
    const readme = readFileSync(join(cwd, 'README.md'), 'utf8');
    const links = [...readme.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      if (link.startsWith('#')) {
        expect([link, anchorsOf(readme).has(link.slice(1))]).toEqual([link, true]);
      } else if (link.startsWith(`${REPOSITORY}/`)) {
        const [, kind, path = '', anchor] = /^[^#]*\/(tree|blob)\/main\/([^#]*)(?:#(.*))?$/.exec(link) ?? [];
        expect([link, kind !== undefined && existsSync(join(root, path))]).toEqual([link, true]);
        if (anchor !== undefined && anchor !== 'readme') {
          const target = kind === 'tree' ? join(root, path, 'README.md') : join(root, path);
          expect([link, anchorsOf(readFileSync(target, 'utf8')).has(anchor)]).toEqual([link, true]);
        }
      } else {
        expect([link, /^https:\/\//.test(link)]).toEqual([link, true]);
      }
    }
  });

  const keysOf = (specifier: string, esm: boolean): string[] => {
    const out = esm
      ? execFileSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)))`,
          ],
          { cwd, encoding: 'utf8' },
        )
      : execFileSync(
          process.execPath,
          ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)}))))`],
          {
            cwd,
            encoding: 'utf8',
          },
        );
    return JSON.parse(out);
  };

  // @explo-embed/svelte has no entry Node can load: its .svelte files are compiled by the app (below).
  if (entries.length > 0) {
    it.each(entries)('%s loads with CommonJS require() and ESM import, with the same names', (specifier, names) => {
      const required = keysOf(specifier, false);
      expect(required).toEqual(expect.arrayContaining(names));
      expect(keysOf(specifier, true).sort()).toEqual([...required].sort());
      if (!specifier.endsWith('/adapter')) {
        for (const internal of INTERNAL) expect(required).not.toContain(internal);
      }
    });
  }
});

describe('@explo-embed/svelte as published', () => {
  const dir = join(root, 'packages/svelte');
  const { compile } = createRequire(join(dir, 'package.json'))('svelte/compiler') as typeof import('svelte/compiler');

  it('exports its components from .svelte files that compile for the browser and the server, each with its types', () => {
    const entry = readFileSync(join(dir, 'dist/index.js'), 'utf8');
    const files = [...entry.matchAll(/export \{ default as (\w+) \} from '\.\/(\w+\.svelte)'/g)].map((m) => [m[1], m[2]]);
    expect(files).toEqual([
      ['ExploDashboard', 'ExploDashboard.svelte'],
      ['ExploReportBuilder', 'ExploReportBuilder.svelte'],
    ]);
    for (const file of ['ExploDashboard.svelte', 'ExploReportBuilder.svelte', 'ExploEmbed.svelte']) {
      const source = readFileSync(join(dir, 'dist', file), 'utf8');
      for (const generate of ['client', 'server'] as const) {
        expect(compile(source, { generate, filename: file }).js.code).toContain(`svelte/internal/${generate}`);
      }
      expect(existsSync(join(dir, 'dist', `${file}.d.ts`))).toBe(true);
    }
  });
});

/** The conditions edge runtimes' bundlers set (Next.js: edge-light; wrangler: workerd, worker; Deno: deno), each to the edge entry. */
function edgeConditions(entry: string): Record<string, string> {
  const file = `./dist/edge/${entry}.js`;
  return { 'edge-light': file, workerd: file, worker: file, deno: file };
}

describe('the core on edge runtimes: an entry per package.json conditions, with no node: module', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'));

  it.each([
    ['./adapter', 'adapter'],
    ['./app', 'app'],
  ])('%s has its edge entry too', (subpath, entry) => {
    expect(manifest.exports[subpath]).toEqual({
      types: `./dist/${entry}.d.ts`,
      ...edgeConditions(entry),
      default: `./dist/${entry}.js`,
    });
    expect(existsSync(join(root, 'packages/core/dist/edge', `${entry}.js`))).toBe(true);
  });

  // As each runtime's bundler resolves: Next.js's edge routes (edge-light), wrangler (workerd,
  // worker, browser), Deno (deno); platform neutral, so a node: import anywhere in the graph fails
  // the build. @explo-embed/fetch reaches the core's edge entry through the same conditions.
  it.each([
    ['Next.js edge', ['edge-light', 'worker', 'browser']],
    ['wrangler', ['workerd', 'worker', 'browser']],
    ['Deno', ['deno']],
  ])('%s: @explo-embed/core (each entry) and @explo-embed/fetch bundle with no node: module', async (_name, conditions) => {
    const { build } = await import('esbuild');
    const result = await build({
      stdin: {
        contents: [
          "export * as core from '@explo-embed/core';",
          "export * as app from '@explo-embed/core/app';",
          "export * as adapter from '@explo-embed/core/adapter';",
          "export * as fetch from '@explo-embed/fetch';",
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions,
      mainFields: ['module', 'main'],
      // The repository's tsconfig maps @explo-embed/* to sources: resolve as an app's bundler does.
      tsconfigRaw: '{}',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:') || /node-platform|encrypt-node/.test(input))).toEqual([]);
    for (const entry of ['index', 'app', 'adapter']) expect(inputs).toContain(`packages/core/dist/edge/${entry}.js`);
    expect(inputs).toContain('packages/fetch/dist/index.js');
  });

  it('Node (and Bun) load the Node entry', async () => {
    const code =
      "import('@explo-embed/core').then((m) => console.log(typeof m.createExploEmbed, import.meta.resolve('@explo-embed/core')))";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: join(root, 'packages/fetch'),
      encoding: 'utf8',
    });
    expect(out.trim()).toMatch(/^function .*\/packages\/core\/dist\/index\.js$/);
  });
});

describe('error names survive a minifier (Next.js and Vite minify server and client code)', () => {
  it('the minified core still says ExploOptionError, ExploSecretMissingError...', async () => {
    const { build } = await import('esbuild');
    const bundle = await build({
      entryPoints: [join(root, 'packages/core/dist/index.js')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      write: false,
      // Its dependencies stay imports: only the library's own code is minified.
      packages: 'external',
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    expect(code).not.toContain('class ExploOptionError');
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `${code}\nconsole.log(JSON.stringify([new ExploOptionError('a','b').name, new ExploSecretMissingError('x').name, new ExploJwtExpiredError(new Date(0),{},{}).name]))`.replace(
          /export\{([^}]*)\};?/,
          (_m, names: string) =>
            names
              .split(',')
              .map((pair) => {
                const [local, exported = local] = pair.split(' as ');
                return `const ${exported} = ${local};`;
              })
              .join(''),
        ),
      ],
      { cwd: join(root, 'packages/core'), encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual(['ExploOptionError', 'ExploSecretMissingError', 'ExploJwtExpiredError']);
  });
});
