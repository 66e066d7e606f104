/**
 * Typed bodies of the service requests in scope, read by path from `sr:Body/<element>` of the tree the gateway parsed
 * (xmlDocument.ts; fields by local name, text trimmed). The schema has already been checked, so the shapes are known;
 * what is read here is typed (numbers, hex, EUIs) and checked for what the schema cannot say (consistency between
 * values).
 */
import type { Element } from './dom/nodes';
import { DuisInputError } from './errors';
import { normaliseEui } from './requestId';
import { childNamed, childrenNamed, elementChildren, isLeaf, ownText } from './xmlDocument';

export interface LogPeriod {
  readonly start: string;
  readonly end: string;
}

export interface AverageVoltageSettings {
  readonly phase: number;
  readonly overThreshold: number;
  readonly underThreshold: number;
  readonly measurementPeriod: number;
}

export type HanDeviceLogChange =
  | {
      readonly type: 'Add';
      /** Seconds, 1…3600 (schema). */
      readonly joinTimePeriod: number;
      /** Upper-case hex, 6…16 bytes (schema). */
      readonly installCode: string;
      readonly importMPxN?: string;
    }
  | { readonly type: 'Remove' };

export type RequestBody =
  | { readonly kind: 'UpdateHANDeviceLog'; readonly deviceId: string; readonly change: HanDeviceLogChange }
  | { readonly kind: 'JoinService'; readonly critical: boolean; readonly otherDeviceId: string }
  | { readonly kind: 'UnjoinService'; readonly critical: boolean; readonly otherDeviceId: string }
  | { readonly kind: 'ReadDeviceLog' }
  | { readonly kind: 'CommissionDevice'; readonly currentDateTime: string; readonly tolerancePeriod: number }
  | { readonly kind: 'SynchroniseClock'; readonly currentDateTime: string; readonly tolerancePeriod: number }
  | {
      readonly kind: 'UpdateSecurityCredentialsKRP';
      readonly executionDateTime?: string;
      /** DUIS name, e.g. `NetworkOperator`, `Supplier`. */
      readonly remotePartyRole: string;
      readonly floorSeqNumber?: bigint;
      /** Base64 DER by certificate kind (DigitalSigningCertificate, KeyAgreementCertificate, …). */
      readonly replacementCertificates: Readonly<Record<string, string>>;
      readonly certificationPath: readonly string[];
    }
  | {
      readonly kind: 'UpdateSecurityCredentialsCoS';
      readonly executionDateTime?: string;
      readonly replacementCertificates: Readonly<Record<string, string>>;
      readonly importMPxN?: string;
    }
  | {
      readonly kind: 'UpdateDeviceConfigurationVoltage';
      /** RMSVoltageSettings: the eight extreme/sag/swell thresholds (V) and periods (s), by element name. */
      readonly rms: Readonly<Record<string, number>>;
      /** Average RMS thresholds: one entry for a single-phase ESME (phase 1), one per phase (1–3) for a polyphase one. */
      readonly average: readonly AverageVoltageSettings[];
      readonly polyPhase: boolean;
      /** `RMSVoltageCountersNotReset` present: the device keeps its over/under-voltage counters. */
      readonly countersNotReset: boolean;
    }
  | { readonly kind: 'InstantaneousPowerThreshold'; readonly lowMedium: number; readonly mediumHigh: number }
  | {
      readonly kind: 'ConfigureAlertBehaviour';
      readonly alerts: readonly { readonly group: string; readonly code: number; readonly setting: string }[];
    }
  | { readonly kind: 'UpdateDeviceConfigurationGasFlow'; readonly settings: Readonly<Record<string, string>> }
  | { readonly kind: 'ReadEventOrSecurityLog'; readonly logToRead: string; readonly period?: LogPeriod }
  | { readonly kind: 'ReadNetworkData'; readonly period: LogPeriod }
  | { readonly kind: 'ReadInstantaneousImportRegisters' }
  | {
      readonly kind: 'EnableSupply' | 'DisableSupply' | 'ArmSupply' | 'ReadSupplyStatus';
      readonly executionDateTime?: string;
    }
  /** 1.6: the choice of the body (Credit or Prepayment); Prepayment's debt and threshold settings are not read. */
  | { readonly kind: 'UpdatePaymentMode'; readonly mode: 'credit' | 'prepayment'; readonly executionDateTime?: string }
  /** 2.2: the UTRN, 20 decimal digits (schema). */
  | { readonly kind: 'TopUpDevice'; readonly utrn: string }
  /** CV 5–7 of a critical SR: the user-signed pre-command from the CV4 transform (ex 12), base64 as sent. */
  | { readonly kind: 'SignedPreCommand'; readonly gbcsPayload: string; readonly executionDateTime?: string };

