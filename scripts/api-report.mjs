// The public surface of every package, as a checked-in report (api/*.api.md), made by API Extractor
// from the built .d.ts files. `pnpm test` regenerates each report and fails when it differs from the
// checked-in one; `pnpm api:update` rewrites them, so every public change is a visible diff in review.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const update = process.argv.includes('--update');

/** Report name -> [package folder, built entry point]. One per public entry point. */
const ENTRIES = {
  core: ['packages/core', 'dist/index.d.ts'],
  'core-adapter': ['packages/core', 'dist/adapter.d.ts'],
  'core-app': ['packages/core', 'dist/app.d.ts'],
  express: ['packages/express', 'dist/index.d.ts'],
  koa: ['packages/koa', 'dist/index.d.ts'],
  nestjs: ['packages/nestjs', 'dist/index.d.ts'],
  fastify: ['packages/fastify', 'dist/index.d.ts'],
  fetch: ['packages/fetch', 'dist/index.d.ts'],
  browser: ['packages/browser', 'dist/index.d.ts'],
  'browser-token': ['packages/browser', 'dist/token.d.ts'],
  'browser-embed': ['packages/browser', 'dist/embed-controller.d.ts'],
  react: ['packages/react', 'dist/index.d.ts'],
  vue: ['packages/vue', 'dist/index.d.ts'],
  svelte: ['packages/svelte', 'dist/index.d.ts'],
  angular: ['packages/angular', 'dist/index.d.ts'],
  testing: ['packages/testing', 'dist/index.d.ts'],
  cli: ['packages/cli', 'dist/index.d.ts'],
};

const silent = { logLevel: 'none' };
let failed = 0;
for (const [name, [folder, entry]] of Object.entries(ENTRIES)) {
  const projectFolder = join(root, folder);
  const entryPoint = join(projectFolder, entry);
  if (!existsSync(entryPoint)) {
    console.error(`api-report: ${folder}/${entry} is missing: build first (pnpm build).`);
    process.exit(1);
  }
  mkdirSync(join(root, '.api-temp'), { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder,
      mainEntryPointFilePath: entryPoint,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
            experimentalDecorators: true,
          },
          files: [entryPoint],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: `${name}.api.md`,
        reportFolder: join(root, 'api'),
        reportTempFolder: join(root, '.api-temp'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // Release tags (@public, @beta) are not used here: everything exported is public.
          'ae-missing-release-tag': silent,
          // Member-level TSDoc is encouraged, not enforced; the exports themselves carry it.
          'ae-undocumented': silent,
          // A public signature must not lean on a type users cannot import.
          'ae-forgotten-export': { logLevel: 'error' },
        },
        tsdocMessageReporting: { default: silent },
      },
    },
    configObjectFullPath: join(projectFolder, 'api-extractor.json'),
    packageJsonFullPath: join(projectFolder, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false, messageCallback: quiet });
  if (result.apiReportChanged && !update) {
    failed++;
    console.error(`api-report: the public API of ${name} changed: run pnpm api:update, review git diff api/, and commit it.`);
  } else if (!result.succeeded) {
    failed++;
    console.error(`api-report: ${name}: ${result.errorCount} errors (see above).`);
  }
}
if (failed > 0) process.exit(1);
console.log(`api-report: ${Object.keys(ENTRIES).length} reports ${update ? 'written' : 'match'} (api/*.api.md).`);

// The bundled compiler's version notice is noise here; everything else is printed.
function quiet(message) {
  if (message.messageId === 'console-preamble' || message.messageId === 'console-compiler-version-notice') message.handled = true;
}
