/**
 * Bench serial protocol constants (docs/protocol.md is the specification; every number here is named there).
 */

/** Start of frame. No byte stuffing: frames are length-delimited and CRC-checked, and the parser resyncs on this. */
export const START_OF_FRAME = 0xa5;
export const PROTOCOL_VERSION = 0x01;

/** Bytes before the payload: SOF, version, type, sequence, source, destination, message id, segment, length. */
export const HEADER_LENGTH = 26;
export const CRC_LENGTH = 2;
export const FRAME_OVERHEAD = HEADER_LENGTH + CRC_LENGTH;
/**
 * Largest payload one frame may carry. Small enough that a frame at 9600 baud is on the wire for under 0.3 s
 * (so a retransmission is cheap), large enough that a typical command or alert fits in one frame.
 */
export const MAX_PAYLOAD = 256;
export const MAX_FRAME = FRAME_OVERHEAD + MAX_PAYLOAD;
/** A message is at most 255 segments: 65,280 bytes, enough for 90 days of half-hourly network data. */
export const MAX_SEGMENTS = 255;

/** Code → name for a name → code table (decoders look names up by the byte they read). */
function invert<N extends string>(table: Record<N, number>): Record<number, N> {
  return Object.fromEntries(Object.entries(table).map(([name, code]) => [code, name])) as Record<number, N>;
}

export const FrameType = {
  command: 0x01,
  response: 0x02,
  alert: 0x03,
  ack: 0x04,
  nak: 0x05,
  control: 0x06,
  /** A sender announces its session on every connection (docs/protocol.md "Sessions"). */
  session: 0x07,
} as const;
export type FrameTypeName = keyof typeof FrameType;
export const frameTypeName = invert<FrameTypeName>(FrameType);

/** Why a receiver refused a frame (the one payload byte of a NAK). */
export const NakReason = {
  badCrc: 0x01,
  badLength: 0x02,
  unknownMessage: 0x03,
  unsupportedVersion: 0x04,
  malformedPayload: 0x05,
  reassemblyTimeout: 0x06,
  /** A replay (`smets1 emulate --replay`) has no recorded answer for this request: not retried, the send fails. */
  notRecorded: 0x07,
} as const;
export type NakReasonName = keyof typeof NakReason;
export const nakReasonName = invert<NakReasonName>(NakReason);

/** The outcome byte of every response (docs/contract.md names; the same names the device machines use). */
export const ResponseStatus = {
  ok: 0x00,
  invalidParameter: 0x01,
  notAuthorised: 0x02,
  authenticationFailed: 0x03,
  unsupported: 0x04,
  rateLimited: 0x05,
  dumbMode: 0x06,
  busy: 0x07,
  unknownDevice: 0x08,
  /** A table on the device has no room (the CH's HAN device log at its capacity). */
  full: 0x09,
  /** The device's answer could not be put on the wire (the emulator logs why); never silence instead. */
  internalError: 0x0a,
} as const;
export type ResponseStatusName = keyof typeof ResponseStatus;
export const responseStatusName = invert<ResponseStatusName>(ResponseStatus);

/**
 * The vendor whose device is at the far end of a frame. A codec is built per dialect; today both encode every field
 * alike (docs/protocol.md "Dialects"), and the dialect names the vendor in encode errors and traces.
 */
export const DIALECTS = ['itron', 'elster'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** The EUI-64 a harness uses as its own address, and the broadcast address (the session frame's destination). */
export const HARNESS_EUI = '00-00-00-00-00-00-00-01';
export const BROADCAST_EUI = 'FF-FF-FF-FF-FF-FF-FF-FF';
/** The emulator's own address: the source of its NAKs, and the destination of the clock controls (clockStatus, advanceClock). */
export const EMULATOR_EUI = '00-00-00-00-00-00-00-02';