/** A value that is schema-valid but impossible or inconsistent: answered with the SR's out-of-range code. */
export class OutOfRangeError extends DuisInputError {
  override readonly name = 'OutOfRangeError';
}

/** The body `element` (the Body's one child, named `name`), read; `where` is its path for errors. */
export function readBody(name: string, element: Element, where: string): RequestBody {
  switch (name) {
    case 'UpdateHANDeviceLog':
      return hanDeviceLog(element, where);
    case 'JoinServiceCritical':
    case 'JoinServiceNonCritical':
      return {
        kind: 'JoinService',
        critical: name === 'JoinServiceCritical',
        otherDeviceId: eui(element, 'OtherDeviceID', where),
      };
    case 'UnjoinServiceCritical':
    case 'UnjoinServiceNonCritical':
      return {
        kind: 'UnjoinService',
        critical: name === 'UnjoinServiceCritical',
        otherDeviceId: eui(element, 'OtherDeviceID', where),
      };
    case 'ReadDeviceLog':
      return { kind: 'ReadDeviceLog' };
    case 'CommissionDeviceSynchroniseClock':
    case 'SynchroniseClock':
      return {
        kind: name === 'SynchroniseClock' ? 'SynchroniseClock' : 'CommissionDevice',
        currentDateTime: text(element, 'CurrentDateTime', where),
        tolerancePeriod: int(element, 'TolerancePeriod', where),
      };
    case 'UpdateSecurityCredentialsKRP': {
      const floor = optText(element, 'RemotePartyFloorSeqNumber');
      return {
        kind: 'UpdateSecurityCredentialsKRP',
        ...optional('executionDateTime', optText(element, 'ExecutionDateTime')),
        remotePartyRole: text(element, 'RemotePartyRole', where),
        ...optional('floorSeqNumber', floor === undefined ? undefined : BigInt(floor)),
        replacementCertificates: certificates(childNamed(element, 'ReplacementCertificates')),
        certificationPath: childrenNamed(childNamed(element, 'CertificationPathCertificates'), 'Certificate').map(
          ownText,
        ),
      };
    }
    case 'UpdateSecurityCredentialsCoS':
      return {
        kind: 'UpdateSecurityCredentialsCoS',
        ...optional('executionDateTime', optText(element, 'ExecutionDateTime')),
        replacementCertificates: certificates(childNamed(element, 'SupplierReplacementCertificates')),
        ...optional('importMPxN', optText(element, 'ImportMPxN')),
      };
    case 'UpdateDeviceConfigurationVoltage':
      return voltage(element, where);
    case 'UpdateDeviceConfigurationInstantaneousPowerThreshold': {
      const lowMedium = int(element, 'LowMediumPowerThreshold', where);
      const mediumHigh = int(element, 'MediumHighPowerThreshold', where);
      if (!(lowMedium < mediumHigh)) {
        throw new OutOfRangeError(
          `LowMediumPowerThreshold ${lowMedium} must be below MediumHighPowerThreshold ${mediumHigh}`,
          where,
        );
      }
      return { kind: 'InstantaneousPowerThreshold', lowMedium, mediumHigh };
    }
    case 'ConfigureAlertBehaviour':
      return { kind: 'ConfigureAlertBehaviour', alerts: alertSettings(element) };
    case 'UpdateDeviceConfigurationGasFlow': {
      const settings: Record<string, string> = {};
      for (const setting of elementChildren(element)) settings[setting.localName] = ownText(setting);
      return { kind: 'UpdateDeviceConfigurationGasFlow', settings };
    }
    case 'ReadEventOrSecurityLog': {
      const period = childNamed(element, 'ReadLogPeriod');
      return {
        kind: 'ReadEventOrSecurityLog',
        logToRead: text(element, 'LogToRead', where),
        ...optional('period', period === undefined ? undefined : logPeriod(period, `${where}/ReadLogPeriod`)),
      };
    }
    case 'ReadNetworkData':
      return {
        kind: 'ReadNetworkData',
        period: logPeriod(childNamed(element, 'ReadLogPeriod'), `${where}/ReadLogPeriod`),
      };
    case 'ReadInstantaneousImportRegisters':
      return { kind: 'ReadInstantaneousImportRegisters' };
    case 'EnableSupply':
    case 'DisableSupply':
    case 'ArmSupply':
    case 'ReadSupplyStatus':
      return { kind: name, ...optional('executionDateTime', optText(element, 'ExecutionDateTime')) };
    case 'UpdatePaymentMode':
      return {
        kind: 'UpdatePaymentMode',
        // the schema allows exactly one of Credit and Prepayment
        mode: childNamed(element, 'Prepayment') !== undefined ? 'prepayment' : 'credit',
        ...optional('executionDateTime', optText(element, 'ExecutionDateTime')),
      };
    case 'TopUpDevice':
      return { kind: 'TopUpDevice', utrn: text(element, 'UTRN', where) };
    case 'SignedPreCommand':
      return {
        kind: 'SignedPreCommand',
        gbcsPayload: text(element, 'GBCSPayload', where),
        ...optional('executionDateTime', optText(element, 'ExecutionDateTime')),
      };
    default:
      throw new DuisInputError(`body element ${name} has no reader`, where);
  }
}

