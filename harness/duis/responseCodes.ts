/**
 * DUIS response codes the gateway chooses, with where each choice comes from. "public": the DUIS response-code table
 * (I0–E30 as published). "inferred": our reading of that table for a case it does not name. "assumed": the public
 * material is silent; the code is a named, configurable setting of the gateway profile, so a test bench can match
 * whatever the real DCC returns. Every code here is in the schema's ResponseCode enumeration (checked by a test).
 */
import { assumed } from '../../common/assumptions';

export type ResponseCode = string;

export type FaultKind =
  | 'malformed-xml'
  | 'schema-invalid'
  | 'body-mismatch'
  | 'unknown-user'
  | 'role-not-permitted'
  | 'user-status'
  | 'not-authorised-for-device'
  | 'smi-status'
  | 'service-not-for-device-type'
  | 'unsupported-by-smets1'
  | 'command-variant'
  | 'unknown-device'
  | 'out-of-range'
  | 'counter-not-increasing'
  | 'signature-missing'
  | 'signature-invalid'
  | 'no-response';

export type Provenance = 'public' | 'inferred' | 'assumed';

/** Codes of the public table: fixed, not configurable. */
export const PUBLIC_CODES = {
  'unknown-user': 'E1',
  'role-not-permitted': 'E2',
  'user-status': 'E3',
  'not-authorised-for-device': 'E4',
  'smi-status': 'E5',
  'service-not-for-device-type': 'E11',
  'command-variant': 'E12',
  'unknown-device': 'E19',
  'no-response': 'E21',
} as const satisfies Partial<Record<FaultKind, ResponseCode>>;

/** The settings for the cases the public table does not name. */
export interface ResponseCodeProfile {
  /** Not well-formed XML (assumed: the codes above E31 have no public meaning). */
  readonly malformedXml: ResponseCode;
  /** Well-formed but not valid against the DUIS schema, e.g. JoinTimePeriod 3601 (assumed). */
  readonly schemaInvalid: ResponseCode;
  /** The Body element does not belong to the ServiceReferenceVariant (assumed; the schema cannot say). */
  readonly bodyMismatch: ResponseCode;
  /** A schema-known SRV this SMETS1 gateway does not carry (inferred: E11, "not compatible with the device"). */
  readonly unsupportedBySmets1: ResponseCode;
  /** RequestID counter not above the last one from the same originator: a replay (assumed). */
  readonly counterNotIncreasing: ResponseCode;
  /** Signature verification on and the request unsigned / the signature fails (assumed). */
  readonly signatureMissing: ResponseCode;
  readonly signatureInvalid: ResponseCode;
  /**
   * A schema-valid but impossible value, by SRV (assumed: the schema's SR-specific codes Essvvnn exist, e.g.
   * E060501, E081101, but their meanings are not public), and the code for SRVs without one.
   */
  readonly outOfRangeBySrv: Readonly<Record<string, ResponseCode>>;
  readonly outOfRangeDefault: ResponseCode;
  /**
   * The schema requires ServiceReference and ServiceReferenceVariant in every ResponseMessage. When the request's
   * cannot be read (malformed XML), these are written (assumed; nothing public says what the DCC writes).
   */
  readonly unreadableServiceReference: { readonly serviceReference: string; readonly serviceReferenceVariant: string };
}

const ABOVE_E31 = 'assumed: the DUIS response-code table publishes I0-E30; codes above E31 have no public meaning';

export const DEFAULT_RESPONSE_CODE_PROFILE: ResponseCodeProfile = {
  malformedXml: assumed('duis.responseCode.malformedXml', 'E40', ABOVE_E31),
  schemaInvalid: assumed('duis.responseCode.schemaInvalid', 'E41', ABOVE_E31),
  bodyMismatch: assumed(
    'duis.responseCode.bodyMismatch',
    'E41',
    `${ABOVE_E31}; the schema cannot tie a Body to its SRV`,
  ),
  unsupportedBySmets1: 'E11',
  counterNotIncreasing: assumed('duis.responseCode.counterNotIncreasing', 'E42', ABOVE_E31),
  signatureMissing: assumed('duis.responseCode.signatureMissing', 'E43', ABOVE_E31),
  signatureInvalid: assumed('duis.responseCode.signatureInvalid', 'E44', ABOVE_E31),
  outOfRangeBySrv: assumed(
    'duis.responseCode.outOfRangeBySrv',
    { '8.11': 'E081101', '6.5': 'E060501', '6.13': 'E061301', '6.15.1': 'E061501', '6.23': 'E062301' },
    "assumed: the schema's SR-specific codes Essvvnn exist, their meanings are not public",
  ),
  outOfRangeDefault: assumed('duis.responseCode.outOfRangeDefault', 'E41', ABOVE_E31),
  unreadableServiceReference: assumed(
    'duis.responseCode.unreadableServiceReference',
    { serviceReference: '8.2', serviceReferenceVariant: '8.2' },
    'assumed: what the DCC writes in a response to a request it cannot read is not public',
  ),
};

export function provenanceOf(kind: FaultKind): Provenance {
  if (kind in PUBLIC_CODES) return 'public';
  return kind === 'unsupported-by-smets1' ? 'inferred' : 'assumed';
}

export function codeFor(kind: FaultKind, profile: ResponseCodeProfile, srv?: string): ResponseCode {
  switch (kind) {
    case 'malformed-xml':
      return profile.malformedXml;
    case 'schema-invalid':
      return profile.schemaInvalid;
    case 'body-mismatch':
      return profile.bodyMismatch;
    case 'unsupported-by-smets1':
      return profile.unsupportedBySmets1;
    case 'counter-not-increasing':
      return profile.counterNotIncreasing;
    case 'signature-missing':
      return profile.signatureMissing;
    case 'signature-invalid':
      return profile.signatureInvalid;
    case 'out-of-range':
      return (srv === undefined ? undefined : profile.outOfRangeBySrv[srv]) ?? profile.outOfRangeDefault;
    default:
      return PUBLIC_CODES[kind];
  }
}
