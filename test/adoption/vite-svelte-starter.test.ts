import { viteSpaAdoption } from './vite-spa.js';

// A new user of a Svelte 5 single-page app: `npm create vite -- --template svelte-ts`, then
// @explo-embed/svelte's README (its example components and the "Single-page app (Vite)" section),
// verbatim. The starter's `npm run build` is only `vite build`: its `npm run check` (svelte-check)
// type-checks the components against our types first.
viteSpaAdoption({
  template: 'svelte-ts',
  readme: 'packages/svelte/README.md',
  checks: [
    ['npm', 'run', 'check'],
    ['npm', 'run', 'build'],
  ],
});
