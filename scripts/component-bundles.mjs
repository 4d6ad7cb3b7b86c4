// Builds what tsc cannot (the Svelte package: svelte-package ships its .svelte files and their .d.ts;
// the Angular package: ngc in partial mode, which apps' Angular linker reads), then measures what each
// framework package adds to an app's bundle over the browser helper: its entry bundled and minified
// with the framework and @explo-embed/browser external (the .svelte files compiled as a Svelte app's
// bundler would, the Angular declarations linked as an Angular app's build does), gzip level 9.
// Writes packages/<name>/dist/size.json; over the budget, the build fails.
// `node scripts/component-bundles.mjs [vue] [svelte] [angular]` (default: all).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { angularLinker } from './angular-linker.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** 2 KB (2 048 B) min+gzip over the browser helper, for each component package (unless it says otherwise). */
const BUDGET = 2048;
const BROWSER = ['@explo-embed/browser', '@explo-embed/browser/*'];

const PACKAGES = {
  vue: { external: ['vue', ...BROWSER], plugins: async () => [] },
  svelte: {
    external: ['svelte', 'svelte/*', ...BROWSER],
    prepare(dir) {
      const bin = join(dir, 'node_modules/@sveltejs/package/svelte-package.js');
      execFileSync(process.execPath, [bin, '-i', 'src', '-o', 'dist', '-t', 'tsconfig.json'], { cwd: dir, stdio: 'pipe' });
    },
    async plugins(dir) {
      const { default: sveltePlugin } = await import(createRequire(join(dir, 'package.json')).resolve('esbuild-svelte'));
      return [sveltePlugin({ compilerOptions: { generate: 'client' } })];
    },
  },
  angular: {
    external: ['@angular/core', '@angular/core/*', '@angular/common', '@angular/common/*', ...BROWSER],
    // ngc runs on Node 20.19+ as it is (Angular 22's packages declare Node 22.22 / 24.15, but only
    // warn-free installs check that; the compiler itself needs nothing newer).
    prepare(dir) {
      const require = createRequire(join(dir, 'package.json'));
      const { bin } = require('@angular/compiler-cli/package.json');
      const ngc = join(dirname(require.resolve('@angular/compiler-cli/package.json')), bin.ngc);
      execFileSync(process.execPath, [ngc, '-p', 'tsconfig.json'], { cwd: dir, stdio: 'pipe' });
    },
    plugins: async (dir) => [await angularLinker(dir)],
    // What the Angular CLI's production build for the browser defines: development-only code (class
    // metadata for JIT, debug names) and server-only code are dropped.
    define: { ngDevMode: 'false', ngJitMode: 'false', ngI18nClosureMode: 'false', ngServerMode: 'false' },
    // Angular's AOT template code (one instruction call per node and binding, three element kinds)
    // is about 2.5 KB: over the 2 KB the others keep, so a budget of its own.
    budget: 3072,
  },
};

const chosen = process.argv.slice(2).filter((name) => name in PACKAGES);
let failed = false;
for (const name of chosen.length > 0 ? chosen : Object.keys(PACKAGES)) {
  const dir = join(root, 'packages', name);
  const { external, prepare, plugins, define, budget = BUDGET } = PACKAGES[name];
  try {
    prepare?.(dir);
  } catch (error) {
    console.error(`@explo-embed/${name}: ${String(error.stderr ?? error.message).trim()}`);
    process.exit(1);
  }
  const result = await build({
    entryPoints: [join(dir, 'dist/index.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    external,
    define,
    plugins: await plugins(dir),
  });
  const code = result.outputFiles[0].contents;
  const esm = { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  writeFileSync(join(dir, 'dist/size.json'), `${JSON.stringify({ esm, budget }, null, 2)}\n`);
  if (esm.gzip > budget) {
    console.error(`@explo-embed/${name}: ${esm.gzip} B min+gzip over the browser helper, over its ${budget} B budget.`);
    failed = true;
  } else if (!process.env.CI || process.env.BUNDLE_VERBOSE) {
    console.log(`@explo-embed/${name}: ${esm.min} B min, ${esm.gzip} B min+gzip over the browser helper`);
  }
}
if (failed) process.exit(1);