function hanDeviceLog(element: Element, where: string): RequestBody {
  const deviceId = eui(element, 'DeviceID', where);
  const type = text(element, 'RequestType', where);
  if (type === 'Remove') return { kind: 'UpdateHANDeviceLog', deviceId, change: { type: 'Remove' } };
  const add = childNamed(element, 'AddDeviceToCHFWhitelist');
  const at = `${where}/AddDeviceToCHFWhitelist`;
  return {
    kind: 'UpdateHANDeviceLog',
    deviceId,
    change: {
      type: 'Add',
      joinTimePeriod: int(add, 'JoinTimePeriod', at),
      installCode: text(add, 'InstallCode', at).toUpperCase(),
      ...optional('importMPxN', optText(add, 'ImportMPxN')),
    },
  };
}

/** Voltage thresholds: extreme under < sag < swell < extreme over, average under < average over (GBCS order of bands). */
function voltage(element: Element, where: string): RequestBody {
  const rmsSettings = childNamed(element, 'RMSVoltageSettings');
  const rms: Record<string, number> = {};
  if (rmsSettings !== undefined)
    for (const setting of elementChildren(rmsSettings))
      rms[setting.localName] = integer(ownText(setting), setting.localName, `${where}/RMSVoltageSettings`);
  below('RMSExtremeUnderVoltageThreshold', 'RMSVoltageSagThreshold', rms, where);
  below('RMSVoltageSagThreshold', 'RMSVoltageSwellThreshold', rms, where);
  below('RMSVoltageSwellThreshold', 'RMSExtremeOverVoltageThreshold', rms, where);
  const phases = childrenNamed(element, 'PolyPhaseVoltageSettings');
  const polyPhase = phases.length > 0;
  const average = polyPhase
    ? phases.map((phase, i) => {
        const at = `${where}/PolyPhaseVoltageSettings[${i + 1}]`;
        return averageOf(
          childNamed(phase, 'PhaseVoltageSettings'),
          int(phase, 'Phase', at),
          `${at}/PhaseVoltageSettings`,
        );
      })
    : [averageOf(childNamed(element, 'SinglePhaseVoltageSettings'), 1, `${where}/SinglePhaseVoltageSettings`)];
  return {
    kind: 'UpdateDeviceConfigurationVoltage',
    rms,
    average,
    polyPhase,
    countersNotReset: childNamed(element, 'RMSVoltageCountersNotReset') !== undefined,
  };
}

