/**
 * Decoded messages: the shape device machines take as events and emit (docs/contract.md), so the emulator passes
 * them through unchanged. A command or control message is flat: `{ type: 'hanLogAdd', requestId, deviceId, … }`.
 * Each is typed by its name from the command table (messageTypes.generated.ts).
 */
import type { ResponseStatusName } from './constants';
import type { MessageFields, RequestName, ResponseBodies } from './messageTypes.generated';

/** A command or control message: one type per name (distributed over N), so narrowing `type` narrows the fields. */
export type CommandMessage<N extends RequestName = RequestName> = N extends RequestName
  ? { type: N; requestId: number } & MessageFields[N]
  : never;

export interface ResponseMessage<N extends RequestName = RequestName> {
  type: 'response';
  /** Name of the command or control message answered. */
  message: N;
  requestId: number;
  status: ResponseStatusName;
  body?: ResponseBodies[N];
}

/** code, at (ms since the epoch, whole seconds on the wire), payload (hex, possibly empty). */
export type AlertMessage = { type: 'alert' } & MessageFields['alert'];

export type Message = CommandMessage | ResponseMessage | AlertMessage;
