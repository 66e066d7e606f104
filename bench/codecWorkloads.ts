// Workloads for bench/codec.bench.ts: byte streams of known size, and the receive and send paths they go through
// (FrameCutter → decodeFrame → reassembly → PayloadCodec.decode, and PayloadCodec.encode → segments → encodeFrame).
import type { Dialect } from '../protocols/constants';
import { decodeFrame, encodeFrame, type Frame } from '../protocols/frame';
import { FrameCutter } from '../protocols/frameCutter';
import type { Message } from '../protocols/messages';
import { payloadCodec } from '../protocols/payloadCodec';
import { Reassembly, segmentPayload } from '../protocols/segmentation';

const HARNESS = '00-00-00-00-00-00-00-01';
const CHF = '00-DB-12-34-56-78-90-A2';
const ESME = '00-DB-12-34-56-78-90-A0';
const T = Date.UTC(2026, 0, 1);

/** One frame to send: a message (encoded by the codec, segmented if long) or a bare ack. */
export type Item =
  | { kind: 'message'; message: Message; source: string; destination: string }
  | {
      kind: 'ack';
      messageId: number;
      source: string;
      destination: string;
      segmentIndex?: number;
      segmentCount?: number;
    };

const codecFor = (d: Dialect) => payloadCodec(d);

/** Encodes items to frames, the sender's work: codec, segmentation, framing with CRC. Returns bytes written. */
export function encodeItems(dialect: Dialect, items: readonly Item[], out?: Buffer[]): number {
  const codec = codecFor(dialect);
  let bytes = 0;
  let sequence = 0;
  for (const item of items) {
    if (item.kind === 'ack') {
      const frame = encodeFrame({
        type: 'ack',
        sequence: sequence++ & 0xff,
        source: item.source,
        destination: item.destination,
        messageId: item.messageId,
        segmentIndex: item.segmentIndex ?? 0,
        segmentCount: item.segmentCount ?? 1,
        payload: EMPTY,
      });
      bytes += frame.length;
      out?.push(frame);
      continue;
    }
    const { frameType, messageId, payload } = codec.encode(item.message);
    const segments = segmentPayload(payload);
    for (let i = 0; i < segments.length; i++) {
      const frame = encodeFrame({
        type: frameType,
        sequence: sequence++ & 0xff,
        source: item.source,
        destination: item.destination,
        messageId,
        segmentIndex: i,
        segmentCount: segments.length,
        payload: segments[i],
      });
      bytes += frame.length;
      out?.push(frame);
    }
  }
  return bytes;
}

const EMPTY = new Uint8Array(0);

export function streamOf(dialect: Dialect, items: readonly Item[], copies = 1): Buffer {
  const frames: Buffer[] = [];
  encodeItems(dialect, items, frames);
  const one = Buffer.concat(frames);
  return Buffer.concat(Array.from({ length: copies }, () => one));
}

/** The receiver's work, kept across pushes like a link's: cut, decode the header, reassemble, decode the payload. */
export class Receiver {
  messages = 0;
  controls = 0;
  private readonly cutter: FrameCutter;
  private partial: Reassembly | undefined;
  constructor(dialect: Dialect) {
    const codec = codecFor(dialect);
    this.cutter = new FrameCutter((bytes) => {
      const frame: Frame = decodeFrame(bytes);
      if (frame.type === 'ack' || frame.type === 'nak') {
        this.controls++;
        return;
      }
      let payload = frame.payload;
      if (frame.segmentCount > 1) {
        if (frame.segmentIndex === 0) this.partial = new Reassembly(frame.messageId, frame.segmentCount, 0);
        const result = this.partial!.add(frame.segmentIndex, frame.segmentCount, frame.payload, 0);
        if (result.kind !== 'complete') return;
        payload = result.payload;
      }
      codec.decode(frame.type, frame.messageId, payload);
      this.messages++;
    });
  }

  /** Pushes `stream` in chunks of `chunkSize` (a serial or socket read), as a link receives it. */
  receive(stream: Buffer, chunkSize: number): void {
    for (let at = 0; at < stream.length; at += chunkSize) this.cutter.push(stream.subarray(at, at + chunkSize));
  }

  get stats() {
    return this.cutter.stats;
  }
}

// ── Frames ─────────────────────────────────────────────────────────────────────────────────────────────────────

const msg = (message: Record<string, unknown>, source: string, destination: string): Item => ({
  kind: 'message',
  message: message as Message,
  source,
  destination,
});
const ack = (messageId: number, source: string, destination: string, segmentIndex = 0, segmentCount = 1): Item => ({
  kind: 'ack',
  messageId,
  source,
  destination,
  segmentIndex,
  segmentCount,
});

export const smallFrames = {
  /** Alert 0x8006 (average RMS under-voltage) with a 2-byte payload: 37 bytes. */
  alert: msg({ type: 'alert', code: 0x8006, at: T, payload: '08fc' }, ESME, HARNESS),
  /** An ack: 28 bytes. */
  ack: ack(0x0101, CHF, HARNESS),
  /** hanLogAdd on an Elster hub: 48 bytes. */
  hanLogAdd: msg(
    {
      type: 'hanLogAdd',
      requestId: 7,
      deviceId: '00-DB-12-34-56-78-90-A3',
      installCode: '0011223344556677',
      joinPeriod: 255,
    },
    HARNESS,
    CHF,
  ),
  /** A status-only response: 31 bytes. */
  statusResponse: msg(
    { type: 'response', message: 'voltageConfig', requestId: 10, status: 'notAuthorised' },
    ESME,
    HARNESS,
  ),
} satisfies Record<string, Item>;

