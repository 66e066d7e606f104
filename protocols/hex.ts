/**
 * Bytes as hex text: the protocol layer's one byte-to-hex table. Byte fields decode to lower-case hex (`bytesToHex`);
 * EUI-64 text is upper case (eui64.ts upper-cases each new EUI once, then caches it).
 */

/** Each byte value as two lower-case hex digits: '00' … 'ff'. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes`. Short fields (install codes, alert payloads, signatures) are most of them: the table beats Buffer#toString there. */
export function bytesToHex(bytes: Uint8Array): string {
  if (bytes.length > 64) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += HEX_BYTE[bytes[i]];
  return text;
}
