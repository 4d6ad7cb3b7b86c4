import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { readConfig } from 'example-support';
import { runExampleContract } from '../../../test/contract/example-contract.js';
import { listen } from '../../../test/support/http.js';
import { createApp } from '../src/app.js';

runExampleContract({
  name: 'hono',
  dir: fileURLToPath(new URL('..', import.meta.url)),
  start: (env) => listen(createServer(getRequestListener(createApp(readConfig(env)).fetch))),
});
