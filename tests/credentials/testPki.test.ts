import { verify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../common/credentials/certificate';
import { clockSyncSignedData, replacementSignedData } from '../../common/credentials/signedData';
import { ALL_ROLES } from '../../common/credentials/roles';
import {
  generateTestPki,
  issueTestCertificate,
  signClockSync,
  signReplacement,
  testPkiIssuer,
  Z1_ENTITY_IDS,
} from '../../common/credentials/testPki';
import { p256KeyFromScalar, scalarFromSeed } from '../../common/credentials/deterministicEcdsa';
import { credentialSlotsFromPki } from '../../devices/credentials/slots';

const notBefore = Date.UTC(2020, 0, 1);
const notAfter = Date.UTC(2030, 0, 1, 23, 59, 59);
const options = { seed: 'smso-1', notBefore, notAfter };

describe('generateTestPki', () => {
  const pki = generateTestPki(options);

  it('gives every role a certificate with OU = role, the Z1 entity id and the requested validity', () => {
    for (const role of ALL_ROLES) {
      const parsed = parseCertificate(pki.parties[role].certificate);
      expect(parsed).toMatchObject({ role, entityId: Z1_ENTITY_IDS[role], commonName: null, notBefore, notAfter });
      expect(parsed.publicKeySpki).toBe(
        pki.parties[role].publicKey.export({ type: 'spki', format: 'der' }).toString('hex'),
      );
    }
  });

  it('issues certificates that node:crypto verifies against the issuing CA key, with the Z1 name shapes', () => {
    for (const role of ALL_ROLES) {
      const x509 = new X509Certificate(Buffer.from(pki.parties[role].certificate, 'hex'));
      expect(x509.verify(pki.issuer.publicKey)).toBe(true);
      expect(x509.verify(pki.parties[0].publicKey)).toBe(true); // the issuing key is the root party's
      expect(x509.issuer).toBe('OU=07\nCN=TEST');
      expect(x509.subject.split('\n')[0]).toBe(`OU=0${role}`);
    }
  });

  it('is reproducible: the same seed gives the same keys and byte-identical certificates', () => {
    const again = generateTestPki(options);
    for (const role of ALL_ROLES) {
      expect(again.parties[role].certificate).toBe(pki.parties[role].certificate);
      expect(again.parties[role].privateKey.export({ format: 'jwk' })).toEqual(
        pki.parties[role].privateKey.export({ format: 'jwk' }),
      );
    }
  });

  it('gives a different seed different keys', () => {
    const other = generateTestPki({ ...options, seed: 'smso-2' });
    expect(other.parties[3].publicKey.export({ format: 'jwk' })).not.toEqual(
      pki.parties[3].publicKey.export({ format: 'jwk' }),
    );
  });

  it('takes entity ids, common names and an issuer name', () => {
    const custom = generateTestPki({
      ...options,
      issuerName: 'SMSO',
      entityIds: { 3: '00-11-22-33-44-55-66-77' },
      commonNames: { 2: 'SUPPLIER A' },
    });
    expect(parseCertificate(custom.parties[3].certificate).entityId).toBe('00-11-22-33-44-55-66-77');
    expect(parseCertificate(custom.parties[2].certificate).commonName).toBe('SUPPLIER A');
    expect(new X509Certificate(Buffer.from(custom.parties[2].certificate, 'hex')).issuer).toBe('OU=07\nCN=SMSO');
  });

  it('refuses a validity period that ends before it starts', () => {
    expect(() => generateTestPki({ ...options, notBefore: notAfter, notAfter: notBefore })).toThrow(
      /notBefore is after notAfter/,
    );
  });

  it('issues extra parties of a role with their own key', () => {
    const second = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-0B-00-00' });
    expect(parseCertificate(second.certificate)).toMatchObject({ role: 3, entityId: '90-B3-D5-1F-30-0B-00-00' });
    expect(second.publicKey.export({ format: 'jwk' })).not.toEqual(pki.parties[3].publicKey.export({ format: 'jwk' }));
  });

  it('builds device slots holding all seven parties (the SMSO credentials)', () => {
    const slots = credentialSlotsFromPki(pki);
    for (const role of ALL_ROLES) {
      expect(slots[role]).toEqual({ role, entityId: Z1_ENTITY_IDS[role], certificate: pki.parties[role].certificate });
    }
  });
});

describe('testPkiIssuer', () => {
  it("derives generateTestPki's issuing CA alone: the root party's key, from the seed and the root's key label", () => {
    const issuer = testPkiIssuer({ ...options, issuerName: 'SMSO' });
    expect(issuer).not.toHaveProperty('parties');
    expect(issuer).toMatchObject({ seed: 'smso-1', notBefore, notAfter, issuer: { name: 'SMSO' } });
    const root = p256KeyFromScalar(scalarFromSeed('smso-1', `party/0/${Z1_ENTITY_IDS[0]}`));
    expect(issuer.issuer.publicKey.export({ format: 'jwk' })).toEqual(root.publicKey.export({ format: 'jwk' }));
  });

  it('issues the same party, byte for byte, as the whole PKI does', () => {
    const pki = generateTestPki(options);
    const request = { role: 2, entityId: '90-B3-D5-1F-30-0B-00-00', commonName: 'NEW SUPPLIER' } as const;
    const alone = issueTestCertificate(testPkiIssuer(options), request);
    expect(alone.certificate).toBe(issueTestCertificate(pki, request).certificate);
    expect(new X509Certificate(Buffer.from(alone.certificate, 'hex')).verify(pki.parties[0].publicKey)).toBe(true);
  });

  it('refuses a validity period that ends before it starts', () => {
    expect(() => testPkiIssuer({ ...options, notBefore: notAfter, notAfter: notBefore })).toThrow(
      /notBefore is after notAfter/,
    );
  });
});

describe('signReplacement and signClockSync', () => {
  const pki = generateTestPki(options);
  const EUI = '00-DB-12-34-56-78-90-A0';
  const request = { role: 3, mode: 'NObyNO', certificate: pki.parties[3].certificate, counter: 1 } as const;
  const p1363 = (key: (typeof pki.parties)[3]['publicKey']) => ({ key, dsaEncoding: 'ieee-p1363' as const });

  it('returns 64 bytes r‖s that node:crypto verifies over the replacement signed data for that EUI only', () => {
    const signature = signReplacement(request, EUI, pki.parties[3].privateKey);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    const bytes = Buffer.from(signature, 'hex');
    expect(verify('sha256', replacementSignedData(request, EUI), p1363(pki.parties[3].publicKey), bytes)).toBe(true);
    expect(
      verify(
        'sha256',
        replacementSignedData(request, '00-DB-12-34-56-78-90-A1'),
        p1363(pki.parties[3].publicKey),
        bytes,
      ),
    ).toBe(false);
  });

  it('signs a clockSync over its own layout', () => {
    const fields = { currentTime: Date.UTC(2026, 0, 1), counter: 3 };
    const signature = Buffer.from(signClockSync(fields, EUI, pki.parties[2].privateKey), 'hex');
    expect(verify('sha256', clockSyncSignedData(fields, EUI), p1363(pki.parties[2].publicKey), signature)).toBe(true);
  });

  it('is deterministic', () => {
    expect(signReplacement(request, EUI, pki.parties[3].privateKey)).toBe(
      signReplacement(request, EUI, pki.parties[3].privateKey),
    );
  });

  it('signs as a party itself (its scalar) what it signs with its KeyObject', () => {
    const party = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-0C-00-00' });
    const signature = signReplacement(request, EUI, party);
    const bytes = Buffer.from(signature, 'hex');
    expect(verify('sha256', replacementSignedData(request, EUI), p1363(party.publicKey), bytes)).toBe(true);
    expect(signature).toBe(signReplacement(request, EUI, party.privateKey));
  });
});

describe('issueTestCertificate remembers a party by everything its bytes and key depend on', () => {
  const memoOptions = { ...options, seed: 'memo' };
  const pki = testPkiIssuer(memoOptions);
  const base = { role: 3, entityId: '90-B3-D5-1F-30-0D-00-00' } as const;
  const x509 = (party: { certificate: string }) => new X509Certificate(Buffer.from(party.certificate, 'hex'));
  const jwk = (party: { publicKey: import('node:crypto').KeyObject }) => party.publicKey.export({ format: 'jwk' });

  it('gives the same frozen party for the same PKI and request, however the issuer was come by', () => {
    const first = issueTestCertificate(pki, base);
    expect(issueTestCertificate(testPkiIssuer(memoOptions), { ...base })).toBe(first);
    expect(issueTestCertificate(generateTestPki(memoOptions), base)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('issues afresh when any input differs, each certificate carrying its own request', () => {
    const first = issueTestCertificate(pki, base);

    const otherSeed = testPkiIssuer({ ...memoOptions, seed: 'memo-2' });
    const reseeded = issueTestCertificate(otherSeed, base);
    expect(x509(reseeded).verify(otherSeed.issuer.publicKey)).toBe(true);
    expect(jwk(reseeded)).toEqual(jwk(p256KeyFromScalar(scalarFromSeed('memo-2', `party/3/${base.entityId}`))));

    // the same issuer with another seed: the party's own key is derived from the seed
    const sameIssuer = issueTestCertificate({ ...pki, seed: 'memo-3' }, base);
    expect(jwk(sameIssuer)).toEqual(jwk(p256KeyFromScalar(scalarFromSeed('memo-3', `party/3/${base.entityId}`))));
    expect(x509(sameIssuer).verify(pki.issuer.publicKey)).toBe(true);

    const named = testPkiIssuer({ ...memoOptions, issuerName: 'OTHER' });
    expect(x509(issueTestCertificate(named, base)).issuer).toBe('OU=07\nCN=OTHER');

    // the same seed and name, another issuing key (the root's entity id labels it)
    const otherRoot = testPkiIssuer({ ...memoOptions, entityIds: { 0: '90-B3-D5-1F-30-00-00-09' } });
    const reissued = issueTestCertificate(otherRoot, base);
    expect(x509(reissued).verify(otherRoot.issuer.publicKey)).toBe(true);
    expect(x509(reissued).verify(pki.issuer.publicKey)).toBe(false);

    const longer = testPkiIssuer({ ...memoOptions, notAfter: Date.UTC(2031, 5, 1) });
    expect(parseCertificate(issueTestCertificate(longer, base).certificate).notAfter).toBe(Date.UTC(2031, 5, 1));
    const earlier = testPkiIssuer({ ...memoOptions, notBefore: Date.UTC(2019, 5, 1) });
    expect(parseCertificate(issueTestCertificate(earlier, base).certificate).notBefore).toBe(Date.UTC(2019, 5, 1));
    const ownStart = issueTestCertificate(pki, { ...base, notBefore: Date.UTC(2021, 0, 1) });
    expect(parseCertificate(ownStart.certificate).notBefore).toBe(Date.UTC(2021, 0, 1));
    const ownEnd = issueTestCertificate(pki, { ...base, notAfter: Date.UTC(2029, 0, 1) });
    expect(parseCertificate(ownEnd.certificate).notAfter).toBe(Date.UTC(2029, 0, 1));

    // the same key label, so the same key: only the subject differs
    const asSupplier = issueTestCertificate(pki, { ...base, role: 2, keyLabel: `3/${base.entityId}` });
    expect(parseCertificate(asSupplier.certificate).role).toBe(2);
    const otherEntity = issueTestCertificate(pki, {
      ...base,
      entityId: '90-B3-D5-1F-30-0D-00-01',
      keyLabel: `3/${base.entityId}`,
    });
    expect(parseCertificate(otherEntity.certificate).entityId).toBe('90-B3-D5-1F-30-0D-00-01');
    const withName = issueTestCertificate(pki, { ...base, commonName: 'NAMED' });
    expect(parseCertificate(withName.certificate).commonName).toBe('NAMED');

    const relabelled = issueTestCertificate(pki, { ...base, keyLabel: 'memo/other' });
    expect(jwk(relabelled)).toEqual(jwk(p256KeyFromScalar(scalarFromSeed('memo', 'party/memo/other'))));
    expect(parseCertificate(relabelled.certificate).publicKeySpki).not.toBe(
      parseCertificate(first.certificate).publicKeySpki,
    );
    expect(parseCertificate(first.certificate)).toMatchObject({ role: 3, entityId: base.entityId, commonName: null });
  });
});
