/**
 * GBCS alert codes raised by the shared device core, the CH, the GSME and the PPMID (the ESME's own are in
 * devices/esme/esmeProfile.ts). Spelled once here so machines, profiles and tests agree.
 */
export const Alert = {
  /** CHF device log changed (an 8.11 add or remove). */
  deviceLogChanged: 0x8f12,
  joinFailed: 0x8f48,
  joinSucceeded: 0x8f49,
  unjoinFailed: 0x8f4a,
  unjoinSucceeded: 0x8f4b,
  /** A device joined the smart metering HAN. */
  deviceJoinedSmhan: 0x8183,
  /** The request's signature did not verify against the trusted key. */
  trustedSourceAuthenticationFailure: 0x8f3d,
  /** The source is not allowed to do what it asked (wrong role for the mode or slot). */
  sourceNotAuthorised: 0x8f30,
  unauthorisedCommunicationAccess: 0x8f3e,
  deviceCommissioned: 0x8f69,
  securityCredentialsUpdated: 0x8f70,
} as const;

/**
 * Alerts that go to the security log rather than the event log (assumed split: GBCS keeps security-relevant
 * events, credential changes and authentication failures, in a separate log; the exact membership is not public).
 */
export const SECURITY_LOG_ALERTS: ReadonlySet<number> = new Set([
  Alert.trustedSourceAuthenticationFailure,
  Alert.sourceNotAuthorised,
  Alert.unauthorisedCommunicationAccess,
  Alert.securityCredentialsUpdated,
]);
