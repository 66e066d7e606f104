/**
 * Content of the `…Rsp` payloads whose schema has mandatory or structured parts, in schema order. Empty `…Rsp`s
 * (8.11, 6.5, 6.7, 6.12, 6.22, 7.1–7.3) need none. Hashes are base64 (ra:SHA1, 20 bytes).
 */
import { el, leaf, type XmlNode } from './xmlTree';
import { deviceDateTime } from './responses';

/** `ra:StatusASN1`: an ASN.1 status name with its required integer `@ResponseCode`. */
export function statusAsn1(name: string, status: string, responseCode: number): XmlNode {
  return el(name, { ResponseCode: responseCode }, leaf('ra:ASN1Status', status));
}

/** 8.7.x / 8.8.x: `joinResponseCode` (JoinService…Rsp) or `unjoinResponseCode` content. */
export function joinOutcome(element: 'joinResponseCode' | 'unjoinResponseCode', status: string, responseCode: number): XmlNode {
  return statusAsn1(`ra:${element}`, status, responseCode);
}

export interface ReplacementOutcomeFields {
  readonly status: string;
  readonly statusResponseCode: number;
  readonly certificateType: 'DigitalSigning' | 'KeyAgreement' | 'KeyAgreementTopUp' | 'KeyCertSign';
  readonly remotePartyRole: string;
  readonly existingRemotePartyId?: string;
  readonly newRemotePartyId?: string;
  /** Base64 of the 20-byte hash. */
  readonly existingCertificateHash?: string;
  readonly newCertificateHash?: string;
}

/** 6.15.1 / 6.23 `ExecutionOutcome` (absent when the replacement is future-dated). */
export function executionOutcome(fields: {
  readonly authorisingCounter?: bigint;
  readonly replacementMode?: string;
  readonly seqNumberChange?: { readonly remotePartyRole: string; readonly floorSeqNumber: bigint };
  readonly outcomes: readonly ReplacementOutcomeFields[];
}): XmlNode {
  return el(
    'ra:ExecutionOutcome',
    null,
    fields.authorisingCounter === undefined ? null : leaf('ra:AuthorisingRemotePartyOriginatorCounter', fields.authorisingCounter),
    fields.replacementMode === undefined ? null : leaf('ra:CredentialsReplacementMode', fields.replacementMode),
    fields.seqNumberChange === undefined
      ? null
      : el(
          'ra:RemotePartySeqNumberChange',
          null,
          leaf('ra:RemotePartyRole', fields.seqNumberChange.remotePartyRole),
          leaf('ra:RemotePartyFloorSeqNumber', fields.seqNumberChange.floorSeqNumber),
        ),
    ...fields.outcomes.slice(0, 3).map((o) =>
      el(
        'ra:ReplacementOutcome',
        null,
        statusAsn1('ra:StatusCode', o.status, o.statusResponseCode),
        leaf('ra:CertificateType', o.certificateType),
        leaf('ra:RemotePartyRole', o.remotePartyRole),
        o.existingRemotePartyId === undefined ? null : leaf('ra:ExistingRemotePartyID', o.existingRemotePartyId),
        o.newRemotePartyId === undefined ? null : leaf('ra:NewRemotePartyID', o.newRemotePartyId),
        o.existingCertificateHash === undefined ? null : leaf('ra:ExistingCertificateHash', o.existingCertificateHash),
        o.newCertificateHash === undefined ? null : leaf('ra:NewCertificateHash', o.newCertificateHash),
      ),
    ),
  );
}

export interface VoltageLogEntry {
  readonly value: number;
  readonly timestamp: Date;
}

/** 4.10 for a single-phase ESME: the average RMS over/under-voltage counters and the voltage profile (≤ 4320 entries). */
export function singlePhaseNetworkData(fields: {
  readonly overVoltageCounter: number;
  readonly underVoltageCounter: number;
  readonly profile: readonly VoltageLogEntry[];
  /** Seconds. */
  readonly measurementPeriod: number;
}): XmlNode {
  if (fields.profile.length > 4320) throw new RangeError(`a voltage profile holds at most 4320 entries, not ${fields.profile.length}`);
  return el(
    'ra:Electricity',
    null,
    el(
      'ra:SinglePhaseESME',
      null,
      el('ra:AvgRMSOverVoltageCounter', null, leaf('ra:Value', fields.overVoltageCounter)),
      el('ra:AvgRMSUnderVoltageCounter', null, leaf('ra:Value', fields.underVoltageCounter)),
      el(
        'ra:AvgRMSVoltageProfileDataLog',
        null,
        ...fields.profile.map((e) => el('ra:LogEntry', null, leaf('ra:Value', e.value), leaf('ra:Timestamp', deviceDateTime(e.timestamp)))),
        leaf('ra:MeasurementPeriod', fields.measurementPeriod),
      ),
    ),
  );
}
