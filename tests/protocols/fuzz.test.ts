// Fuzz, in the normal test run: at least 100,000 seeded random and mutated inputs through FrameCutter →
// decodeFrame → PayloadCodec.decode (both dialects). Only DecodeError may come out of decoding, the cutter never
// throws, and a known valid frame sent after each garbage input is still cut and decoded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../protocols/commandTable';
import {
  CRC_LENGTH,
  DIALECTS,
  FrameType,
  HEADER_LENGTH,
  MAX_PAYLOAD,
  START_OF_FRAME,
  type FrameTypeName,
} from '../../protocols/constants';
import { crc16 } from '../../protocols/crc16';
import { DecodeError } from '../../protocols/errors';
import { decodeFrame, encodeFrame } from '../../protocols/frame';
import { FrameCutter } from '../../protocols/frameCutter';
import type { Message } from '../../protocols/messages';
import { payloadCodec } from '../../protocols/payloadCodec';
import { anyMessageArbitrary, frameHeaderArb, prng } from './arbitraries';
import { messageFrames } from './wire';
import { expectEqualInLoop } from '../support/equalInLoop';

const INPUTS = 110_000;
const SEED = 0x5eed;

const codecs = DIALECTS.map((d) => payloadCodec(d));
const frameTypes = Object.keys(FrameType) as FrameTypeName[];
const tableIds = commandTable.map((s) => s.id);

// ── The corpus: valid frames and payloads of every message of the table, both dialects ──────────────────────────

interface Payload {
  frameType: FrameTypeName;
  messageId: number;
  payload: Buffer;
}
const frames: Buffer[] = [];
const payloads: Payload[] = [];
DIALECTS.forEach((dialect, d) => {
  for (const [message, header] of fc.sample(fc.tuple(anyMessageArbitrary(dialect), frameHeaderArb), {
    seed: SEED + d,
    numRuns: 400,
  })) {
    frames.push(...messageFrames(dialect, message, header));
    payloads.push(payloadCodec(dialect).encode(message));
  }
});

/** The frame sent after every garbage input, and what it must decode to. */
const knownMessage = {
  type: 'hanLogAdd',
  requestId: 4660,
  deviceId: '00-DB-12-34-56-78-90-A3',
  installCode: '0011223344556677',
  joinPeriod: 255,
} as Message;
const known = messageFrames('elster', knownMessage, {
  sequence: 42,
  source: '00-00-00-00-00-00-00-01',
  destination: '00-DB-12-34-56-78-90-A2',
})[0];

// ── Mutations ──────────────────────────────────────────────────────────────────────────────────────────────────

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];
const randomBytes = (n: number, a5Density = 0) =>
  Buffer.from(Array.from({ length: n }, () => (random() < a5Density ? START_OF_FRAME : int(256))));

function mutate(input: Buffer): Buffer {
  let b: Buffer = Buffer.from(input);
  switch (int(8)) {
    case 0: // bit flips
      for (let n = 1 + int(3); n > 0 && b.length > 0; n--) b[int(b.length)] ^= 1 << int(8);
      return b;
    case 1: // bytes overwritten, sometimes with start bytes
      for (let n = 1 + int(4); n > 0 && b.length > 0; n--)
        b[int(b.length)] = random() < 0.3 ? START_OF_FRAME : int(256);
      return b;
    case 2: {
      // insertion
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), randomBytes(1 + int(20), 0.1), b.subarray(at)]);
    }
    case 3: {
      // deletion
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(20))]);
    }
    case 4: // truncation
      return b.subarray(0, int(b.length));
    case 5: {
      // a duplicated span
      const from = int(b.length + 1);
      const span = b.subarray(from, from + 1 + int(40));
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), span, b.subarray(at)]);
    }
    case 6: // spliced with another frame
      return Buffer.concat([b.subarray(0, int(b.length + 1)), pick(frames).subarray(int(60))]);
    default: // the length field changed
      if (b.length >= HEADER_LENGTH)
        b.writeUInt16BE(random() < 0.5 ? int(MAX_PAYLOAD + 1) : int(0x10000), HEADER_LENGTH - 2);
      b = random() < 0.5 ? b : withCrc(b);
      return b;
  }
}

