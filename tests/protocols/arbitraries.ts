// fast-check arbitraries derived from the command table: every message, every field type, both dialects.
// Nothing here names a message, so a message added to protocols/commandTable.ts is generated (and round-tripped)
// without touching the tests; a field type added to fieldTypes.ts fails to compile here until it is handled.
import fc from 'fast-check';
import { commandTable, type MessageSpec } from '../../protocols/commandTable';
import { ResponseStatus, type Dialect, type ResponseStatusName } from '../../protocols/constants';
import type { FieldSpec, FieldType } from '../../protocols/fieldTypes';
import { Random, seedRandom } from '../../common/random';
import type { Message, ResponseMessage } from '../../protocols/messages';
import type { RequestName, ResponseBodies } from '../../protocols/messageTypes.generated';

/** Lists and long byte strings are kept modest so a run stays fast; the limits themselves are tested separately. */
export const MAX_LIST_ITEMS = 40;
export const MAX_LONG_BYTES = 700;

export const eui64Arb: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 8, maxLength: 8 })
  .map((bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-'));

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

/** Whole units of the wire integer, shown in the domain (an integer / scale is what a decoder returns). */
const uintArb = (bits: 8 | 16 | 32) => fc.integer({ min: 0, max: 2 ** bits - 1 });

export function fieldArbitrary(type: FieldType, dialect: Dialect): fc.Arbitrary<unknown> {
  const t = type;
  switch (t.kind) {
    case 'u8':
      return uintArb(8);
    case 'u16':
      return uintArb(16);
    case 'u32':
      return uintArb(32);
    case 'bool':
      return fc.boolean();
    case 'eui64':
      return eui64Arb;
    case 'time':
      return uintArb(32).map((s) => s * 1000);
    case 'timeMs':
      return fc.integer({ min: 0, max: 2 ** 48 - 1 });
    case 'scaled': {
      const scale = t.scale;
      return uintArb(t.bytes === 2 ? 16 : 32).map((units) => units / scale);
    }
    case 'enum':
      return fc.constantFrom(...t.names);
    case 'bytes':
      return fc
        .uint8Array({ maxLength: t.lengthBytes === 1 ? 255 : MAX_LONG_BYTES })
        .map((bytes) => Buffer.from(bytes).toString('hex'));
    case 'text':
      return fc.string({ unit: printable, maxLength: 255 });
    case 'list':
      return fc.array(fieldsArbitrary(t.of, dialect), {
        maxLength: Math.min(MAX_LIST_ITEMS, 2 ** (8 * t.countBytes) - 1),
      });
    default: {
      const unhandled: never = t;
      throw new Error(`no arbitrary for field type ${JSON.stringify(unhandled)}`);
    }
  }
}

export function fieldsArbitrary(fields: readonly FieldSpec[], dialect: Dialect): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields) model[field.name] = fieldArbitrary(field.type, dialect);
  return fc.record(model);
}

export const requestIdArb = uintArb(16);

/** A command, control message or alert as the codec takes it: `{ type, requestId?, ...fields }`. */
export function requestArbitrary(spec: MessageSpec, dialect: Dialect): fc.Arbitrary<Message> {
  const fields = fieldsArbitrary(spec.fields, dialect);
  if (spec.kind === 'alert') return fields.map((f) => ({ type: spec.name, ...f }) as unknown as Message);
  return fc.tuple(requestIdArb, fields).map(([requestId, f]) => ({ type: spec.name, requestId, ...f }) as Message);
}

export const NON_OK_STATUSES = (Object.keys(ResponseStatus) as ResponseStatusName[]).filter((s) => s !== 'ok');

/** Status ok, with the body when the message has one. */
export function okResponseArbitrary(spec: MessageSpec, dialect: Dialect): fc.Arbitrary<ResponseMessage> {
  const body = spec.response ? fieldsArbitrary(spec.response, dialect) : fc.constant(undefined);
  return fc.tuple(requestIdArb, body).map(([requestId, b]) => {
    const response: ResponseMessage = { type: 'response', message: spec.name as RequestName, requestId, status: 'ok' };
    if (b !== undefined) response.body = b as ResponseBodies[RequestName];
    return response;
  });
}

/** A non-ok status: no body. */
export function failedResponseArbitrary(spec: MessageSpec, status: ResponseStatusName): fc.Arbitrary<ResponseMessage> {
  return requestIdArb.map((requestId) => ({ type: 'response', message: spec.name as RequestName, requestId, status }));
}

/** Every message the table allows on the wire in one dialect: requests, alerts, and all responses. */
export function anyMessageArbitrary(dialect: Dialect): fc.Arbitrary<Message> {
  const arbitraries: fc.Arbitrary<Message>[] = [];
  for (const spec of commandTable) {
    arbitraries.push(requestArbitrary(spec, dialect));
    if (spec.kind !== 'alert') {
      arbitraries.push(okResponseArbitrary(spec, dialect));
      arbitraries.push(fc.constantFrom(...NON_OK_STATUSES).chain((status) => failedResponseArbitrary(spec, status)));
    }
  }
  return fc.oneof(...arbitraries);
}

/** The table name a message stands for (a response stands for the message it answers). */
export function messageName(message: Message): string {
  return message.type === 'response' ? (message as ResponseMessage).message : message.type;
}

export const frameHeaderArb = fc.record({
  sequence: fc.integer({ min: 0, max: 255 }),
  source: eui64Arb,
  destination: eui64Arb,
});

/** The project's seeded generator as a function, for loops where fast-check's per-run overhead would dominate. */
export function prng(seed: number): () => number {
  const random = new Random(seedRandom(seed));
  return () => random.next();
}
