// An esbuild plugin that does what an Angular app's build does to libraries compiled in partial mode
// (ours, and Angular's own packages): Angular's linker (@angular/compiler-cli/linker/babel) turns
// their ɵɵngDeclare* calls into the final AOT code, so no JIT compiler is needed in the page.
// Used by scripts/component-bundles.mjs (the size budget) and by the Angular package's browser test.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The linker as an esbuild plugin, with Babel and the linker from the Angular package's own dependencies. */
export async function angularLinker(packageDir = join(import.meta.dirname, '../packages/angular')) {
  const require = createRequire(join(packageDir, 'package.json'));
  const load = (name) => import(pathToFileURL(require.resolve(name)).href);
  const [babel, { default: linkerPlugin }] = await Promise.all([load('@babel/core'), load('@angular/compiler-cli/linker/babel')]);
  return {
    name: 'angular-linker',
    setup(build) {
      build.onLoad({ filter: /\.m?js$/ }, async ({ path }) => {
        const code = await readFile(path, 'utf8');
        if (!code.includes('ɵɵngDeclare')) return undefined;
        const result = await babel.transformAsync(code, {
          filename: path,
          babelrc: false,
          configFile: false,
          compact: false,
          sourceMaps: false,
          plugins: [[linkerPlugin, { linkerJitMode: false }]],
        });
        return { contents: result?.code ?? code, loader: 'js' };
      });
    },
  };
}
