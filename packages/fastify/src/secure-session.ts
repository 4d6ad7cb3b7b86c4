// `import '@explo-embed/fastify/secure-session'` types `request.session.get('customerId')` and `set` for
// @fastify/secure-session, which the plugin reads by default. Types only.
import type {} from '@fastify/secure-session';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The customer id Explo knows (`cst`): set it at login; `@explo-embed/fastify` reads it. */
    customerId: string;
  }
}
