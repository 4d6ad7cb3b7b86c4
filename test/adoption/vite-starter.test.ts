import { viteSpaAdoption } from './vite-spa.js';

// A new user of a React single-page app, as they start today: `npm create vite -- --template react-ts`,
// then @explo-embed/react's "Single-page app (Vite)" section (and its other examples, and the browser
// helper's README, compiled beside it), verbatim; type-checked strict and built by `npm run build`.
viteSpaAdoption({
  template: 'react-ts',
  readme: 'packages/react/README.md',
  alsoReadmes: [{ readme: 'packages/browser/README.md', snippetDir: 'src/readme-snippets/browser' }],
  checks: [
    ['npx', 'tsc', '-p', 'tsconfig.app.json', '--noEmit', '--strict'],
    ['npm', 'run', 'build'],
  ],
});
