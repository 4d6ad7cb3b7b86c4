import { describe, expect, it } from '@jest/globals';
import { createExploEmbed, type ExploEmbedOptions } from '../src/index.js';
import { KEY } from './fixtures.js';

const base: ExploEmbedOptions = { secret: KEY, dashboards: { sales: 'emb-sales', ops: 'emb-ops' } };
// Never connected to: every case below is refused before a connection is made.
const REDIS = 'redis://127.0.0.1:6379';

function failure(options: unknown): { code: string; option?: string; message: string } {
  try {
    createExploEmbed(options as ExploEmbedOptions);
  } catch (error) {
    return error as { code: string; option?: string; message: string };
  }
  throw new Error('expected createExploEmbed to throw');
}

describe('option validation (once, synchronously, coded, naming the field)', () => {
  it.each([
    ['options', null, 'ERR_EXPLO_OPTION_INVALID', 'options'],
    ['secret missing', { ...base, secret: undefined }, 'ERR_EXPLO_OPTION_INVALID', 'secret'],
    ['secret not an object', { ...base, secret: 'abc' }, 'ERR_EXPLO_SECRET_INVALID', undefined],
    ['keyId a number', { ...base, secret: { keyId: 42, keyValue: KEY.keyValue } }, 'ERR_EXPLO_SECRET_INVALID', undefined],
    [
      'keyId padded',
      { ...base, secret: { keyId: ` ${KEY.keyId}`, keyValue: KEY.keyValue } },
      'ERR_EXPLO_SECRET_INVALID',
      undefined,
    ],
    [
      'keyValue 33 bytes',
      { ...base, secret: { keyId: KEY.keyId, keyValue: `${KEY.keyValue}\n` } },
      'ERR_EXPLO_KEY_LENGTH',
      undefined,
    ],
    ['dashboards missing', { ...base, dashboards: undefined }, 'ERR_EXPLO_OPTION_INVALID', 'dashboards'],
    ['dashboards empty', { ...base, dashboards: {} }, 'ERR_EXPLO_OPTION_INVALID', 'dashboards'],
    ['dashboards array', { ...base, dashboards: ['a'] }, 'ERR_EXPLO_OPTION_INVALID', 'dashboards'],
    ['embed id empty', { ...base, dashboards: { sales: '' } }, 'ERR_EXPLO_OPTION_INVALID', 'dashboards.sales'],
    ['embed id number', { ...base, dashboards: { sales: 42 } }, 'ERR_EXPLO_OPTION_INVALID', 'dashboards.sales'],
    ['embed id with a NUL', { ...base, dashboards: { sales: 'emb\u0000x' } }, 'ERR_EXPLO_OPTION_INVALID', 'dashboards.sales'],
    ['reuse misspelt', { ...base, reuse: { maxx: 3 } }, 'ERR_EXPLO_OPTION_INVALID', 'reuse.maxx'],
    ['defaultDashboard unknown', { ...base, defaultDashboard: 'nope' }, 'ERR_EXPLO_OPTION_INVALID', 'defaultDashboard'],
    ['expiresIn word', { ...base, expiresIn: 'soon' }, 'ERR_EXPLO_OPTION_INVALID', 'expiresIn'],
    ['expiresIn too short', { ...base, expiresIn: 5 }, 'ERR_EXPLO_OPTION_INVALID', 'expiresIn'],
    ['expiresIn absurd', { ...base, expiresIn: '365d' }, 'ERR_EXPLO_OPTION_INVALID', 'expiresIn'],
    ['expiresIn negative', { ...base, expiresIn: -60 }, 'ERR_EXPLO_OPTION_INVALID', 'expiresIn'],
    ['claims.rbc unknown word', { ...base, claims: { rbc: ['flt', 'export'] } }, 'ERR_EXPLO_OPTION_INVALID', 'claims'],
    ['claims.rbc * mixed', { ...base, claims: { rbc: ['*', 'flt'] } }, 'ERR_EXPLO_OPTION_INVALID', 'claims'],
    ['claims.des string', { ...base, claims: { des: 'yes' } }, 'ERR_EXPLO_OPTION_INVALID', 'claims'],
    ['claims.iss path', { ...base, claims: { iss: 'https://app.example.com/dash' } }, 'ERR_EXPLO_OPTION_INVALID', 'claims'],
    ['claims.iss scheme', { ...base, claims: { iss: 'ftp://app.example.com/' } }, 'ERR_EXPLO_OPTION_INVALID', 'claims'],
    ['claims unknown', { ...base, claims: { sub: 'x' } }, 'ERR_EXPLO_OPTION_INVALID', 'claims'],
    ['reuse true-ish object', { ...base, reuse: { minRemaining: 1.5 } }, 'ERR_EXPLO_OPTION_INVALID', 'reuse.minRemaining'],
    ['reuse.max', { ...base, reuse: { max: 0 } }, 'ERR_EXPLO_OPTION_INVALID', 'reuse.max'],
    ['reuse string', { ...base, reuse: 'yes' }, 'ERR_EXPLO_OPTION_INVALID', 'reuse'],
    ['secretCache.ttl', { ...base, secretCache: { ttl: 'forever' } }, 'ERR_EXPLO_OPTION_INVALID', 'secretCache.ttl'],
    ['secretCache.timeout', { ...base, secretCache: { timeout: '1d' } }, 'ERR_EXPLO_OPTION_INVALID', 'secretCache.timeout'],
    ['secretCache.maxStale', { ...base, secretCache: { maxStale: 'x' } }, 'ERR_EXPLO_OPTION_INVALID', 'secretCache.maxStale'],
    ['secretCache.retryAfter', { ...base, secretCache: { retryAfter: 0 } }, 'ERR_EXPLO_OPTION_INVALID', 'secretCache.retryAfter'],
    ['authorize', { ...base, authorize: true }, 'ERR_EXPLO_OPTION_INVALID', 'authorize'],
    ['onMint', { ...base, onMint: 'log' }, 'ERR_EXPLO_OPTION_INVALID', 'onMint'],
    ['onError', { ...base, onError: {} }, 'ERR_EXPLO_OPTION_INVALID', 'onError'],
    ['clock', { ...base, clock: 0 }, 'ERR_EXPLO_OPTION_INVALID', 'clock'],
    ['misspelt option', { ...base, dashbaords: {} }, 'ERR_EXPLO_OPTION_INVALID', 'dashbaords'],
    [
      'misspelt secret field',
      { ...base, secret: { keyID: KEY.keyId, keyValue: KEY.keyValue } },
      'ERR_EXPLO_OPTION_INVALID',
      'secret.keyID',
    ],
    ['an extra secret field', { ...base, secret: { ...KEY, kid: 'x' } }, 'ERR_EXPLO_OPTION_INVALID', 'secret.kid'],
    ['redis an empty object', { ...base, redis: {} }, 'ERR_EXPLO_OPTION_INVALID', 'redis'],
    ['redis a number', { ...base, redis: 6379 }, 'ERR_EXPLO_OPTION_INVALID', 'redis'],
    ['redis.connection a number', { ...base, redis: { connection: 6379 } }, 'ERR_EXPLO_OPTION_INVALID', 'redis.connection'],
    ['redis misspelt', { ...base, redis: { connection: REDIS, prefx: 'app' } }, 'ERR_EXPLO_OPTION_INVALID', 'redis.prefx'],
    ['redis.prefix empty', { ...base, redis: { connection: REDIS, prefix: '' } }, 'ERR_EXPLO_OPTION_INVALID', 'redis.prefix'],
    [
      'redis.prefix with a space',
      { ...base, redis: { connection: REDIS, prefix: 'my app' } },
      'ERR_EXPLO_OPTION_INVALID',
      'redis.prefix',
    ],
    // Redis Cluster reads {...} as a hash tag.
    [
      'redis.prefix with braces',
      { ...base, redis: { connection: REDIS, prefix: 'app{1}' } },
      'ERR_EXPLO_OPTION_INVALID',
      'redis.prefix',
    ],
    [
      'redis.prefix ending in ":"',
      { ...base, redis: { connection: REDIS, prefix: 'app:' } },
      'ERR_EXPLO_OPTION_INVALID',
      'redis.prefix',
    ],
    [
      'redis.prefix too long',
      { ...base, redis: { connection: REDIS, prefix: 'a'.repeat(65) } },
      'ERR_EXPLO_OPTION_INVALID',
      'redis.prefix',
    ],
    ['redis.prefix a number', { ...base, redis: { connection: REDIS, prefix: 7 } }, 'ERR_EXPLO_OPTION_INVALID', 'redis.prefix'],
  ])('%s', (_name, options, code, option) => {
    const error = failure(options);
    expect(error.code).toBe(code);
    if (option !== undefined) expect(error.option).toBe(option);
    expect(error.message).not.toContain(KEY.keyValue);
  });

  it.each([
    ['trailing newline', `${KEY.keyValue}\n`, 33, true],
    ['trailing space', `${KEY.keyValue} `, 33, true],
    ['base64 of 32 bytes', Buffer.from(KEY.keyValue).toString('base64'), 44, false],
    ['too short', 'short', 5, false],
    ['32 characters but 33 bytes', `${'a'.repeat(31)}é`, 33, false],
  ])('a key value of the wrong length (%s) says 32 bytes, hints, and never echoes it', (_name, keyValue, bytes, whitespace) => {
    const error = failure({ ...base, secret: { keyId: KEY.keyId, keyValue } }) as unknown as {
      code: string;
      message: string;
      byteLength: number;
      hasSurroundingWhitespace: boolean;
    };
    expect(error.code).toBe('ERR_EXPLO_KEY_LENGTH');
    expect(error.message).toContain('32 bytes');
    expect(error.message).toContain(`it is ${bytes} bytes`);
    expect(error.byteLength).toBe(bytes);
    expect(error.hasSurroundingWhitespace).toBe(whitespace);
    if (whitespace) expect(error.message).toMatch(/whitespace/);
    expect(error.message).not.toContain(keyValue.trim());
  });

  it('accepts the documented forms and never mutates the options', () => {
    const options = {
      ...base,
      defaultDashboard: 'ops',
      expiresIn: '30m' as const,
      claims: { rbc: ['flt', 'srt'] as const, des: false, iss: 'https://app.example.com' },
      reuse: { minRemaining: 0.25, max: 10 },
      secretCache: { ttl: 60, maxStale: '10m' as const, timeout: '500ms' as const },
    };
    const snapshot = JSON.stringify(options);
    const embed = createExploEmbed(Object.freeze(options));
    expect(JSON.stringify(options)).toBe(snapshot);
    expect(embed.defaultDashboard).toBe('ops');
    expect(embed.lifetime).toBe(1800);
    expect(embed.dashboards).toEqual(['sales', 'ops']);
  });

  it('defaults: first dashboard, one day lifetime', () => {
    const embed = createExploEmbed(base);
    expect(embed.defaultDashboard).toBe('sales');
    expect(embed.lifetime).toBe(86_400);
  });
});

