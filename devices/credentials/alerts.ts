/**
 * GBCS alert codes the credential checks raise, and when (docs/credentials.md):
 *   0x8F70 a slot was replaced;
 *   0x8F3D the request names a trusted party but does not authenticate as it: the signature does not verify with
 *          that party's key, the party's own certificate is outside its validity at device time, or the new
 *          certificate does not validate (chain to the root slot, validity);
 *   0x8F30 the request authenticates, but the party has no authority for what it asks (mode, slot, role);
 *   0x8F3E the request could not have come from any party the device trusts for it: the signing slot it names
 *          is empty, or it repeats an originator counter already used (a replay of a captured request).
 * The split between 0x8F3D and 0x8F3E is this project's reading of the alert names (assumed: GBCS's alert table
 * names the events, not the precise checks that raise them).
 */
export const CREDENTIAL_ALERTS = {
  updateSecurityCredentials: 0x8f70,
  sourceDoesNotHaveAuthority: 0x8f30,
  trustedSourceAuthenticationFailure: 0x8f3d,
  unauthorisedCommunicationAccess: 0x8f3e,
} as const;

/** Response statuses of a refusal (docs/contract.md). */
export type RefusalStatus = 'notAuthorised' | 'authenticationFailed' | 'invalidParameter';

type RefusalAlert = (typeof CREDENTIAL_ALERTS)[
  'sourceDoesNotHaveAuthority' | 'trustedSourceAuthenticationFailure' | 'unauthorisedCommunicationAccess'];

export interface Refusal {
  readonly ok: false;
  readonly alert: RefusalAlert;
  readonly status: RefusalStatus;
  readonly reason: string;
}

export function refusal(status: RefusalStatus, alert: RefusalAlert, reason: string): Refusal {
  return { ok: false, alert, status, reason };
}
