import type { ExploEmbedError } from '../errors/errors.js';
import type { ExploSecret } from '../keys/secret.js';
import type { Duration } from '../lib/duration.js';
import type { ExploClaimOptions } from '../model/claims.js';

/** Context handed to a secret provider. */
export interface ExploSecretProviderContext {
  /** Aborted when the fetch times out or is no longer wanted. */
  signal: AbortSignal;
}

/**
 * Returns the current secret (or a key ring, newest first): from a secret manager, the
 * environment, a rotation scheme...
 */
export type ExploSecretProvider = (
  context: ExploSecretProviderContext,
) => ExploSecret | readonly ExploSecret[] | Promise<ExploSecret | readonly ExploSecret[]>;

/** What a `claims` function is told. */
export interface ExploClaimsContext {
  customerId: string;
  /** Dashboard name (a key of `dashboards`). */
  dashboard: string;
  /** Embed id of that dashboard. */
  embedId: string;
}

/** Computes the optional claims per customer and dashboard. */
export type ExploClaimsFunction = (context: ExploClaimsContext) => ExploClaimOptions | Promise<ExploClaimOptions>;

/** Decides whether a customer may have a dashboard. */
export type ExploAuthorize = (customerId: string, dashboard: string) => boolean | Promise<boolean>;

/** Told to `onMint` for every newly minted token (not for reused ones). */
export interface ExploMintEvent {
  customerId: string;
  dashboard: string;
  embedId: string;
  keyId: string | undefined;
  expiresAt: Date;
}

/** Told to `onError` with every error the middleware handles itself. */
export interface ExploErrorContext {
  /** Where it happened (`provision`: a customer's background recheck, which fails no request). */
  phase: 'secret' | 'mint' | 'route' | 'page' | 'store' | 'provision';
  customerId?: string;
  dashboard?: string;
}

/**
 * Where misconfiguration is logged: anything with `warn` and `error` methods taking a string
 * (`console`, a pino or winston logger).
 */
export interface ExploLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link createExploEmbed}. Validated once, synchronously; never mutated. */
export interface ExploEmbedOptions {
  /**
   * The embed secret; or a key ring for a rotation, `[newest, ...older]`, whose first key mints and
   * every key decrypts (chosen by `kid`); or a function returning either (sync or async), called
   * once per `secretCache.ttl` however many requests arrive. Optional when `api` is set (then it is
   * used to check the API's tokens and by `decrypt()`).
   */
  secret?: ExploSecret | readonly ExploSecret[] | ExploSecretProvider;
  /**
   * Mint through Explo's API (`POST {url}/api/generate_jwt/`) instead of encrypting locally.
   * The API token never reaches a browser, a log or an error.
   */
  api?: ExploApiOptions;
  /** Allowlist of dashboards: `{ name: embedId }`. Requests name dashboards by name only. */
  dashboards: Readonly<Record<string, string>>;
  /** Dashboard used when a request names none. Default: the first key of `dashboards`. */
  defaultDashboard?: string;
  /** Token lifetime, 10 s to 7 days. Default `"1d"` (Explo's default). */
  expiresIn?: Duration;
  /** Optional claims (`rbc`, `des`, `iss`), fixed or computed per customer and dashboard. */
  claims?: ExploClaimOptions | ExploClaimsFunction;
  /**
   * Token reuse. A token is handed out again while at least `minRemaining` (a fraction, default
   * 0.5) of its lifetime remains; at most `max` (default 10 000) tokens are kept in this process.
   * `store` (a Keyv instance, e.g. on Redis) shares tokens across instances, so a fleet mints once
   * per customer and dashboard; a store slower than `storeTimeout` (default `"250ms"`) or failing
   * is skipped, never failing a request. `freshPerMinute` (default 12) is how many fresh tokens
   * (`fresh=1`) one customer may have per minute across its dashboards (fleet-wide with `redis`);
   * beyond, it gets its reused token while that has life left, else 429 with `Retry-After`. `false`
   * disables reuse.
   */
  reuse?:
    | false
    | { minRemaining?: number; max?: number; store?: ExploTokenStore; storeTimeout?: Duration; freshPerMinute?: number };
  /**
   * One Redis for a fleet of instances: a URL (needs the `redis` package) or the node-redis or ioredis
   * client the app already has. Redis then holds the fleet's shared state: token reuse (unless
   * `reuse.store` is given), one budget of Explo API calls for the whole fleet, single flight of API
   * mints across instances, and the per-customer budget of fresh tokens. A Redis that fails or is
   * slower than `reuse.storeTimeout` costs sharing, not requests: each instance goes on alone (with
   * `api.rateLimit.localShare` of the budget), `health()` says so, and a warning is logged once a minute.
   * `{ connection, prefix }` names this app's keys, for several apps on one Redis.
   */
  redis?: string | ExploRedisClient | ExploRedisOptions;
  /** Secret provider caching: see the README's options table. */
  secretCache?: {
    /** How long a fetched secret is used before the provider is asked again. Default `"5m"`. */
    ttl?: Duration;
    /** How long past `ttl` the last good secret may still be used while the provider fails. Default `"1h"`. */
    maxStale?: Duration;
    /** How long a provider call may take. Default `"5s"`. */
    timeout?: Duration;
    /** `Retry-After` sent with 503, and the retry interval while serving a stale secret. Default `"5s"`. */
    retryAfter?: Duration;
  };
  /**
   * Customers provisioned in Explo on their first visit: before a customer's first token, Explo's
   * Customer API gets or creates it (`POST /api/create_customer/`) with what `provision` returns, and
   * updates it (`POST /api/update_customer/`) when that changes. Remembered in this process (and
   * across the fleet with `redis`), so repeat visits send no call. See the README's "Customers".
   */
  customers?: ExploCustomersOptions;
  /** Decides whether a customer may have a dashboard (token route and page tokens). */
  authorize?: ExploAuthorize;
  /** Called after each new mint. Exceptions are ignored. */
  onMint?: (event: ExploMintEvent) => void;
  /** Called with each error the middleware handles (and turns into a response). Exceptions are ignored. */
  onError?: (error: ExploEmbedError, context: ExploErrorContext) => void;
  /**
   * Where server-side problems are logged (a bad secret from the provider, an unusable API token,
   * a failing provider, a throwing hook): once per cause and minute, with the code and the fix,
   * never a secret. Default `console`; `false` logs nothing (`onError` still sees everything).
   */
  logger?: ExploLogger | false;
  /** Current time in milliseconds since the epoch. Default `Date.now`. For tests. */
  clock?: () => number;
}

