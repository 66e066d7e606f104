/**
 * withRequestId (protocols/messages.ts): BenchClient's command with its wire request id, and the device host's event
 * with its own request id, are copies of the fields given, made as `{ ...fields, requestId }` made them: plain
 * objects, own fields in the same order, a field named `__proto__` kept a field.
 */
import { describe, expect, it } from 'vitest';
import { withRequestId } from '../../protocols/messages';

describe('withRequestId', () => {
  it('copies the fields, adds the request id last, and leaves the given object alone', () => {
    const fields = { type: 'hanLogAdd', deviceId: '00-DB-12-34-56-78-90-A3', joinPeriod: 255 };
    const message = withRequestId(fields, 7);
    expect(message).toStrictEqual({
      type: 'hanLogAdd',
      deviceId: '00-DB-12-34-56-78-90-A3',
      joinPeriod: 255,
      requestId: 7,
    });
    expect(Object.keys(message)).toEqual(['type', 'deviceId', 'joinPeriod', 'requestId']);
    expect(fields).toStrictEqual({ type: 'hanLogAdd', deviceId: '00-DB-12-34-56-78-90-A3', joinPeriod: 255 });
    expect(message).not.toBe(fields);
  });

  it('replaces a request id the fields already hold in its place (a decoded command: its wire id first)', () => {
    const decoded = { requestId: 12, state: 'disabled', type: 'setSupply' };
    const message = withRequestId(decoded, '41');
    expect(Object.entries(message)).toEqual([
      ['requestId', '41'],
      ['state', 'disabled'],
      ['type', 'setSupply'],
    ]);
  });

  it('makes a plain object: prototype Object.prototype, constructor Object, as a structured clone keeps it', () => {
    const message = withRequestId({ type: 'readSupply' }, 1);
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
    expect(message.constructor).toBe(Object);
    expect(structuredClone(message)).toStrictEqual({ type: 'readSupply', requestId: 1 });
  });

  it('keeps a field named __proto__ (from JSON) a field, never the prototype', () => {
    const fields = JSON.parse('{"type":"setSupply","__proto__":{"state":"armed"}}') as object;
    const message = withRequestId(fields, 3);
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
    expect((message as { state?: unknown }).state).toBeUndefined();
    expect(Object.keys(message)).toEqual(['type', '__proto__', 'requestId']);
    expect(Object.getOwnPropertyDescriptor(message, '__proto__')?.value).toEqual({ state: 'armed' });
    expect(message.requestId).toBe(3);
  });

  it('keeps a __proto__ field whose value is not an object (assigned, it would vanish)', () => {
    const fields = JSON.parse('{"type":"setSupply","__proto__":5}') as object;
    const message = withRequestId(fields, 4);
    expect(Object.keys(message)).toEqual(['type', '__proto__', 'requestId']);
    expect(Object.getOwnPropertyDescriptor(message, '__proto__')?.value).toBe(5);
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
  });
});
