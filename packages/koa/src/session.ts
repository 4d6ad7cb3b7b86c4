// `import '@explo-embed/koa/session'` types `ctx.session` (koa-session) with the `customerId` the
// middleware reads by default. Types only: the compiled module is empty.
import type {} from 'koa';

/** What koa-session keeps for a visitor, with the customer id explo-embed reads. */
export interface ExploKoaSession {
  /** The customer id Explo knows (`cst`): set it at login; `@explo-embed/koa` reads it. */
  customerId?: string;
  [key: string]: unknown;
}

declare module 'koa' {
  interface DefaultContext {
    /** koa-session's session; `null` once it is cleared (logout). */
    session: ExploKoaSession | null;
  }
}
