// encodeAnswer writes the ack or NAK of a received frame from its bytes: they must be exactly the bytes of the answer
// written field by field (the protocol's layout, docs/protocol.md "Frame"), for any frame decodeFrame accepts.
import { describe, expect, it } from 'vitest';
import { FrameType, NakReason } from '../../protocols/constants';
import { decodeFrame, encodeAnswer, encodeFrame } from '../../protocols/frame';
import { prng } from './arbitraries';
import { DEVICE, HARNESS } from './frames';
import { bytewiseCrc16 } from './reference';

/** The answer written out by hand from the protocol's layout, with the bitwise reference CRC. */
function handAnswer(received: Uint8Array, reason?: number): Uint8Array {
  const payload = reason === undefined ? [] : [reason];
  const body = [
    0x01, // version
    reason === undefined ? 0x04 : 0x05, // ack, nak
    received[3], // sequence
    ...received.subarray(12, 20), // source: the received frame's destination
    ...received.subarray(4, 12), // destination: its source
    ...received.subarray(20, 24), // message id, segment index, segment count
    0x00,
    payload.length,
    ...payload,
  ];
  const crc = bytewiseCrc16(Uint8Array.from(body));
  return Uint8Array.from([0xa5, ...body, crc >> 8, crc & 0xff]);
}

describe('encodeAnswer', () => {
  const command = encodeFrame({
    type: 'command',
    sequence: 0x2a,
    source: HARNESS,
    destination: DEVICE,
    messageId: 0x0503,
    segmentIndex: 1,
    segmentCount: 3,
    payload: Uint8Array.of(0x00, 0x07),
  });

  it('acks a frame: its sequence, message id and segment, source and destination swapped, no payload', () => {
    const ack = encodeAnswer(command);
    expect([...ack]).toEqual([...handAnswer(command)]);
    const { payload, ...header } = decodeFrame(ack);
    expect(header).toEqual({
      type: 'ack',
      sequence: 0x2a,
      source: DEVICE,
      destination: HARNESS,
      messageId: 0x0503,
      segmentIndex: 1,
      segmentCount: 3,
    });
    expect(payload.length).toBe(0);
    expect(ack.length).toBe(28);
    expect(ack[2]).toBe(FrameType.ack);
  });

  it('NAKs a frame with the reason as its one payload byte', () => {
    const nak = encodeAnswer(command, NakReason.malformedPayload);
    expect([...nak]).toEqual([...handAnswer(command, NakReason.malformedPayload)]);
    expect(nak[2]).toBe(FrameType.nak);
    expect([...decodeFrame(nak).payload]).toEqual([NakReason.malformedPayload]);
  });

  it('on 2,000 random frames, answers byte for byte as written by hand and as encodeFrame writes the fields', () => {
    const random = prng(16);
    const byte = () => Math.floor(random() * 256);
    const eui = () => Array.from({ length: 8 }, () => byte().toString(16).toUpperCase().padStart(2, '0')).join('-');
    const types = ['command', 'response', 'control', 'alert', 'session'] as const;
    const reasons = [undefined, ...Object.values(NakReason)];
    for (let i = 0; i < 2_000; i++) {
      const segmentCount = 1 + Math.floor(random() * 255);
      const frame = {
        type: types[i % types.length]!,
        sequence: byte(),
        source: eui(),
        destination: eui(),
        messageId: byte() * 256 + byte(),
        segmentIndex: Math.floor(random() * segmentCount),
        segmentCount,
        payload: Uint8Array.from({ length: Math.floor(random() * 40) }, byte),
      };
      const received = encodeFrame(frame);
      const reason = reasons[i % reasons.length];
      const answer = encodeAnswer(received, reason);
      expect([...answer]).toEqual([...handAnswer(received, reason)]);
      const byFields = encodeFrame({
        ...frame,
        type: reason === undefined ? 'ack' : 'nak',
        source: frame.destination,
        destination: frame.source,
        payload: reason === undefined ? new Uint8Array(0) : Uint8Array.of(reason),
      });
      expect(answer.equals(byFields)).toBe(true);
    }
  });
});
