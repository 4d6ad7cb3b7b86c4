import { ExploCustomerError } from '../errors/errors.js';

/** What a host app may hand over as a customer: an id, or nothing when nobody is logged in. */
export type CustomerLike = string | number | null | undefined;

/** Longest accepted customer id, in characters. */
export const MAX_CUSTOMER_ID_LENGTH = 512;

/** True when there is no customer (nobody logged in). */
export function isNoCustomer(value: unknown): value is null | undefined | '' {
  return value === undefined || value === null || value === '';
}

/**
 * Turns a customer id into the `cst` string: strings as they are, finite numbers as decimal
 * strings. Throws `ERR_EXPLO_CUSTOMER_INVALID` for anything else.
 */
export function normalizeCustomerId(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    throw new ExploCustomerError(`The customer id must be a string (or a finite number); got ${describe(value)}.`);
  }
  if (value.length === 0) throw new ExploCustomerError('The customer id is empty.');
  if (value.length > MAX_CUSTOMER_ID_LENGTH) {
    throw new ExploCustomerError(`The customer id is longer than ${MAX_CUSTOMER_ID_LENGTH} characters.`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
