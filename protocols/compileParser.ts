/**
 * binary-parser compiles each Parser to a function, but the top level of that function sets `vars.$parent` and
 * `vars.$root` and then `delete`s them, which drops the result object into dictionary mode: measured on this
 * project's payloads, 270 ns of a 330 ns decode. We compile binary-parser's own generated code without those four
 * statements (we never use context variables). If a future binary-parser generates different code, the lines are
 * not found and we fall back to its own `parse`, so decoding stays correct and only the speed changes (the
 * codec tests cover both paths).
 *
 * The generated code also makes a DataView over its input on every call, only to read unsigned big-endian integers
 * through it: most of the decode of a short command (CPU time of readDeviceInfo's: 100 ns with it, 40 ns without).
 * The fast path reads them through a reader of its own instead (BigEndianReader, one per compiled parser: a parse
 * never re-enters itself), which throws a RangeError past the end as a DataView does, so a truncated payload is
 * refused as before.
 *
 * The objects it builds (the result, each nested field, each list item) start as `{}` and gain their fields one by
 * one. Every `{}` in the process starts from one shared root hidden class, and in a process holding thousands of
 * device sets (XState objects keyed by device EUI and actor id grow from it too) a decode that grows `{}` objects
 * cost 5-15 us where it costs 0.3 us in a fresh process (measured inside the loopback bench, bench/device-sets.ts
 * --case host, 2,000 sets); with a constructor of each parser's own (`Decoded`), whose hidden classes nothing else
 * shares, about 1 us. The objects are still plain: their prototype is Object.prototype, so `constructor`, JSON,
 * spread and equality (toStrictEqual included) see no difference.
 *
 * PayloadCodec (payloadCodec.ts) decodes every payload through this: a request and a response parser per message,
 * compiled once per codec (one codec per dialect). `fastParsers: false` (the round-trip tests compare the two paths)
 * skips the edit and uses binary-parser's own `parse`. There are no other, hand-generated decoders.
 */
import type { Parser } from 'binary-parser';

const CONTEXT_LINES = ['vars.$parent = null;', 'vars.$root = vars;', 'delete vars.$parent;', 'delete vars.$root;'];
const DATA_VIEW_LINE = 'var dataView = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);';
/** The only DataView reads binary-parser generates for the field types the codec uses (uint8, uint16be, uint32be). */
const READS = /dataView\.(\w+)\(/g;
const READ_METHODS = new Set(['getUint8', 'getUint16', 'getUint32']);
const NOTHING = new Uint8Array(0);
/** Every object binary-parser's code makes (`var vars = {};`, `vars.m.entries = {};`, `var $tmp1 = {};`). */
const EMPTY_OBJECT = / = \{\};/g;

function outside(offset: number, bytes: number, length: number): never {
  throw new RangeError(`reading ${bytes} byte(s) at offset ${offset} runs past the end of ${length} bytes`);
}

/**
 * The DataView methods the generated code calls, over the payload being parsed, big-endian always (the codec's
 * integers are; the generated calls pass `false`, little-endian: no).
 */
class BigEndianReader {
  bytes: Uint8Array = NOTHING;

  getUint8(offset: number): number {
    const b = this.bytes;
    if (offset + 1 > b.length) outside(offset, 1, b.length);
    return b[offset];
  }

  getUint16(offset: number): number {
    const b = this.bytes;
    if (offset + 2 > b.length) outside(offset, 2, b.length);
    return (b[offset] << 8) | b[offset + 1];
  }

  getUint32(offset: number): number {
    const b = this.bytes;
    if (offset + 4 > b.length) outside(offset, 4, b.length);
    return ((b[offset] << 24) | (b[offset + 1] << 16) | (b[offset + 2] << 8) | b[offset + 3]) >>> 0;
  }
}

export type CompiledParser = (buffer: Buffer) => unknown;

interface ParserInternals {
  getContext(importPath: string): { code: string; imports: unknown[] };
}

export function compileParser(parser: Parser, options: { fast?: boolean } = {}): CompiledParser {
  const fallback: CompiledParser = (buffer) => parser.parse(buffer);
  if (options.fast === false) return fallback;
  const internals = parser as unknown as Partial<ParserInternals>;
  if (typeof internals.getContext !== 'function') return fallback;
  const context = internals.getContext('imports');
  let code = context.code;
  for (const line of CONTEXT_LINES) {
    if (!code.includes(line)) return fallback;
    code = code.replace(line, '');
  }
  if (!code.includes(DATA_VIEW_LINE)) return fallback;
  for (const [, method] of code.matchAll(READS)) if (!READ_METHODS.has(method)) return fallback;
  code = code.replace(DATA_VIEW_LINE, 'var dataView = reader;').replace(EMPTY_OBJECT, ' = new Decoded();');
  const reader = new BigEndianReader();
  // The same wrapper binary-parser's own compile() builds, with the reader in the DataView's place and the parser's
  // own constructor for its objects.
  const parse = new Function(
    'imports',
    'TextDecoder',
    'reader',
    `function Decoded() {}
    Decoded.prototype = Object.prototype;
    return function (buffer, constructorFn) { ${code} };`,
  )(context.imports, TextDecoder, reader) as CompiledParser;
  return (buffer) => {
    reader.bytes = buffer;
    const result = parse(buffer);
    // not kept past the parse (a thrown one stays until the next: one payload per parser at most)
    reader.bytes = NOTHING;
    return result;
  };
}
