import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  verify,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  p256KeyFromScalar,
  scalarFromSeed,
  signDeterministic,
  subjectPublicKeyInfo,
  withP256Key,
} from '../../common/credentials/deterministicEcdsa';

// RFC 6979 appendix A.2.5: ECDSA, 256 bits (prime field), SHA-256
const RFC_PRIVATE = 0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721n;
const RFC_PUBLIC_X = '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6';
const RFC_PUBLIC_Y = '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';

describe('deterministic ECDSA P-256 (RFC 6979)', () => {
  const { privateKey, publicKey } = p256KeyFromScalar(RFC_PRIVATE);

  it('derives the RFC public key from the private scalar', () => {
    const jwk = publicKey.export({ format: 'jwk' });
    expect(Buffer.from(jwk.x!, 'base64url').toString('hex')).toBe(RFC_PUBLIC_X);
    expect(Buffer.from(jwk.y!, 'base64url').toString('hex')).toBe(RFC_PUBLIC_Y);
  });

  it.each([
    [
      'sample',
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716',
      'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    ],
    [
      'test',
      'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367',
      '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
    ],
  ])('signs %j with the RFC test vector r and s, and node:crypto verifies it', (message, r, s) => {
    const signature = signDeterministic(Buffer.from(message), privateKey);
    expect(signature.toString('hex')).toBe(r + s);
    expect(verify('sha256', Buffer.from(message), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('signs with each of several keys in turn as with each alone (a key is never taken for another)', () => {
    const other = p256KeyFromScalar(scalarFromSeed('seed', 'other'));
    for (let i = 0; i < 20; i++) {
      const message = Buffer.from(`message ${i}`);
      const [mine, theirs] = [signDeterministic(message, privateKey), signDeterministic(message, other.privateKey)];
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, mine)).toBe(true);
      expect(verify('sha256', message, { key: other.publicKey, dsaEncoding: 'ieee-p1363' }, theirs)).toBe(true);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, theirs)).toBe(false);
    }
  });

  it('signs with two keys in turn, each with its own RFC 6979 nonces (known answers for a second key)', () => {
    // r‖s worked out apart from this module: RFC 6979 3.2 and P-256 in plain Python (hmac, affine arithmetic),
    // checked with pyca/cryptography's verify and against the RFC's own vector for its key
    const second = withP256Key({ name: 'second' }, 0x5a17c0ffee5a17c0ffee5a17c0ffee5a17c0ffee5a17c0ffee5a17c0ffee5a17n);
    const expected = {
      sample:
        'eed6b3b8d1a943e5765f8917f6678bfa73bedec29a65d6bcb9d359522ecd183e' +
        '8889815cac539b75fe6ac45348ff8d6472960dade1bd44036d8e875f7704ae12',
      test:
        'c907742a3a7136c4038c5f4c82b1ad05110e0b3e95228edb16cc6dd6ffe9cee7' +
        'e242b2e51fb4430b426f4ed0d6fdfc2abcc78aa4fff89c96693fde047a5f430b',
    };
    const rfcSample =
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' +
      'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8';
    // interleaved: what one key's signature remembers must never reach the other's
    for (const message of ['sample', 'test'] as const) {
      expect(signDeterministic(Buffer.from('sample'), privateKey).toString('hex')).toBe(rfcSample);
      expect(signDeterministic(Buffer.from(message), second).toString('hex')).toBe(expected[message]);
    }
  });

  it.each([
    [
      'captured',
      'supplier',
      Buffer.from('01 90-B3-D5-1F-30-01-00-00 counter 7'),
      'c2d91cdd7b85d6033f17a165240903c04efc610e717a97a12e38e85fe10effe4' +
        '496fcc02f483dab1e42c9899b1b9bd2ff41ba36abc9c3b29db1c9b19260fc61f',
    ],
    [
      'captured',
      'networkOperator',
      Buffer.alloc(300, 0xa5),
      'b6a18cdfecef05b56292cde1053acf8adbabc9a558f00c000b5d500d38e171f3' +
        'ce2bab831c87a77c90690478038f4590c12a5f6563c4bbb61de7894d8fdcaf72',
    ],
    [
      'fleet 7',
      'party/2/90-B3-D5-1F-30-01-00-00',
      Buffer.alloc(0),
      'c8c5b38be701525c6dc3fed73bd64afe2eb6cd4283b4a365b21ca572acf3347a' +
        '63f7b0c416588dcc913cfaf6e6e07e38b64baedff3619631a78c0580e3de6c70',
    ],
  ])(
    'signs as it did before issue 16 round six (%j, %j: r‖s captured from the createHmac derivation)',
    (seed, label, message, rs) => {
      expect(signDeterministic(message, p256KeyFromScalar(scalarFromSeed(seed, label))).toString('hex')).toBe(rs);
    },
  );

  it('derives the same scalar from the same seed and label, and different ones otherwise', () => {
    expect(scalarFromSeed('seed', 'supplier')).toBe(scalarFromSeed('seed', 'supplier'));
    expect(scalarFromSeed('seed', 'supplier')).not.toBe(scalarFromSeed('seed', 'networkOperator'));
    expect(scalarFromSeed('seed', 'supplier')).not.toBe(scalarFromSeed('other seed', 'supplier'));
  });

  it('signs from a key pair itself with the RFC vector, as from its KeyObject and from the same key imported apart', () => {
    const pair = p256KeyFromScalar(RFC_PRIVATE);
    const sample = 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716'; // r of 'sample'
    const sampleS = 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8';
    expect(signDeterministic(Buffer.from('sample'), pair).toString('hex')).toBe(sample + sampleS);
    const party = withP256Key({ name: 'a party' }, RFC_PRIVATE);
    expect(signDeterministic(Buffer.from('sample'), party).toString('hex')).toBe(sample + sampleS);
    // a KeyObject this module never made: its scalar is read from the key
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
    const imported = createPrivateKey({
      key: { kty: 'EC', crv: 'P-256', d: b64(RFC_PRIVATE.toString(16)), x: b64(RFC_PUBLIC_X), y: b64(RFC_PUBLIC_Y) },
      format: 'jwk',
    });
    expect(signDeterministic(Buffer.from('sample'), imported).toString('hex')).toBe(sample + sampleS);
    expect(signDeterministic(Buffer.from('sample'), { privateKey: imported }).toString('hex')).toBe(sample + sampleS);
  });

  it('makes a key pair its KeyObjects once, on first read, and names them as its own fields', () => {
    const party = withP256Key({ name: 'a party' }, RFC_PRIVATE);
    expect(party.privateKey).toBe(party.privateKey);
    expect(party.publicKey).toBe(party.publicKey);
    expect(party.privateKey.type).toBe('private');
    expect(party.publicKey.type).toBe('public');
    expect(Object.keys(party)).toEqual(['name', 'privateKey', 'publicKey']);
  });

  it('writes the RFC public key as DER SubjectPublicKeyInfo, the bytes node exports for it', () => {
    const expected = `3059301306072a8648ce3d020106082a8648ce3d03010703420004${RFC_PUBLIC_X}${RFC_PUBLIC_Y}`;
    const pair = p256KeyFromScalar(RFC_PRIVATE);
    expect(subjectPublicKeyInfo(pair).toString('hex')).toBe(expected);
    expect(subjectPublicKeyInfo(pair.publicKey).toString('hex')).toBe(expected);
    const apart = createPublicKey({ key: Buffer.from(expected, 'hex'), format: 'der', type: 'spki' });
    expect(subjectPublicKeyInfo(apart).toString('hex')).toBe(expected);
    expect(subjectPublicKeyInfo({ publicKey: apart }).toString('hex')).toBe(expected);
  });

  it('gives signatures node:crypto verifies for many keys and messages (the nonce inverse mod n included)', () => {
    const pairs = Array.from({ length: 20 }, (_, i) => p256KeyFromScalar(scalarFromSeed('many', String(i))));
    for (let i = 0; i < 300; i++) {
      const pair = pairs[i % pairs.length];
      const message = createHash('sha256').update(`message ${i}`).digest();
      const signature = signDeterministic(message, pair);
      expect(verify('sha256', message, { key: pair.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    }
  });

  it('refuses to sign with a public key', () => {
    expect(() => signDeterministic(Buffer.from('sample'), publicKey)).toThrow(TypeError);
    expect(() => signDeterministic(Buffer.from('sample'), p256KeyFromScalar(RFC_PRIVATE).publicKey)).toThrow(TypeError);
  });

  it("signs with a holder's own key: a party whose key changes is a new holder, and a copy given another key signs with that", () => {
    const message = Buffer.from('sample');
    const verifies = (signature: Buffer, key: { publicKey: KeyObject }) =>
      verify('sha256', message, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    // one entity, its key replaced: two holders with the same fields, each with its own key
    const before = withP256Key({ entityId: '90-B3-D5-1F-30-01-00-00' }, scalarFromSeed('s', 'before'));
    const after = withP256Key({ entityId: '90-B3-D5-1F-30-01-00-00' }, scalarFromSeed('s', 'after'));
    expect(verifies(signDeterministic(message, after), after)).toBe(true);
    expect(verifies(signDeterministic(message, before), before)).toBe(true);
    expect(verifies(signDeterministic(message, before), after)).toBe(false);
    // a copy of a holder with a private key from elsewhere (node's random one) signs with that key
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const copy = { ...before, privateKey: foreign.privateKey, publicKey: foreign.publicKey };
    expect(verifies(signDeterministic(message, copy), foreign)).toBe(true);
    expect(subjectPublicKeyInfo(copy)).toEqual(foreign.publicKey.export({ type: 'spki', format: 'der' }));
    // and a holder is given one key only: a second would leave it signing with one and certified for the other
    expect(() => withP256Key(before, scalarFromSeed('s', 'again'))).toThrow(
      'withP256Key: this holder has a P-256 key already; a new key needs a new holder',
    );
    expect(verifies(signDeterministic(message, before), before)).toBe(true);
  });

  it('refuses to sign with a private key of another curve, naming P-256', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(() => signDeterministic(Buffer.from('sample'), p384)).toThrow('not a P-256 private key');
    const ed = generateKeyPairSync('ed25519').privateKey;
    expect(() => signDeterministic(Buffer.from('sample'), { privateKey: ed })).toThrow('not a P-256 private key');
  });

  it('refuses a scalar outside 1..n-1', () => {
    expect(() => p256KeyFromScalar(0n)).toThrow(RangeError);
    expect(() => withP256Key({}, -1n)).toThrow(RangeError);
    expect(() => p256KeyFromScalar(0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n)).toThrow(
      RangeError,
    );
  });
});
