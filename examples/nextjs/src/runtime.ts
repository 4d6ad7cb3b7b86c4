import { createExploFetch, type ExploFetch } from '@explo-embed/fetch';
import { type EmbedTarget, EXPLO, type ExampleConfig, exampleCspHeader, readConfig } from 'example-support';
import { sessionCustomer } from './session.js';

/** What every route of the app shares: the configuration, where dashboards come from, and explo-embed. */
export interface ExampleRuntime {
  config: ExampleConfig;
  target: EmbedTarget;
  explo: ExploFetch;
  /** The pages' Content-Security-Policy for a nonce (built once). */
  csp: (nonce: string) => string;
}

/** A route that has already read the session passes it as `context`, so it is not verified twice. */
const knownCustomer = (context: unknown): context is { customerId: string | undefined } =>
  typeof context === 'object' && context !== null && 'customerId' in context;

// One per process, on globalThis (the usual Next.js singleton): route bundles may each load this
// module, but they must share one key, one token cache and the stand-in src/server.ts started.
const holder = globalThis as typeof globalThis & { exploExample?: ExampleRuntime };

/** Called once by src/server.ts with what it read and started. */
export function setExampleRuntime(config: ExampleConfig, target: EmbedTarget): ExampleRuntime {
  // The two lines a host app adds: create it (here, once), then mount `explo.tokenRoute` (app/explo/token/route.ts).
  const explo = createExploFetch({
    secret: config.secret,
    dashboards: config.dashboards,
    expiresIn: config.expiresIn,
    customers: target.customers, // provisioned in Explo (here, the stand-in) on their first visit
    customer: (request, context) =>
      knownCustomer(context) ? context.customerId : sessionCustomer(request, config.sessionSecret),
  });
  holder.exploExample = { config, target, explo, csp: exampleCspHeader(target) };
  return holder.exploExample;
}

/** The shared runtime. Under plain `next start` (no src/server.ts) it is read from the environment, with Explo as the target. */
export function exampleRuntime(): ExampleRuntime {
  return holder.exploExample ?? setExampleRuntime(readConfig(process.env), EXPLO);
}
