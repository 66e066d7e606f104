/**
 * Derives, from the command table, one decoder (binary-parser) and one encoder per message and frame type, for
 * one dialect (today every field has the same type in both dialects: docs/protocol.md "Dialects"; the dialect
 * names the vendor in encode errors and is the seam a vendor's wire difference would use). binary-parser only decodes (by its author's choice), so the encoder is generated here from the same
 * field specs; the round-trip property tests keep the two honest.
 */
import { Parser } from 'binary-parser';
import { compileParser, type CompiledParser } from './compileParser';
import { bytesToHex } from './hex';
import { ResponseStatus, responseStatusName, type Dialect, type FrameTypeName } from './constants';
import { commandTable, type MessageSpec } from './commandTable';
import { DecodeError, EncodeError } from './errors';
import { EuiError, euiFromHalves, euiToBytes } from './eui64';
import type { FieldSpec, FieldType } from './fieldTypes';
import type { Message, ResponseMessage } from './messages';
import type { RequestName, ResponseBodies } from './messageTypes.generated';

// ── Decoding: binary-parser fragments ──────────────────────────────────────────────────────────────────────────

const euiParser = new Parser().uint32be('hi').uint32be('lo');
/** u48 big-endian: binary-parser has no 48-bit integer, and its 64-bit one decodes to a BigInt. */
const timeMsParser = new Parser().uint16be('hi').uint32be('lo');

function fail(text: string): never {
  throw new DecodeError(text, 'malformedPayload');
}

function addField(parser: Parser, field: FieldSpec, path: string): Parser {
  const type = field.type;
  const name = field.name;
  const where = `${path}.${name}`;
  switch (type.kind) {
    case 'u8':
      return parser.uint8(name);
    case 'u16':
      return parser.uint16be(name);
    case 'u32':
      return parser.uint32be(name);
    case 'bool':
      return parser.uint8(name, {
        formatter: (v: number) => (v === 0 ? false : v === 1 ? true : fail(`${where}: ${v} is not a boolean (0 or 1)`)),
      });
    case 'eui64':
      return parser.nest(name, {
        type: euiParser,
        formatter: (h: { hi: number; lo: number }) => euiFromHalves(h.hi, h.lo),
      });
    case 'time':
      return parser.uint32be(name, { formatter: (s: number) => s * 1000 });
    case 'timeMs':
      return parser.nest(name, {
        type: timeMsParser,
        formatter: (t: { hi: number; lo: number }) => t.hi * 2 ** 32 + t.lo,
      });
    case 'scaled': {
      const scale = type.scale;
      const format = (v: number) => v / scale;
      return type.bytes === 2
        ? parser.uint16be(name, { formatter: format })
        : parser.uint32be(name, { formatter: format });
    }
    case 'enum': {
      const names = type.names;
      return parser.uint8(name, {
        formatter: (v: number) =>
          names[v] ?? fail(`${where}: ${v} is not one of ${names.map((n, i) => `${i} ${n}`).join(', ')}`),
      });
    }
    case 'bytes': {
      const inner = new Parser();
      (type.lengthBytes === 1 ? inner.uint8('n') : inner.uint16be('n')).buffer('b', { length: 'n' });
      return parser.nest(name, { type: inner, formatter: (o: { b: Buffer }) => bytesToHex(o.b) });
    }
    case 'text': {
      const inner = new Parser().uint8('n').buffer('b', { length: 'n' });
      return parser.nest(name, { type: inner, formatter: (o: { b: Buffer }) => o.b.toString('latin1') });
    }
    case 'list': {
      let item = new Parser();
      for (const sub of type.of) item = addField(item, sub, `${where}[]`);
      const inner = new Parser();
      (type.countBytes === 1 ? inner.uint8('n') : inner.uint16be('n')).array('items', { type: item, length: 'n' });
      return parser.nest(name, { type: inner, formatter: (o: { items: unknown[] }) => o.items });
    }
  }
}

export interface CodecOptions {
  /** Use binary-parser's generated code without its context-variable bookkeeping (see compileParser). */
  fastParsers?: boolean;
}

