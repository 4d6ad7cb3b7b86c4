import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ReadmeApp, readmeApps } from './readme-apps.js';

// A new user's first ten minutes, done by machine: every package packed as npm would publish it,
// a fresh app per README that installs only the README's own install lines (the tarballs in place
// of @explo-embed/*), every TypeScript example compiled verbatim under strict settings as ESM and as
// CommonJS, and the Express example run and asked for a page with a token.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PNPM = `pnpm@${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1]}`;
const KEY = { keyId: '4d5e6f70-8192-4a3b-8c4d-5e6f708192a3', keyValue: 'adoption-test-key-value-32bytes!' };

let work: string;
const tarballs = new Map<string, string>();
const installed = new Map<string, string>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-adoption-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  const packages = readdirSync(join(ROOT, 'packages'));
  await Promise.all(
    packages.map((dir) => run('npx', ['-y', PNPM, 'pack', '--pack-destination', packs], { cwd: join(ROOT, 'packages', dir) })),
  );
  for (const file of readdirSync(packs)) {
    const name = /^explo-embed-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file)?.[1];
    if (name) tarballs.set(`@explo-embed/${name}`, join(packs, file));
  }
  expect([...tarballs.keys()].sort()).toEqual(packages.map((dir) => `@explo-embed/${dir}`).sort());
  // Three installs at a time: the registry and this machine's two cores are the limit.
  const queue = readmeApps(ROOT);
  const worker = async () => {
    for (let app = queue.shift(); app; app = queue.shift()) installed.set(app.name, await install(app));
  };
  await Promise.all([worker(), worker(), worker()]);
}, 900_000);

afterAll(() => {
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

/** A fresh app with the README's install lines, @explo-embed/* taken from the packed tarballs. */
async function install(app: ReadmeApp): Promise<string> {
  const dir = join(work, app.name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `readme-${app.name}`, private: true, type: 'module' }));
  for (const line of app.installLines) {
    // The packages' dependencies on each other resolve to the tarballs too: they are not on the registry.
    const specs = [...new Set(line.packages.flatMap(withWorkspaceDependencies))].map((spec) => tarballs.get(spec) ?? spec);
    await run('npm', ['install', '--no-audit', '--no-fund', ...(line.dev ? ['--save-dev'] : []), ...specs], {
      cwd: dir,
      maxBuffer: 16 * 2 ** 20,
    });
  }
  return dir;
}

function withWorkspaceDependencies(spec: string): string[] {
  if (!tarballs.has(spec)) return [spec];
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', spec.replace('@explo-embed/', ''), 'package.json'), 'utf8'));
  const own = Object.keys(manifest.dependencies ?? {}).filter((name) => tarballs.has(name));
  return [spec, ...own.flatMap(withWorkspaceDependencies)];
}

/** Writes the README's examples verbatim and compiles them; resolves to tsc's complaints ('' when none). */
const compiled = new Map<string, Promise<string>>();
function compile(app: ReadmeApp, esm: boolean): Promise<string> {
  const key = `${app.name}:${esm}`;
  let result = compiled.get(key);
  if (result === undefined) {
    const dir = installed.get(app.name) as string;
    // JSX lives in .tsx files, whose format comes from the nearest package.json: a CommonJS folder for the CJS run.
    const source = app.jsx && !esm ? 'src-cjs' : 'src';
    if (source === 'src-cjs') {
      mkdirSync(join(dir, source), { recursive: true });
      writeFileSync(join(dir, source, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    }
    app.examples.forEach((code, i) => {
      writeFileSync(join(dir, source, `example-${i + 1}.${app.jsx ? 'tsx' : esm ? 'mts' : 'cts'}`), code);
    });
    const config = `tsconfig.${esm ? 'esm' : 'cjs'}.json`;
    writeFileSync(join(dir, config), JSON.stringify(tsconfig(app, esm), null, 2));
    result = run(join(dir, 'node_modules/.bin/tsc'), ['-p', config], { cwd: dir }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    compiled.set(key, result);
  }
  return result;
}

const tsconfig = (app: ReadmeApp, esm: boolean) => ({
  compilerOptions: {
    // What `tsc --init` (TypeScript 5.9) writes, plus what the README asks for.
    module: 'nodenext',
    target: 'es2022',
    lib: ['es2023', ...(app.dom ? ['dom', 'dom.iterable'] : [])],
    types: app.dom ? [] : ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    esModuleInterop: true,
    skipLibCheck: true,
    // CommonJS files cannot use verbatimModuleSyntax (it forbids `import` there).
    verbatimModuleSyntax: esm,
    isolatedModules: true,
    experimentalDecorators: app.decorators,
    emitDecoratorMetadata: app.decorators,
    ...(app.jsx ? { jsx: 'react-jsx' } : {}),
    outDir: esm ? 'out-esm' : 'out-cjs',
    rootDir: app.jsx && !esm ? 'src-cjs' : 'src',
  },
  include: app.jsx ? [esm ? 'src/*.tsx' : 'src-cjs/*.tsx'] : [esm ? 'src/*.mts' : 'src/*.cts'],
});

describe.each(readmeApps(process.cwd()).map((app) => [app.name, app] as const))('README of %s', (_name, app) => {
  it.each([
    ['ESM', true],
    ['CommonJS', false],
  ])(
    `every TypeScript example compiles under strict, verbatim, as %s`,
    async (_format, esm) => {
      expect(app.examples.length).toBeGreaterThan(0);
      expect(await compile(app, esm)).toBe('');
    },
    120_000,
  );

  if (app.runs) {
    it('runs as written: a logged-in customer gets a page with their token', async () => {
      expect(await compile(app, true)).toBe('');
      const dir = installed.get(app.name) as string;
      writeFileSync(join(dir, 'listen-on-free-port.cjs'), LISTEN_REPORTER);
      const child = spawn(process.execPath, [join(dir, 'out-esm', 'example-1.mjs')], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          PORT: '0',
          SESSION_SECRET: 'adoption-session-secret-at-least-32-characters',
          EXPLO_KEY_ID: KEY.keyId,
          EXPLO_KEY_VALUE: KEY.keyValue,
          NODE_OPTIONS: '--require ./listen-on-free-port.cjs',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const base = await listeningUrl(child);
        const logout = await fetch(`${base}/`);
        expect(await logout.text()).toBe('Please log in.');
        const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual' });
        expect(login.status).toBe(303);
        const cookie = login.headers
          .getSetCookie()
          .map((line) => line.split(';')[0])
          .join('; ');
        const page = await (await fetch(`${base}/`, { headers: { cookie } })).text();
        const jwt = /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(page)?.[1];
        expect(jwt).toBeDefined();
        const { claims } = await decryptExploJwt(jwt as string, KEY);
        expect(claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
        const token = await fetch(`${base}/explo/token`, { headers: { cookie } });
        expect(token.status).toBe(200);
      } finally {
        child.kill('SIGTERM');
      }
    }, 60_000);
  }
});

// Preloaded into the example: tells the test which free port `listen(0)` got, changing nothing else.
const LISTEN_REPORTER = `const http = require('node:http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  this.once('listening', () => console.log('explo-adoption-port=' + this.address().port));
  return listen.apply(this, args);
};
`;

/** The example listens on `process.env.PORT` (0 here); the preload reports the port it got. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the example did not listen: ${output}`)), 30_000);
    const read = (data: Buffer) => {
      output += data;
      const port = /explo-adoption-port=(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`the example exited with ${code}: ${output}`)));
  });
}
