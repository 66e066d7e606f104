/**
 * The vocabulary of docs/contract.md as TypeScript types: what every device machine accepts and emits.
 */
import type { AnyEventObject } from 'xstate';
import type { ContractFieldNames } from './contractFields.generated';

/** An EUI-64 written `00-DB-12-34-56-78-90-A0` (upper-case hex, dash separated). */
export type Eui = string;

export type DeviceType = 'CH' | 'ESME' | 'GSME' | 'PPMID';
export type Vendor = 'itron' | 'elster';

/** Where the device stands in the SMETS1 migration: still on its SMSO, in the DCC, or dumb after a failed swap. */
export type MigrationState = 'smso' | 'dcc' | 'dumb';

export type ResponseStatus =
  | 'ok'
  | 'invalidParameter'
  | 'notAuthorised'
  | 'authenticationFailed'
  | 'unsupported'
  | 'rateLimited'
  | 'dumbMode'
  | 'busy'
  | 'unknownDevice'
  | 'full'
  | 'internalError';

/** Every command or bench control message carries a requestId; internal events never do. */
export interface CommandEvent extends AnyEventObject {
  requestId: string;
}

export interface ResponseEmitted {
  type: 'response';
  requestId: string;
  status: ResponseStatus;
  body?: unknown;
}

export interface AlertEmitted {
  type: 'alert';
  /** 16-bit GBCS alert code. */
  code: number;
  /** The clock's now, ms since the Unix epoch. */
  at: number;
  /** Lower-case hex. */
  payload?: string;
}

/** What a device actor emits (`actor.on('response' | 'alert', ...)`). */
export type DeviceEmitted = ResponseEmitted | AlertEmitted;

/** The names of the commands and bench control messages of docs/contract.md. */
export const CONTRACT_MESSAGES = [
  'hanLogAdd',
  'hanLogRemove',
  'readDeviceLog',
  'join',
  'unjoin',
  'voltageConfig',
  'powerThresholds',
  'setSupply',
  'readSupply',
  'alertBehaviour',
  'gasFlowConfig',
  'readEventLog',
  'readNetworkData',
  'readCredentials',
  'replaceCredentials',
  'commission',
  'clockSync',
  'readDeviceInfo',
  'mainsVoltage',
  'load',
  'powerCut',
  'powerRestore',
  'powerOn',
  'injectFault',
  'setPaymentMode',
  'topUp',
  'readPaymentMode',
  'polarity',
] as const;
export type ContractMessage = (typeof CONTRACT_MESSAGES)[number];

const EUI = /^[0-9A-F]{2}(?:-[0-9A-F]{2}){7}$/;
export function isEui(value: unknown): value is Eui {
  return typeof value === 'string' && EUI.test(value);
}

/**
 * A command's fields by their names in the command table (contractFields.generated.ts), each unknown until the
 * device has checked it: the TypeScript API can send anything, the wire anything its codec decodes.
 */
export type EventFields<K extends keyof ContractFieldNames> = { [F in ContractFieldNames[K]]?: unknown };

/** Any command or bench control message of the contract, as a device actor receives it. */
export interface ContractCommand {
  type: ContractMessage;
  requestId: string;
  [field: string]: unknown;
}