function withCrc(b: Buffer): Buffer {
  if (b.length < HEADER_LENGTH + CRC_LENGTH) return b;
  const out = Buffer.from(b);
  out.writeUInt16BE(crc16(out, 1, out.length - 2), out.length - 2);
  return out;
}

/** A CRC-valid frame whose payload (or header) is damaged: it passes the cutter and reaches the decoders. */
function validFrameBadContent(): Buffer {
  const base = pick(payloads);
  let payload = base.payload;
  for (let n = 1 + int(2); n > 0; n--) payload = mutate(payload);
  if (random() < 0.15) payload = randomBytes(int(40));
  const segmentCount = random() < 0.9 ? 1 : 1 + int(5);
  const frame = encodeFrame({
    type: random() < 0.8 ? base.frameType : pick(frameTypes),
    sequence: int(256),
    source: '00-DB-12-34-56-78-90-A0',
    destination: '00-00-00-00-00-00-00-01',
    messageId: random() < 0.9 ? base.messageId : random() < 0.5 ? pick(tableIds) : int(0x10000),
    segmentIndex: int(segmentCount),
    segmentCount,
    payload: payload.subarray(0, MAX_PAYLOAD),
  });
  if (random() < 0.1) {
    // Segment bytes that decodeFrame refuses (segment 3 of 2, of 0), with a valid CRC.
    frame[22] = int(4);
    frame[23] = int(3);
    return withCrc(frame);
  }
  return frame;
}

function garbage(): Buffer {
  switch (int(5)) {
    case 0:
      return randomBytes(int(400), random() < 0.5 ? 0 : 0.05);
    case 1:
    case 2: {
      let b = pick(frames);
      for (let n = 1 + int(3); n > 0; n--) b = mutate(b);
      return b;
    }
    case 3: // a few frames, one of them damaged, noise between
      return Buffer.concat([pick(frames), randomBytes(int(10), 0.2), mutate(pick(frames)), pick(frames)]);
    default:
      return validFrameBadContent();
  }
}

/** Pushes `bytes` in 1–3 chunks. */
function pushChunked(cutter: FrameCutter, bytes: Buffer): void {
  if (bytes.length < 2 || random() < 0.5) {
    cutter.push(bytes);
    return;
  }
  const at = 1 + int(bytes.length - 1);
  cutter.push(bytes.subarray(0, at));
  cutter.push(bytes.subarray(at));
}

/** Whether a CRC-valid candidate starting in `input` reaches into the known frame appended after it. */
function crcCollisionSwallowsKnown(input: Buffer): boolean {
  const stream = Buffer.concat([input, known]);
  for (let p = input.indexOf(START_OF_FRAME); p >= 0 && p < input.length; p = input.indexOf(START_OF_FRAME, p + 1)) {
    if (stream.length - p < HEADER_LENGTH) continue;
    const end = p + HEADER_LENGTH + stream.readUInt16BE(p + 24);
    if (
      stream.readUInt16BE(p + 24) <= MAX_PAYLOAD &&
      end + CRC_LENGTH > input.length &&
      end + CRC_LENGTH <= stream.length &&
      crc16(stream, p + 1, end) === stream.readUInt16BE(end)
    )
      return true;
  }
  return false;
}

