import { describe, expect, it } from '@jest/globals';
import { createExploEmbed, decryptExploJwt } from '../src/index.js';
import { encryptByHand, KEY, KEY2, T0 } from './fixtures.js';

const header = { alg: 'dir', enc: 'A256GCM', kid: KEY.keyId };
const claims = { cst: 'c', dsh: 'd', exp: T0 / 1000 + 3600, iat: T0 / 1000 };
const at = (ms: number) => ({ currentDate: new Date(ms) });

async function token(h: Record<string, unknown> = header, c: Record<string, unknown> | string = claims, ivLength = 12) {
  return encryptByHand(h, c, KEY.keyValue, Buffer.alloc(ivLength, 3));
}

describe('decryptExploJwt', () => {
  it('returns header and claims', async () => {
    expect(await decryptExploJwt(await token(), KEY, at(T0))).toEqual({ header, claims });
  });

  it('checks exp with a small tolerance (5 s by default, configurable)', async () => {
    const jwt = await token();
    const exp = claims.exp * 1000;
    await expect(decryptExploJwt(jwt, KEY, at(exp + 4_000))).resolves.toBeDefined();
    const error = await decryptExploJwt(jwt, KEY, at(exp + 6_000)).catch((e) => e);
    expect(error).toMatchObject({ code: 'ERR_EXPLO_JWT_EXPIRED', claims: { cst: 'c' } });
    expect(error.expiredAt).toEqual(new Date(exp));
    await expect(decryptExploJwt(jwt, KEY, { ...at(exp + 6_000), clockTolerance: '1m' })).resolves.toBeDefined();
  });

  it('chooses the key by kid, and says when none matches', async () => {
    const jwt = await token();
    await expect(decryptExploJwt(jwt, [KEY2, KEY], at(T0))).resolves.toBeDefined();
    await expect(decryptExploJwt(jwt, [KEY2], at(T0))).rejects.toMatchObject({
      code: 'ERR_EXPLO_JWT_UNKNOWN_KID',
      kid: KEY.keyId,
    });
    const noKid = await token({ alg: 'dir', enc: 'A256GCM' });
    await expect(decryptExploJwt(noKid, KEY, at(T0))).resolves.toBeDefined();
    await expect(decryptExploJwt(noKid, [KEY, KEY2], at(T0))).rejects.toMatchObject({ code: 'ERR_EXPLO_JWT_UNKNOWN_KID' });
  });

  it.each([12, 16])('a wrong key with the right kid fails decryption (%i-byte IV)', async (ivLength) => {
    const jwt = await token(header, claims, ivLength);
    const wrong = { keyId: KEY.keyId, keyValue: KEY2.keyValue };
    await expect(decryptExploJwt(jwt, wrong, at(T0))).rejects.toMatchObject({ code: 'ERR_EXPLO_JWT_DECRYPTION_FAILED' });
  });

  it.each([12, 16])('flipped bits in any segment are rejected with a coded error (%i-byte IV)', async (ivLength) => {
    const jwt = await token(header, claims, ivLength);
    const segments = jwt.split('.');
    for (const index of [0, 2, 3, 4]) {
      const s = segments[index] as string;
      const bytes = Buffer.from(s, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      const tampered = segments.map((x, i) => (i === index ? bytes.toString('base64url') : x)).join('.');
      const error = await decryptExploJwt(tampered, KEY, at(T0)).catch((e) => e);
      expect(error.code).toMatch(/^ERR_EXPLO_JWT_(INVALID|DECRYPTION_FAILED)$/);
    }
  });

  /** A fresh token with one segment rewritten. */
  const reshaped = async (index: number, rewrite: (segment: string) => string) =>
    (await token())
      .split('.')
      .map((segment, i) => (i === index ? rewrite(segment) : segment))
      .join('.');

  it.each([
    ['alg none', () => token({ alg: 'none', enc: 'A256GCM', kid: KEY.keyId })],
    ['another enc', () => token({ alg: 'dir', enc: 'A128GCM', kid: KEY.keyId })],
    ['signed JWT', async () => 'eyJhbGciOiJIUzI1NiJ9.eyJjc3QiOiJjIn0.c2ln'],
    ['truncated', async () => (await token()).slice(0, 60)],
    // A base64url segment is never one character past a multiple of 4 (the Web decoder throws on it).
    ['a tag of an impossible length', () => reshaped(4, (tag) => tag.slice(0, 21))],
    ['a ciphertext of an impossible length', () => reshaped(3, (text) => `${text.slice(0, 4 * Math.floor(text.length / 4))}A`)],
    ['an IV of an impossible length', () => reshaped(2, (iv) => `${iv}A`)],
    ['empty', async () => ''],
    ['whitespace', async () => ` ${await token()}\n`],
    ['bad IV length', () => token(header, claims, 8)],
    ['payload not JSON', () => token(header, 'not json')],
    ['payload array', () => token(header, '[1,2]')],
    ['no exp', () => token(header, { cst: 'c', dsh: 'd' })],
    ['cst not a string', () => token(header, { ...claims, cst: 7 })],
    ['zip header', () => token({ ...header, zip: 'DEF' })],
    ['not a string', async () => 42 as unknown as string],
  ])('rejects %s as ERR_EXPLO_JWT_INVALID', async (_name, make) => {
    await expect(decryptExploJwt(await make(), KEY, at(T0))).rejects.toMatchObject({ code: 'ERR_EXPLO_JWT_INVALID' });
  });

  it('decrypts through an embed with its own secret', async () => {
    const embed = createExploEmbed({ secret: KEY, dashboards: { d: 'emb' } });
    const { jwt } = await embed.mint({ customerId: 'acme' });
    expect((await embed.decrypt(jwt)).claims).toMatchObject({ cst: 'acme', dsh: 'emb' });
  });
});
