import { createHash, type KeyObject } from 'node:crypto';
import { signDeterministic, subjectPublicKeyInfo } from './deterministicEcdsa';
import {
  bitString,
  booleanTrue,
  element,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from './derWriter';
import { TAG } from './derReader';
import { bytesToHex } from './hex';
import { entityIdBytes, type RemotePartyRole } from './roles';
import { OID } from './x509Oids';

/** The issuing CA named in a test organisation certificate, as in the DCC's Z1 (`OU=07, CN=Z1`). */
export interface CertificateIssuer {
  readonly name: string;
  /** Signs as a SigningKey: an issuer whose key withP256Key gave signs from its scalar, importing nothing. */
  readonly privateKey: KeyObject;
}

export interface OrganisationCertificateFields {
  readonly role: RemotePartyRole;
  readonly entityId: string;
  readonly commonName?: string;
  /** A public KeyObject or a key pair (subjectPublicKeyInfo: a key derived here is written without an export). */
  readonly subjectPublicKey: KeyObject | { readonly publicKey: KeyObject };
  /** ms since the epoch; whole seconds are encoded, any fraction is dropped. */
  readonly notBefore: number;
  readonly notAfter: number;
}

/**
 * Builds a DER organisation certificate shaped like the DCC's Z1 ones (openssl asn1parse of tests/fixtures/pki): v3,
 * ecdsa-with-SHA256, issuer `OU=07, CN=<issuer>` (PrintableString), subject `[CN=<name>,] OU=<role as two digits>,
 * x500UniqueIdentifier=<BIT STRING of the 8-byte entity id>` (UTF8String names), P-256 key, a critical keyUsage of
 * digitalSignature only. The serial number is derived from the content, so the same inputs give the same bytes.
 * Returns lower-case hex.
 */
export function buildOrganisationCertificate(fields: OrganisationCertificateFields, issuer: CertificateIssuer): string {
  const issuerName = sequence(
    set(sequence(oid(OID.organizationalUnitName), printableString('07'))),
    set(sequence(oid(OID.commonName), printableString(issuer.name))),
  );
  const subjectName = sequence(
    ...(fields.commonName === undefined ? [] : [set(sequence(oid(OID.commonName), utf8String(fields.commonName)))]),
    set(sequence(oid(OID.organizationalUnitName), utf8String(String(fields.role).padStart(2, '0')))),
    set(sequence(oid(OID.x500UniqueIdentifier), bitString(entityIdBytes(fields.entityId)))),
  );
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  const keyUsageDigitalSignature = sequence(
    oid(OID.keyUsage),
    booleanTrue(),
    octetString(Buffer.from('03020780', 'hex')),
  );
  const afterSerial = [
    signatureAlgorithm,
    issuerName,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    subjectName,
    subjectPublicKeyInfo(fields.subjectPublicKey),
    element(TAG.explicit3, sequence(keyUsageDigitalSignature)),
  ];
  // 16 bytes like Z1's serials, positive (top bit clear) and never zero
  const serial = createHash('sha256').update(Buffer.concat(afterSerial)).digest().subarray(0, 16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  const tbs = sequence(element(TAG.explicit0, unsignedInteger(2n)), unsignedInteger(serial), ...afterSerial);

  // X.509 carries ECDSA signatures as DER Ecdsa-Sig-Value, not r‖s
  const rs = signDeterministic(tbs, issuer);
  const signatureValue = sequence(unsignedInteger(rs.subarray(0, 32)), unsignedInteger(rs.subarray(32)));
  return bytesToHex(sequence(tbs, signatureAlgorithm, bitString(signatureValue)));
}
