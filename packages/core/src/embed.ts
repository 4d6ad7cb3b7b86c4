import { LRUCache } from 'lru-cache';
import { mintViaApi } from './api-minter.js';
import { type NormalizedClaims, normalizeClaims } from './claims.js';
import { normalizeCustomerId } from './customer.js';
import { type DecryptedExploJwt, type DecryptOptions, decryptPrepared } from './decrypt.js';
import { ExploDashboardError, type ExploEmbedError, ExploHookError, ExploOptionError } from './errors.js';
import { encryptClaims, type MintClaims } from './jwe.js';
import { type ExploEmbedOptions, type ExploErrorContext, type ResolvedOptions, resolveOptions } from './options.js';
import type { PreparedSecret } from './secret.js';
import { providerSecretSource, type SecretSource, staticSecretSource } from './secret-source.js';

/** What {@link ExploEmbed.mint} is asked for. */
export interface MintRequest {
  /** The customer id Explo knows (`cst`). */
  customerId: string | number;
  /** Dashboard name from the allowlist. Default: `defaultDashboard`. */
  dashboard?: string;
  /** `true` skips token reuse and mints a new token (which then replaces the reused one). */
  fresh?: boolean;
}

/** A token, with what the server needs to know about it. */
export interface ExploToken {
  /** The compact JWE to give Explo. */
  jwt: string;
  /** When it expires. */
  expiresAt: Date;
  /** Seconds until it expires, from now (relative, so immune to the browser's clock skew). */
  expiresIn: number;
  /** Dashboard name. */
  dashboard: string;
  /** Embed id (`dsh`). Not sent to browsers by the token route. */
  embedId: string;
  /** Key id (`kid`); undefined when minted through Explo's API without a configured key id. */
  keyId: string | undefined;
}

/** The part of a token that may be sent to a browser: no embed id, no key id. */
export interface ExploPublicToken {
  jwt: string;
  expiresAt: Date;
  expiresIn: number;
  dashboard: string;
}

interface StoredToken {
  jwt: string;
  expMs: number;
  embedId: string;
  keyId: string | undefined;
}

interface MintContext {
  customerId: string;
  dashboard: string;
  embedId: string;
  /** The prepared secret for local minting; undefined when minting through Explo's API. */
  secret: PreparedSecret | undefined;
  claims: NormalizedClaims;
}

/**
 * Mints, reuses and decodes Explo tokens. Create it with {@link createExploEmbed}; it holds no key
 * value string, and `util.inspect` of it shows none.
 */
export class ExploEmbed {
  readonly #options: ResolvedOptions;
  readonly #secrets: SecretSource | undefined;
  readonly #tokens: LRUCache<string, StoredToken, MintContext> | undefined;

