import type { DashboardAllowlist } from './dashboards.js';
import { type DecryptedExploJwt, type DecryptOptions, decryptPrepared } from './decrypt.js';
import { ExploOptionError } from './errors.js';
import type { Issuer } from './issuer.js';
import type { SecretSource } from './secret-source.js';
import type { ExploToken, MintRequest } from './token.js';

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
  /** Decrypts and checks a token with the current secret (see {@link decryptExploJwt}). */
  decrypt(jwt: string, options?: DecryptOptions): Promise<DecryptedExploJwt>;
}

/** The {@link ExploEmbed} over one assembled pipeline. Private fields keep everything out of `util.inspect`. */
export class Embed implements ExploEmbed {
  readonly #issuer: Issuer;
  readonly #secrets: SecretSource | undefined;
  readonly #allowlist: DashboardAllowlist;
  readonly #clock: () => number;
  readonly lifetime: number;

  constructor(parts: {
    issuer: Issuer;
    secrets: SecretSource | undefined;
    dashboards: DashboardAllowlist;
    lifetimeMs: number;
    clock: () => number;
  }) {
    this.#issuer = parts.issuer;
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

  async decrypt(jwt: string, options: DecryptOptions = {}): Promise<DecryptedExploJwt> {
    if (!this.#secrets) throw new ExploOptionError('secret', 'decrypt() needs the embed secret; only `api` is configured.');
    const secret = await this.#secrets.get();
    return decryptPrepared(jwt, secret, { currentDate: new Date(this.#clock()), ...options });
  }
}
