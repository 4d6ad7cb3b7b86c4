// `import '@explo-embed/fastify/session'` types `request.session.customerId` for @fastify/session,
// which the plugin reads by default. Types only: the compiled module is empty.
import type {} from 'fastify';

declare module 'fastify' {
  interface Session {
    /** The customer id Explo knows (`cst`): set it at login; `@explo-embed/fastify` reads it. */
    customerId?: string;
  }
}
