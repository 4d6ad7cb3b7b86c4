import type { ExploErrorCode } from './errors/error-codes.js';
import { ExploOptionError } from './errors/errors.js';
import type { Fleet } from './fleet/fleet.js';
import type { Issuer } from './issue/issuer.js';
import { parseCompact } from './jwe/compact-jwe.js';
import { type DecryptedExploJwt, type DecryptOptions, decryptPrepared, keyFor } from './jwe/decrypt.js';
import type { Minter } from './mint/minter.js';
import type { DashboardAllowlist } from './model/dashboards.js';
import type { ExploToken, MintRequest } from './model/token.js';
import type { SecretSource } from './secret/secret-source.js';

/**
 * Mints, reuses and decodes Explo tokens. Create it with {@link createExploEmbed}; it holds no key
 * value string, and `util.inspect` of it shows none.
 */
export interface ExploEmbed {
  /** Dashboard names in the allowlist, in order. */
  readonly dashboards: readonly string[];
  /** The dashboard used when none is named. */
  readonly defaultDashboard: string;
  /** Token lifetime in seconds. */
  readonly lifetime: number;
  /** True when `name` is in the allowlist. */
  hasDashboard(name: string): boolean;
  /**
   * A token for this customer and dashboard: a reused one while at least `reuse.minRemaining` of
   * its lifetime remains, else a new one. For server code: no `authorize` hook runs. Throws coded
   * errors: `ERR_EXPLO_CUSTOMER_INVALID`, `ERR_EXPLO_DASHBOARD_UNKNOWN`,
   * `ERR_EXPLO_SECRET_UNAVAILABLE`, `ERR_EXPLO_CLAIMS_INVALID`, `ERR_EXPLO_API_*`...
   */
  mint(request: MintRequest): Promise<ExploToken>;
  /**
   * For a readiness probe: whether a token can be issued now (usable keys are cached, or Explo's
   * API mints), the secret provider's last failure, and the API call budget left. Cheap; no I/O.
   */
  health(): ExploHealth;
  /** Closes what this embed opened (a Redis connection made from a URL), so a script can exit. Servers need not call it. */
  close(): Promise<void>;
  /** Decrypts and checks a token with the configured key (any key of a ring, by `kid`; see {@link decryptExploJwt}). */
  decrypt(jwt: string, options?: DecryptOptions): Promise<DecryptedExploJwt>;
}

/** What {@link ExploEmbed.health} reports. */
export interface ExploHealth {
  /** True when a token can be issued without waiting: usable keys are cached, or Explo's API mints. */
  ready: boolean;
  /** The keys: `ready`, `stale` (the last good ones, while the provider fails), `missing`, or `none` (API minting without a secret). */
  secret: 'ready' | 'stale' | 'missing' | 'none';
  /** The code of the secret provider's last failure, until it answers well again. */
  secretError?: ExploErrorCode;
  /**
   * With API minting: calls left in this minute's budget, and how long a 429 still holds calls back
   * (ms). With `redis` too, `budget` says where calls are counted now: `shared` (in Redis, with the
   * fleet), `local` (Redis failed in the last few seconds or is disconnected: this instance keeps to
   * `api.rateLimit.localShare` of the budget), or `foreign` (Redis holds a count for this app that
   * none of its instances could have written: far past `perMinute` plus the queue, an expiry that does
   * not fit the window, or no number; this instance keeps to its share until it expires, within a
   * minute, while locks and reuse still go through Redis).
   */
  api?: { remaining: number; perMinute: number; pausedForMs: number; budget?: 'shared' | 'local' | 'foreign' };
  /**
   * With `redis`: `ready`, or `down` (it failed or was slow within the last minute, or is
   * disconnected: this instance works alone meanwhile, with its share of the API budget). Readiness
   * does not depend on it: an instance without Redis still serves every request.
   */
  redis?: 'ready' | 'down';
}

/** The {@link ExploEmbed} over one assembled pipeline. Private fields keep everything out of `util.inspect`. */
export class Embed implements ExploEmbed {
  readonly #issuer: Issuer;
  readonly #secrets: SecretSource | undefined;
  readonly #minter: Minter;
  readonly #allowlist: DashboardAllowlist;
  readonly #clock: () => number;
  readonly #fleet: Fleet;
  readonly lifetime: number;

  constructor(parts: {
    issuer: Issuer;
    minter: Minter;
    secrets: SecretSource | undefined;
    dashboards: DashboardAllowlist;
    lifetimeMs: number;
    clock: () => number;
    fleet: Fleet;
  }) {
    this.#fleet = parts.fleet;
    this.#issuer = parts.issuer;
    this.#minter = parts.minter;
    this.#secrets = parts.secrets;
    this.#allowlist = parts.dashboards;
    this.#clock = parts.clock;
    this.lifetime = parts.lifetimeMs / 1000;
  }

  get dashboards(): readonly string[] {
    return [...this.#allowlist.embedIds.keys()];
  }

  get defaultDashboard(): string {
    return this.#allowlist.defaultName;
  }

  hasDashboard(name: string): boolean {
    return this.#allowlist.embedIds.has(name);
  }

  mint(request: MintRequest): Promise<ExploToken> {
    return this.#issuer.mint(request);
  }

  health(): ExploHealth {
    const secret = this.#secrets?.status();
    const api = this.#minter.apiStatus?.();
    const redis = this.#fleet.status();
    return {
      ready: api !== undefined || (secret !== undefined && secret.state !== 'missing'),
      secret: secret?.state ?? 'none',
      ...(secret?.lastError === undefined ? {} : { secretError: secret.lastError }),
      ...(api === undefined ? {} : { api }),
      ...(redis === undefined ? {} : { redis }),
    };
  }

  close(): Promise<void> {
    return this.#fleet.close();
  }

  async decrypt(jwt: string, options: DecryptOptions = {}): Promise<DecryptedExploJwt> {
    if (!this.#secrets) throw new ExploOptionError('secret', 'decrypt() needs the embed secret; only `api` is configured.');
    const ring = await this.#secrets.get();
    const parts = parseCompact(jwt);
    return decryptPrepared(jwt, keyFor(ring, parts.header.kid), { currentDate: new Date(this.#clock()), ...options }, parts);
  }
}
