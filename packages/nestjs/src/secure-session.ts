// `import '@explo-embed/nestjs/secure-session'` types `request.session.get('customerId')` and `set` for
// @fastify/secure-session (Nest on Fastify), which the module reads by default. Types only.
import type {} from '@fastify/secure-session';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The customer id Explo knows (`cst`): set it at login; `@explo-embed/nestjs` reads it. */
    customerId: string;
  }
}
