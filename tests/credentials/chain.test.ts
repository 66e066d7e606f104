import { X509Certificate } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { chainFailure } from '../../devices/credentials/chain';
import { credentialSlotsFromPki } from '../../devices/credentials/slots';
import { generateTestPki, issueTestCertificate } from '../../common/credentials/testPki';

const validity = { notBefore: Date.UTC(2015, 0, 1), notAfter: Date.UTC(2035, 0, 1) };
const pkiA = generateTestPki({ seed: 'chain-a', ...validity });
const pkiB = generateTestPki({ seed: 'chain-b', ...validity });
const slotsA = credentialSlotsFromPki(pkiA);
const slotsB = credentialSlotsFromPki(pkiB);
const notSignedBy = (entity: string) => `new certificate is not signed by the root slot's key (entity ${entity})`;
// both PKIs' roots carry the Z1 root id; the failure names it
const ROOT = '90-B3-D5-1F-30-00-00-00';

describe('chainFailure: a verdict per (root certificate, certificate), never per certificate alone', () => {
  it("validates A's certificate under A's root, then refuses the same text under B's root, and again under A accepts", () => {
    const fromA = issueTestCertificate(pkiA, { role: 3, entityId: '90-B3-D5-1F-30-02-00-21' }).certificate;
    expect(chainFailure(slotsA, fromA)).toBeNull();
    expect(chainFailure(slotsB, fromA)).toBe(notSignedBy(ROOT));
    expect(chainFailure(slotsA, fromA)).toBeNull();
  });

  it("refuses B's certificate under A's root first, then validates it under B's root", () => {
    const fromB = issueTestCertificate(pkiB, { role: 2, entityId: '90-B3-D5-1F-30-01-00-21' }).certificate;
    expect(chainFailure(slotsA, fromB)).toBe(notSignedBy(ROOT));
    expect(chainFailure(slotsB, fromB)).toBeNull();
    expect(chainFailure(slotsA, fromB)).toBe(notSignedBy(ROOT));
  });

  it('refuses a certificate whose signature was altered after one that verified (the verdict is of the bytes)', () => {
    const good = issueTestCertificate(pkiA, { role: 3, entityId: '90-B3-D5-1F-30-02-00-22' }).certificate;
    expect(chainFailure(slotsA, good)).toBeNull();
    // the last byte is the low byte of the signature's s: the DER stays well formed, the signature no longer verifies
    const last = good.slice(-2) === '00' ? '01' : '00';
    expect(chainFailure(slotsA, good.slice(0, -2) + last)).toBe(notSignedBy(ROOT));
  });

  it('reads the certificate in either case: the upper-case text validates as the lower-case one', () => {
    const fromA = issueTestCertificate(pkiA, { role: 2, entityId: '90-B3-D5-1F-30-01-00-22' }).certificate;
    expect(chainFailure(slotsA, fromA.toUpperCase())).toBeNull();
    expect(chainFailure(slotsB, fromA.toUpperCase())).toBe(notSignedBy(ROOT));
  });

  it('names an unusable root certificate rather than remembering anything for it', () => {
    const badRoot = { ...slotsA, 0: { ...slotsA[0]!, certificate: '3000' } };
    const fromA = issueTestCertificate(pkiA, { role: 3, entityId: '90-B3-D5-1F-30-02-00-23' }).certificate;
    expect(chainFailure(badRoot, fromA)).toMatch(/^the root slot holds an unusable certificate: /);
    expect(chainFailure(slotsA, fromA)).toBeNull();
  });

  it('checks the CA signature once a pair, however many texts of those certificates come (a fleet run: one PKI)', () => {
    const fromA = issueTestCertificate(pkiA, { role: 2, entityId: '90-B3-D5-1F-30-01-00-24' }).certificate;
    const verify = vi.spyOn(X509Certificate.prototype, 'verify');
    try {
      for (let i = 0; i < 5; i++) {
        // a new string each time, as a request's field is: the same text, the same verdict
        expect(chainFailure(slotsA, [...fromA].join(''))).toBeNull();
        expect(chainFailure(slotsB, fromA.slice(0, 10) + fromA.slice(10))).toBe(notSignedBy(ROOT));
      }
      expect(verify).toHaveBeenCalledTimes(2);
    } finally {
      verify.mockRestore();
    }
  });
});
