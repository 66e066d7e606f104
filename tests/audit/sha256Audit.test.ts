/**
 * The JavaScript SHA-256 and HMAC-SHA256 (common/credentials/sha256.ts) and RFC 6979's nonce candidates
 * (rfc6979.ts) as a careless caller would use them: messages and keys that are views into larger buffers at odd
 * offsets (with other bytes either side), plain Uint8Arrays, keys far longer than a block, empty messages and
 * keys, hashes started between two draws of a nonce generator (the one place where the shared scratch buffers could
 * be caught between two users), and signatures over all of these checked by node's own verify. Every expected value
 * comes from node:crypto.
 */
import { createHash, createHmac, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p256KeyFromScalar, scalarFromSeed, signDeterministic } from '../../common/credentials/deterministicEcdsa';
import { rfc6979Candidates } from '../../common/credentials/rfc6979';
import { hmacSha256, hmacSha256Key, sha256 } from '../../common/credentials/sha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** `length` bytes that are not all alike, the same every run. */
function bytesOf(length: number, label: string): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) chunks.push(createHash('sha256').update(`${label}/${i}`).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

/** `bytes` copied into the middle of a larger ArrayBuffer, `offset` bytes in, 0xa5 either side: a view of them. */
function viewOf(bytes: Uint8Array, offset: number, kind: 'buffer' | 'uint8array'): Uint8Array {
  const backing = new ArrayBuffer(offset + bytes.length + 17);
  new Uint8Array(backing).fill(0xa5);
  const view =
    kind === 'buffer' ? Buffer.from(backing, offset, bytes.length) : new Uint8Array(backing, offset, bytes.length);
  view.set(bytes);
  return view;
}

const AROUND_BLOCKS = [0, 1, 31, 32, 33, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129, 183, 184, 191, 192, 193];

describe('SHA-256 of views, empty and boundary-length messages', () => {
  it.each(['buffer', 'uint8array'] as const)(
    'hashes a %s view at offsets 1, 3, 7 and 61 as node hashes the same bytes alone',
    (kind) => {
      for (const offset of [1, 3, 7, 61])
        for (const length of AROUND_BLOCKS) {
          const bytes = bytesOf(length, `view ${length}`);
          const expected = createHash('sha256').update(bytes).digest('hex');
          expect(hex(sha256(viewOf(bytes, offset, kind))), `${kind}, offset ${offset}, ${length} bytes`).toBe(expected);
        }
    },
  );

  it('hashes the empty message, and a zero-length view into a buffer full of other bytes, as the empty message', () => {
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(hex(sha256(new Uint8Array(0)))).toBe(empty);
    expect(hex(sha256(Buffer.alloc(100, 7).subarray(50, 50)))).toBe(empty);
  });
});

describe('HMAC-SHA256 of views and long keys', () => {
  it('takes keys of 0 to 4096 bytes, long ones hashed first, and keys and messages given as views', () => {
    for (const keyLength of [0, 1, 63, 64, 65, 127, 128, 129, 1000, 4096]) {
      const key = bytesOf(keyLength, `key ${keyLength}`);
      const readyFromView = hmacSha256Key(viewOf(key, 5, 'uint8array'));
      const ready = hmacSha256Key(key);
      for (const length of AROUND_BLOCKS) {
        const message = bytesOf(length, `message ${length}`);
        const expected = createHmac('sha256', key).update(message).digest('hex');
        const where = `key ${keyLength} bytes, message ${length} bytes`;
        expect(hex(hmacSha256(ready, message)), where).toBe(expected);
        expect(hex(hmacSha256(readyFromView, viewOf(message, 9, 'buffer'))), `${where}, both views`).toBe(expected);
      }
    }
  });

  it('is not changed by the caller reusing the key bytes it was made from', () => {
    const key = bytesOf(40, 'reused');
    const expected = createHmac('sha256', Buffer.from(key)).update('message').digest('hex');
    const ready = hmacSha256Key(key);
    key.fill(0);
    expect(hex(hmacSha256(ready, Buffer.from('message')))).toBe(expected);
  });
});

describe('RFC 6979 candidates drawn while other hashes run', () => {
  it('gives each generator the candidates it gives alone, draws of two interleaved with hashes and HMACs between', () => {
    const alone = (x: Buffer, h1: Buffer) => {
      const out: string[] = [];
      for (const candidate of rfc6979Candidates(x, h1)) {
        out.push(hex(candidate));
        if (out.length === 4) break;
      }
      return out;
    };
    const [x1, h1, x2, h2] = ['x1', 'h1', 'x2', 'h2'].map((label) => bytesOf(32, label));
    const expected1 = alone(x1, h1);
    const expected2 = alone(x2, h2);
    const one = rfc6979Candidates(x1, h1);
    const two = rfc6979Candidates(x2, h2);
    const got1: string[] = [];
    const got2: string[] = [];
    const other = hmacSha256Key(bytesOf(200, 'other key'));
    for (let i = 0; i < 4; i++) {
      got1.push(hex(one.next().value!));
      // a hash and an HMAC of two-block messages between the draws: they share the scratch state with the generators
      expect(hex(sha256(bytesOf(120, `between ${i}`)))).toBe(
        createHash('sha256')
          .update(bytesOf(120, `between ${i}`))
          .digest('hex'),
      );
      hmacSha256(other, bytesOf(97, `between ${i}`));
      got2.push(hex(two.next().value!));
    }
    expect(got1).toEqual(expected1);
    expect(got2).toEqual(expected2);
  });
});

describe('deterministic ECDSA over careless inputs', () => {
  it('signs messages of every boundary length, as views or not, with node:crypto.verify accepting each', () => {
    const pairs = Array.from({ length: 6 }, (_, i) => p256KeyFromScalar(scalarFromSeed('audit', String(i))));
    let n = 0;
    for (const length of [...AROUND_BLOCKS, 300, 1000]) {
      const pair = pairs[n++ % pairs.length];
      const message = bytesOf(length, `signed ${length}`);
      const asView = viewOf(message, 3 + (length % 13), length % 2 === 0 ? 'buffer' : 'uint8array');
      const signature = signDeterministic(asView, pair);
      const key = { key: pair.publicKey, dsaEncoding: 'ieee-p1363' } as const;
      expect(verify('sha256', message, key, signature), `${length} bytes`).toBe(true);
      // deterministic: the same bytes alone give the same signature; another message's does not verify
      expect(hex(signDeterministic(message, pair))).toBe(hex(signature));
      expect(verify('sha256', Buffer.concat([message, Buffer.of(0)]), key, signature)).toBe(false);
    }
  });
});