  /** @internal Use {@link createExploEmbed}. */
  constructor(options: ExploEmbedOptions, extraOptionKeys: readonly string[] = []) {
    const resolved = resolveOptions(options, extraOptionKeys);
    this.#options = resolved;
    const { secret, clock } = resolved;
    if (typeof secret === 'function') {
      this.#secrets = providerSecretSource(secret, resolved.secretCache, clock, (error) =>
        this.reportError(error, { phase: 'secret' }),
      );
    } else if (secret !== undefined) {
      this.#secrets = staticSecretSource(secret, clock);
    }
    if (resolved.reuse) {
      const reuseMs = Math.floor(resolved.lifetimeMs * (1 - resolved.reuse.minRemaining));
      this.#tokens = new LRUCache<string, StoredToken, MintContext>({
        max: resolved.reuse.max,
        ttl: Math.max(reuseMs, 1),
        perf: { now: clock },
        ttlResolution: 0,
        fetchMethod: (_key, _stale, { context }) => this.#mintNow(context),
      });
    }
  }

  /** Dashboard names in the allowlist, in order. */
  get dashboards(): readonly string[] {
    return [...this.#options.dashboards.keys()];
  }

  /** The dashboard used when none is named. */
  get defaultDashboard(): string {
    return this.#options.defaultDashboard;
  }

  /** Token lifetime in seconds. */
  get lifetime(): number {
    return this.#options.lifetimeMs / 1000;
  }

  /** True when `name` is in the allowlist. */
  hasDashboard(name: string): boolean {
    return this.#options.dashboards.has(name);
  }

  /**
   * A token for this customer and dashboard: a reused one while at least `reuse.minRemaining` of
   * its lifetime remains, else a new one. Throws coded errors: `ERR_EXPLO_CUSTOMER_INVALID`,
   * `ERR_EXPLO_DASHBOARD_UNKNOWN`, `ERR_EXPLO_SECRET_UNAVAILABLE`, `ERR_EXPLO_CLAIMS_INVALID`...
   */
  async mint(request: MintRequest): Promise<ExploToken> {
    if (typeof request !== 'object' || request === null) throw new TypeError('mint() takes { customerId, dashboard?, fresh? }.');
    const customerId = normalizeCustomerId(request.customerId);
    const dashboard = request.dashboard ?? this.#options.defaultDashboard;
    const embedId = typeof dashboard === 'string' ? this.#options.dashboards.get(dashboard) : undefined;
    if (embedId === undefined) throw new ExploDashboardError(String(dashboard));
    const { api } = this.#options;
    // The hot path (a reuse hit with a ready secret and fixed claims) awaits nothing.
    const secrets = this.#secrets as SecretSource;
    const secret = api ? undefined : (secrets.ready() ?? (await secrets.get()));
    const claims =
      typeof this.#options.claims === 'function' ? await this.#claimsFor(customerId, dashboard, embedId) : this.#options.claims;
    const context: MintContext = { customerId, dashboard, embedId, secret, claims };
    let stored: StoredToken | undefined;
    if (this.#tokens) {
      const keyId = secret ? secret.keyId : `api:${api?.keyId ?? ''}`;
      const key = `${keyId}\u0000${customerId}\u0000${embedId}\u0000${JSON.stringify(claims)}`;
      if (request.fresh === true) {
        // A fresh token replaces the reused one; no single flight needed for an explicit refresh.
        stored = await this.#mintNow(context);
        this.#tokens.set(key, stored);
      } else {
        stored = this.#tokens.get(key) ?? (await this.#tokens.fetch(key, { context }));
      }
    }
    stored ??= await this.#mintNow(context);
    return this.#toToken(stored, dashboard);
  }

  /** Decrypts and checks a token with the current secret (see {@link decryptExploJwt}). */
  async decrypt(jwt: string, options: DecryptOptions = {}): Promise<DecryptedExploJwt> {
    if (!this.#secrets) throw new ExploOptionError('secret', 'decrypt() needs the embed secret; only `api` is configured.');
    const secret = await this.#secrets.get();
    return decryptPrepared(jwt, secret, { currentDate: new Date(this.#options.clock()), ...options });
  }

  /** Runs the `authorize` hook (true when there is none). Throws `ERR_EXPLO_HOOK_FAILED` if it throws. */
  async authorize(customerId: string, dashboard: string): Promise<boolean> {
    const { authorize } = this.#options;
    if (!authorize) return true;
    try {
      return (await authorize(customerId, dashboard)) === true;
    } catch (error) {
      throw new ExploHookError('authorize', error);
    }
  }

  /** Hands an error to `onError`, ignoring anything the hook throws. */
  reportError(error: ExploEmbedError, context: ExploErrorContext): void {
    try {
      this.#options.onError?.(error, context);
    } catch {
      // A logging hook must not turn a handled error into a crash.
    }
  }

  /** Current clock time in ms. */
  now(): number {
    return this.#options.clock();
  }

  async #claimsFor(customerId: string, dashboard: string, embedId: string): Promise<NormalizedClaims> {
    const { claims } = this.#options;
    if (typeof claims !== 'function') return claims;
    let value: unknown;
    try {
      value = await claims({ customerId, dashboard, embedId });
    } catch (error) {
      throw new ExploHookError('claims', error);
    }
    return normalizeClaims(value, 'The claims function result');
  }

  async #mintNow({ customerId, dashboard, embedId, secret, claims }: MintContext): Promise<StoredToken> {
    const nowMs = this.#options.clock();
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.#options.lifetimeMs / 1000;
    const lifetimeSeconds = this.#options.lifetimeMs / 1000;
    const { api } = this.#options;
    const jwt = secret
      ? encryptClaims({ cst: customerId, dsh: embedId, iat, exp, ...claims } satisfies MintClaims, secret)
      : await mintViaApi(api as NonNullable<typeof api>, { customerId, embedId, lifetimeSeconds, claims });
    const keyId = secret ? secret.keyId : api?.keyId;
    const stored: StoredToken = { jwt, expMs: exp * 1000, embedId, keyId };
    if (this.#options.onMint) {
      try {
        this.#options.onMint({ customerId, dashboard, embedId, keyId, expiresAt: new Date(stored.expMs) });
      } catch {
        // Hooks observe; they cannot break minting.
      }
    }
    return stored;
  }

  #toToken(stored: StoredToken, dashboard: string): ExploToken {
    const remainingMs = stored.expMs - this.#options.clock();
    return {
      jwt: stored.jwt,
      expiresAt: new Date(stored.expMs),
      expiresIn: Math.max(0, Math.floor(remainingMs / 1000)),
      dashboard,
      embedId: stored.embedId,
      keyId: stored.keyId,
    };
  }
}

/**
 * Creates the token minter. Validates `options` at once and throws a coded error naming the bad
 * field (`ERR_EXPLO_OPTION_INVALID`, `ERR_EXPLO_KEY_LENGTH`, `ERR_EXPLO_SECRET_INVALID`).
 *
 * @example
 * const explo = createExploEmbed({
 *   secret: { keyId: process.env.EXPLO_KEY_ID!, keyValue: process.env.EXPLO_KEY_VALUE! },
 *   dashboards: { sales: 'a1b2c3d4' },
 * });
 * const { jwt } = await explo.mint({ customerId: 'acme' });
 */
export function createExploEmbed(options: ExploEmbedOptions): ExploEmbed {
  return new ExploEmbed(options);
}