/** What `customers.provision` is told besides the customer id. */
export interface ExploProvisionContext {
  /**
   * The dashboard whose token is being asked for. Explo keeps one record per customer: a body that
   * depends on it sends an update each time it changes.
   */
  dashboard: string;
  /** Embed id of that dashboard. */
  embedId: string;
}

/**
 * A customer as Explo's Customer API takes it (`create_customer` / `update_customer`), in this
 * library's spelling. Every field is optional; `name` defaults to the customer id.
 */
export interface ExploCustomer {
  /** The customer's display name in Explo. Default: the customer id. */
  name?: string;
  /** Key-value pairs that become dashboard variables (and SQL variables) for this customer. */
  properties?: Readonly<Record<string, unknown>>;
  /** Names of group tags; each must already exist in Explo. */
  groupTags?: readonly string[];
  /** Email addresses of the customer's users. */
  emails?: readonly string[];
  /** The parent customer's id (its `provided_id`): its properties are inherited. Needs `hierarchyLevel` below the parent's. */
  parent?: string | number;
  /** The name of an existing hierarchy level. Default: Explo's root level. */
  hierarchyLevel?: string;
  /** Schema id -> data source id this customer loads data from. */
  mapping?: Readonly<Record<string, string>>;
}

/** Returns the Customer API body for a customer (sync or async): from your database, say. */
export type ExploProvision = (customerId: string, context: ExploProvisionContext) => ExploCustomer | Promise<ExploCustomer>;

/** Provisioning customers in Explo (`customers`). */
export interface ExploCustomersOptions {
  /** The customer's body for Explo; called before its first token, and again at most once per `recheck`. */
  provision: ExploProvision;
  /** Explo API token for the Customer API (Explo: Settings, API tokens). Default: `api.token`. */
  apiToken?: string;
  /** API base URL (`https:`; plain `http:` only on loopback, for a stand-in). Default: `api.url`, else `"https://api.explo.co"`. */
  url?: string;
  /**
   * How long a provisioned customer is taken as it is before `provision` is asked again (in the
   * background: its requests do not wait); Explo is called only when the body changed. Default `"5m"`.
   */
  recheck?: Duration;
}

/** Minting through Explo's API. */
export interface ExploApiOptions {
  /** The API token (Explo: Settings, API tokens; one per Data Visibility Group). */
  token: string;
  /** API base URL: `https:` (plain `http:` only on loopback, for a local stand-in). Default `"https://api.explo.co"`. */
  url?: string;
  /** Key id sent as `key_id`. Default: the fixed `secret`'s key id, else none (Explo chooses). */
  keyId?: string;
  /** Time allowed per attempt. Default `"10s"`. */
  timeout?: Duration;
  /** Retries after network errors and 5xx. Default 2. */
  retries?: number;
  /** First backoff delay, doubled per retry (with jitter). Default `"250ms"`. */
  retryDelay?: Duration;
  /**
   * This process's budget of API calls: Explo allows 180 requests per minute per IP address.
   * Calls beyond `perMinute` (default 180) wait in a queue of at most `queue` (default 100) for at
   * most `maxWait` (default `"10s"`); beyond that, `ERR_EXPLO_API_RATE_LIMITED` (503 with
   * `Retry-After`). Without `redis`, this is one process's budget: several instances behind one
   * address share Explo's limit, so divide it among them. With `redis`, it is the whole fleet's,
   * and `localShare` (default 0.25) is the share of it one instance allows itself while Redis
   * cannot be reached.
   */
  rateLimit?: { perMinute?: number; queue?: number; maxWait?: Duration; localShare?: number };
}

/**
 * A store shared by every instance of the app (`reuse.store`): a Keyv instance fits, for example
 * `new Keyv(new KeyvRedis('redis://...'))`. Values are plain objects; `ttl` is in milliseconds.
 */
export interface ExploTokenStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
  /** Keyv reports a failing backend as an `error` event: listened to, so it never goes unhandled. */
  on?(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * The `redis` option with a prefix: for several apps on one Redis. Each app's keys start with its
 * own prefix, so a Redis ACL can confine each app to its own (`~billing:*`).
 */
export interface ExploRedisOptions {
  /** A Redis URL (needs the `redis` package), or the node-redis or ioredis client the app already has. */
  connection: string | ExploRedisClient;
  /**
   * What every key of this app starts with (then `:`): 1 to 64 letters, digits and `.` `_` `-` `:`,
   * starting and ending with a letter or digit. Default `"explo-embed"`.
   */
  prefix?: string;
}

/**
 * A Redis client the app already has: node-redis 5 or later (`createClient()`, connected) or
 * ioredis (`new Redis()`). Only raw commands go through it (`sendCommand` / `call`).
 */
export type ExploRedisClient =
  | { sendCommand(args: string[]): Promise<unknown>; readonly isReady?: boolean }
  | { call(command: string, ...args: string[]): Promise<unknown>; readonly status?: string };
