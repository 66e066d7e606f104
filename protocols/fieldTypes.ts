/**
 * The wire types a command-table field may have. Each type knows its byte layout once, and from that the codec
 * derives both directions: a binary-parser fragment for decoding and a size/write pair for encoding.
 * Types check only that a value is representable on the wire; whether a value is sensible (a join period of
 * 0 s, a 3-byte install code) is the device's or the DSP's business, so that a harness can send bad values on
 * purpose and watch a device refuse them.
 */
export type FieldType =
  | { kind: 'u8' }
  | { kind: 'u16' }
  | { kind: 'u32' }
  | { kind: 'bool' }
  | { kind: 'eui64' }
  /** Unix time in whole seconds on the wire, milliseconds since the epoch in the domain. */
  | { kind: 'time' }
  /** Milliseconds since the Unix epoch, exactly: a u48 on the wire (good to the year 10889). Virtual-time controls. */
  | { kind: 'timeMs' }
  /** A decimal quantity sent as an unsigned integer of `bytes` bytes in units of 1/scale (volts ×10 → 2305). */
  | { kind: 'scaled'; bytes: 2 | 4; scale: number }
  | { kind: 'enum'; names: readonly string[] }
  /** A byte string with a length prefix of `lengthBytes`; lower-case hex in the domain. */
  | { kind: 'bytes'; lengthBytes: 1 | 2 }
  /** Printable text with a one-byte length prefix (firmware versions). */
  | { kind: 'text' }
  /** A counted list of records; the count is `countBytes` wide. */
  | { kind: 'list'; countBytes: 1 | 2; of: readonly FieldSpec[] };

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Unit in the domain (s, V, W, ms since epoch…), printed in docs/protocol.md. */
  readonly unit?: string;
  /** The range a device accepts; documentation for bench implementers, not enforced by the codec. */
  readonly range?: string;
  readonly doc: string;
}

/**
 * The last instant a `time` field can carry, 2106-02-07T06:28:15.999Z: whole seconds in a u32. Anything that will be
 * sent as one (an alert's `at`, the virtual time its devices stamp it with) must stay at or before it.
 */
export const LAST_WIRE_TIME_MS = (2 ** 32 - 1) * 1000 + 999;

export const u8: FieldType = { kind: 'u8' };
export const u16: FieldType = { kind: 'u16' };
export const u32: FieldType = { kind: 'u32' };
export const bool: FieldType = { kind: 'bool' };
export const eui64: FieldType = { kind: 'eui64' };
export const time: FieldType = { kind: 'time' };
export const timeMs: FieldType = { kind: 'timeMs' };
export const volts: FieldType = { kind: 'scaled', bytes: 2, scale: 10 };
export const watts: FieldType = u32;
export const thousandths16: FieldType = { kind: 'scaled', bytes: 2, scale: 1000 };
export const thousandths32: FieldType = { kind: 'scaled', bytes: 4, scale: 1000 };
export const bytes8: FieldType = { kind: 'bytes', lengthBytes: 1 };
export const bytes16: FieldType = { kind: 'bytes', lengthBytes: 2 };
export const text: FieldType = { kind: 'text' };
export const enumOf = (...names: string[]): FieldType => ({ kind: 'enum', names });
export const listOf = (countBytes: 1 | 2, ...of: FieldSpec[]): FieldType => ({ kind: 'list', countBytes, of });

/** How docs/protocol.md names a type, e.g. `u16 (V ×10)`, `bytes (u8 length)`. */
export function describeType(type: FieldType): string {
  switch (type.kind) {
    case 'scaled':
      return `u${type.bytes * 8} (×${type.scale})`;
    case 'time':
      return 'u32 (Unix s)';
    case 'timeMs':
      return 'u48 (Unix ms)';
    case 'eui64':
      return 'EUI-64 (8)';
    case 'bool':
      return 'u8 (0/1)';
    case 'enum':
      return `u8 enum: ${type.names.map((n, i) => `${i} ${n}`).join(', ')}`;
    case 'bytes':
      return `bytes (u${type.lengthBytes * 8} length)`;
    case 'text':
      return 'text (u8 length, ASCII)';
    case 'list':
      return `list (u${type.countBytes * 8} count) of {${type.of.map((f) => `${f.name}: ${describeType(f.type)}`).join('; ')}}`;
    default:
      return type.kind;
  }
}
