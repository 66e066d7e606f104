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
  let rootKey;
  try {
    rootKey = parseCertificate(root.certificate).publicKey;
  } catch (error) {
    return `the root slot holds an unusable certificate: ${(error as Error).message}`;
  }
  const certificate = x509Of(certificateHex);
  return certificate.verify(rootKey)
    ? null
    : `new certificate is not signed by the root slot's key (entity ${root.entityId})`;
}

/** The same certificate is validated at each device it is installed on (parsing, not the signature check, was the cost). */
const x509Of = boundedMemo(1024, (hex: string) => new X509Certificate(Buffer.from(hex, 'hex')));