/**
 * The decoder of `fields`, from byte `skip` of its input: a response's body follows its fixed 3-byte head (request
 * id, status), read by hand, and is parsed in place rather than from a view made per response.
 */
function fieldsParser(fields: readonly FieldSpec[], path: string, options: CodecOptions, skip = 0): CompiledParser {
  let body = new Parser();
  for (const field of fields) body = addField(body, field, path);
  // The nest + saveOffset wrapper lets us check that the fields used the whole payload (no trailing bytes).
  const start = skip > 0 ? new Parser().seek(skip) : new Parser();
  return compileParser(start.nest('m', { type: body }).saveOffset('end'), { fast: options.fastParsers });
}

// ── Encoding: size and write closures from the same specs ──────────────────────────────────────────────────────

interface FieldEncoder {
  /**
   * The field's wire size whatever its value, for a fixed-size type: `size` then checks nothing (`write` does), so a
   * message of fixed-size fields skips the size pass.
   */
  fixed?: number;
  size(value: unknown): number;
  /** Called only after `size` of the same value (or for a fixed-size field): `size`'s checks need not be repeated. */
  write(target: Buffer, offset: number, value: unknown): number;
}

function encodeFail(where: string, value: unknown, want: string): never {
  throw new EncodeError(`${where}: ${JSON.stringify(value)} is not ${want}`);
}

function uint(where: string, bits: 8 | 16 | 32, dialect: Dialect) {
  const max = 2 ** bits - 1;
  return (value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      encodeFail(where, value, `an integer 0–${max} (u${bits}, ${dialect} dialect)`);
    }
    return value;
  };
}

/**
 * Writes `v` big-endian, byte by byte: every caller has checked it (uint, a length or count bound), and Buffer's
 * writeUInt16BE/32BE would check it again on every field of every message.
 */
function writeUint(target: Buffer, offset: number, bits: 8 | 16 | 32, v: number): number {
  if (bits === 8) {
    target[offset] = v;
    return offset + 1;
  }
  if (bits === 16) {
    target[offset] = v >>> 8;
    target[offset + 1] = v & 0xff;
    return offset + 2;
  }
  target[offset] = v >>> 24;
  target[offset + 1] = (v >>> 16) & 0xff;
  target[offset + 2] = (v >>> 8) & 0xff;
  target[offset + 3] = v & 0xff;
  return offset + 4;
}

const HEX = /^[0-9a-fA-F]*$/;

/** The byte length of a hex field's value, or EncodeError naming the field. */
function hexLength(where: string, value: unknown, maxLength: number): number {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !HEX.test(value)) {
    encodeFail(where, value, 'a hex string of whole bytes');
  }
  if (value.length / 2 > maxLength) encodeFail(where, `${value.length / 2} bytes`, `at most ${maxLength} bytes`);
  return value.length / 2;
}

