/**
 * Typed bodies of the service requests in scope, read from the fast-xml-parser tree of `sr:Body/<element>` (names
 * without prefixes, text as strings). The schema has already been checked, so the shapes are known; what is read here
 * is typed (numbers, hex, EUIs) and checked for what the schema cannot say (consistency between values).
 */
import { DuisInputError } from './errors';
import { normaliseEui } from './requestId';

export type XmlTree = Record<string, unknown>;

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

export function readBody(element: string, node: unknown, where: string): RequestBody {
  const tree = asTree(node);
  switch (element) {
    case 'UpdateHANDeviceLog':
      return hanDeviceLog(tree, where);
    case 'JoinServiceCritical':
    case 'JoinServiceNonCritical':
      return {
        kind: 'JoinService',
        critical: element === 'JoinServiceCritical',
        otherDeviceId: eui(tree, 'OtherDeviceID', where),
      };
    case 'UnjoinServiceCritical':
    case 'UnjoinServiceNonCritical':
      return {
        kind: 'UnjoinService',
        critical: element === 'UnjoinServiceCritical',
        otherDeviceId: eui(tree, 'OtherDeviceID', where),
      };
    case 'ReadDeviceLog':
      return { kind: 'ReadDeviceLog' };
    case 'CommissionDeviceSynchroniseClock':
    case 'SynchroniseClock':
      return {
        kind: element === 'SynchroniseClock' ? 'SynchroniseClock' : 'CommissionDevice',
        currentDateTime: text(tree, 'CurrentDateTime', where),
        tolerancePeriod: int(tree, 'TolerancePeriod', where),
      };
    case 'UpdateSecurityCredentialsKRP':
      return {
        kind: 'UpdateSecurityCredentialsKRP',
        ...optional('executionDateTime', optText(tree, 'ExecutionDateTime')),
        remotePartyRole: text(tree, 'RemotePartyRole', where),
        ...optional(
          'floorSeqNumber',
          optText(tree, 'RemotePartyFloorSeqNumber') === undefined
            ? undefined
            : BigInt(text(tree, 'RemotePartyFloorSeqNumber', where)),
        ),
        replacementCertificates: certificates(tree.ReplacementCertificates),
        certificationPath: list(asTree(tree.CertificationPathCertificates).Certificate).map(String),
      };
    case 'UpdateSecurityCredentialsCoS':
      return {
        kind: 'UpdateSecurityCredentialsCoS',
        ...optional('executionDateTime', optText(tree, 'ExecutionDateTime')),
        replacementCertificates: certificates(tree.SupplierReplacementCertificates),
        ...optional('importMPxN', optText(tree, 'ImportMPxN')),
      };
    case 'UpdateDeviceConfigurationVoltage':
      return voltage(tree, where);
    case 'UpdateDeviceConfigurationInstantaneousPowerThreshold': {
      const lowMedium = int(tree, 'LowMediumPowerThreshold', where);
      const mediumHigh = int(tree, 'MediumHighPowerThreshold', where);
      if (!(lowMedium < mediumHigh)) {
        throw new OutOfRangeError(
          `LowMediumPowerThreshold ${lowMedium} must be below MediumHighPowerThreshold ${mediumHigh}`,
          where,
        );
      }
      return { kind: 'InstantaneousPowerThreshold', lowMedium, mediumHigh };
    }
    case 'ConfigureAlertBehaviour':
      return { kind: 'ConfigureAlertBehaviour', alerts: alertSettings(tree) };
    case 'UpdateDeviceConfigurationGasFlow':
      return {
        kind: 'UpdateDeviceConfigurationGasFlow',
        settings: Object.fromEntries(
          Object.entries(tree)
            .filter(([k]) => !k.startsWith('@'))
            .map(([k, v]) => [k, String(v)]),
        ),
      };
    case 'ReadEventOrSecurityLog':
      return {
        kind: 'ReadEventOrSecurityLog',
        logToRead: text(tree, 'LogToRead', where),
        ...optional(
          'period',
          tree.ReadLogPeriod === undefined ? undefined : period(asTree(tree.ReadLogPeriod), `${where}/ReadLogPeriod`),
        ),
      };
    case 'ReadNetworkData':
      return { kind: 'ReadNetworkData', period: period(asTree(tree.ReadLogPeriod), `${where}/ReadLogPeriod`) };
    case 'ReadInstantaneousImportRegisters':
      return { kind: 'ReadInstantaneousImportRegisters' };
    case 'EnableSupply':
    case 'DisableSupply':
    case 'ArmSupply':
    case 'ReadSupplyStatus':
      return { kind: element, ...optional('executionDateTime', optText(tree, 'ExecutionDateTime')) };
    case 'UpdatePaymentMode':
      return {
        kind: 'UpdatePaymentMode',
        // the schema allows exactly one of Credit and Prepayment
        mode: tree.Prepayment !== undefined ? 'prepayment' : 'credit',
        ...optional('executionDateTime', optText(tree, 'ExecutionDateTime')),
      };
    case 'TopUpDevice':
      return { kind: 'TopUpDevice', utrn: text(tree, 'UTRN', where) };
    case 'SignedPreCommand':
      return {
        kind: 'SignedPreCommand',
        gbcsPayload: text(tree, 'GBCSPayload', where),
        ...optional('executionDateTime', optText(tree, 'ExecutionDateTime')),
      };
    default:
      throw new DuisInputError(`body element ${element} has no reader`, where);
  }
}

