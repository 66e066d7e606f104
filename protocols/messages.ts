/**
 * Decoded messages: the shape device machines take as events and emit (docs/contract.md), so the emulator passes
 * them through unchanged. A command or control message is flat: `{ type: 'hanLogAdd', requestId, deviceId, … }`.
 */
import type { ResponseStatusName } from './constants';

export interface CommandMessage {
  /** The message name from the command table. */
  type: string;
  requestId: number;
  [field: string]: unknown;
}

export interface ResponseMessage {
  type: 'response';
  /** Name of the command or control message answered. */
  message: string;
  requestId: number;
  status: ResponseStatusName;
  body?: Record<string, unknown>;
}

export interface AlertMessage {
  type: 'alert';
  code: number;
  /** ms since the epoch (whole seconds on the wire). */
  at: number;
  /** hex, possibly empty */
  payload: string;
}

export type Message = CommandMessage | ResponseMessage | AlertMessage;

