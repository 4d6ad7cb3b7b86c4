import { readApiJson } from '../api/api-answer.js';
import { type ApiCallContext, requestApi } from '../api/api-request.js';
import { type CustomerApiBody, canonicalJson } from './customer-body.js';

/** Explo's answer to `create_customer`, as far as it is read: whether it was new, and the record it holds. */
export interface CreatedCustomer {
  readonly isNew: boolean;
  /** The customer as Explo holds it (for an existing one, not changed by this call). */
  readonly customer: Record<string, unknown>;
}

const readCustomer = async (response: Response, abort: () => void, apiToken: string) => {
  const answer = await readApiJson(response, abort, apiToken);
  const customer = typeof answer.customer === 'object' && answer.customer !== null ? answer.customer : {};
  return { isNew: answer.new_customer === true, customer: customer as Record<string, unknown> };
};

/**
 * `POST /api/create_customer/`: Explo's get-or-create on `provided_id`. An existing customer comes
 * back as it is: its fields are not changed (see {@link holdsAsSent}).
 */
export function createCustomer(call: ApiCallContext, body: CustomerApiBody): Promise<CreatedCustomer> {
  return requestApi(call, {
    method: 'POST',
    path: '/api/create_customer/',
    body,
    what: 'get or create the customer',
    read: readCustomer,
  });
}

/** `POST /api/update_customer/`: the fields sent replace Explo's (`provided_id` names the customer). */
export async function updateCustomer(call: ApiCallContext, body: CustomerApiBody): Promise<void> {
  await requestApi(call, {
    method: 'POST',
    path: '/api/update_customer/',
    body,
    what: 'update the customer',
    read: readCustomer,
  });
}

/**
 * Whether the record Explo holds already has what `body` asks for, by the fields its answer shows
 * (name, properties, emails, group tags, hierarchy level; lists in any order). A field it does not
 * show back (`parent_provided_id`, `mapping`) cannot be compared: then it does not hold, and the
 * customer is updated.
 */
export function holdsAsSent(customer: Record<string, unknown>, body: CustomerApiBody): boolean {
  if (body.parent_provided_id !== undefined || body.mapping !== undefined) return false;
  const same = (held: unknown, sent: unknown) => canonicalJson(held) === canonicalJson(sent);
  const sameSet = (held: unknown, sent: string[]) => Array.isArray(held) && same([...held].map(String).sort(), [...sent].sort());
  return (
    same(customer.name, body.name) &&
    (body.properties === undefined || same(customer.properties, body.properties)) &&
    (body.emails === undefined || sameSet(customer.emails, body.emails)) &&
    (body.group_tags === undefined || sameSet(customer.group_tags, body.group_tags)) &&
    (body.hierarchy_level_name === undefined || customer.hierarchy_level === body.hierarchy_level_name)
  );
}
