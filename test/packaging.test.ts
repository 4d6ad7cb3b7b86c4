import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// These run against the built dist/ (the test command builds first), the way users load us.
const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));

/** The public entry points each package must expose. */
const EXPECTED: Record<string, string[]> = {
  core: ['createExploEmbed', 'decryptExploJwt', 'ExploEmbedError', 'handleTokenRequest', 'createExploAdapter'],
  browser: ['keepExploJwtFresh'],
  cli: ['runCli', 'EXIT'],
  express: ['exploEmbed', 'sessionCustomer', 'decryptExploJwt'],
  koa: ['exploEmbed', 'sessionCustomer', 'decryptExploJwt'],
  testing: ['startExploStandIn'],
  nestjs: ['ExploEmbedModule', 'ExploEmbedService', 'ExploJwt', 'getExploPage', 'decryptExploJwt'],
};

describe.each(packages)('package %s', (dir) => {
  const cwd = join(root, 'packages', dir);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const names = EXPECTED[dir] ?? [];

  it('is publishable: exports with types, engines, files', () => {
    expect(manifest.name).toBe(`@explo-embed/${dir}`);
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest.engines.node).toBe('>=20.19');
    expect(manifest.files).toContain('dist');
    expect(existsSync(join(cwd, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(cwd, 'README.md'))).toBe(true);
    for (const framework of ['express', 'koa', '@nestjs/common', '@nestjs/core']) {
      expect(manifest.dependencies?.[framework]).toBeUndefined();
    }
  });

  it('loads with CommonJS require()', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', `const m = require(${JSON.stringify(manifest.name)}); console.log(JSON.stringify(Object.keys(m)))`],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out)).toEqual(expect.arrayContaining(names));
  });

  it('loads with ESM import', () => {
    const script = `const m = await import(${JSON.stringify(manifest.name)}); console.log(JSON.stringify(Object.keys(m)))`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expect.arrayContaining(names));
  });
});
