import { ExploEmbedError, ExploProvisionInvalidError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { sha256Base64url } from '../lib/digest.js';
import { normalizeCustomerId } from '../model/customer.js';
import type { ExploCustomer } from '../options/options.js';

/** A customer as Explo's Customer API takes it: `create_customer` and `update_customer` bodies. */
export interface CustomerApiBody {
  provided_id: string;
  name: string;
  properties?: Record<string, unknown>;
  group_tags?: string[];
  emails?: string[];
  parent_provided_id?: string;
  hierarchy_level_name?: string;
  mapping?: Record<string, string>;
}

/** What `provision` asked for, checked: the body to send, and a digest that tells two bodies apart. */
export interface WantedCustomer {
  readonly body: CustomerApiBody;
  readonly digest: string;
}

const MAX_TEXT = 256;
const MAX_LIST = 100;
const MAX_PROPERTIES_BYTES = 32 * 1024;
// The Customer API's own spelling, where an app may well write it so.
const SPELLED_SO: Readonly<Record<string, string>> = {
  group_tags: 'groupTags',
  hierarchy_level_name: 'hierarchyLevel',
  parent_provided_id: 'parent',
  provided_id: 'the customer id (it is the hook argument)',
};
const FIELDS = new Set(['name', 'properties', 'groupTags', 'emails', 'parent', 'hierarchyLevel', 'mapping']);

const invalid = (what: string) => new ExploProvisionInvalidError(`customers.provision returned ${what}`);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks what `provision` returned and turns it into the Customer API's body, with a digest of it
 * (canonical JSON: key order does not count). Throws `ERR_EXPLO_PROVISION_INVALID` naming the field.
 */
export function wantedCustomer(customerId: string, value: unknown): WantedCustomer {
  if (!isObject(value)) throw invalid(`${describe(value)}, not { name?, properties?, groupTags?, emails?, parent?, ... }.`);
  for (const key of Object.keys(value)) {
    if (!FIELDS.has(key)) {
      const near = SPELLED_SO[key];
      throw invalid(`an unknown field ${quoteUntrusted(key.slice(0, 64))}${near ? ` (write ${near})` : ''}.`);
    }
  }
  const customer = value as ExploCustomer;
  const body: CustomerApiBody = { provided_id: customerId, name: text('name', customer.name) ?? customerId };
  if (customer.properties !== undefined) body.properties = properties(customer.properties);
  const groupTags = list('groupTags', customer.groupTags);
  if (groupTags !== undefined) body.group_tags = groupTags;
  const emails = list('emails', customer.emails);
  if (emails !== undefined) body.emails = emails;
  if (customer.parent !== undefined) body.parent_provided_id = parent(customer.parent, customerId);
  const level = text('hierarchyLevel', customer.hierarchyLevel);
  if (level !== undefined) body.hierarchy_level_name = level;
  if (customer.mapping !== undefined) body.mapping = mapping(customer.mapping);
  return { body, digest: sha256Base64url(canonicalJson(body)) };
}

function text(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    throw invalid(`${field}: ${describe(value)}; it must be a non-empty string of at most ${MAX_TEXT} characters.`);
  }
  return value;
}

function list(field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_LIST) {
    throw invalid(`${field}: ${describe(value)}; it must be an array of at most ${MAX_LIST} strings.`);
  }
  return value.map((item, i) => text(`${field}[${i}]`, item) as string);
}

function properties(value: unknown): Record<string, unknown> {
  if (!isObject(value)) throw invalid(`properties: ${describe(value)}; it must be an object of JSON values.`);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw invalid('properties that cannot be written as JSON (a cycle, or a BigInt).');
  if (json.length > MAX_PROPERTIES_BYTES) throw invalid(`properties over ${MAX_PROPERTIES_BYTES / 1024} KiB as JSON.`);
  // The JSON Explo will get: undefined values and functions dropped, dates as strings.
  return JSON.parse(json) as Record<string, unknown>;
}

function parent(value: unknown, customerId: string): string {
  let id: string;
  try {
    id = normalizeCustomerId(value);
  } catch (error) {
    throw invalid(`parent: ${error instanceof ExploEmbedError ? error.message : 'not a customer id'}`);
  }
  if (id === customerId) throw invalid('parent: the customer itself.');
  return id;
}

function mapping(value: unknown): Record<string, string> {
  if (!isObject(value) || !Object.values(value).every((id) => typeof id === 'string' && id.length <= MAX_TEXT)) {
    throw invalid(`mapping: ${describe(value)}; it must map schema ids to data source ids (strings).`);
  }
  return { ...(value as Record<string, string>) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** JSON with every object's keys in order, so equal bodies have equal digests whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