function fieldEncoder(field: FieldSpec, dialect: Dialect, path: string): FieldEncoder {
  const type: FieldType = field.type;
  const where = `${path}.${field.name}`;
  switch (type.kind) {
    case 'u8':
    case 'u16':
    case 'u32': {
      const bits = type.kind === 'u8' ? 8 : type.kind === 'u16' ? 16 : 32;
      const check = uint(where, bits, dialect);
      return { fixed: bits / 8, size: () => bits / 8, write: (t, o, v) => writeUint(t, o, bits, check(v)) };
    }
    case 'bool':
      return {
        fixed: 1,
        size: () => 1,
        write: (t, o, v) => {
          if (typeof v !== 'boolean') encodeFail(where, v, 'a boolean');
          t[o] = v ? 1 : 0;
          return o + 1;
        },
      };
    case 'eui64':
      return {
        fixed: 8,
        size: () => 8,
        write: (t, o, v) => {
          // euiToBytes checks the text's form (once per EUI: its bytes are remembered) and throws EuiError
          let bytes: Uint8Array | undefined;
          try {
            bytes = typeof v === 'string' ? euiToBytes(v) : undefined;
          } catch (error) {
            if (!(error instanceof EuiError)) throw error;
          }
          if (bytes === undefined) encodeFail(where, v, 'an EUI-64 like 00-DB-12-34-56-78-90-A0');
          t.set(bytes, o);
          return o + 8;
        },
      };
    case 'time': {
      const check = uint(where, 32, dialect);
      return {
        fixed: 4,
        size: () => 4,
        write: (t, o, v) => {
          if (typeof v !== 'number' || !Number.isFinite(v)) encodeFail(where, v, 'a time in ms since the epoch');
          return writeUint(t, o, 32, check(Math.floor(v / 1000)));
        },
      };
    }
    case 'timeMs':
      return {
        fixed: 6,
        size: () => 6,
        write: (t, o, v) => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 48 - 1) {
            encodeFail(where, v, `whole ms since the epoch 0–${2 ** 48 - 1} (u48, ${dialect} dialect)`);
          }
          t.writeUIntBE(v, o, 6);
          return o + 6;
        },
      };
    case 'scaled': {
      const bits = type.bytes === 2 ? 16 : 32;
      const check = uint(where, bits, dialect);
      const scale = type.scale;
      return {
        fixed: type.bytes,
        size: () => type.bytes,
        write: (t, o, v) => {
          if (typeof v !== 'number' || !Number.isFinite(v)) encodeFail(where, v, `a number (sent ×${scale})`);
          return writeUint(t, o, bits, check(Math.round(v * scale)));
        },
      };
    }
    case 'enum': {
      const names = type.names;
      return {
        fixed: 1,
        size: () => 1,
        write: (t, o, v) => {
          const index = names.indexOf(v as string);
          if (index < 0) encodeFail(where, v, `one of ${names.join(', ')}`);
          t[o] = index;
          return o + 1;
        },
      };
    }
    case 'bytes': {
      const lengthBits = type.lengthBytes === 1 ? 8 : 16;
      const max = 2 ** lengthBits - 1;
      // the hex is written straight into the payload: no Buffer of its own, made twice (for size and for write)
      return {
        size: (v) => type.lengthBytes + hexLength(where, v, max),
        write: (t, o, v) => {
          // size checked v: a hex string of whole bytes, within the bound (the regex once per field, not twice)
          const length = (v as string).length / 2;
          o = writeUint(t, o, lengthBits, length);
          t.write(v as string, o, length, 'hex');
          return o + length;
        },
      };
    }
    case 'text':
      return {
        size: (v) => {
          if (typeof v !== 'string' || !/^[\x20-\x7e]*$/.test(v) || v.length > 255)
            encodeFail(where, v, 'printable ASCII of at most 255 characters');
          return 1 + v.length;
        },
        write: (t, o, v) => {
          const s = v as string;
          t[o] = s.length;
          t.write(s, o + 1, 'latin1');
          return o + 1 + s.length;
        },
      };
    case 'list': {
      const countBits = type.countBytes === 1 ? 8 : 16;
      const maxCount = 2 ** countBits - 1;
      const items = type.of.map((sub) => [sub.name, fieldEncoder(sub, dialect, `${where}[]`)] as const);
      const asList = (v: unknown): Record<string, unknown>[] => {
        if (!Array.isArray(v)) encodeFail(where, v, 'a list');
        if (v.length > maxCount) encodeFail(where, `${v.length} items`, `at most ${maxCount} items`);
        return v;
      };
      return {
        size: (v) => {
          let n = type.countBytes;
          for (const item of asList(v)) for (const [name, enc] of items) n += enc.size(item?.[name]);
          return n;
        },
        write: (t, o, v) => {
          const list = asList(v);
          o = writeUint(t, o, countBits, list.length);
          for (const item of list) for (const [name, enc] of items) o = enc.write(t, o, item?.[name]);
          return o;
        },
      };
    }
  }
}

