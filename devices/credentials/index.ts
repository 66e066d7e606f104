/** Security credentials: trust anchor slots and their replacement (GBCS CS02b; SR 6.15.1 / 6.23). */
export { CredentialError } from './errors';
export { REMOTE_PARTY_ROLES, ALL_ROLES, isRemotePartyRole, roleName, formatEntityId, entityIdBytes } from './roles';
export type { RemotePartyRole, RemotePartyRoleName } from './roles';
export { parseCertificate } from './certificate';
export type { OrganisationCertificate } from './certificate';
export { emptyCredentialSlots, installCertificate, slotsFromCertificates, slotFor, readCredential, occupiedRoles } from './slots';
export type { CredentialSlot, CredentialSlots } from './slots';
export { REPLACEMENT_MODES, replacementModeIndex } from './replacementModes';
export type { ReplacementMode, ReplacementModeName } from './replacementModes';
export { CREDENTIAL_ALERTS } from './alerts';
export { applyReplacement } from './replacement';
export type { ReplacementRequest, UnsignedReplacementRequest, ReplacementOptions, ReplacementOutcome } from './replacement';
export type { OriginatorCounters } from './authentication';
export { authoriseClockSync } from './clockSyncAuthority';
export type { ClockSyncRequest } from './clockSyncAuthority';
