import { CredentialError } from './errors';
import { writeHex } from './hex';
import { replacementModeIndex, type ReplacementModeName } from './replacementModes';
import { isRemotePartyRole, writeEntityId, type RemotePartyRole } from './roles';

/**
 * The exact bytes the signature of a signed command covers. Every layout starts with the same header:
 *
 *   kind (1 byte: 0x01 replaceCredentials, 0x02 clockSync) ‖ target device EUI-64 (8 bytes) ‖ originator counter
 *   (u32, big-endian)
 *
 * The kind stops a signature made for one command from being replayed as another; the EUI binds it to the one
 * device it was made for (another device of the set, or another set's ESME, refuses it); the counter, which the
 * device requires to grow per remote party, stops the same request from being accepted twice (issue 8 item 16).
 * GBCS binds its commands the same way (the business target id and the originator counter are in the signed
 * command); the layout is this emulator's own, since its wire format is its own. The counter is 4 bytes, not
 * GBCS's 8 (assumed width: no bench comes near 2^32 commands from one party).
 */
const SIGNED_KIND = { replaceCredentials: 0x01, clockSync: 0x02 } as const;

const MAX_COUNTER = 0xffff_ffff;
const HEADER_LENGTH = 13;

export interface ReplacementFields {
  readonly role: RemotePartyRole;
  readonly mode: ReplacementModeName;
  /** DER, hex. */
  readonly certificate: string;
  readonly counter: number;
}

export interface ClockSyncFields {
  /** ms since the epoch; the wire carries whole seconds, and the signature covers whole seconds. */
  readonly currentTime: number;
  readonly counter: number;
}

/** The header, in a buffer with room for `bodyLength` more bytes after it (the caller writes every one). */
function header(kind: number, targetEui: string, counter: unknown, bodyLength: number): Buffer {
  if (typeof counter !== 'number' || !Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new CredentialError(`counter ${String(counter)} is not an integer from 0 to ${MAX_COUNTER}`);
  }
  const bytes = Buffer.allocUnsafe(HEADER_LENGTH + bodyLength);
  try {
    // in place: a buffer of the EUI's own, and its copy, were most of the header's cost
    writeEntityId(targetEui, bytes, 1);
  } catch {
    throw new CredentialError(`target EUI ${JSON.stringify(targetEui)} is not 8 upper-case hex bytes joined by dashes`);
  }
  bytes[0] = kind;
  bytes.writeUInt32BE(counter, 9);
  return bytes;
}

/** header(0x01) ‖ role (1 byte, 0–6) ‖ mode index in REPLACEMENT_MODES (1 byte) ‖ certificate DER. */
export function replacementSignedData(request: ReplacementFields, targetEui: string): Buffer {
  if (!isRemotePartyRole(request.role)) {
    throw new CredentialError(`role ${String(request.role)} is not a remote party role (0 to 6)`);
  }
  const modeIndex = replacementModeIndex(request.mode);
  if (modeIndex < 0) throw new CredentialError(`unknown replacement mode ${JSON.stringify(request.mode)}`);
  // written in place: a buffer of its own for the certificate, and a copy of it, were most of this function's cost
  const { certificate } = request;
  const room = typeof certificate === 'string' ? certificate.length >>> 1 : 0;
  const bytes = header(SIGNED_KIND.replaceCredentials, targetEui, request.counter, 2 + room);
  writeHex(certificate, bytes, HEADER_LENGTH + 2, 'certificate');
  bytes[HEADER_LENGTH] = request.role;
  bytes[HEADER_LENGTH + 1] = modeIndex;
  return bytes;
}

/** header(0x02) ‖ currentTime in whole Unix seconds (u32, big-endian): what the wire carries. */
export function clockSyncSignedData(request: ClockSyncFields, targetEui: string): Buffer {
  const { currentTime } = request;
  if (
    typeof currentTime !== 'number' ||
    !Number.isFinite(currentTime) ||
    currentTime < 0 ||
    currentTime / 1000 > MAX_COUNTER
  ) {
    throw new CredentialError(`currentTime ${String(currentTime)} is not a time from 1970 to 2106 in ms`);
  }
  const bytes = header(SIGNED_KIND.clockSync, targetEui, request.counter, 4);
  bytes.writeUInt32BE(Math.floor(currentTime / 1000), HEADER_LENGTH);
  return bytes;
}
