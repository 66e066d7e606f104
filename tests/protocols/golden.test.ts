// The worked examples of docs/protocol.md are the golden vectors: one source, read by the document's readers and
// by this test. Every JSON must encode to exactly its bytes, and the bytes must decode to exactly the JSON.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NakReason, type Dialect } from '../../protocols/constants';
import { crc16 } from '../../protocols/crc16';
import { decodeFrame, encodeFrame } from '../../protocols/frame';
import { payloadCodec } from '../../protocols/payloadCodec';
import { withMessageTables } from '../../scripts/protocolTables';

const document = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

interface Golden {
  name: string;
  spec: {
    dialect: Dialect;
    sequence: number;
    source: string;
    destination: string;
    message?: Record<string, unknown>;
    frameType?: 'ack' | 'nak';
    messageId?: number;
    reason?: keyof typeof NakReason;
  };
  bytes: Buffer;
}

function goldenExamples(text: string): Golden[] {
  const pattern = /<!-- golden: ([\w-]+) -->\s*```json\n([\s\S]*?)```\s*```hex\n([\s\S]*?)```/g;
  return [...text.matchAll(pattern)].map(([, name, json, hex]) => ({
    name,
    spec: JSON.parse(json),
    bytes: Buffer.from(
      hex
        .split('\n')
        .map((line) => line.replace(/#.*/, ''))
        .join('')
        .replace(/\s+/g, ''),
      'hex',
    ),
  }));
}

const examples = goldenExamples(document);

describe('docs/protocol.md worked examples', () => {
  it('has the eight documented examples, each with whole bytes', () => {
    expect(examples.map((e) => e.name)).toEqual([
      'hanLogAdd-elster',
      'hanLogAdd-itron',
      'ack',
      'nak-badCrc',
      'readDeviceLog-response',
      'voltageConfig-notAuthorised',
      'alert-8006',
      'mainsVoltage-control',
    ]);
  });

  for (const { name, spec, bytes } of examples) {
    describe(name, () => {
      const header = {
        sequence: spec.sequence,
        source: spec.source,
        destination: spec.destination,
        segmentIndex: 0,
        segmentCount: 1,
      };

      it('encodes to exactly the documented bytes', () => {
        let encoded: Buffer;
        if (spec.message) {
          const { frameType, messageId, payload } = payloadCodec(spec.dialect).encode(spec.message as never);
          encoded = encodeFrame({ ...header, type: frameType, messageId, payload });
        } else {
          const payload = spec.frameType === 'nak' ? Uint8Array.of(NakReason[spec.reason!]) : new Uint8Array(0);
          encoded = encodeFrame({ ...header, type: spec.frameType!, messageId: spec.messageId!, payload });
        }
        expect(encoded.toString('hex')).toBe(bytes.toString('hex'));
      });

      it('decodes the documented bytes to exactly the JSON', () => {
        const frame = decodeFrame(bytes);
        expect({ sequence: frame.sequence, source: frame.source, destination: frame.destination }).toEqual({
          sequence: spec.sequence,
          source: spec.source,
          destination: spec.destination,
        });
        if (spec.message) {
          expect(payloadCodec(spec.dialect).decode(frame.type, frame.messageId, frame.payload)).toEqual(spec.message);
        } else {
          expect(frame.type).toBe(spec.frameType);
          expect(frame.messageId).toBe(spec.messageId);
          if (spec.frameType === 'nak') expect([...frame.payload]).toEqual([NakReason[spec.reason!]]);
        }
      });

      it('carries a CRC-16/IBM-3740 over bytes 1 … end of payload', () => {
        expect(crc16(bytes, 1, bytes.length - 2)).toBe(bytes.readUInt16BE(bytes.length - 2));
      });
    });
  }

  it('message tables are up to date with the command table (npm run docs:protocol)', () => {
    expect(withMessageTables(document)).toBe(document);
  });
});