function fieldsEncoder(fields: readonly FieldSpec[], dialect: Dialect, path: string) {
  const names = fields.map((field) => field.name);
  const encoders = fields.map((field) => fieldEncoder(field, dialect, path));
  const count = encoders.length;
  // Most messages are fixed-size fields only (every request of a session but hanLogAdd): their size is known now, and
  // the size pass, which would check nothing for them, is skipped.
  const fixed = encoders.every((enc) => enc.fixed !== undefined)
    ? encoders.reduce((sum, enc) => sum + enc.fixed!, 0)
    : undefined;
  return {
    size(source: Record<string, unknown>): number {
      if (fixed !== undefined) return fixed;
      let n = 0;
      for (let i = 0; i < count; i++) n += encoders[i].size(source[names[i]]);
      return n;
    },
    write(target: Buffer, offset: number, source: Record<string, unknown>): number {
      for (let i = 0; i < count; i++) offset = encoders[i].write(target, offset, source[names[i]]);
      return offset;
    },
  };
}

// ── The codec ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface EncodedPayload {
  frameType: FrameTypeName;
  messageId: number;
  payload: Buffer;
}

interface Entry {
  spec: MessageSpec;
  /** The response's request id, checked as a u16 naming this message (made once, not per response). */
  responseRequestId: (value: unknown) => number;
  request: CompiledParser;
  requestEncoder: ReturnType<typeof fieldsEncoder>;
  response: CompiledParser;
  responseEncoder: ReturnType<typeof fieldsEncoder>;
}

/** A response's request id (u16) and status (u8), before its body. */
const RESPONSE_HEAD = 3;

const requestIdField: FieldSpec = { name: 'requestId', type: { kind: 'u16' }, doc: 'correlates the response' };

export class PayloadCodec {
  private readonly byId = new Map<number, Entry>();
  private readonly byName = new Map<string, Entry>();
  constructor(
    readonly dialect: Dialect,
    options: CodecOptions = {},
  ) {
    for (const spec of commandTable) {
      const requestFields = spec.kind === 'alert' ? spec.fields : [requestIdField, ...spec.fields];
      const entry: Entry = {
        spec,
        request: fieldsParser(requestFields, spec.name, options),
        requestEncoder: fieldsEncoder(requestFields, dialect, spec.name),
        responseRequestId: uint(`${spec.name} response.requestId`, 16, dialect),
        response: fieldsParser(spec.response ?? [], `${spec.name} response`, options, RESPONSE_HEAD),
        responseEncoder: fieldsEncoder(spec.response ?? [], dialect, `${spec.name} response`),
      };
      this.byId.set(spec.id, entry);
      this.byName.set(spec.name, entry);
    }
  }

  spec(name: string): MessageSpec | undefined {
    return this.byName.get(name)?.spec;
  }

  /** Message → frame type, message id and payload bytes. Throws EncodeError naming the field. */
  encode(message: Message): EncodedPayload {
    if (message.type === 'response') {
      return this.encodeResponse(message);
    }
    const entry = this.entry(message.type);
    const source: Record<string, unknown> = message;
    const payload = Buffer.allocUnsafe(entry.requestEncoder.size(source));
    entry.requestEncoder.write(payload, 0, source);
    const frameType: FrameTypeName = entry.spec.kind;
    return { frameType, messageId: entry.spec.id, payload };
  }

  private encodeResponse(message: ResponseMessage): EncodedPayload {
    const entry = this.entry(message.message);
    if (entry.spec.kind === 'alert') throw new EncodeError(`alerts are not answered: response to "${message.message}"`);
    const status = ResponseStatus[message.status];
    if (status === undefined)
      throw new EncodeError(
        `${message.message} response.status: ${JSON.stringify(message.status)} is not a response status`,
      );
    const body = status === ResponseStatus.ok ? (message.body ?? {}) : undefined;
    const size = 3 + (body ? entry.responseEncoder.size(body) : 0);
    const payload = Buffer.allocUnsafe(size);
    writeUint(payload, 0, 16, entry.responseRequestId(message.requestId));
    payload[2] = status;
    if (body) entry.responseEncoder.write(payload, 3, body);
    return { frameType: 'response', messageId: entry.spec.id, payload };
  }

