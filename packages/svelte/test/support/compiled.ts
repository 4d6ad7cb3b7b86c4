import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Component } from 'svelte';
import type { ExploEmbedProps } from '../../src/index.js';

const dir = fileURLToPath(new URL('../..', import.meta.url));

/** The package's components. */
export interface Components {
  ExploDashboard: Component<ExploEmbedProps>;
  ExploReportBuilder: Component<ExploEmbedProps>;
}

/**
 * The package's components from source, compiled for the browser (`client`) or the server, as a
 * SvelteKit app's bundler would; svelte and the browser layer stay imports, which Jest resolves (the
 * browser layer from source). Jest has no Svelte transform: one build per suite does it.
 */
export async function compiledComponents(generate: 'client' | 'server'): Promise<Components> {
  const out = join(dir, 'node_modules/.cache/explo-embed-test');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${generate}-${process.pid}.mjs`);
  execFileSync(process.execPath, [join(dir, 'test/support/compile.mjs'), generate, file], { stdio: 'pipe' });
  return (await import(pathToFileURL(file).href)) as Components;
}
