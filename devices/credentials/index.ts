/**
 * Security credentials as a device holds and checks them: trust anchor slots and their replacement (GBCS CS02b;
 * SR 6.15.1 / 6.23), clockSync authority, the alerts they raise. The vocabulary and codecs a harness shares with the
 * devices (roles, certificates, replacement modes, signed-data layouts, the test PKI) are in common/credentials/.
 */
export {
  emptyCredentialSlots,
  installCertificate,
  slotsFromCertificates,
  slotFor,
  readCredential,
  occupiedRoles,
  credentialSlotsFromPki,
} from './slots';
export type { CredentialSlot, CredentialSlots } from './slots';
export { CREDENTIAL_ALERTS } from './alerts';
export { applyReplacement } from './replacement';
export type { ReplacementRequest, ReplacementOptions, ReplacementOutcome } from './replacement';
export type { OriginatorCounters } from './authentication';
export { authoriseClockSync } from './clockSyncAuthority';
export type { ClockSyncRequest } from './clockSyncAuthority';
