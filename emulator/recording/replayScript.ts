/**
 * A recording (traceFormat.ts) read as what a replay serves (`smets1 emulate --replay`, emulator/host/replayHost.ts):
 * per part of the recording (a `# scenario …` line of `smets1 run --record` begins one; a recording without them is
 * one part), the commands and controls the harness sent in order, each with the device's response to it and the
 * alerts the devices raised after it, timed from it.
 *
 * Read from whole messages: retransmissions (the same frame again) are read once, segments joined, acks, NAKs and
 * session frames skipped, and the emulator's clock controls (to EMULATOR_EUI) left to the replay's own clock. A
 * frame that does not decode (damage on the wire) is skipped; a line that is not a recording line is an error naming
 * it, as `smets1 trace` shows it.
 */
import { EMULATOR_EUI } from '../../protocols/constants';
import { decodeFrame, type Frame } from '../../protocols/frame';
import { parseTrace, type TraceDevice } from './traceFormat';

export interface RecordedAlert {
  readonly source: string;
  readonly messageId: number;
  /** The alert's payload as recorded (its `at` field too). */
  readonly payload: Uint8Array;
  /** From the command recorded before it (or from the part's start), on the recording's clock. */
  readonly offsetMs: number;
}

export interface RecordedExchange {
  readonly type: 'command' | 'control';
  readonly destination: string;
  readonly messageId: number;
  /** The payload after its request id, hex: what a request must carry to be answered with this exchange. */
  readonly body: string;
  /** The response's payload after its request id (status, then body); undefined if the recording has none. */
  response?: Uint8Array;
  readonly alerts: RecordedAlert[];
}

export interface ReplayPart {
  /** The `# scenario` line's text, or `recording` for a recording without them. */
  readonly name: string;
  readonly exchanges: RecordedExchange[];
  /** Alerts raised before the part's first command, timed from the part's first frame. */
  readonly leadingAlerts: RecordedAlert[];
}

export interface ReplayScript {
  /** Each EUI once, as its latest device line names it (a recording re-names an EUI whose bench changed). */
  readonly devices: readonly TraceDevice[];
  readonly parts: readonly ReplayPart[];
}

export function parseReplayScript(text: string, file: string): ReplayScript {
  const devices = new Map<string, TraceDevice>();
  const parts: ReplayPart[] = [];
  let part: ReplayPart | undefined;
  let partStart: number | undefined;
  let last: { exchange: RecordedExchange; at: number } | undefined;
  let seen = new Set<string>();
  /** Requests by device and request id, for their responses. */
  let byRequestId = new Map<string, RecordedExchange>();
  /** Segmented messages being joined, by direction, source and message id. */
  let partial = new Map<string, Uint8Array[]>();
  const begin = (name: string, at: number | undefined) => {
    part = { name, exchanges: [], leadingAlerts: [] };
    parts.push(part);
    partStart = at;
    last = undefined;
    seen = new Set();
    byRequestId = new Map();
    partial = new Map();
  };
  for (const entry of parseTrace(text)) {
    if (entry.kind === 'error') throw new Error(`${file}: ${entry.text}`);
    if (entry.kind === 'device') devices.set(entry.device.eui, entry.device);
    if (entry.kind === 'comment' && entry.text.startsWith('scenario ')) begin(entry.text, undefined);
    if (entry.kind !== 'frame') continue;
    if (part === undefined) begin('recording', entry.at);
    partStart ??= entry.at;
    const hex = `${entry.direction} ${entry.bytes.toString('hex')}`;
    if (seen.has(hex)) continue; // a retransmission
    seen.add(hex);
    let frame: Frame;
    try {
      frame = decodeFrame(entry.bytes);
    } catch {
      continue;
    }
    const payload = joined(frame, `${entry.direction} ${frame.source} ${frame.messageId}`, partial);
    if (payload === undefined) continue;
    if (
      entry.direction === 'in' &&
      (frame.type === 'command' || frame.type === 'control') &&
      frame.destination !== EMULATOR_EUI &&
      payload.length >= 2
    ) {
      const exchange: RecordedExchange = {
        type: frame.type,
        destination: frame.destination,
        messageId: frame.messageId,
        body: Buffer.from(payload.subarray(2)).toString('hex'),
        alerts: [],
      };
      part!.exchanges.push(exchange);
      byRequestId.set(`${frame.destination} ${requestIdOf(payload)}`, exchange);
      last = { exchange, at: entry.at };
    } else if (
      entry.direction === 'out' &&
      frame.type === 'response' &&
      frame.source !== EMULATOR_EUI &&
      payload.length >= 3
    ) {
      const exchange = byRequestId.get(`${frame.source} ${requestIdOf(payload)}`);
      if (exchange !== undefined && exchange.response === undefined) exchange.response = payload.subarray(2);
    } else if (entry.direction === 'out' && frame.type === 'alert') {
      const alert = { source: frame.source, messageId: frame.messageId, payload };
      if (last === undefined) part!.leadingAlerts.push({ ...alert, offsetMs: entry.at - partStart! });
      else last.exchange.alerts.push({ ...alert, offsetMs: entry.at - last.at });
    }
  }
  if (parts.every((p) => p.exchanges.length === 0 && p.leadingAlerts.length === 0)) {
    throw new Error(`${file}: no command, response or alert to replay`);
  }
  return { devices: [...devices.values()], parts };
}

function requestIdOf(payload: Uint8Array): number {
  return (payload[0]! << 8) | payload[1]!;
}

/** The whole payload once the last segment is in; undefined while partial (or for a segment with no start). */
function joined(frame: Frame, key: string, partial: Map<string, Uint8Array[]>): Uint8Array | undefined {
  if (frame.segmentCount <= 1) return frame.payload;
  if (frame.segmentIndex === 0) partial.set(key, []);
  const parts = partial.get(key);
  if (parts === undefined || parts.length !== frame.segmentIndex) return undefined;
  parts.push(frame.payload);
  if (frame.segmentIndex < frame.segmentCount - 1) return undefined;
  partial.delete(key);
  return Buffer.concat(parts);
}
