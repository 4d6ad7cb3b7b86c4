import { type ResolvedApiOptions, resolveApiOptions } from '../api/resolve-api-options.js';
import { ExploOptionError } from '../errors/errors.js';
import { durationOption, knownKeys } from '../lib/option-checks.js';
import type { ExploApiOptions, ExploProvision } from '../options/options.js';

/** `customers` after validation. */
export interface ResolvedCustomersOptions {
  readonly provision: ExploProvision;
  readonly recheckMs: number;
  /** The Customer API's settings: `api`'s timeout, retries and rate limit, with its own token and URL. */
  readonly api: ResolvedApiOptions;
}

const KEYS = ['provision', 'apiToken', 'url', 'recheck'] as const;
// The names `resolveApiOptions` gives, as this option spells them.
const OWN_NAMES: Readonly<Record<string, string>> = { 'api.token': 'customers.apiToken', 'api.url': 'customers.url' };

/**
 * Validates `customers` once. Its calls go through the same client as API minting, so `api`'s
 * timeout, retries and rate limit apply to them too; `apiToken` and `url` default to `api`'s. Throws
 * {@link ExploOptionError} naming the field; never repeats the token.
 */
export function resolveCustomersOptions(value: unknown, api: ExploApiOptions | undefined): ResolvedCustomersOptions | undefined {
  if (value === undefined) return undefined;
  const v = knownKeys(value, KEYS, 'customers', '{ provision, apiToken?, url?, recheck? }');
  if (typeof v.provision !== 'function') {
    throw new ExploOptionError(
      'customers.provision',
      'must be a function (customerId, context) => { name?, properties?, groupTags?, emails?, parent? } (or a promise of it).',
    );
  }
  const token = v.apiToken ?? api?.token;
  if (token === undefined) {
    throw new ExploOptionError(
      'customers.apiToken',
      "is required unless api.token is set: Explo's Customer API takes an API token (Explo: Settings, API tokens).",
    );
  }
  let resolved: ResolvedApiOptions;
  try {
    const base = api === undefined ? {} : { ...api, keyId: undefined };
    resolved = resolveApiOptions({ ...base, token: token as string, url: (v.url ?? api?.url) as string | undefined }, undefined);
  } catch (error) {
    if (!(error instanceof ExploOptionError)) throw error;
    const own = OWN_NAMES[error.option];
    // An `api` field's mistake is `api`'s; the token or URL given here is named as given here.
    if (own === undefined || (own === 'customers.apiToken' ? v.apiToken : v.url) === undefined) throw error;
    throw new ExploOptionError(own, error.reason);
  }
  const recheckMs = durationOption('customers.recheck', v.recheck, 300_000);
  if (recheckMs < 1_000 || recheckMs > 86_400_000) {
    throw new ExploOptionError('customers.recheck', 'must be between 1 second and 1 day (default "5m").');
  }
  return Object.freeze({ provision: v.provision as ExploProvision, recheckMs, api: resolved });
}
