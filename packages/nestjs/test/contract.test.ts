import { type AdapterFactory, runAdapterContract } from '../../../test/contract/adapter-contract.js';
import { ExploEmbedModule } from '../src/index.js';
import { PageController, type Platform, startNest } from './app-factory.js';

function nestFactory(platform: Platform): AdapterFactory {
  return {
    name: `NestJS on ${platform === 'express' ? 'Express' : 'Fastify'}`,
    start: ({ route, attach, ...options }) =>
      startNest(platform, {
        imports: [
          ExploEmbedModule.forRoot({
            ...options,
            ...(route === undefined ? {} : { route }),
            ...(attach === undefined
              ? {}
              : {
                  attach:
                    attach === 'header'
                      ? (request: unknown) =>
                          (request as { headers: Record<string, unknown> }).headers['x-test-attach'] !== undefined
                      : attach,
                }),
            customer: (request) => {
              const customer = (request as { headers: Record<string, string | undefined> }).headers['x-test-customer'];
              if (customer === '!throw') throw new Error('resolver exploded');
              return customer;
            },
          }),
        ],
        controllers: [PageController],
      }),
  };
}

runAdapterContract(nestFactory('express'));
runAdapterContract(nestFactory('fastify'));
