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

/**
 * A constructor of plain objects (prototype Object.prototype: a plain object to every reader), for `withRequestId`:
 * fields copied onto an object of its own hidden classes, not spread (`{ ...fields, requestId }`). A spread of
 * messages of many shapes falls back to growing a `{}` field by field, and in a fleet process, which holds many
 * device sets, that cost 1-5 us a message where the copy onto a constructor's own hidden classes cost under 1-2.
 */
function PlainMessage(this: Record<string, unknown>): void {}
PlainMessage.prototype = Object.prototype;
const NewPlainMessage = PlainMessage as unknown as new () => Record<string, unknown>;

/**
 * `fields` (a message's `type` and fields) with `requestId` set, in a new object: what `{ ...fields, requestId }`
 * makes, own fields in the same order. Fields given as a field named `__proto__` (a command parsed from JSON) stay a
 * field, as a spread keeps them: assigned, it would become the copy's prototype (fields the caller never gave).
 */
export function withRequestId<I>(fields: object, requestId: I): Record<string, unknown> & { requestId: I } {
  // an own `__proto__` of any value (an object would become the prototype, a primitive would be dropped): spread
  const message = Object.hasOwn(fields, '__proto__')
    ? ({ ...fields } as Record<string, unknown>)
    : Object.assign(new NewPlainMessage(), fields);
  message.requestId = requestId;
  return message as Record<string, unknown> & { requestId: I };
}
