import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../common/credentials/certificate';
import { buildOrganisationCertificate } from '../../common/credentials/certificateBuilder';
import { CredentialError } from '../../common/credentials/errors';
import type { RemotePartyRole } from '../../common/credentials/roles';
import { generateTestPki } from '../../common/credentials/testPki';

/** The DCC's real Z1 test certificates, vendored in tests/fixtures/pki (origin and licence in its README). */
const z1 = (file: string): string =>
  new X509Certificate(readFileSync(new URL(`../fixtures/pki/${file}`, import.meta.url))).raw.toString('hex');

describe('parseCertificate on the DCC Z1 certificates', () => {
  // exactly the table in tests/fixtures/pki/README.md
  it.each([
    ['Z1-recovery-ds.pem', 1, '90-B3-D5-1F-30-00-00-01', null],
    ['Z1-supplier-ds.pem', 2, '90-B3-D5-1F-30-01-00-00', 'GITTESTSUPPLIER'],
    ['Z1-supplier2-ds.pem', 2, '90-B3-D5-1F-30-03-00-00', 'GITTESTSUPPLIER2'],
    ['Z1-networkOperator-ds.pem', 3, '90-B3-D5-1F-30-02-00-00', null],
    ['Z1-accessControlBroker-ds.pem', 4, '90-B3-D5-1F-30-00-00-02', null],
    ['Z1-transitionalCoS-ds.pem', 5, '90-B3-D5-1F-30-00-00-04', null],
    ['Z1-wanProvider-ds.pem', 6, '90-B3-D5-1F-30-00-00-07', null],
  ])('%s is role %i, entity %s, CN %s', (file, role, entityId, commonName) => {
    const parsed = parseCertificate(z1(file));
    expect(parsed.role).toBe(role);
    expect(parsed.entityId).toBe(entityId);
    expect(parsed.commonName).toBe(commonName);
  });

  it('reads the network operator certificate validity, serial, fingerprint and key exactly', () => {
    const der = z1('Z1-networkOperator-ds.pem');
    const parsed = parseCertificate(der);
    expect(parsed.notBefore).toBe(Date.UTC(2015, 9, 30, 0, 0, 0));
    expect(parsed.notAfter).toBe(Date.UTC(2025, 9, 29, 23, 59, 59));
    expect(parsed.serialNumber).toBe('4fc0252e553ecd05d4f72dcfad55c8e7');
    expect(parsed.fingerprint).toBe(createHash('sha256').update(Buffer.from(der, 'hex')).digest('hex'));
    expect(parsed.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(parsed.publicKeySpki).toMatch(/^3059301306072a8648ce3d020106082a8648ce3d03010703420004[0-9a-f]{128}$/);
  });

  it('accepts upper-case hex as the same certificate', () => {
    const der = z1('Z1-wanProvider-ds.pem');
    expect(parseCertificate(der.toUpperCase()).fingerprint).toBe(parseCertificate(der).fingerprint);
  });
});

describe('parseCertificate refuses malformed input with a CredentialError saying why', () => {
  const pki = generateTestPki({
    seed: 'certificate-tests',
    notBefore: Date.UTC(2020, 0, 1),
    notAfter: Date.UTC(2030, 0, 1),
  });
  const good = pki.parties[3].certificate;
  const refusal = (input: string) => {
    try {
      parseCertificate(input);
    } catch (error) {
      expect(error).toBeInstanceOf(CredentialError);
      return (error as Error).message;
    }
    throw new Error('parseCertificate accepted malformed input');
  };

  it('not hex', () => expect(refusal('zz')).toMatch(/not a hex byte string/));
  it('odd number of hex digits', () => expect(refusal(good.slice(0, -1))).toMatch(/not a hex byte string/));
  it('empty', () => expect(refusal('')).toMatch(/empty/));
  it('truncated by one byte', () => expect(refusal(good.slice(0, -2))).toMatch(/past its container/));
  it('trailing bytes', () => expect(refusal(`${good}00`)).toMatch(/1 trailing bytes/));
  it('indefinite (BER) length', () => expect(refusal('3080')).toMatch(/unsupported length form 0x80/));
  it('a DER SEQUENCE that is not a certificate', () =>
    expect(refusal('3003020101')).toMatch(/not an X.509 certificate/));

  // byte surgery on a good certificate: node:crypto still parses it (the signature is not checked here)
  it('no OU in the subject', () => {
    expect(refusal(good.replace('060355040b0c023033', '060355040c0c023033'))).toMatch(/subject has no OU/);
  });
  it('no x500UniqueIdentifier in the subject', () => {
    expect(refusal(good.replace('060355042d', '060355042e'))).toMatch(/no x500UniqueIdentifier/);
  });
  it('a unique identifier with unused bits', () => {
    expect(refusal(good.replace('060355042d030900', '060355042d030901'))).toMatch(/exactly 8 whole bytes/);
  });
  it('OU 07, the issuing CA, is not a remote party role', () => {
    const ca = buildOrganisationCertificate(
      {
        role: 7 as RemotePartyRole,
        entityId: '90-B3-D5-1F-30-00-00-07',
        subjectPublicKey: pki.issuer.publicKey,
        notBefore: 0,
        notAfter: 1000,
      },
      { name: 'TEST', privateKey: pki.issuer.privateKey },
    );
    expect(refusal(ca)).toMatch(/subject OU "07" is not a remote party role/);
  });
  it('a key that is not P-256', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const p384 = buildOrganisationCertificate(
      { role: 2, entityId: '90-B3-D5-1F-30-01-00-00', subjectPublicKey: publicKey, notBefore: 0, notAfter: 1000 },
      { name: 'TEST', privateKey: pki.issuer.privateKey },
    );
    expect(refusal(p384)).toMatch(/not ECDSA P-256/);
  });
});
