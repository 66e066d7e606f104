/**
 * `--verify-signatures`: a request must be signed by its originator (the RequestID's first EUI) with a certificate
 * of a role that may send the SRV. The verifier trusts only certificates it was given (a directory built from the
 * bench PKI); a KeyInfo in the request is ignored, so a forger cannot bring their own key.
 */
import { parseCertificate, type OrganisationCertificate } from '../../common/credentials/certificate';
import type { RemotePartyRole } from '../../common/credentials/roles';
import { benchPki } from '../../emulator/host/benchPki';
import type { UserRole } from '../dsp/roleMatrix';
import type { XmlDocument } from './xmlDocument';
import { checkDocumentSignature, type SignatureCheck } from './xmlSignature';

/**
 * The GBCS remote party role of the organisation certificate a DUIS user role signs with: suppliers (IS, GS) as
 * supplier, network operators (ED, GT) as networkOperator (inferred from GBCS: these are the roles whose
 * certificates devices hold). Other user roles have no device-facing certificate modelled here.
 */
const SIGNING_ROLE: Partial<Record<UserRole, RemotePartyRole>> = { IS: 2, GS: 2, ED: 3, GT: 3 };

export class UserCertificateDirectory {
  private readonly byUser = new Map<string, OrganisationCertificate[]>();

  /** Adds a DER certificate (hex); its subject's entity id names the user. */
  add(certificateHex: string): this {
    const certificate = parseCertificate(certificateHex);
    const list = this.byUser.get(certificate.entityId.toUpperCase()) ?? [];
    list.push(certificate);
    this.byUser.set(certificate.entityId.toUpperCase(), list);
    return this;
  }

  certificatesOf(userId: string): readonly OrganisationCertificate[] {
    return this.byUser.get(userId.toUpperCase()) ?? [];
  }
}

/**
 * The users of a bench: the supplier and network-operator parties of the seeded bench PKI (Z1 entity ids, the RTDS
 * user ids), whose private keys sign requests in tests and in `--verify-signatures` runs.
 */
export function benchUserCertificates(seed: string): UserCertificateDirectory {
  const pki = benchPki(seed);
  return new UserCertificateDirectory().add(pki.parties[2].certificate).add(pki.parties[3].certificate);
}

/** Verifies the signature of `document`, the tree the gateway then acts on. */
export function verifyRequestSignature(
  document: XmlDocument,
  context: {
    readonly originator: string;
    readonly eligibleRoles: readonly UserRole[];
    readonly directory: UserCertificateDirectory;
    readonly at: Date;
  },
): SignatureCheck {
  const roles = new Set(
    context.eligibleRoles.map((r) => SIGNING_ROLE[r]).filter((r): r is RemotePartyRole => r !== undefined),
  );
  const at = context.at.getTime();
  const candidates = context.directory
    .certificatesOf(context.originator)
    .filter((c) => roles.has(c.role) && c.notBefore <= at && at <= c.notAfter);
  if (candidates.length === 0) {
    const first = checkDocumentSignature(document, undefined);
    if (!first.ok && first.reason === 'unsigned') return first;
    return {
      ok: false,
      reason: 'invalid',
      detail: `no valid certificate of ${context.originator} in a role that may send this request (${context.eligibleRoles.join(', ')})`,
    };
  }
  let last: SignatureCheck = { ok: false, reason: 'invalid', detail: 'no certificate tried' };
  for (const certificate of candidates) {
    last = checkDocumentSignature(document, certificate.publicKey);
    if (last.ok || last.reason === 'unsigned') return last;
  }
  return last;
}
