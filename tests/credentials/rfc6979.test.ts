import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rfc6979Candidates } from '../../common/credentials/rfc6979';

/** RFC 6979 3.2 as the RFC writes it, for SHA-256 and qlen = 256, with node:crypto's HMAC: its first `count` T. */
function referenceCandidates(x: Buffer, h1: Buffer, count: number): string[] {
  const hmac = (key: Buffer, ...parts: Buffer[]) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();
  let v = Buffer.alloc(32, 0x01);
  let k = Buffer.alloc(32, 0x00);
  k = hmac(k, v, Buffer.from([0x00]), x, h1);
  v = hmac(k, v);
  k = hmac(k, v, Buffer.from([0x01]), x, h1);
  v = hmac(k, v);
  const found: string[] = [];
  while (found.length < count) {
    v = hmac(k, v);
    found.push(v.toString('hex'));
    k = hmac(k, v, Buffer.from([0x00]));
    v = hmac(k, v);
  }
  return found;
}

function first(x: Buffer, h1: Buffer, count: number): string[] {
  const found: string[] = [];
  for (const candidate of rfc6979Candidates(x, h1)) {
    found.push(Buffer.from(candidate).toString('hex'));
    if (found.length === count) break;
  }
  return found;
}

// RFC 6979 appendix A.2.5: the P-256 key, and the k it derives with SHA-256 for "sample" and "test"
const RFC_X = Buffer.from('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721', 'hex');

describe('RFC 6979 nonce candidates (SHA-256, 256-bit order)', () => {
  it.each([
    ['sample', 'a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60'],
    ['test', 'd16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0'],
  ])('gives the RFC k for %j first', (message, k) => {
    // H(m) is below the P-256 order for both messages, so bits2octets(H(m)) is H(m)
    const h1 = createHash('sha256').update(message).digest();
    expect(first(RFC_X, h1, 1)).toEqual([k]);
  });

  it('gives the candidates after a refused one as the RFC steps do (h.3: K and V moved on first)', () => {
    for (let i = 0; i < 8; i++) {
      const x = createHash('sha256').update(`x ${i}`).digest();
      const h1 = createHash('sha256').update(`h1 ${i}`).digest();
      expect(first(x, h1, 4), `pair ${i}`).toEqual(referenceCandidates(x, h1, 4));
    }
  });

  it('gives each candidate as its own bytes: one kept while the next is drawn does not change', () => {
    const seen: Buffer[] = [];
    const copies: string[] = [];
    for (const candidate of rfc6979Candidates(RFC_X, Buffer.alloc(32, 7))) {
      seen.push(candidate);
      copies.push(candidate.toString('hex'));
      if (seen.length === 3) break;
    }
    expect(seen.map((candidate) => candidate.toString('hex'))).toEqual(copies);
  });
});
