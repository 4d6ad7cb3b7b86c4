import type { ApiBudget } from './api/api-budget.js';
import { createApiMinter } from './api/api-minter.js';
import { createProvisioning, type Provisioning } from './customers/provisioning.js';
import { Embed, type ExploEmbed } from './embed.js';
import { ExploSecretMissingError } from './errors/errors.js';
import { createFleet, type Fleet } from './fleet/fleet.js';
import { createIssuer, type Issuer } from './issue/issuer.js';
import { sha256Base64url } from './lib/digest.js';
import { realTimers, type Timers } from './lib/timers.js';
import { createLocalMinter } from './mint/local-minter.js';
import type { Minter, MintTiming } from './mint/minter.js';
import { createReporter, type Reporter } from './operations/reporter.js';
import { createTelemetry, type Telemetry } from './operations/telemetry.js';
import type { ExploEmbedOptions } from './options/options.js';
import type { Platform } from './platform/platform.js';
import { type ResolvedOptions, resolveOptions } from './resolve-options.js';
import { createFreshBudget } from './reuse/fresh-budget.js';
import { createSharedTokens } from './reuse/shared-store.js';
import { createTokenReuse } from './reuse/token-reuse.js';
import { missingSecretSource, providerSecretSource, type SecretSource, staticSecretSource } from './secret/secret-source.js';

/** The assembled pipeline: the public facade, and the issuer and reporter the adapter layer drives. */
export interface Pipeline {
  readonly embed: ExploEmbed;
  readonly issuer: Issuer;
  readonly reporter: Reporter;
}

/**
 * Validates the options once and builds the one-way pipeline: issuer -> token reuse -> minter
 * (local or Explo's API, chosen here and nowhere else), on the `platform` of the entry point that
 * calls it (Node or edge). `timers` is for tests.
 */
export function assemble(options: ExploEmbedOptions, platform: Platform, timers: Timers = realTimers): Pipeline {
  const resolved = resolveOptions(options);
  const telemetry = createTelemetry(platform.loadOtel());
  const reporter = createReporter({ ...resolved, telemetry, channels: platform.channels });
  const secrets = secretSource(resolved, reporter, telemetry);
  const { reuse, api, clock } = resolved;
  const sharedTimeoutMs = reuse === false ? 250 : reuse.storeTimeoutMs;
  // One Redis for the fleet, when given: the API budget, single flight, fresh budget, and reuse.
  const fleet = createFleet(
    resolved.redis,
    { timeoutMs: sharedTimeoutMs, clock, loadRedis: platform.loadRedis },
    timers,
    reporter,
  );
  // One budget of calls to Explo's API, whatever they are for: Explo counts them all against one limit.
  const apiSettings = api ?? resolved.customers?.api;
  const budget = apiSettings === undefined ? undefined : fleet.budget(apiSettings);
  const minter = chooseMinter(resolved, secrets, timers, telemetry, budget, platform);
  const hostStore = reuse === false ? undefined : reuse.store;
  const storeSource = reuse === false ? undefined : (hostStore ?? fleet.store);
  // The fleet's own store is bounded (and reported) by the fleet; the outer bound only backs it up.
  // Its keys start with the app's redis.prefix; a Keyv store has a namespace of its own.
  const store =
    storeSource === undefined
      ? undefined
      : hostStore !== undefined
        ? createSharedTokens(hostStore, sharedTimeoutMs, reporter, clock)
        : createSharedTokens(storeSource, fleet.timeoutMs + 100, reporter, clock, fleet.prefix);
  const fresh =
    reuse === false
      ? undefined
      : createFreshBudget(
          reuse.freshPerMinute,
          fleet.redis && { redis: fleet.redis, attempt: fleet.attempt, prefix: fleet.prefix },
          appScope(resolved),
          api === undefined ? undefined : Math.max(1, Math.floor(api.rateLimit.perMinute / 2)),
        );
  const lock = api === undefined ? undefined : fleet.lock(api);
  const tokens = createTokenReuse(minter, { ...resolved, reuse: reuse && { ...reuse, store }, lock, fresh }, reporter);
  const customers = provisioning(resolved, budget, timers, fleet, reporter, telemetry);
  const issuer = createIssuer(resolved, tokens, reporter, customers);
  const embed = new Embed({ issuer, minter, secrets, fleet, ...resolved });
  return { embed, issuer, reporter };
}

function secretSource(resolved: ResolvedOptions, reporter: Reporter, telemetry: Telemetry): SecretSource | undefined {
  const { secret, secretCache, clock } = resolved;
  if (secret === undefined) return undefined;
  if (secret instanceof ExploSecretMissingError) return missingSecretSource(secret, reporter, clock);
  return typeof secret === 'function'
    ? providerSecretSource(secret, secretCache, clock, reporter, telemetry)
    : staticSecretSource(secret, clock);
}

function chooseMinter(
  resolved: ResolvedOptions,
  secrets: SecretSource | undefined,
  timers: Timers,
  telemetry: Telemetry,
  budget: ApiBudget | undefined,
  platform: Platform,
): Minter {
  const timing: MintTiming = { lifetimeMs: resolved.lifetimeMs, clock: resolved.clock };
  if (resolved.api !== undefined && budget !== undefined) {
    return createApiMinter(resolved.api, timing, timers, secrets, telemetry, budget);
  }
  // resolveOptions requires a secret whenever `api` is absent.
  if (secrets === undefined) throw new TypeError('A local minter needs a secret.');
  return createLocalMinter(secrets, timing, platform.encrypter);
}

/** With `customers`: who provisions them, through the same budget as every call to Explo's API. */
function provisioning(
  { customers, clock }: ResolvedOptions,
  budget: ApiBudget | undefined,
  timers: Timers,
  fleet: Fleet,
  reporter: Reporter,
  telemetry: Telemetry,
): Provisioning | undefined {
  if (customers === undefined || budget === undefined) return undefined;
  const { provision, recheckMs, api } = customers;
  // Its keys start as the fleet's others do (the app's redis.prefix).
  const shared = fleet.redis && { redis: fleet.redis, attempt: fleet.attempt, prefix: fleet.prefix };
  return createProvisioning({ provision, recheckMs, call: { api, budget, timers, clock }, fleet: shared }, reporter, telemetry);
}

/** Names this app among others sharing a Redis (its Explo API and dashboards), without a secret in clear. */
function appScope({ api, dashboards }: ResolvedOptions): string {
  return sha256Base64url(
    JSON.stringify([api?.url ?? null, api?.keyId ?? null, api?.token ?? null, [...dashboards.embedIds.values()]]),
  ).slice(0, 22);
}