  /** Frame type, message id and payload → message. Throws DecodeError with a NAK reason; never anything else. */
  decode(frameType: FrameTypeName, messageId: number, payload: Uint8Array): Message {
    const entry = this.byId.get(messageId);
    if (!entry)
      throw new DecodeError(`unknown message id 0x${messageId.toString(16).padStart(4, '0')}`, 'unknownMessage');
    const { spec } = entry;
    const expected = spec.kind === 'alert' ? 'alert' : spec.kind;
    if (frameType !== 'response' && frameType !== expected) {
      throw new DecodeError(
        `${spec.name} (0x${messageId.toString(16).padStart(4, '0')}) is a ${spec.kind}, not a ${frameType} frame`,
        'malformedPayload',
      );
    }
    try {
      if (frameType === 'response') return this.decodeResponse(entry, payload);
      const parsed = entry.request(asBuffer(payload)) as { m: Record<string, unknown>; end: number };
      checkEnd(spec.name, parsed.end, payload.length);
      const message = parsed.m;
      message.type = spec.name;
      // The parser was generated from this message's fields in the table, as its type was: they agree.
      return message as Message;
    } catch (error) {
      throw asDecodeError(error, spec.name, payload.length);
    }
  }

  private decodeResponse(entry: Entry, payload: Uint8Array): Message {
    const { spec } = entry;
    if (spec.kind === 'alert') fail(`alerts are not answered: response frame for "${spec.name}"`);
    if (payload.length < 3)
      fail(`${spec.name} response: ${payload.length} bytes, a response has at least 3 (request id, status)`);
    // Request id and status are a fixed prefix of every response, outside the table: read by hand.
    const head = { requestId: (payload[0] << 8) | payload[1], status: payload[2] };
    const status = responseStatusName[head.status];
    if (status === undefined)
      fail(`${spec.name} response: status 0x${head.status.toString(16)} is not a response status`);
    // A request's name (alerts were refused above), as the generated RequestName has it.
    const response: ResponseMessage = {
      type: 'response',
      message: spec.name as RequestName,
      requestId: head.requestId,
      status,
    };
    if (head.status !== ResponseStatus.ok) {
      if (payload.length !== 3)
        fail(`${spec.name} response: a ${status} response has no body, found ${payload.length - 3} bytes`);
      return response;
    }
    const parsed = entry.response(asBuffer(payload)) as { m: Record<string, unknown>; end: number };
    checkEnd(`${spec.name} response`, parsed.end, payload.length);
    if (spec.response) response.body = parsed.m as ResponseBodies[RequestName];
    return response;
  }

  private entry(name: string): Entry {
    const entry = this.byName.get(name);
    if (!entry) throw new EncodeError(`unknown message "${name}" (not in the command table)`);
    return entry;
  }
}

/**
 * The fields must use the payload exactly. binary-parser reads a length-prefixed buffer as a subarray, which does
 * not throw when the declared length runs past the end: the offset then lies beyond the payload.
 */
function checkEnd(name: string, end: number, length: number): void {
  if (end > length) fail(`${name}: payload of ${length} bytes ends inside a field (truncated)`);
  if (end < length) fail(`${name}: ${length - end} trailing bytes after the last field`);
}

/** binary-parser's buffer fields are subarrays of the input: a Buffer gives Buffers (with toString('hex')). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function asDecodeError(error: unknown, name: string, length: number): DecodeError {
  if (error instanceof DecodeError) return error;
  // binary-parser reads through a DataView: running off the end is a RangeError.
  if (error instanceof RangeError)
    return new DecodeError(`${name}: payload of ${length} bytes ends inside a field (truncated)`, 'malformedPayload');
  return new DecodeError(`${name}: ${(error as Error).message}`, 'malformedPayload');
}

const codecs = new Map<Dialect, PayloadCodec>();
/** One shared codec per dialect: building the binary-parser functions compiles code, so do it once. */
export function payloadCodec(dialect: Dialect): PayloadCodec {
  let codec = codecs.get(dialect);
  if (!codec) codecs.set(dialect, (codec = new PayloadCodec(dialect)));
  return codec;
}
