import { X509Certificate } from 'node:crypto';
import { parseCertificate, type OrganisationCertificate } from '../../common/credentials/certificate';
import type { CredentialSlots } from './slots';

/**
 * Certificate path validation, shortened: a new certificate must be signed by the key of the certificate in the
 * root slot (slot 0). GBCS devices validate an organisation certificate up to the SMKI root they hold; the bench
 * PKI (testPki.ts) collapses the DCC's root CA and organisation issuing CA into one key, the root party's, so the
 * path is one step long (assumed simplification; the real Z1 chain has an issuing CA in between). A certificate
 * from any other CA, however well formed, does not validate (issue 8 item 17).
 *
 * null when the certificate validates; otherwise why not. `certificateHex` is parsed (throwing when it is not a
 * certificate) unless the caller gives its parse.
 */
export function chainFailure(
  slots: CredentialSlots,
  certificateHex: string,
  // the caller's parse of certificateHex when it has one (a replacement checked its role on it)
  certificate: OrganisationCertificate = parseCertificate(certificateHex),
): string | null {
  const root = slots[0];
  if (root === null) return 'the root slot is empty, so no certificate can be validated';
  let rootCertificate: OrganisationCertificate;
  try {
    rootCertificate = parseCertificate(root.certificate);
  } catch (error) {
    return `the root slot holds an unusable certificate: ${(error as Error).message}`;
  }
  return signedByRoot(rootCertificate, certificate, certificateHex)
    ? null
    : `new certificate is not signed by the root slot's key (entity ${root.entityId})`;
}

/**
 * Verdicts by the parsed root certificate, then by the parsed certificate. parseCertificate gives one object per text
 * while it remembers the text (the last 1,024), so a pair of objects stands for one pair of texts, found without a key
 * made of both (2 KB of text to hash a check, 0.2 % of a fleet run's CPU). A fleet run has one PKI: every
 * installation's meters validate the same few DCC-era certificates (supplier, network operator, a split home's gas
 * supplier) against the same root, four checks an installation that this turns into one a run. The verdicts are held
 * weakly, by the parsed certificates: they go when the parse memo lets a certificate go, so a peer's ever new
 * certificates hold no more than the parse memo does.
 */
const verdicts = new WeakMap<OrganisationCertificate, WeakMap<OrganisationCertificate, boolean>>();

/**
 * Whether the root certificate's key signed the certificate whose text is `certificateHex` (parsed as `certificate`):
 * a pure function of the two texts (a signature over the DER either verifies with a key or not), worked out once a
 * pair.
 */
function signedByRoot(root: OrganisationCertificate, certificate: OrganisationCertificate, certificateHex: string) {
  let byCertificate = verdicts.get(root);
  if (byCertificate === undefined) verdicts.set(root, (byCertificate = new WeakMap()));
  let verdict = byCertificate.get(certificate);
  if (verdict === undefined) {
    verdict = new X509Certificate(Buffer.from(certificateHex, 'hex')).verify(root.publicKey);
    byCertificate.set(certificate, verdict);
  }
  return verdict;
}
