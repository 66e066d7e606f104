import { TAG } from './derReader';

/**
 * A minimal DER encoder, enough to build the TBSCertificate of a GBCS organisation certificate for the test PKI.
 * Every function returns a complete element (tag, length, content).
 */
export function element(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...items: Uint8Array[]): Buffer => element(TAG.sequence, ...items);
export const set = (...items: Uint8Array[]): Buffer => element(TAG.set, ...items);
export const oid = (contentHex: string): Buffer => element(TAG.oid, Buffer.from(contentHex, 'hex'));
export const utf8String = (text: string): Buffer => element(TAG.utf8String, Buffer.from(text, 'utf8'));
export const printableString = (text: string): Buffer => element(TAG.printableString, Buffer.from(text, 'latin1'));
export const octetString = (bytes: Uint8Array): Buffer => element(TAG.octetString, bytes);
export const booleanTrue = (): Buffer => element(TAG.boolean, Buffer.from([0xff]));
/** A BIT STRING of whole bytes (no unused bits), as keys, signatures and x500UniqueIdentifier use. */
export const bitString = (bytes: Uint8Array): Buffer => element(TAG.bitString, Buffer.from([0]), bytes);

/** A non-negative INTEGER: minimal two's-complement, so a leading 0x00 only when the top bit is set. */
export function unsignedInteger(value: bigint | Uint8Array): Buffer {
  let bytes = typeof value === 'bigint' ? bigintToBytes(value) : Buffer.from(value);
  let first = 0;
  while (first < bytes.length - 1 && bytes[first] === 0) first++;
  bytes = bytes.subarray(first);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return element(TAG.integer, bytes);
}

function bigintToBytes(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('unsignedInteger: negative value');
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** An X.509 Time: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5). Whole seconds only. */
export function time(ms: number): Buffer {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const rest = [
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ]
    .map((n) => String(n).padStart(2, '0'))
    .join('');
  if (year >= 1950 && year < 2050) {
    return element(TAG.utcTime, Buffer.from(`${String(year % 100).padStart(2, '0')}${rest}Z`, 'latin1'));
  }
  return element(TAG.generalizedTime, Buffer.from(`${String(year).padStart(4, '0')}${rest}Z`, 'latin1'));
}
