// The public API of @explo-embed/core: what apps, jobs and scripts call. It is `./app.ts` (what an
// app with a framework adapter needs, which every adapter re-exports) plus what tools and jobs need
// besides: every error class, the assertions, the header reader. What framework adapters need
// lives in './adapter.ts' (`@explo-embed/core/adapter`). This is the Node entry; edge runtimes get
// `./edge/index.ts`, with the same names, through package.json conditions.

export * from './app.js';
export * from './entries/index-common.js';
