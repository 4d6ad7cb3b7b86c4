import type { CustomerLike } from '@explo-embed/core';

interface SessionLike {
  customerId?: CustomerLike;
  get?: (key: string) => unknown;
}

/**
 * Default customer resolver: the session's `customerId`, from express-session
 * (`req.session.customerId`) or a Fastify session (`request.session.get('customerId')`).
 */
export function sessionCustomer(request: unknown): CustomerLike {
  const session = (request as { session?: SessionLike | null } | undefined)?.session;
  if (!session) return undefined;
  if (typeof session.get === 'function') return session.get('customerId') as CustomerLike;
  return session.customerId;
}
