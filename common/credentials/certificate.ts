import { createHash, KeyObject, X509Certificate } from 'node:crypto';
import {
  contentOf,
  expectTag,
  readChildren,
  readDirectoryString,
  readElement,
  readTime,
  TAG,
  type DerElement,
} from './derReader';
import { boundedMemo } from '../boundedMemo';
import { CredentialError } from './errors';
import { bytesToHex, hexToBytes } from './hex';
import { formatEntityId, isRemotePartyRole, type RemotePartyRole } from './roles';
import { OID } from './x509Oids';

/** What a device needs to know about a remote party's organisation certificate. */
export interface OrganisationCertificate {
  /** GBCS remote party role, from the subject OU (two digits, e.g. `03`). */
  readonly role: RemotePartyRole;
  /** The party's entity id, from the subject x500UniqueIdentifier, e.g. `90-B3-D5-1F-30-02-00-00`. */
  readonly entityId: string;
  /** Subject CN; only some parties (e.g. suppliers in the DCC's Z1 PKI) carry one. */
  readonly commonName: string | null;
  /** Validity period, ms since the epoch, both ends inclusive (RFC 5280). */
  readonly notBefore: number;
  readonly notAfter: number;
  /** The key that verifies this party's signatures (ECDSA P-256). */
  readonly publicKey: KeyObject;
  /** The same key as DER SubjectPublicKeyInfo, lower-case hex (for JSON reports). */
  readonly publicKeySpki: string;
  /** Lower-case hex, as node:crypto reads it. */
  readonly serialNumber: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  readonly fingerprint: string;
}

/**
 * Parses a GBCS organisation certificate given as lower-case hex DER. Throws CredentialError naming what is wrong
 * when the input is not hex, not a DER X.509 certificate, not ECDSA P-256, or lacks a role OU or 8-byte entity id.
 * The same text gives the same (immutable) result, remembered for the last CERTIFICATES_REMEMBERED texts: X.509
 * parsing and the key export were 5 % of a migration's CPU, for a handful of certificates read again and again.
 */
export function parseCertificate(derHex: string): OrganisationCertificate {
  return parsedCertificates(derHex);
}

/** A bench holds a few dozen certificates; a fleet's own are issued per installation and read while it migrates. */
const CERTIFICATES_REMEMBERED = 1024;
const parsedCertificates = boundedMemo(CERTIFICATES_REMEMBERED, readCertificate);

function readCertificate(derHex: string): OrganisationCertificate {
  const der = hexToBytes(derHex, 'certificate');
  if (der.length === 0) throw new CredentialError('certificate is empty');
  const outer = expectTag(readElement(der, 0, der.length), TAG.sequence, 'Certificate');
  if (outer.end !== der.length) throw new CredentialError(`certificate has ${der.length - outer.end} trailing bytes`);

  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (error) {
    throw new CredentialError(`not an X.509 certificate: ${(error as Error).message}`);
  }
  const publicKey = x509.publicKey;
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new CredentialError('certificate key is not ECDSA P-256, the only curve GBCS uses');
  }

  const tbs = readTbsFields(der, outer);
  const subject = readSubject(der, tbs.subject);
  const validity = readChildren(der, expectTag(tbs.validity, TAG.sequence, 'Validity'));
  if (validity.length !== 2) throw new CredentialError('DER: Validity must hold exactly notBefore and notAfter');

  let publicKeySpki: string | undefined;
  return Object.freeze({
    role: subject.role,
    entityId: subject.entityId,
    commonName: subject.commonName,
    notBefore: readTime(der, validity[0], 'notBefore'),
    notAfter: readTime(der, validity[1], 'notAfter'),
    publicKey,
    // exported when first read: the first export of a key read from a certificate cost more than parsing it
    get publicKeySpki() {
      return (publicKeySpki ??= bytesToHex(publicKey.export({ type: 'spki', format: 'der' })));
    },
    serialNumber: x509.serialNumber.toLowerCase(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  });
}

function readTbsFields(der: Buffer, certificate: DerElement): { validity: DerElement; subject: DerElement } {
  const [tbsElement] = readChildren(der, certificate);
  const fields = readChildren(der, expectTag(tbsElement, TAG.sequence, 'TBSCertificate'));
  // version is an optional explicit [0]; the fields after it are positional
  const first = fields[0]?.tag === TAG.explicit0 ? 1 : 0;
  const [, , , validity, subject] = fields.slice(first);
  return {
    validity: expectTag(validity, TAG.sequence, 'Validity'),
    subject: expectTag(subject, TAG.sequence, 'subject Name'),
  };
}

interface SubjectFields {
  role: RemotePartyRole;
  entityId: string;
  commonName: string | null;
}

const ROLE_OU = /^[0-9A-Fa-f]{2}$/;

function readSubject(der: Buffer, name: DerElement): SubjectFields {
  const found = new Map<string, DerElement>();
  for (const rdn of readChildren(der, name)) {
    for (const attribute of readChildren(der, expectTag(rdn, TAG.set, 'subject RDN'))) {
      const [type, value] = readChildren(der, expectTag(attribute, TAG.sequence, 'subject attribute'));
      const oidHex = bytesToHex(contentOf(der, expectTag(type, TAG.oid, 'subject attribute type')));
      if (value === undefined) throw new CredentialError('DER: subject attribute has no value');
      // a second OU or unique id would make the role or the party ambiguous: refuse rather than pick one
      if (found.has(oidHex) && oidHex !== OID.commonName) {
        throw new CredentialError(`subject holds attribute ${oidHex} more than once`);
      }
      if (!found.has(oidHex)) found.set(oidHex, value);
    }
  }

  const ouElement = found.get(OID.organizationalUnitName);
  if (ouElement === undefined) throw new CredentialError('subject has no OU (the remote party role)');
  const ou = readDirectoryString(der, ouElement, 'subject OU');
  const role = ROLE_OU.test(ou) ? parseInt(ou, 16) : NaN;
  if (!isRemotePartyRole(role)) {
    throw new CredentialError(`subject OU ${JSON.stringify(ou)} is not a remote party role (two digits, 00 to 06)`);
  }

  const uidElement = found.get(OID.x500UniqueIdentifier);
  if (uidElement === undefined) throw new CredentialError('subject has no x500UniqueIdentifier (the entity id)');
  const uid = contentOf(der, expectTag(uidElement, TAG.bitString, 'subject x500UniqueIdentifier'));
  if (uid.length !== 9 || uid[0] !== 0) {
    throw new CredentialError('subject x500UniqueIdentifier must be a BIT STRING of exactly 8 whole bytes');
  }

  const cnElement = found.get(OID.commonName);
  return {
    role,
    entityId: formatEntityId(uid.subarray(1)),
    commonName: cnElement === undefined ? null : readDirectoryString(der, cnElement, 'subject CN'),
  };
}
