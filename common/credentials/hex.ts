import { CredentialError } from './errors';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Decodes a hex byte string. Buffer.from(..., 'hex') silently stops at the first bad character, which would turn a
 * typo in a certificate into a truncated certificate; this refuses instead.
 */
export function hexToBytes(hex: string, what: string): Buffer {
  hexByteLength(hex, what);
  return Buffer.from(hex, 'hex');
}

/**
 * The number of bytes a hex byte string holds, refusing it as hexToBytes does: for a caller that writes the bytes
 * into a buffer of its own (`buffer.write(hex, offset, 'hex')` once this has passed it) rather than copy them there.
 */
export function hexByteLength(hex: string, what: string): number {
  if (typeof hex !== 'string' || !HEX.test(hex)) {
    throw new CredentialError(`${what} is not a hex byte string (even number of 0-9a-f characters)`);
  }
  return hex.length / 2;
}

/** Bytes as the domain writes them: lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
