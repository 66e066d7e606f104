import { sign, verify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../common/credentials/certificate';
import { p256KeyFromScalar, scalarFromSeed } from '../../common/credentials/deterministicEcdsa';
import { benchPki } from '../../emulator/host/benchPki';
import { benchS1spParty } from '../../harness/duis/s1spSigner';

// the bench PKI's root key label (common/credentials/testPki.ts: party/<role>/<entity id>, Z1's assumed root id)
const rootKey = (seed: string) => p256KeyFromScalar(scalarFromSeed(seed, 'party/0/90-B3-D5-1F-30-00-00-00'));

describe("the S1SP's signing party", () => {
  it("is issued by its seed's bench PKI root, the same bytes whether that PKI was ever generated or not", () => {
    const seed = 's1sp-signer-test';
    const alone = benchS1spParty(seed); // the PKI of this seed is not generated: only its issuer is derived
    const x509 = new X509Certificate(Buffer.from(alone.certificate, 'hex'));
    expect(x509.verify(rootKey(seed).publicKey)).toBe(true);
    expect(parseCertificate(alone.certificate)).toMatchObject({
      role: 4,
      entityId: '90-B3-D5-1F-30-00-00-03',
      commonName: 'S1SP',
      notBefore: Date.UTC(2025, 0, 1),
      notAfter: Date.UTC(2036, 0, 1),
    });
    expect(x509.issuer).toBe('OU=07\nCN=TEST');
    benchPki(seed);
    expect(benchS1spParty(seed).certificate).toBe(alone.certificate);
  });

  it('holds the private key its certificate names', () => {
    const party = benchS1spParty('s1sp-signer-test', { entityId: '90-B3-D5-1F-30-00-00-09', role: 5 });
    const certificate = parseCertificate(party.certificate);
    expect(certificate).toMatchObject({ role: 5, entityId: '90-B3-D5-1F-30-00-00-09' });
    const message = Buffer.from('a signed response');
    const signature = sign('sha256', message, { key: party.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(verify('sha256', message, { key: certificate.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('is the party of the seed, entity id and role asked for, whichever was asked for before', () => {
    const issuedBy = (party: { certificate: string }, seed: string) =>
      new X509Certificate(Buffer.from(party.certificate, 'hex')).verify(rootKey(seed).publicKey);
    const a = benchS1spParty('s1sp-a');
    const b = benchS1spParty('s1sp-b');
    expect(issuedBy(a, 's1sp-a') && issuedBy(b, 's1sp-b')).toBe(true);
    expect(issuedBy(b, 's1sp-a')).toBe(false);
    expect(benchS1spParty('s1sp-a')).toBe(a);
    expect(parseCertificate(benchS1spParty('s1sp-a', { role: 5 }).certificate).role).toBe(5);
    expect(
      parseCertificate(benchS1spParty('s1sp-a', { entityId: '90-B3-D5-1F-30-00-00-09' }).certificate).entityId,
    ).toBe('90-B3-D5-1F-30-00-00-09');
    expect(benchS1spParty('s1sp-b')).toBe(b);
  });
});