function below(low: string, high: string, values: Record<string, number>, at: string): void {
  if (values[low] !== undefined && values[high] !== undefined && !(values[low] < values[high])) {
    throw new OutOfRangeError(`${low} ${values[low]} must be below ${high} ${values[high]}`, at);
  }
}

function averageOf(element: Element | undefined, phase: number, at: string): AverageVoltageSettings {
  const settings = {
    phase,
    overThreshold: int(element, 'AverageRMSOverVoltageThreshold', at),
    underThreshold: int(element, 'AverageRMSUnderVoltageThreshold', at),
    measurementPeriod: int(element, 'AverageRMSVoltageMeasurementPeriod', at),
  };
  below(
    'AverageRMSUnderVoltageThreshold',
    'AverageRMSOverVoltageThreshold',
    {
      AverageRMSUnderVoltageThreshold: settings.underThreshold,
      AverageRMSOverVoltageThreshold: settings.overThreshold,
    },
    at,
  );
  return settings;
}

type AlertSetting = { group: string; code: number; setting: string };

/** Every `xHHHH` element under the body, with the name of the element holding it as its group. */
function alertSettings(element: Element): AlertSetting[] {
  const out: AlertSetting[] = [];
  alertSettingsUnder(element, '', out);
  return out;
}

// module functions, not closures made per body: run through tsx, each named closure costs a defineProperty of its
// name at every call of the function that makes it
function alertSettingsUnder(parent: Element, group: string, out: AlertSetting[]): void {
  for (const child of elementChildren(parent)) {
    const key = child.localName;
    // ESME settings are `Enable`/`Disable` text; gas settings are per channel ({WANAlert, HANAlert, EventLog, Alarm}):
    // an alert the device raises to the DCC is its WANAlert channel.
    if (/^x[0-9A-F]{4}$/.test(key)) {
      const setting = isLeaf(child) ? ownText(child) : (optText(child, 'WANAlert') ?? '');
      out.push({ group, code: Number.parseInt(key.slice(1), 16), setting });
    } else alertSettingsUnder(child, key, out);
  }
}

function logPeriod(element: Element | undefined, where: string): LogPeriod {
  const start = text(element, 'StartDateTime', where);
  const end = text(element, 'EndDateTime', where);
  if (!(Date.parse(start) <= Date.parse(end)))
    throw new OutOfRangeError(`StartDateTime ${start} is after EndDateTime ${end}`, where);
  return { start, end };
}

/** Every certificate under `element` (a value whose name ends `Certificate`), base64 as sent, by that name. */
function certificates(element: Element | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (element !== undefined) certificatesUnder(element, out);
  return out;
}

function certificatesUnder(parent: Element, out: Record<string, string>): void {
  for (const child of elementChildren(parent)) {
    if (!isLeaf(child)) certificatesUnder(child, out);
    else if (child.localName.endsWith('Certificate')) out[child.localName] = ownText(child);
  }
}

/** The trimmed text of `parent`'s field `name` (its first child element of that local name), if it has one. */
export function optText(parent: Element | undefined, name: string): string | undefined {
  const field = childNamed(parent, name);
  return field === undefined ? undefined : ownText(field);
}

/** optText of a field the request must have: a DuisInputError naming it and where when it has not. */
export function text(parent: Element | undefined, name: string, where: string): string {
  const value = optText(parent, name);
  if (value === undefined) throw new DuisInputError(`missing ${name}`, where);
  return value;
}

function int(parent: Element | undefined, name: string, where: string): number {
  return integer(text(parent, name, where), name, where);
}

/** A field's text (trimmed: ownText) as an integer, or a DuisInputError naming the field and where. */
function integer(raw: string, name: string, where: string): number {
  if (!/^[+-]?\d+$/.test(raw)) throw new DuisInputError(`${name} "${raw}" is not an integer`, where);
  return Number(raw);
}

function eui(parent: Element | undefined, name: string, where: string): string {
  return normaliseEui(text(parent, name, where), `${where}/${name}`);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
