import { describe, expect, it } from '@jest/globals';
import { createExploEmbed, decryptExploJwt } from '../src/index.js';
import { encryptClaims } from '../src/jwe/encrypt-node.js';
import { encryptClaimsWeb } from '../src/jwe/encrypt-web.js';
import { prepareSecret } from '../src/keys/secret.js';
import { decryptByHand, encryptByHand, KEY, KEY2, manualClock, T0 } from './fixtures.js';

const FIXED_IV = Uint8Array.from({ length: 12 }, (_, i) => i + 1);

describe('deterministic vectors (fixed IV, frozen clock)', () => {
  it('encrypts the claims to this exact token', async () => {
    const secret = await prepareSecret(KEY, T0);
    const iat = T0 / 1000;
    const jwt = encryptClaims({ cst: 'customer_1', dsh: 'abcdef', iat, exp: iat + 7200 }, secret, FIXED_IV);
    expect(jwt).toBe(EXPECTED_BASIC);
    // The edge entry's Web Crypto encryption writes the same bytes.
    expect(await encryptClaimsWeb({ cst: 'customer_1', dsh: 'abcdef', iat, exp: iat + 7200 }, secret, FIXED_IV)).toBe(
      EXPECTED_BASIC,
    );
    // The same bytes come out of a hand-written RFC 7516 encryption with node:crypto.
    const header = { alg: 'dir', enc: 'A256GCM', kid: KEY.keyId };
    const byHand = await encryptByHand(
      header,
      { cst: 'customer_1', dsh: 'abcdef', iat, exp: iat + 7200 },
      KEY.keyValue,
      Buffer.from(FIXED_IV),
    );
    expect(byHand).toBe(EXPECTED_BASIC);
  });

  it('writes optional claims after the required ones, in a fixed order', async () => {
    const secret = await prepareSecret(KEY, T0);
    const iat = T0 / 1000;
    const claims = {
      cst: 'acme',
      dsh: 'e1',
      iat,
      exp: iat + 60,
      rbc: ['flt', 'srt'],
      des: true,
      iss: 'https://app.example.com/',
    };
    expect(encryptClaims(claims, secret, FIXED_IV)).toBe(EXPECTED_OPTIONAL);
    expect(await encryptClaimsWeb(claims, secret, FIXED_IV)).toBe(EXPECTED_OPTIONAL);
  });

  it('mints header {alg, enc, kid} and claims cst, dsh, iat, integer exp, from the injected clock', async () => {
    const clock = manualClock(T0 + 999);
    const embed = createExploEmbed({ secret: KEY, dashboards: { sales: 'emb-1' }, expiresIn: '2h', clock: clock.now });
    const token = await embed.mint({ customerId: 'customer_1' });
    const { header, payload, ivLength } = decryptByHand(token.jwt, KEY.keyValue);
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM', kid: KEY.keyId });
    expect(Object.keys(header)).toEqual(['alg', 'enc', 'kid']);
    expect(payload).toEqual({ cst: 'customer_1', dsh: 'emb-1', iat: T0 / 1000, exp: T0 / 1000 + 7200 });
    expect(Number.isInteger(payload.exp)).toBe(true);
    expect(ivLength).toBe(12);
    expect(token.jwt.split('.')[1]).toBe('');
    expect(token).toMatchObject({ dashboard: 'sales', embedId: 'emb-1', keyId: KEY.keyId, expiresIn: 7199 });
    expect(token.expiresAt.toISOString()).toBe('2026-01-01T02:00:00.000Z');
  });
});

describe('RFC 7516 by hand', () => {
  it('our tokens decrypt with node:crypto alone, with a different random IV each time', async () => {
    const embed = createExploEmbed({ secret: KEY, dashboards: { d: 'x' }, reuse: false });
    const a = await embed.mint({ customerId: 'c' });
    const b = await embed.mint({ customerId: 'c' });
    expect(decryptByHand(a.jwt, KEY.keyValue).payload.cst).toBe('c');
    expect(a.jwt.split('.')[2]).not.toBe(b.jwt.split('.')[2]);
  });

  it('decryptExploJwt reads a legacy 16-byte-IV token built by hand', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await encryptByHand(
      { alg: 'dir', enc: 'A256GCM', kid: KEY.keyId },
      // Explo's Python sample emits a float exp.
      { exp: now + 3600.25, cst: 'customer_1', dsh: 'abcdef' },
      KEY.keyValue,
      Buffer.alloc(16, 7),
    );
    const { header, claims } = await decryptExploJwt(jwt, [KEY2, KEY]);
    expect(header.kid).toBe(KEY.keyId);
    expect(claims).toEqual({ exp: now + 3600.25, cst: 'customer_1', dsh: 'abcdef' });
  });

  it('decryptExploJwt reads a 12-byte-IV token built by hand, and one built by jose', async () => {
    const now = Math.floor(Date.now() / 1000);
    const byHand = await encryptByHand(
      { alg: 'dir', enc: 'A256GCM', kid: KEY.keyId },
      { cst: 'a', dsh: 'b', exp: now + 60 },
      KEY.keyValue,
      Buffer.alloc(12, 1),
    );
    expect((await decryptExploJwt(byHand, KEY)).claims.cst).toBe('a');
    const minted = await createExploEmbed({ secret: KEY, dashboards: { d: 'e' } }).mint({ customerId: 'z' });
    expect((await decryptExploJwt(minted.jwt, KEY)).claims).toMatchObject({ cst: 'z', dsh: 'e' });
  });
});

// Computed once from the inputs above and cross-checked against encryptByHand; any change to header order,
// claim order or encoding breaks these.
const EXPECTED_BASIC =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiM2YyYzFkOWUtN2I2YS00YzVkLThlOWYtMGExYjJjM2Q0ZTVmIn0..AQIDBAUGBwgJCgsM.Rt8udMPAh1tlVGt7j_3_foCNneZphpm1uQrZa-0m2nnrYwMhZNZFY0d8adRzhq386ysxKdU15I5q6qBTqwKvPgyIL--S.LAy7QS4HHA7M3LDaMs-Yyw';
const EXPECTED_OPTIONAL =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiM2YyYzFkOWUtN2I2YS00YzVkLThlOWYtMGExYjJjM2Q0ZTVmIn0..AQIDBAUGBwgJCgsM.Rt8udMPAh1tnQnVqwry4aKzUnfBph9v_txKSa_tnhC26dxgxP4IHcU1hfIc8xL3z7Cw3MsViqch-4L1G71f-LwTrPbmDsdRQTqn0HsysgljOvtneljbDDv01qt27_GrT7Kb6RcBYe5-4NoJNlf0hCoOcLGChLfXkrm8I.J3ayjKv0BABcxw4VZBxDcA';
