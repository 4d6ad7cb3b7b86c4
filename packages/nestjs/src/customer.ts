import type { CustomerLike } from '@explo-embed/core';
import { sessionCustomerId } from '@explo-embed/core/adapter';

/**
 * Default customer resolver: the session's `customerId`, from express-session
 * (`req.session.customerId`) or a Fastify session (`request.session.get('customerId')`).
 */
export function sessionCustomer(request: unknown): CustomerLike {
  return sessionCustomerId((request as { session?: unknown } | undefined)?.session);
}
