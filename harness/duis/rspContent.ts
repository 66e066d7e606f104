/**
 * Content of the `…Rsp` payloads whose schema has mandatory or structured parts, in schema order. Empty `…Rsp`s
 * (8.11, 6.5, 6.7, 6.12, 6.22, 7.1–7.3) need none. Hashes are base64 (ra:SHA1, 20 bytes).
 */
import { el, leaf, type XmlNode } from './xmlTree';
import { deviceDateTime } from './responses';

/** `ra:StatusASN1`: an ASN.1 status name with its required integer `@ResponseCode`. */
function statusAsn1(name: string, status: string, responseCode: number): XmlNode {
  return el(name, { ResponseCode: responseCode }, leaf('ra:ASN1Status', status));
}

/** 8.7.x / 8.8.x: `joinResponseCode` (JoinService…Rsp) or `unjoinResponseCode` content. */
export function joinOutcome(
  element: 'joinResponseCode' | 'unjoinResponseCode',
  status: string,
  responseCode: number,
): XmlNode {
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
    fields.authorisingCounter === undefined
      ? null
      : leaf('ra:AuthorisingRemotePartyOriginatorCounter', fields.authorisingCounter),
    fields.replacementMode === undefined ? null : leaf('ra:CredentialsReplacementMode', fields.replacementMode),
    fields.seqNumberChange === undefined
      ? null
      : el(
          'ra:RemotePartySeqNumberChange',
          null,
          leaf('ra:RemotePartyRole', fields.seqNumberChange.remotePartyRole),
          leaf('ra:RemotePartyFloorSeqNumber', fields.seqNumberChange.floorSeqNumber),
        ),
    ...fields.outcomes
      .slice(0, 3)
      .map((o) =>
        el(
          'ra:ReplacementOutcome',
          null,
          statusAsn1('ra:StatusCode', o.status, o.statusResponseCode),
          leaf('ra:CertificateType', o.certificateType),
          leaf('ra:RemotePartyRole', o.remotePartyRole),
          o.existingRemotePartyId === undefined ? null : leaf('ra:ExistingRemotePartyID', o.existingRemotePartyId),
          o.newRemotePartyId === undefined ? null : leaf('ra:NewRemotePartyID', o.newRemotePartyId),
          o.existingCertificateHash === undefined
            ? null
            : leaf('ra:ExistingCertificateHash', o.existingCertificateHash),
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
  if (fields.profile.length > 4320)
    throw new RangeError(`a voltage profile holds at most 4320 entries, not ${fields.profile.length}`);
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
        ...fields.profile.map((e) =>
          el('ra:LogEntry', null, leaf('ra:Value', e.value), leaf('ra:Timestamp', deviceDateTime(e.timestamp))),
        ),
        leaf('ra:MeasurementPeriod', fields.measurementPeriod),
      ),
    ),
  );
}

/** 4.10 for a GSME: the gas network data log (≤ 41 entries; value units are not stated by the schema). */
export function gasNetworkData(
  entries: readonly { readonly value: string | number; readonly timestamp: Date }[],
): XmlNode {
  if (entries.length > 41)
    throw new RangeError(`a gas network data log holds at most 41 entries, not ${entries.length}`);
  return el(
    'ra:Gas',
    null,
    el(
      'ra:NetworkDataLog',
      null,
      ...entries.map((e) =>
        el('ra:LogEntry', null, leaf('ra:Value', e.value), leaf('ra:Timestamp', deviceDateTime(e.timestamp))),
      ),
    ),
  );
}

/** 8.9 to a CHF: its device log (the HAN whitelist), device ids with their types. */
export function deviceLogEntries(
  entries: readonly { readonly deviceId: string; readonly deviceType: 'ESME' | 'GSME' | 'CHF' | 'PPMID' }[],
): XmlNode {
  return el(
    'ra:DeviceLogEntries',
    null,
    ...entries.map((e) =>
      el('ra:LogEntry', null, leaf('ra:DeviceID', e.deviceId.toUpperCase()), leaf('ra:DeviceType', e.deviceType)),
    ),
  );
}

/** 6.13: event or security log entries (≤ 100), each a timestamp and a 16-bit event / alert code. */
export function eventLog(entries: readonly { readonly timestamp: Date; readonly code: number }[]): XmlNode {
  if (entries.length > 100) throw new RangeError(`a log response holds at most 100 entries, not ${entries.length}`);
  return el(
    'ra:Log',
    null,
    ...entries.map((e) =>
      el(
        'ra:LogEntry',
        null,
        leaf('ra:Timestamp', deviceDateTime(e.timestamp)),
        leaf('ra:LogCode', e.code.toString(16).toUpperCase().padStart(4, '0')),
      ),
    ),
  );
}

/** 4.1.1: the import register of an ESME (Wh, integer) or a GSME (m3, decimal text as the meter reports it). */
export function importRegisters(
  reading:
    | { readonly fuel: 'electricity'; readonly activeImportWh: bigint | number }
    | { readonly fuel: 'gas'; readonly consumptionM3: string },
): XmlNode {
  if (reading.fuel === 'electricity') {
    return el(
      'ra:Electricity',
      null,
      el('ra:ActiveImportRegister', null, leaf('ra:Value', reading.activeImportWh), leaf('ra:ActiveEnergyUnit', 'Wh')),
    );
  }
  return el(
    'ra:Gas',
    null,
    el('ra:ConsumptionRegister', null, leaf('ra:Value', reading.consumptionM3), leaf('ra:Unit', 'm3')),
  );
}

/** 7.4: the supply state. */
export function supplyState(state: 'Enabled' | 'Disabled' | 'Armed'): XmlNode {
  return leaf('ra:SupplyState', state);
}

/** 6.11 / 8.1.1: the device time after synchronisation. */
export function deviceTime(at: Date): XmlNode {
  return leaf('ra:DeviceTime', deviceDateTime(at));
}
