import type { NormalizedClaims } from './claims.js';
import type { CustomerLike } from './customer.js';

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

/** The browser-safe view of a token: no embed id, no key id. */
export function publicToken(token: ExploToken): ExploPublicToken {
  return { jwt: token.jwt, expiresAt: token.expiresAt, expiresIn: token.expiresIn, dashboard: token.dashboard };
}

/** Reads the host app's customer for one request (sync or async); nullish or `""` means nobody is logged in. */
export type CustomerResolver = () => CustomerLike | Promise<CustomerLike>;

/** One request for a token, as the token route and page attachment describe it. */
export interface IssueRequest {
  /** Reads the customer from the host app's session. */
  customer: CustomerResolver;
  /** Dashboard name; default: the default dashboard. */
  dashboard?: string | undefined;
  /** Skip reuse. */
  fresh?: boolean;
}

/** What one mint is for: everything that goes into the token's claims. */
export interface MintInput {
  /** `cst`, already validated. */
  customerId: string;
  /** The dashboard's name in the allowlist (for `onMint`; not in the token). */
  dashboard: string;
  /** `dsh`. */
  embedId: string;
  /** `rbc`, `des`, `iss`, already validated. */
  claims: NormalizedClaims;
}

/** A token as the pipeline keeps it. */
export interface MintedToken {
  /** The compact JWE. */
  jwt: string;
  /** Expiry, ms since the epoch. */
  expMs: number;
  /** The `kid` it carries; undefined when Explo's API chose the key and did not say. */
  keyId: string | undefined;
  /** When it was minted (asked for, with Explo's API), ms since the epoch. */
  mintedAt: number;
}
