import { CredentialError } from './errors';

/**
 * Decodes a hex byte string. Buffer.from(..., 'hex') silently stops at the first bad character, which would turn a
 * typo in a certificate into a truncated certificate; this refuses instead.
 */
export function hexToBytes(hex: string, what: string): Buffer {
  const bytes = Buffer.allocUnsafe(typeof hex === 'string' ? hex.length >>> 1 : 0);
  writeHex(hex, bytes, 0, what);
  return bytes;
}

/**
 * Writes a hex byte string's bytes into `target` at `offset` (which has room for all of them), refusing it as
 * hexToBytes does: for a caller that writes the bytes into a buffer of its own rather than copy them there. The
 * write is the check: Buffer's hex decoder stops at the first pair that is not two hex digits, so a string is all
 * hex exactly when all its pairs were written (a pattern run over it first read a certificate twice per signature).
 */
export function writeHex(hex: string, target: Buffer, offset: number, what: string): void {
  // (an odd length is refused too: its half is no whole number of bytes written)
  if (typeof hex !== 'string' || target.write(hex, offset, 'hex') !== hex.length / 2) {
    throw new CredentialError(`${what} is not a hex byte string (even number of 0-9a-f characters)`);
  }
}

/** Bytes as the domain writes them: lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
