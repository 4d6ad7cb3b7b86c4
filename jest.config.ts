/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// ESM mode (jose and NestJS ship ESM only): run with node --experimental-vm-modules.
// Tests import workspace packages from source (moduleNameMapper below). Tests that run a package as
// its users do (the CLI's bin, the packed tarballs, Bun and Deno) need its dist: the package.json
// scripts that run Jest (`test`, `test:fast`, `test:kit`) build first, so a source change is seen.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  testMatch: [
    '<rootDir>/packages/*/test/**/*.test.ts?(x)',
    '<rootDir>/examples/*/test/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
  ],
  // *.node24.test.ts need Node 22 or later (Miniflare): they run in `pnpm test`'s Node 24 step
  // (scripts/test-node24.ts, whose own ignore list replaces this one), not on the machine's Node 20.
  testPathIgnorePatterns: ['/node_modules/', '\\.node24\\.test\\.ts$'],
  moduleNameMapper: {
    '^@explo-embed/core/(adapter|app)$': '<rootDir>/packages/core/src/$1.ts',
    '^@explo-embed/browser/token$': '<rootDir>/packages/browser/src/token.ts',
    '^@explo-embed/browser/embed$': '<rootDir>/packages/browser/src/embed-controller.ts',
    '^@explo-embed/([a-z-]+)/((?:fastify-|secure-)?session)$': '<rootDir>/packages/$1/src/$2.ts',
    '^@explo-embed/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'es6' },
      },
    ],
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
        module: { type: 'es6' },
      },
    ],
  },
  setupFilesAfterEnv: ['<rootDir>/test/support/leak-recorder.ts'],
  globalSetup: '<rootDir>/test/support/leak-setup.mjs',
  globalTeardown: '<rootDir>/test/support/leak-teardown.mjs',
  testTimeout: 30_000,
  // One worker per core: a bigger machine runs the suite faster.
  maxWorkers: '100%',
  // A worker whose event loop has drained still has to tear down its heap (hundreds of MB), and on
  // a busy machine that took 270 to 1 200 ms, past Jest's default 500 ms: Jest then killed it and
  // printed its "failed to exit gracefully" warning with nothing leaked.
  // A worker kept alive by a real leak still gets killed, and the warning still shows, after 5 s.
  workerGracefulExitTimeout: 5_000,
};

export default config;
