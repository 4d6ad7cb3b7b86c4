import { createServer } from 'node:http';
import Koa from 'koa';
import Koa2 from 'koa2';
import { type AdapterFactory, runAdapterContract } from '../../../test/contract/adapter-contract.js';
import { listen } from '../../../test/support/http.js';
import { exploEmbed } from '../src/index.js';

function koaFactory(name: string, KoaClass: typeof Koa): AdapterFactory {
  return {
    name,
    async start({ attach, ...options }) {
      const app = new KoaClass();
      app.use(
        exploEmbed({
          ...options,
          ...(attach === undefined ? {} : { attach: attach === 'header' ? (ctx) => ctx.get('x-test-attach') !== '' : attach }),
          customer: (ctx) => {
            const customer = ctx.get('x-test-customer');
            if (customer === '!throw') throw new Error('resolver exploded');
            return customer || undefined;
          },
        }),
      );
      app.use(async (ctx, next) => {
        if (ctx.path !== '/page') return next();
        if (ctx.query.read === '0') {
          ctx.body = { read: false };
          return;
        }
        ctx.body = { exploJwt: ctx.state.exploJwt ?? null, exploError: ctx.state.exploError?.code ?? null };
      });
      return listen(createServer(app.callback()));
    },
  };
}

runAdapterContract(koaFactory('Koa 3', Koa));
runAdapterContract(koaFactory('Koa 2', Koa2));
