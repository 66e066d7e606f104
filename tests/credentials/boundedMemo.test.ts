import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../common/boundedMemo';
import { parseCertificate } from '../../common/credentials/certificate';
import { benchIssuer, benchPki } from '../../emulator/host/benchPki';

describe('boundedMemo', () => {
  it('computes a key once while it is held, and holds at most `limit` keys, forgetting the oldest first', () => {
    const calls: string[] = [];
    const memo = boundedMemo(3, (key) => {
      calls.push(key);
      return { key };
    });
    const a = memo('a');
    expect(memo('a')).toBe(a);
    memo('b');
    memo('c');
    memo('d'); // 'a' goes
    expect(memo.size).toBe(3);
    expect(memo('d')).toEqual({ key: 'd' });
    expect(memo('a')).not.toBe(a); // computed again
    expect(calls).toEqual(['a', 'b', 'c', 'd', 'a']);
    for (let i = 0; i < 1000; i++) memo(`flood ${i}`);
    expect(memo.size).toBe(3);
  });

  it('does not remember a computation that threw: the next call throws again', () => {
    let calls = 0;
    const memo = boundedMemo(4, (key) => {
      calls++;
      throw new Error(`bad ${key}`);
    });
    expect(() => memo('x')).toThrow('bad x');
    expect(() => memo('x')).toThrow('bad x');
    expect(calls).toBe(2);
    expect(memo.size).toBe(0);
  });

  it('hands its arguments to the computation on a miss, and decides a hit by the key alone', () => {
    const seen: [string, number][] = [];
    const memo = boundedMemo(4, (key, n: number) => {
      seen.push([key, n]);
      return `${key}:${n}`;
    });
    expect(memo('a', 1)).toBe('a:1');
    expect(memo('a', 2)).toBe('a:1');
    expect(memo('b', 3)).toBe('b:3');
    expect(seen).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });
});

describe('benchIssuer', () => {
  it("gives the same issuer for a seed whose PKI is not generated, and the PKI's own once it is", () => {
    const alone = benchIssuer('issuer-memo-test');
    expect(benchIssuer('issuer-memo-test')).toBe(alone);
    const pki = benchPki('issuer-memo-test');
    expect(benchIssuer('issuer-memo-test')).toBe(pki);
    expect(pki.issuer.publicKey.export({ format: 'jwk' })).toEqual(alone.issuer.publicKey.export({ format: 'jwk' }));
  });
});

describe('parseCertificate is remembered per text', () => {
  const pki = benchPki('memo-test');

  it('gives the same frozen result for the same text, and each certificate its own', () => {
    const supplier = parseCertificate(pki.parties[2].certificate);
    expect(parseCertificate(pki.parties[2].certificate)).toBe(supplier);
    expect(Object.isFrozen(supplier)).toBe(true);
    expect(parseCertificate(pki.parties[3].certificate).entityId).not.toBe(supplier.entityId);
    expect(parseCertificate(pki.parties[3].certificate).role).toBe(3);
    expect(supplier.role).toBe(2);
  });

  it('throws for bad input every time, naming what is wrong', () => {
    expect(() => parseCertificate('3000')).toThrow(/certificate|DER/);
    expect(() => parseCertificate('3000')).toThrow(/certificate|DER/);
  });
});
