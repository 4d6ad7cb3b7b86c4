/**
 * A customer as the stand-in holds it, in the shape Explo's Customer API answers with (`provided_id`,
 * `name`, `properties`, `group_tags`, `emails`, `parent_provided_id`, `hierarchy_level`, `mapping`).
 */
export interface StandInCustomer {
  provided_id: string;
  name: string;
  properties: Record<string, unknown>;
  computed_properties: Record<string, unknown>;
  group_tags: string[];
  emails: string[];
  is_demo_group: boolean;
  parent_provided_id?: string;
  hierarchy_level?: string;
  mapping?: Record<string, unknown>;
}

/** A refusal of the Customer API, as Explo answers one (a status, a `detail`). */
export type Refusal = { status: number; detail: string };

const TEXT_FIELDS = ['name', 'hierarchy_level_name', 'parent_provided_id', 'new_provided_id'] as const;

/**
 * The stand-in's customers: `create_customer` (get-or-create on `provided_id`: an existing customer
 * comes back as it is, `new_customer: false`), `update_customer` (the fields sent replace the held
 * ones), `get_customer`. A parent must exist; group tags are free (the stand-in has no tag list).
 */
export function customerRecords() {
  const records = new Map<string, StandInCustomer>();

  const checked = (body: Record<string, unknown>): Refusal | undefined => {
    if (typeof body.provided_id !== 'string' || body.provided_id === '')
      return { status: 400, detail: 'provided_id is required' };
    for (const field of TEXT_FIELDS) {
      if (body[field] !== undefined && typeof body[field] !== 'string')
        return { status: 400, detail: `${field} must be a string` };
    }
    for (const field of ['group_tags', 'emails'] as const) {
      const list = body[field];
      if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === 'string'))) {
        return { status: 400, detail: `${field} must be a list of strings` };
      }
    }
    for (const field of ['properties', 'mapping'] as const) {
      const value = body[field];
      if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
        return { status: 400, detail: `${field} must be an object` };
      }
    }
    const parent = body.parent_provided_id;
    if (typeof parent === 'string' && !records.has(parent)) return { status: 400, detail: 'parent customer does not exist' };
    return undefined;
  };

  // The fields given replace the held ones; computed properties are the parent's, then the customer's own.
  const apply = (record: StandInCustomer, body: Record<string, unknown>): StandInCustomer => {
    const next: StandInCustomer = { ...record };
    if (typeof body.name === 'string') next.name = body.name;
    if (body.properties !== undefined) next.properties = { ...(body.properties as Record<string, unknown>) };
    if (Array.isArray(body.group_tags)) next.group_tags = [...(body.group_tags as string[])];
    if (Array.isArray(body.emails)) next.emails = [...(body.emails as string[])];
    if (typeof body.parent_provided_id === 'string') next.parent_provided_id = body.parent_provided_id;
    if (typeof body.hierarchy_level_name === 'string') next.hierarchy_level = body.hierarchy_level_name;
    if (body.mapping !== undefined && body.mapping !== null) next.mapping = { ...(body.mapping as Record<string, unknown>) };
    if (typeof body.is_demo_group === 'boolean') next.is_demo_group = body.is_demo_group;
    const parent = next.parent_provided_id === undefined ? undefined : records.get(next.parent_provided_id);
    next.computed_properties = { ...parent?.computed_properties, ...next.properties };
    return next;
  };

  return {
    /** `POST /api/create_customer/`: `[status, answer]`. */
    create(body: Record<string, unknown>): [number, unknown] {
      const refused = checked(body);
      if (refused) return [refused.status, { detail: refused.detail }];
      const id = body.provided_id as string;
      const held = records.get(id);
      if (held) return [200, { success: 1, new_customer: false, customer: held }];
      const blank: StandInCustomer = {
        provided_id: id,
        name: id,
        properties: {},
        computed_properties: {},
        group_tags: [],
        emails: [],
        is_demo_group: false,
      };
      const created = apply(blank, body);
      records.set(id, created);
      return [200, { success: 1, new_customer: true, customer: created }];
    },
    /** `POST /api/update_customer/`. */
    update(body: Record<string, unknown>): [number, unknown] {
      const refused = checked(body);
      if (refused) return [refused.status, { detail: refused.detail }];
      const id = body.provided_id as string;
      const held = records.get(id);
      if (!held) return [404, { detail: 'customer not found' }];
      let updated = apply(held, body);
      if (typeof body.new_provided_id === 'string' && body.new_provided_id !== id) {
        records.delete(id);
        updated = { ...updated, provided_id: body.new_provided_id };
      }
      records.set(updated.provided_id, updated);
      return [200, { success: 1, customer: updated }];
    },
    /** `POST /api/get_customer/`. */
    get(body: Record<string, unknown>): [number, unknown] {
      const held = typeof body.provided_id === 'string' ? records.get(body.provided_id) : undefined;
      return held ? [200, { success: 1, customer: held }] : [404, { detail: 'customer not found' }];
    },
    has: (id: string): boolean => records.has(id),
    /** Copies of every customer held, in the order they were created. */
    all: (): StandInCustomer[] => [...records.values()].map((record) => structuredClone(record)),
  };
}
