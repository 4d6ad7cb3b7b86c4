import { randomBytes, randomUUID } from 'node:crypto';
import type { Duration, ExploSecret } from '@explo-embed/core';

/** Everything the example reads from its environment. */
export interface ExampleConfig {
  port: number;
  secret: ExploSecret;
  /** True when no real key was configured and a throwaway one was generated. */
  ephemeralSecret: boolean;
  dashboards: Record<string, string>;
  environment: string;
  sessionSecret: string;
  /** Embed the local Explo stand-in instead of Explo: with no real key, or EXPLO_STAND_IN=1. */
  standIn: boolean;
  /** Port of the stand-in (EXPLO_STAND_IN_PORT; default any free port). */
  standInPort: number;
  /** Token lifetime (EXPLO_EXPIRES_IN): seconds or "30s"/"5m"...; default 30 s with the stand-in, else Explo's day. */
  expiresIn: Duration | undefined;
}

/**
 * Reads PORT, EXPLO_KEY_ID, EXPLO_KEY_VALUE, EXPLO_DASHBOARDS, EXPLO_ENVIRONMENT, EXPLO_STAND_IN,
 * EXPLO_STAND_IN_PORT, EXPLO_EXPIRES_IN, SESSION_SECRET. Throws with a clear message.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('PORT must be a whole number from 0 to 65535.');
  const keyId = env.EXPLO_KEY_ID;
  const keyValue = env.EXPLO_KEY_VALUE;
  if ((keyId === undefined) !== (keyValue === undefined)) {
    throw new Error(
      'Set both EXPLO_KEY_ID and EXPLO_KEY_VALUE (from Explo: Settings > Data Visibility Groups), or neither for a dev secret.',
    );
  }
  const ephemeralSecret = keyId === undefined;
  const secret: ExploSecret = ephemeralSecret
    ? { keyId: `dev-${randomUUID()}`, keyValue: randomBytes(24).toString('base64url') }
    : { keyId: keyId as string, keyValue: keyValue as string };
  const dashboards = parseDashboards(env.EXPLO_DASHBOARDS, ephemeralSecret);
  const standIn = ephemeralSecret || env.EXPLO_STAND_IN === '1' || env.EXPLO_STAND_IN === 'true';
  const standInPort = env.EXPLO_STAND_IN_PORT ? Number(env.EXPLO_STAND_IN_PORT) : 0;
  if (!Number.isInteger(standInPort) || standInPort < 0 || standInPort > 65_535) {
    throw new Error('EXPLO_STAND_IN_PORT must be a whole number from 0 to 65535.');
  }
  const rawExpiry = env.EXPLO_EXPIRES_IN?.trim();
  // The library validates the value (10 s to 7 days) and says so if it is wrong.
  const expiresIn: Duration | undefined = rawExpiry
    ? /^\d+$/.test(rawExpiry)
      ? Number(rawExpiry)
      : (rawExpiry as Duration)
    : standIn
      ? 30
      : undefined;
  return {
    port,
    secret,
    ephemeralSecret,
    dashboards,
    environment: env.EXPLO_ENVIRONMENT || 'production',
    sessionSecret: env.SESSION_SECRET || randomBytes(32).toString('base64url'),
    standIn,
    standInPort,
    expiresIn,
  };
}

/** `"sales=a1b2c3,ops=d4e5f6"` -> `{ sales: "a1b2c3", ops: "d4e5f6" }`. */
export function parseDashboards(value: string | undefined, allowDefault: boolean): Record<string, string> {
  if (value === undefined || value.trim() === '') {
    if (allowDefault) return { demo: 'demo-dashboard' };
    throw new Error('Set EXPLO_DASHBOARDS to name=embedId pairs, e.g. EXPLO_DASHBOARDS="sales=a1b2c3d4,ops=e5f6a7b8".');
  }
  const dashboards: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const [name, embedId, extra] = pair.split('=').map((s) => s.trim());
    if (!name || !embedId || extra !== undefined) {
      throw new Error(`EXPLO_DASHBOARDS: "${pair.trim()}" is not name=embedId (expected e.g. "sales=a1b2c3d4,ops=e5f6a7b8").`);
    }
    dashboards[name] = embedId;
  }
  return dashboards;
}
