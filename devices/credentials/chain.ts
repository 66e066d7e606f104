import { X509Certificate } from 'node:crypto';
import { boundedMemo } from '../../common/boundedMemo';
import { parseCertificate } from '../../common/credentials/certificate';
import type { CredentialSlots } from './slots';

/**
 * Certificate path validation, shortened: a new certificate must be signed by the key of the certificate in the
 * root slot (slot 0). GBCS devices validate an organisation certificate up to the SMKI root they hold; the bench
 * PKI (testPki.ts) collapses the DCC's root CA and organisation issuing CA into one key, the root party's, so the
 * path is one step long (assumed simplification; the real Z1 chain has an issuing CA in between). A certificate
 * from any other CA, however well formed, does not validate (issue 8 item 17).
 *
 * null when the certificate validates; otherwise why not.
 */
export function chainFailure(slots: CredentialSlots, certificateHex: string): string | null {
  const root = slots[0];
  if (root === null) return 'the root slot is empty, so no certificate can be validated';
  try {
    parseCertificate(root.certificate);
  } catch (error) {
    return `the root slot holds an unusable certificate: ${(error as Error).message}`;
  }
  return signedByRoot(`${root.certificate}/${certificateHex}`, root.certificate, certificateHex)
    ? null
    : `new certificate is not signed by the root slot's key (entity ${root.entityId})`;
}

/**
 * Verdicts kept at most. A fleet run has one PKI: every installation's meters validate the same few DCC-era
 * certificates (supplier, network operator, a split home's gas supplier) against the same root, four checks an
 * installation that this turns into one a run; a peer's ever new certificates only cycle the oldest out.
 */
const CHAIN_VERDICTS_REMEMBERED = 256;

/**
 * Whether the root certificate's key signed the certificate, for `<root hex>/<certificate hex>`: a pure function of
 * the two texts (a signature over the DER either verifies with a key or not), so it is worked out once a pair. The
 * root's text has been parsed already (parseCertificate remembers it); a certificate X.509 cannot read throws, and
 * is not remembered.
 */
const signedByRoot = boundedMemo(CHAIN_VERDICTS_REMEMBERED, (_pair, rootHex: string, certificateHex: string) => {
  const certificate = new X509Certificate(Buffer.from(certificateHex, 'hex'));
  return certificate.verify(parseCertificate(rootHex).publicKey);
});
