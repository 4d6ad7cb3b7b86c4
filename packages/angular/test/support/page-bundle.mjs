// `node page-bundle.mjs <compiled dir>`: the contract page's script on stdout. An app's production
// build, as the Angular CLI makes it: the package as published (ngc, partial mode), linked with
// Angular's own packages by Angular's linker, development code dropped; no JIT compiler in the page.
// In its own process: Babel (the linker's host) does not load inside Jest's module system.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { angularLinker } from '../../../../scripts/angular-linker.mjs';

const [compiled] = process.argv.slice(2);
const result = await build({
  stdin: {
    contents: `
      import { createComponent, provideZonelessChangeDetection } from '@angular/core';
      import { createApplication } from '@angular/platform-browser';
      import { ExploEmbed } from ${JSON.stringify(join(compiled, 'index.js'))};
      const app = await createApplication({ providers: [provideZonelessChangeDetection()] });
      const hostElement = document.getElementById('app').appendChild(document.createElement('explo-embed-dashboard'));
      const embed = createComponent(ExploEmbed, { environmentInjector: app.injector, hostElement });
      embed.setInput('dashboard', 'sales');
      embed.setInput('appUrl', window.STAND_IN);
      embed.setInput('mode', window.MODE);
      embed.setInput('bundleUrl', window.BUNDLE_URL);
      embed.setInput('embedStyle', 'width: 100%; height: 400px');
      embed.instance.tokenReceived.subscribe((token) => window.log.push(token.jwt));
      app.attachView(embed.hostView);`,
    resolveDir: fileURLToPath(new URL('../..', import.meta.url)),
    loader: 'js',
  },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'silent',
  define: { ngDevMode: 'false', ngJitMode: 'false', ngI18nClosureMode: 'false', ngServerMode: 'false' },
  plugins: [await angularLinker()],
});
process.stdout.write(result.outputFiles[0].text);
