import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { readConfig } from 'example-support';
import { runExampleContract } from '../../../test/contract/example-contract.js';
import { createApp } from '../src/app.js';

runExampleContract({
  name: 'nestjs',
  dir: fileURLToPath(new URL('..', import.meta.url)),
  async start(env) {
    const app = await createApp(readConfig(env), undefined, false);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
  },
});
