// `@explo-embed/core` on edge runtimes: the same names as `../index.ts`, on Web Crypto (see `./app.ts`).

export * from '../entries/index-common.js';
export * from './app.js';
