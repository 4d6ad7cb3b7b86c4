import { ExploSecretError, ExploSecretMissingError } from '../errors/errors.js';
import { knownKeys } from '../lib/option-checks.js';
import { assertSecret, type ExploSecret, type PreparedSecret, prepareSecret } from './secret.js';

/**
 * The keys in use, for a rotation: the first one mints, every one decrypts (chosen by the token's
 * `kid`). One secret is a ring of one.
 */
export interface PreparedRing {
  /** The key new tokens are minted with. */
  readonly current: PreparedSecret;
  /** Every key, by key id. */
  readonly byKid: ReadonlyMap<string, PreparedSecret>;
  /** Clock time (ms) when the ring was obtained. */
  readonly obtainedAt: number;
}

const MAX_KEYS = 16;

/** Checks one secret or a ring of them: non-empty, each valid, no key id twice. Throws coded errors naming `where`. */
export function assertSecrets(value: unknown, where: string): asserts value is ExploSecret | readonly ExploSecret[] {
  if (!Array.isArray(value)) {
    assertSecret(value, where);
    return;
  }
  if (value.length === 0 || value.length > MAX_KEYS) {
    throw new ExploSecretError(`${where} must hold 1 to ${MAX_KEYS} keys: [newest, ...older ones still accepted].`);
  }
  const seen = new Set<string>();
  value.forEach((key, i) => {
    assertSecret(key, `${where}[${i}]`);
    if (seen.has(key.keyId)) throw new ExploSecretError(`${where}[${i}].keyId appears twice in the key ring.`);
    seen.add(key.keyId);
  });
}

/**
 * A fixed secret (or ring) whose key id or key value is `undefined` or `""`: an environment variable
 * not set where this code runs (a build, say). Such a secret is not a setup error but a
 * {@link ExploSecretMissingError} at use. Other mistakes (a 33-byte key value) stay setup errors.
 */
export function missingSecretField(value: unknown, where: string): ExploSecretMissingError | undefined {
  const keys = Array.isArray(value) ? value : [value];
  for (const [i, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null) continue;
    const at = Array.isArray(value) ? `${where}[${i}]` : where;
    // A misspelt field (`keyID`) is a mistake to name at setup, not a secret "not set" at use.
    knownKeys(key, ['keyId', 'keyValue'], at.replace(/^options\./, ''), '{ keyId, keyValue }');
    for (const field of ['keyId', 'keyValue'] as const) {
      const given = (key as Record<string, unknown>)[field];
      if (given === undefined || given === '') return new ExploSecretMissingError(`${at}.${field}`);
    }
  }
  return undefined;
}

/** Imports every key of a validated secret or ring once. */
export async function prepareRing(value: ExploSecret | readonly ExploSecret[], obtainedAt: number): Promise<PreparedRing> {
  const keys = Array.isArray(value) ? (value as readonly ExploSecret[]) : [value as ExploSecret];
  const prepared = await Promise.all(keys.map((key) => prepareSecret(key, obtainedAt)));
  return Object.freeze({
    current: prepared[0] as PreparedSecret,
    byKid: new Map(prepared.map((key) => [key.keyId, key])),
    obtainedAt,
  });
}
