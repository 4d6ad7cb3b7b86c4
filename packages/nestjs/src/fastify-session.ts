// `import '@explo-embed/nestjs/fastify-session'` types `request.session.customerId` for @fastify/session
// (Nest on Fastify), which the module reads by default. Types only: the compiled module is empty.
import type {} from '@fastify/session';

declare module 'fastify' {
  interface Session {
    /** The customer id Explo knows (`cst`): set it at login; `@explo-embed/nestjs` reads it. */
    customerId?: string;
  }
}
