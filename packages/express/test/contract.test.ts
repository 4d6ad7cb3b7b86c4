import { createServer } from 'node:http';
import express from 'express';
import express4 from 'express4';
import { type AdapterFactory, runAdapterContract } from '../../../test/contract/adapter-contract.js';
import { listen } from '../../../test/support/http.js';
import { exploEmbed } from '../src/index.js';

function expressFactory(name: string, createApp: typeof express): AdapterFactory {
  return {
    name,
    async start({ attach, ...options }) {
      const app = createApp();
      app.use(
        exploEmbed({
          ...options,
          ...(attach === undefined
            ? {}
            : { attach: attach === 'header' ? (req) => req.headers['x-test-attach'] !== undefined : attach }),
          customer: (req) => {
            const customer = req.headers['x-test-customer'];
            if (customer === '!throw') throw new Error('resolver exploded');
            return typeof customer === 'string' ? customer : undefined;
          },
        }),
      );
      app.all('/page', (req, res) => {
        if (req.query.read === '0') return void res.json({ read: false });
        res.json({ exploJwt: res.locals.exploJwt ?? null, exploError: res.locals.exploError?.code ?? null });
      });
      return listen(createServer(app));
    },
  };
}

runAdapterContract(expressFactory('Express 5', express));
runAdapterContract(expressFactory('Express 4', express4));