/** 30 days of half-hourly network data: 1,440 records, 8,645 bytes, 34 frames. */
function networkData30Days(requestId: number): Record<string, unknown> {
  const records = Array.from({ length: 1440 }, (_, i) => ({
    at: T + (i + 1) * 1_800_000,
    averageRmsVoltage: 230 + ((i * 7) % 120) / 10 - 6,
  }));
  return { type: 'response', message: 'readNetworkData', requestId, status: 'ok', body: { records } };
}

/**
 * A realistic bench session with an ESME (Itron dialect): the harness commissions and configures the meter and
 * reads it back, each command acknowledged and answered (each response acknowledged), a few alerts (acknowledged),
 * and a 30-day readNetworkData response in 34 segments, each acknowledged.
 */
export function sessionItems(): Item[] {
  const items: Item[] = [];
  let requestId = 100;
  const exchange = (
    command: Record<string, unknown>,
    id: number,
    body?: Record<string, unknown>,
    response?: Record<string, unknown>,
  ) => {
    const rid = requestId++;
    items.push(msg({ ...command, requestId: rid }, HARNESS, ESME), ack(id, ESME, HARNESS));
    const reply = response ?? {
      type: 'response',
      message: command.type,
      requestId: rid,
      status: 'ok',
      ...(body ? { body } : {}),
    };
    items.push(msg({ ...reply, requestId: rid }, ESME, HARNESS), ack(id, HARNESS, ESME));
  };
  exchange({ type: 'commission', currentTime: T, tolerancePeriod: 30 }, 0x0501);
  exchange({ type: 'clockSync', currentTime: T + 1000, counter: 1, signature: '5a'.repeat(64) }, 0x0502);
  exchange({ type: 'readDeviceInfo' }, 0x0503, {
    deviceType: 'ESME',
    vendor: 'itron',
    firmwareVersion: 'ITR-ESME-4.2.17',
    migrationState: 'dcc',
    commissioned: true,
  });
  exchange(
    {
      type: 'voltageConfig',
      averageOverThreshold: 253,
      averageUnderThreshold: 216.2,
      averageMeasurementPeriod: 600,
      extremeOverThreshold: 264.5,
      extremeOverPeriod: 5,
      extremeUnderThreshold: 207,
      extremeUnderPeriod: 5,
      sagThreshold: 200,
      sagPeriod: 10,
      swellThreshold: 260,
      swellPeriod: 10,
    },
    0x0201,
  );
  exchange({ type: 'powerThresholds', lowMediumThreshold: 1000, mediumHighThreshold: 3000 }, 0x0202);
  exchange(
    {
      type: 'alertBehaviour',
      owner: 'networkOperator',
      alerts: Array.from({ length: 10 }, (_, i) => ({ code: 0x8000 + i, enabled: i % 3 !== 0 })),
    },
    0x0203,
  );
  exchange({ type: 'setSupply', state: 'armed' }, 0x0205);
  exchange({ type: 'readSupply' }, 0x0206, { state: 'armed' });
  exchange({ type: 'join', otherDeviceId: '00-DB-12-34-56-78-90-A4', critical: true }, 0x0104);
  exchange({ type: 'readCredentials', role: 3 }, 0x0401, { role: 3, certificate: 'ab'.repeat(180) });
  exchange({ type: 'readEventLog', log: 'event', from: T, to: T + 86_400_000 }, 0x0301, {
    entries: Array.from({ length: 20 }, (_, i) => ({ at: T + i * 60_000, code: 0x8000 + i })),
  });
  exchange({ type: 'mainsVoltage', voltage: 216 }, 0x0f01);
  exchange(
    {
      type: 'voltageConfig',
      averageOverThreshold: 253,
      averageUnderThreshold: 216.2,
      averageMeasurementPeriod: 600,
      extremeOverThreshold: 264.5,
      extremeOverPeriod: 5,
      extremeUnderThreshold: 207,
      extremeUnderPeriod: 5,
      sagThreshold: 200,
      sagPeriod: 10,
      swellThreshold: 260,
      swellPeriod: 10,
    },
    0x0201,
    undefined,
    {
      type: 'response',
      message: 'voltageConfig',
      status: 'notAuthorised',
    },
  );
  for (const code of [0x8006, 0x8007, 0x8f35, 0x8f36, 0x8006]) {
    items.push(
      msg({ type: 'alert', code, at: T + code, payload: code === 0x8006 ? '0870' : '' }, ESME, HARNESS),
      ack(0x0601, HARNESS, ESME),
    );
  }
  // readNetworkData: the request, its ack, then 34 response segments, each acknowledged by the harness.
  const rid = requestId++;
  items.push(
    msg({ type: 'readNetworkData', requestId: rid, from: T, to: T + 30 * 86_400_000 }, HARNESS, ESME),
    ack(0x0302, ESME, HARNESS),
  );
  items.push(msg(networkData30Days(rid), ESME, HARNESS));
  for (let i = 0; i < 34; i++) items.push(ack(0x0302, HARNESS, ESME, i, 34));
  return items;
}
