// `import '@explo-embed/express/session'` types `req.session.customerId` for express-session, which
// the middleware reads by default. Types only: the compiled module is empty.
import type {} from 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** The customer id Explo knows (`cst`): set it at login; `@explo-embed/express` reads it. */
    customerId?: string;
  }
}
