/** Security credentials: trust anchor slots and their replacement (GBCS CS02b; SR 6.15.1 / 6.23). */
export { CredentialError } from '../../common/credentials/errors';
export { REMOTE_PARTY_ROLES, ALL_ROLES, isRemotePartyRole, roleName, formatEntityId, entityIdBytes } from '../../common/credentials/roles';
export type { RemotePartyRole, RemotePartyRoleName } from '../../common/credentials/roles';
export { parseCertificate } from '../../common/credentials/certificate';
export type { OrganisationCertificate } from '../../common/credentials/certificate';
export { emptyCredentialSlots, installCertificate, slotsFromCertificates, slotFor, readCredential, occupiedRoles } from './slots';
export type { CredentialSlot, CredentialSlots } from './slots';
export { REPLACEMENT_MODES, replacementModeIndex } from '../../common/credentials/replacementModes';
export type { ReplacementMode, ReplacementModeName } from '../../common/credentials/replacementModes';
export { CREDENTIAL_ALERTS } from './alerts';
export { applyReplacement } from './replacement';
export type { ReplacementRequest, UnsignedReplacementRequest, ReplacementOptions, ReplacementOutcome } from './replacement';
export type { OriginatorCounters } from './authentication';
export { authoriseClockSync } from './clockSyncAuthority';
export type { ClockSyncRequest } from './clockSyncAuthority';