describe('a secret that is not set where the app runs (a build without its environment)', () => {
  it.each([
    ['keyId undefined', { keyId: undefined, keyValue: KEY.keyValue }, 'options.secret.keyId'],
    ['keyId empty', { keyId: '', keyValue: KEY.keyValue }, 'options.secret.keyId'],
    ['keyValue undefined', { keyId: KEY.keyId }, 'options.secret.keyValue'],
    ['keyValue empty', { keyId: KEY.keyId, keyValue: '' }, 'options.secret.keyValue'],
  ])('%s: creates, reports not ready, and fails each mint with ERR_EXPLO_SECRET_MISSING', async (_name, secret, option) => {
    const logged: string[] = [];
    const logger = { warn: (line: string) => logged.push(line), error: (line: string) => logged.push(line) };
    const embed = createExploEmbed({ ...base, secret: secret as ExploEmbedOptions['secret'], logger });
    expect(logged).toEqual([]);
    expect(embed.health()).toEqual({ ready: false, secret: 'missing', secretError: 'ERR_EXPLO_SECRET_MISSING' });
    await expect(embed.mint({ customerId: 'acme' })).rejects.toMatchObject({
      code: 'ERR_EXPLO_SECRET_MISSING',
      name: 'ExploSecretMissingError',
      option,
    });
    await expect(embed.mint({ customerId: 'acme' })).rejects.toMatchObject({ code: 'ERR_EXPLO_SECRET_MISSING' });
    // Loud at first use, once (per minute), with the field and the fix.
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`ERR_EXPLO_SECRET_MISSING (secret): ${option} is not set`);
    // ...and ends with the code's entry in the error reference.
    expect(logged[0]).toMatch(/ See https:\/\/explo-embed\.github\.io\/explo-embed\/errors#ERR_EXPLO_SECRET_MISSING$/);
  });

  it('a key ring with one key not set is missing too', () => {
    const embed = createExploEmbed({ ...base, secret: [KEY, { keyId: 'old', keyValue: '' }], logger: false });
    expect(embed.health()).toMatchObject({ ready: false, secretError: 'ERR_EXPLO_SECRET_MISSING' });
  });
});

it('a misspelt option says which one was meant', () => {
  expect(failure({ ...base, expiresin: '1h' }).message).toBe(
    'Invalid option "expiresin": unknown option (check the spelling: did you mean "expiresIn"?).',
  );
  expect(failure({ ...base, secret: { keyid: KEY.keyId, keyValue: KEY.keyValue } }).message).toContain('did you mean "keyId"?');
  expect(failure({ ...base, zzz: 1 }).message).toBe('Invalid option "zzz": unknown option (check the spelling).');
  // A secret used as a key by mistake (a 32-byte key value) is never echoed.
  expect(failure({ ...base, [KEY.keyValue]: true }).message).toBe(
    'Invalid option "(an unknown key of 32 characters)": unknown option (check the spelling).',
  );
});
