import type { CustomerLike } from '../model/customer.js';

interface SessionLike {
  customerId?: CustomerLike;
  get?: (key: string) => unknown;
}

/**
 * The `customerId` a session holds, whichever session library made it: a plain object
 * (express-session, koa-session, `@fastify/session`) or one read through `get`
 * (`@fastify/secure-session`, `@fastify/session`). Nullish when there is no session.
 */
export function sessionCustomerId(session: unknown): CustomerLike {
  if (typeof session !== 'object' || session === null) return undefined;
  const { get } = session as SessionLike;
  if (typeof get === 'function') return get.call(session, 'customerId') as CustomerLike;
  return (session as SessionLike).customerId;
}

/**
 * The default `customer` of every Node framework adapter: the `customerId` of `request.session`,
 * where express-session, koa-session (on `ctx`), `@fastify/session` and `@fastify/secure-session`
 * all keep it.
 */
export function sessionCustomer(request: object): CustomerLike {
  return sessionCustomerId((request as { session?: unknown }).session);
}
