import Fastify from 'fastify';
import { type AdapterFactory, runAdapterContract } from '../../../test/contract/adapter-contract.js';
import type { RunningServer } from '../../../test/support/http.js';
import { type ExploFastifyOptions, exploEmbed } from '../src/index.js';

const fastifyFactory: AdapterFactory = {
  name: 'Fastify 5',
  async start({ attach, ...options }): Promise<RunningServer> {
    const app = Fastify();
    const pluginOptions: ExploFastifyOptions = {
      ...options,
      customer: (request) => {
        const customer = request.headers['x-test-customer'];
        if (customer === '!throw') throw new Error('resolver exploded');
        return typeof customer === 'string' ? customer : undefined;
      },
    };
    if (attach !== undefined) {
      pluginOptions.attach = attach === 'header' ? (request) => request.headers['x-test-attach'] !== undefined : attach;
    }
    await app.register(exploEmbed, pluginOptions);
    app.route({
      method: ['GET', 'POST'],
      url: '/page',
      handler: async (request) =>
        (request.query as { read?: string }).read === '0'
          ? { read: false }
          : { exploJwt: request.exploJwt ?? null, exploError: request.exploError?.code ?? null },
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
};

runAdapterContract(fastifyFactory);
