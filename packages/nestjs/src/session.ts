// `import '@explo-embed/nestjs/session'` types `req.session.customerId` for express-session (Nest on
// Express), which the module reads by default. Types only: the compiled module is empty.
import type {} from 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** The customer id Explo knows (`cst`): set it at login; `@explo-embed/nestjs` reads it. */
    customerId?: string;
  }
}
