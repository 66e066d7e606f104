/**
 * The codec's compiled parsers build their objects with a constructor of their own (protocols/compileParser.ts,
 * `Decoded`). Whatever reads a decoded message must not be able to tell: every object in it (the message, its body,
 * each list item) has Object.prototype and only its own enumerable fields, equals the message it was encoded from
 * under toStrictEqual (which compares prototypes), survives JSON and a structured clone to a worker thread
 * unchanged, and no field name could set a prototype. The expected messages are the arbitraries' (tests/protocols),
 * not anything the codec produced.
 */
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../protocols/commandTable';
import { DIALECTS } from '../../protocols/constants';
import type { Message } from '../../protocols/messages';
import { PayloadCodec } from '../../protocols/payloadCodec';
import { anyMessageArbitrary } from '../protocols/arbitraries';

/** Every object reachable from `value` (arrays' items included, arrays themselves not). */
function objectsIn(value: unknown, out: object[] = []): object[] {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, out);
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    out.push(value);
    for (const field of Object.values(value)) objectsIn(field, out);
  }
  return out;
}

/**
 * `value` rebuilt from `{}` and `[]` literals: fast-check's records may have no prototype at all (a list item of a
 * body does), and toStrictEqual would hold that against any decoder.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = plain(field);
  return out;
}

/** Echoes each message it is posted: a structured clone there and another back. */
const ECHO = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage(m));`;

function throughWorker(messages: unknown[]): Promise<unknown[]> {
  const worker = new Worker(ECHO, { eval: true });
  return new Promise<unknown[]>((resolve, reject) => {
    worker.once('message', (echoed: unknown[]) => resolve(echoed));
    worker.once('error', reject);
    worker.postMessage(messages);
  }).finally(() => worker.terminate());
}

describe.each(DIALECTS)('%s: decoded messages are plain objects', (dialect) => {
  const fast = new PayloadCodec(dialect, { fastParsers: true });
  const messages = fc.sample(anyMessageArbitrary(dialect), { seed: 5150, numRuns: 800 }).map(plain) as Message[];
  const decoded = messages.map((message) => {
    const { frameType, messageId, payload } = fast.encode(message);
    return fast.decode(frameType, messageId, payload);
  });

  it('has Object.prototype, Object as constructor, and only its own enumerable fields in every object', () => {
    let objects = 0;
    for (const message of decoded)
      for (const object of objectsIn(message)) {
        objects++;
        expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
        expect(object.constructor).toBe(Object);
        expect(Object.hasOwn(object, 'constructor')).toBe(false);
        // no hidden own fields (a non-enumerable one would escape toStrictEqual and JSON)
        expect(Reflect.ownKeys(object)).toEqual(Object.keys(object));
        const inherited: string[] = [];
        for (const key in object) if (!Object.hasOwn(object, key)) inherited.push(key);
        expect(inherited).toEqual([]);
      }
    // the sample reaches nested bodies and list items, not only the messages themselves
    expect(objects).toBeGreaterThan(decoded.length * 1.3);
  });

  it('equals the encoded message under toStrictEqual, and after JSON', () => {
    for (let i = 0; i < messages.length; i++) {
      expect(decoded[i]).toStrictEqual(messages[i]);
      expect(JSON.parse(JSON.stringify(decoded[i]))).toEqual(JSON.parse(JSON.stringify(messages[i])));
    }
  });

  it('comes back from a worker thread (structured clone, both ways) as it went', async () => {
    expect(structuredClone(decoded)).toStrictEqual(messages);
    expect(await throughWorker(decoded)).toStrictEqual(messages);
  });
});

describe('the command table', () => {
  it('names no field __proto__, constructor or prototype (a parser assigning it would change an object, not add a field)', () => {
    const names: string[] = [];
    JSON.stringify(commandTable, (key, value) => {
      if (key === 'name' && typeof value === 'string') names.push(value);
      return value;
    });
    expect(names.length).toBeGreaterThan(commandTable.length);
    expect(names.filter((name) => ['__proto__', 'constructor', 'prototype'].includes(name))).toEqual([]);
  });
});
