import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // example-support is this monorepo's TypeScript source, shared by the examples.
  transpilePackages: ['example-support'],
  // Built code, loaded by Node as it is (they start servers and read keys, nothing to bundle).
  serverExternalPackages: ['@explo-embed/testing', '@explo-embed/core', '@explo-embed/fetch', 'helmet'],
  turbopack: { root: fileURLToPath(new URL('../..', import.meta.url)) },
  poweredByHeader: false,
};

export default config;
