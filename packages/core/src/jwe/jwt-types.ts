/** Protected header of an Explo token. */
export interface ExploJwtHeader {
  alg: 'dir';
  enc: 'A256GCM';
  kid?: string;
  [name: string]: unknown;
}

/** Claims of an Explo token. */
export interface ExploJwtClaims {
  /** Customer id, as the host app provided it to Explo. */
  cst: string;
  /** Embed id of the dashboard or report builder. */
  dsh: string;
  /** Expiry, NumericDate (seconds). */
  exp: number;
  /** Issued at, NumericDate (seconds). */
  iat?: number;
  /** Report-builder features allowed. */
  rbc?: string[];
  /** Disable editable-section editing. */
  des?: boolean;
  /** Origin of the embedding page (with trailing slash). */
  iss?: string;
  [name: string]: unknown;
}
