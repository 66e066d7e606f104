/** One test PKI for all device tests (deterministic: same seed, same certificates). */
import { credentialSlotsFromPki, generateTestPki, issueTestCertificate, signReplacement } from '../../../devices/credentials/testPki';
import type { ReplacementModeName } from '../../../devices/credentials';
import type { RemotePartyRole } from '../../../devices/credentials/roles';
import { T0 } from './deviceHarness';

const YEAR = 365 * 24 * 3600 * 1000;

export const pki = generateTestPki({ seed: 'devices-tests', notBefore: T0 - YEAR, notAfter: T0 + 10 * YEAR });
export const initialSlots = credentialSlotsFromPki(pki);

/** A second party for a role (a new supplier, a DCC replacement), issued by the same CA. */
export function newParty(role: RemotePartyRole, entityId: string) {
  return issueTestCertificate(pki, { role, entityId });
}

/** replaceCredentials fields for a new certificate, signed by the key of the given party role of the test PKI. */
export function replacement(
  role: RemotePartyRole,
  mode: ReplacementModeName,
  certificate: string,
  signerRole: RemotePartyRole,
): { role: RemotePartyRole; mode: ReplacementModeName; certificate: string; signature: string } {
  const signature = signReplacement({ role, mode, certificate }, pki.parties[signerRole].privateKey);
  return { role, mode, certificate, signature };
}