function hanDeviceLog(tree: XmlTree, where: string): RequestBody {
  const deviceId = eui(tree, 'DeviceID', where);
  const type = text(tree, 'RequestType', where);
  if (type === 'Remove') return { kind: 'UpdateHANDeviceLog', deviceId, change: { type: 'Remove' } };
  const add = asTree(tree.AddDeviceToCHFWhitelist);
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
function voltage(tree: XmlTree, where: string): RequestBody {
  const rmsTree = asTree(tree.RMSVoltageSettings);
  const rms: Record<string, number> = {};
  for (const key of Object.keys(rmsTree).filter((k) => !k.startsWith('@')))
    rms[key] = int(rmsTree, key, `${where}/RMSVoltageSettings`);
  const below = (low: string, high: string, values: Record<string, number>, at: string): void => {
    if (values[low] !== undefined && values[high] !== undefined && !(values[low] < values[high])) {
      throw new OutOfRangeError(`${low} ${values[low]} must be below ${high} ${values[high]}`, at);
    }
  };
  below('RMSExtremeUnderVoltageThreshold', 'RMSVoltageSagThreshold', rms, where);
  below('RMSVoltageSagThreshold', 'RMSVoltageSwellThreshold', rms, where);
  below('RMSVoltageSwellThreshold', 'RMSExtremeOverVoltageThreshold', rms, where);
  const averageOf = (node: unknown, phase: number, at: string): AverageVoltageSettings => {
    const t = asTree(node);
    const settings = {
      phase,
      overThreshold: int(t, 'AverageRMSOverVoltageThreshold', at),
      underThreshold: int(t, 'AverageRMSUnderVoltageThreshold', at),
      measurementPeriod: int(t, 'AverageRMSVoltageMeasurementPeriod', at),
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
  };
  const polyPhase = tree.PolyPhaseVoltageSettings !== undefined;
  const average = polyPhase
    ? list(tree.PolyPhaseVoltageSettings).map((p, i) => {
        const at = `${where}/PolyPhaseVoltageSettings[${i + 1}]`;
        return averageOf(asTree(p).PhaseVoltageSettings, int(asTree(p), 'Phase', at), `${at}/PhaseVoltageSettings`);
      })
    : [averageOf(tree.SinglePhaseVoltageSettings, 1, `${where}/SinglePhaseVoltageSettings`)];
  return {
    kind: 'UpdateDeviceConfigurationVoltage',
    rms,
    average,
    polyPhase,
    countersNotReset: tree.RMSVoltageCountersNotReset !== undefined,
  };
}

function alertSettings(tree: XmlTree): { group: string; code: number; setting: string }[] {
  const out: { group: string; code: number; setting: string }[] = [];
  const walk = (node: unknown, group: string): void => {
    for (const [key, value] of Object.entries(asTree(node))) {
      // ESME settings are `Enable`/`Disable` text; gas settings are per channel ({WANAlert, HANAlert, EventLog, Alarm}):
      // an alert the device raises to the DCC is its WANAlert channel.
      if (/^x[0-9A-F]{4}$/.test(key)) {
        const setting =
          value !== null && typeof value === 'object' ? (optText(asTree(value), 'WANAlert') ?? '') : String(value);
        out.push({ group, code: Number.parseInt(key.slice(1), 16), setting });
      } else if (value !== null && typeof value === 'object') walk(value, key);
    }
  };
  walk(tree, '');
  return out;
}

function period(tree: XmlTree, where: string): LogPeriod {
  const start = text(tree, 'StartDateTime', where);
  const end = text(tree, 'EndDateTime', where);
  if (!(Date.parse(start) <= Date.parse(end)))
    throw new OutOfRangeError(`StartDateTime ${start} is after EndDateTime ${end}`, where);
  return { start, end };
}

function certificates(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (n: unknown): void => {
    for (const [key, value] of Object.entries(asTree(n))) {
      if (typeof value === 'string' && key.endsWith('Certificate')) out[key] = value;
      else if (value !== null && typeof value === 'object') walk(value);
    }
  };
  walk(node);
  return out;
}

export function asTree(node: unknown): XmlTree {
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as XmlTree) : {};
}

function list(node: unknown): unknown[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

export function optText(tree: XmlTree, key: string): string | undefined {
  const value = tree[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') {
    const inner = (value as XmlTree)['#text'];
    return inner === undefined ? '' : String(inner);
  }
  return String(value);
}

export function text(tree: XmlTree, key: string, where: string): string {
  const value = optText(tree, key);
  if (value === undefined) throw new DuisInputError(`missing ${key}`, where);
  return value;
}

function int(tree: XmlTree, key: string, where: string): number {
  const raw = text(tree, key, where);
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new DuisInputError(`${key} "${raw}" is not an integer`, where);
  return Number(raw);
}

function eui(tree: XmlTree, key: string, where: string): string {
  return normaliseEui(text(tree, key, where), `${where}/${key}`);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