describe('fuzz: random and mutated inputs', () => {
  it(`${INPUTS.toLocaleString('en')} inputs: only DecodeError escapes decoding, the cutter never throws, a valid frame after garbage is decoded`, () => {
    const outcomes = {
      inputs: 0,
      framesCut: 0,
      headerErrors: 0,
      decoded: 0,
      decodeErrors: {} as Record<string, number>,
      knownDecoded: 0,
      crcCollisions: 0,
    };
    const started = performance.now();
    for (let i = 0; i < INPUTS; i++) {
      const input = garbage();
      const delivered: Buffer[] = [];
      const lastMessage: Partial<Record<string, Message>> = {};
      const cutter = new FrameCutter((bytes) => {
        delivered.push(bytes);
        outcomes.framesCut++;
        let frame;
        try {
          frame = decodeFrame(bytes);
        } catch (error) {
          if (!(error instanceof DecodeError))
            throw new Error(`input ${i}: decodeFrame threw ${String(error)} for ${bytes.toString('hex')}`);
          outcomes.headerErrors++;
          return;
        }
        for (const codec of codecs) {
          try {
            lastMessage[codec.dialect] = codec.decode(frame.type, frame.messageId, frame.payload);
            outcomes.decoded++;
          } catch (error) {
            if (!(error instanceof DecodeError))
              throw new Error(
                `input ${i}: ${codec.dialect} decode threw ${String(error)} for ${bytes.toString('hex')}`,
              );
            outcomes.decodeErrors[error.reason] = (outcomes.decodeErrors[error.reason] ?? 0) + 1;
            lastMessage[codec.dialect] = undefined;
          }
        }
      });
      pushChunked(cutter, input);
      pushChunked(cutter, known);
      outcomes.inputs++;
      const last = delivered.at(-1);
      if (last !== undefined && last.equals(known)) {
        // Both dialects carry the join period as a u16, so both codecs decode the known frame alike.
        expectEqualInLoop(lastMessage, { elster: knownMessage, itron: knownMessage });
        outcomes.knownDecoded++;
      } else if (crcCollisionSwallowsKnown(input)) {
        // No byte stuffing and a 16-bit CRC: a damaged candidate that overlaps the next frame can be CRC-valid, by
        // chance (1 in 65,536) or because the next frame's A5 start byte restores a lost final CRC byte A5. It is
        // delivered and the next frame's start is consumed (the link layer's retransmission recovers it).
        outcomes.crcCollisions++;
      } else {
        throw new Error(`input ${i}: the valid frame after ${input.toString('hex')} was not delivered`);
      }
      cutter.flush();
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz: ${JSON.stringify(outcomes)} in ${seconds.toFixed(1)} s`);

    expect(outcomes.inputs).toBeGreaterThanOrEqual(100_000);
    expect(outcomes.knownDecoded + outcomes.crcCollisions).toBe(outcomes.inputs);
    expect(outcomes.crcCollisions).toBeLessThanOrEqual(5);
    // The decoders were really exercised: damaged payloads reached them and both outcomes occurred often.
    expect(outcomes.decoded).toBeGreaterThan(100_000);
    expect(outcomes.decodeErrors.malformedPayload).toBeGreaterThan(10_000);
    expect(outcomes.decodeErrors.unknownMessage).toBeGreaterThan(100);
    expect(outcomes.headerErrors).toBeGreaterThan(100);
  });

  it('the payload decoders alone: 20,000 damaged payloads under every message id and frame type, only DecodeError', () => {
    const fuzz = prng(SEED + 1);
    let errors = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = payloads[Math.floor(fuzz() * payloads.length)];
      const payload = Buffer.from(base.payload.subarray(0, Math.floor(fuzz() * (base.payload.length + 2))));
      if (payload.length > 0) payload[Math.floor(fuzz() * payload.length)] = Math.floor(fuzz() * 256);
      const frameType = fuzz() < 0.7 ? base.frameType : frameTypes[Math.floor(fuzz() * frameTypes.length)];
      const messageId = fuzz() < 0.8 ? base.messageId : tableIds[Math.floor(fuzz() * tableIds.length)];
      for (const codec of codecs) {
        try {
          codec.decode(frameType, messageId, payload);
        } catch (error) {
          // the assertion built only for an error of another kind: tens of thousands of DecodeErrors come here
          if (!(error instanceof DecodeError)) expect(error).toBeInstanceOf(DecodeError);
          errors++;
        }
      }
    }
    expect(errors).toBeGreaterThan(10_000);
  });
});
