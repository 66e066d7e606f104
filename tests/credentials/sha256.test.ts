import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, hmacSha256Key, sha256 } from '../../common/credentials/sha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const mac = (key: Uint8Array, message: Uint8Array) => hex(hmacSha256(hmacSha256Key(key), message));

/** `length` bytes that are not all alike (a counter's SHA-256 stream), the same every run. */
function bytesOf(length: number, label: string): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) chunks.push(createHash('sha256').update(`${label}/${i}`).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

describe('SHA-256 in JavaScript', () => {
  // FIPS 180-2 appendix B (one block, two blocks, a million bytes) and the empty message
  it.each([
    ['empty', Buffer.alloc(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', Buffer.from('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'the 448-bit message',
      Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    ['a million "a"', Buffer.alloc(1_000_000, 'a'), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('gives the FIPS 180-2 digest of %s', (_name, message, expected) => {
    expect(hex(sha256(message))).toBe(expected);
  });

  it("agrees with node:crypto's createHash at every length around the padding's block boundaries", () => {
    for (let length = 0; length <= 300; length++) {
      const message = bytesOf(length, `sha ${length}`);
      expect(hex(sha256(message)), `${length} bytes`).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });
});

describe('HMAC-SHA256 in JavaScript', () => {
  // RFC 4231 section 4, HMAC-SHA-256 of each test case
  it.each([
    [
      '1: short key',
      '0b'.repeat(20),
      Buffer.from('Hi There'),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    ],
    [
      '2: key shorter than the output',
      Buffer.from('Jefe').toString('hex'),
      Buffer.from('what do ya want for nothing?'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    ],
    [
      '3: 50 bytes of 0xdd',
      'aa'.repeat(20),
      Buffer.alloc(50, 0xdd),
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    ],
    [
      '4: 25-byte key',
      '0102030405060708090a0b0c0d0e0f10111213141516171819',
      Buffer.alloc(50, 0xcd),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    ],
    [
      '6: key longer than a block',
      'aa'.repeat(131),
      Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      '7: key and data longer than a block',
      'aa'.repeat(131),
      Buffer.from(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be ' +
          'hashed before being used by the HMAC algorithm.',
      ),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ])('gives RFC 4231 test case %s', (_name, key, message, expected) => {
    expect(mac(Buffer.from(key, 'hex'), message)).toBe(expected);
  });

  it("agrees with node:crypto's createHmac across the padding's block boundaries and key lengths", () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
      const key = bytesOf(keyLength, `key ${keyLength}`);
      const ready = hmacSha256Key(key);
      for (let length = 0; length <= 200; length++) {
        const message = bytesOf(length, `message ${length}`);
        const expected = createHmac('sha256', key).update(message).digest('hex');
        expect(hex(hmacSha256(ready, message)), `key ${keyLength} bytes, message ${length} bytes`).toBe(expected);
      }
    }
  });

  it('keeps a ready key as it was: HMACs under it in any order, interleaved with other keys, give the same', () => {
    const one = hmacSha256Key(Buffer.alloc(32, 1));
    const two = hmacSha256Key(Buffer.alloc(32, 2));
    const long = bytesOf(150, 'long');
    const first = hex(hmacSha256(one, long));
    hmacSha256(two, bytesOf(97, 'other'));
    expect(hex(hmacSha256(one, long))).toBe(first);
    expect(first).toBe(createHmac('sha256', Buffer.alloc(32, 1)).update(long).digest('hex'));
  });

  it('returns a new buffer each time (a caller may keep it while hashing on)', () => {
    const key = hmacSha256Key(Buffer.alloc(32, 0));
    const a = hmacSha256(key, Buffer.from('a'));
    const copy = Buffer.from(a);
    hmacSha256(key, Buffer.from('b'));
    expect(a).toEqual(copy);
  });
});
