import { LRUCache } from 'lru-cache';
import type { ApiCallContext } from '../api/api-request.js';
import {
  type ExploEmbedError,
  ExploHookError,
  ExploProvisionError,
  ExploRetryableError,
  toExploError,
} from '../errors/errors.js';
import type { Attempt, FleetRedis } from '../fleet/redis-client.js';
import { sha256Base64url } from '../lib/digest.js';
import type { Reporter } from '../operations/reporter.js';
import type { Telemetry } from '../operations/telemetry.js';
import type { ExploProvision, ExploProvisionContext } from '../options/options.js';
import { createCustomer, holdsAsSent, updateCustomer } from './customer-api.js';
import { type WantedCustomer, wantedCustomer } from './customer-body.js';

/**
 * Customers made known to Explo before their first token, once: the one owner of when Explo's
 * Customer API is called. The issuer asks it between the customer being known and the token.
 */
export interface Provisioning {
  /**
   * `undefined` when Explo is known to hold this customer (a recheck that has fallen due runs in the
   * background); else the promise of provisioning it, one call however many requests ask at once.
   * Rejects coded: `ERR_EXPLO_PROVISION_FAILED` (Explo's API), `ERR_EXPLO_HOOK_FAILED`
   * (`provision` threw), `ERR_EXPLO_PROVISION_INVALID` (what it returned).
   */
  ensure(customerId: string, context: ExploProvisionContext): Promise<void> | undefined;
  /** Whether this process knows Explo holds the customer: its page can then be produced at once. */
  knows(customerId: string): boolean;
}

/** What provisioning is built from. */
export interface ProvisioningSettings {
  readonly provision: ExploProvision;
  readonly recheckMs: number;
  /** The Customer API's call: its options, and the one budget every call to Explo's API shares. */
  readonly call: ApiCallContext;
  /** With `redis`: what the fleet remembers, under keys starting with `prefix`. */
  readonly fleet: { redis: FleetRedis; attempt: Attempt; prefix: string } | undefined;
}

/** What this process remembers of a customer: the digest of the body Explo holds, and when `provision` was last asked. */
interface Known {
  digest: string;
  checkedAt: number;
}

/** Customers remembered in one process; beyond, the least recent are asked about again (the fleet may still know them). */
const MAX_KNOWN = 10_000;
/** How long the fleet remembers a customer's body. */
const FLEET_TTL_MS = 86_400_000;
/** `Retry-After` when Explo's answer says nothing of when to try again (it refused the fields, say). */
const RETRY_AFTER_S = 30;

export function createProvisioning(settings: ProvisioningSettings, reporter: Reporter, telemetry: Telemetry): Provisioning {
  const { provision, recheckMs, call, fleet } = settings;
  const { clock } = call;
  const known = new LRUCache<string, Known>({ max: MAX_KNOWN });
  const inFlight = new Map<string, Promise<void>>();
  // One Explo account's customers (a digest: no API token in Redis), apart from another account's.
  const account = sha256Base64url(`${call.api.url}\u0000${call.api.token}`).slice(0, 22);
  const fleetKey = (customerId: string) => `${fleet?.prefix}:customer:${sha256Base64url(account, '\u0000', customerId)}`;

  // The fleet's memory is a help, never a requirement: unreadable is unknown, an unwritten one costs a call later.
  const fleetDigest = async (customerId: string): Promise<string | undefined> => {
    if (fleet === undefined) return undefined;
    const held = await fleet.attempt(() => fleet.redis.command('GET', fleetKey(customerId))).catch(() => undefined);
    return typeof held === 'string' && held.length <= 64 ? held : undefined;
  };
  const remember = (customerId: string, digest: string) => {
    known.set(customerId, { digest, checkedAt: clock() });
    if (fleet === undefined) return;
    void fleet
      .attempt(() => fleet.redis.command('SET', fleetKey(customerId), digest, 'PX', String(FLEET_TTL_MS)))
      .catch(() => {});
  };

  const ask = async (customerId: string, context: ExploProvisionContext): Promise<WantedCustomer> => {
    let value: unknown;
    try {
      value = await provision(customerId, context);
    } catch (error) {
      throw new ExploHookError('provision', error);
    }
    return wantedCustomer(customerId, value);
  };

  /** Sends what Explo does not hold yet: get-or-create a customer new to the app, an update when the body changed. */
  const tell = async (wanted: WantedCustomer, held: string | undefined): Promise<void> => {
    try {
      if (held === undefined) {
        const { isNew, customer } = await createCustomer(call, wanted.body);
        // An existing customer keeps its fields on create: what it holds is compared, and updated if it differs.
        if (!isNew && !holdsAsSent(customer, wanted.body)) await updateCustomer(call, wanted.body);
      } else {
        await updateCustomer(call, wanted.body);
      }
    } catch (error) {
      throw provisionFailed(toExploError(error));
    }
  };

  const provisionOnce = (customerId: string, context: ExploProvisionContext) =>
    telemetry.span('explo-embed customer provision', async () => {
      const wanted = await ask(customerId, context);
      const held = known.get(customerId)?.digest ?? (await fleetDigest(customerId));
      if (held !== wanted.digest) await tell(wanted, held);
      remember(customerId, wanted.digest);
    });

  const run = (customerId: string, context: ExploProvisionContext): Promise<void> => {
    let pending = inFlight.get(customerId);
    if (pending === undefined) {
      pending = provisionOnce(customerId, context);
      inFlight.set(customerId, pending);
      const done = () => inFlight.delete(customerId);
      void pending.then(done, done);
    }
    return pending;
  };

  return {
    ensure(customerId, context) {
      const entry = known.get(customerId);
      if (entry === undefined) return run(customerId, context);
      if (clock() - entry.checkedAt >= recheckMs && !inFlight.has(customerId)) {
        // Asked again from now on, whatever comes of it: a failing recheck is not retried on every request.
        entry.checkedAt = clock();
        run(customerId, context).catch((error: unknown) =>
          reporter.failed(toExploError(error), { phase: 'provision', customerId }),
        );
      }
      return undefined;
    },
    knows: (customerId) => known.has(customerId),
  };
}

/** Explo's API error as this customer's failure: its `Retry-After` when it has one, else half a minute. */
function provisionFailed(cause: ExploEmbedError): ExploProvisionError {
  const retryAfter = cause instanceof ExploRetryableError ? cause.retryAfter : RETRY_AFTER_S;
  return new ExploProvisionError(`Explo's Customer API did not provision the customer: ${cause.message}`, retryAfter, {
    cause,
  });
}
