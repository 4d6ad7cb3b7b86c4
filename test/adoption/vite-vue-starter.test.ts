import { viteSpaAdoption } from './vite-spa.js';

// A new user of a Vue single-page app: `npm create vite -- --template vue-ts`, then @explo-embed/vue's
// README (its example components and the "Single-page app (Vite)" section), verbatim. The starter's
// `npm run build` is `vue-tsc -b && vite build`: the templates are type-checked against our types.
viteSpaAdoption({
  template: 'vue-ts',
  readme: 'packages/vue/README.md',
  checks: [['npm', 'run', 'build']],
});
