import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
    '@explo-embed/core/adapter': [
      'createExploAdapter',
      'pageLocals',
      'splitUrl',
      'isPageRequest',
      'STATUS_BY_CODE',
      'sessionCustomerId',
    ],
  },
  browser: {
    '@explo-embed/browser': ['keepExploJwtFresh'],
    '@explo-embed/browser/token': ['fetchExploToken', 'backoffMs'],
  },
  react: { '@explo-embed/react': ['ExploDashboard', 'ExploReportBuilder'] },
  cli: { '@explo-embed/cli': ['runCli', 'EXIT'] },
  express: { '@explo-embed/express': ['exploEmbed', 'sessionCustomer', 'decryptExploJwt', 'ExploEmbedError'] },
  koa: { '@explo-embed/koa': ['exploEmbed', 'sessionCustomer', 'decryptExploJwt', 'ExploEmbedError'] },
  fastify: { '@explo-embed/fastify': ['exploEmbed', 'sessionCustomer', 'decryptExploJwt', 'ExploEmbedError'] },
  fetch: { '@explo-embed/fetch': ['createExploFetch', 'decryptExploJwt', 'ExploEmbedError'] },
  testing: { '@explo-embed/testing': ['startExploStandIn'] },
  nestjs: { '@explo-embed/nestjs': ['ExploEmbedModule', 'ExploEmbedService', 'ExploJwt', 'getExploPage', 'decryptExploJwt'] },
};
/** What adapter authors use: never part of a package's main entry point (it would freeze the internals). */
const INTERNAL = ['createExploAdapter', 'handleTokenRequest', 'issueToken', 'parseTokenQuery', 'problemResponse', 'splitUrl'];

describe.each(packages)('package %s', (dir) => {
  const cwd = join(root, 'packages', dir);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const entries = Object.entries(EXPECTED[dir] ?? {});

  it('is publishable: exports with types, engines, files', () => {
    expect(manifest.name).toBe(`@explo-embed/${dir}`);
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest.engines.node).toBe('>=20.19');
    expect(manifest.files).toContain('dist');
    expect(existsSync(join(cwd, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(cwd, 'README.md'))).toBe(true);
    for (const framework of ['express', 'koa', '@nestjs/common', '@nestjs/core', 'fastify', 'hono', 'next', 'react']) {
      expect(manifest.dependencies?.[framework]).toBeUndefined();
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

  it.each(entries)('%s loads with CommonJS require() and ESM import, with the same names', (specifier, names) => {
    const required = keysOf(specifier, false);
    expect(required).toEqual(expect.arrayContaining(names));
    expect(keysOf(specifier, true).sort()).toEqual([...required].sort());
    if (!specifier.endsWith('/adapter')) {
      for (const internal of INTERNAL) expect(required).not.toContain(internal);
    }
  });
});
