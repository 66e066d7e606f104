/**
 * `smets1 trace FILE`: a recording, decoded. One line per frame: time, direction, frame type and sequence,
 * source → destination (with the device type), message and fields; bad lines and undecodable frames are shown
 * as such, never fatal, so a damaged recording is still readable. A device line that changes an EUI's type or vendor
 * (a bench reconfigured mid-recording) holds from there on, and is shown where it stands.
 */
import { payloadCodec } from '../../protocols/payloadCodec';
import { decodeFrame } from '../../protocols/frame';
import { nakReasonName, type Dialect } from '../../protocols/constants';
import { messageById } from '../../protocols/commandTable';
import { parseTrace, type TraceDevice, type TraceLine } from './traceFormat';

export interface DecodeOptions {
  /** Also print the hex of each frame under it. */
  hex?: boolean;
}

export function decodeTrace(text: string, options: DecodeOptions = {}): string[] {
  const devices = new Map<string, TraceDevice>();
  const out: string[] = [];
  const name = (eui: string) => {
    const device = devices.get(eui);
    return device ? `${device.type} ${eui}` : eui;
  };
  const decode = (entry: TraceLine): string[] => {
    switch (entry.kind) {
      case 'device': {
        // the latest line holds from here on; a change is shown, as the names and dialect after it differ
        const before = devices.get(entry.device.eui);
        devices.set(entry.device.eui, entry.device);
        if (before === undefined || (before.type === entry.device.type && before.vendor === entry.device.vendor))
          return [];
        const { eui, type, vendor } = entry.device;
        return [`── device ${eui} is ${type} ${vendor} from here on (was ${before.type} ${before.vendor})`];
      }
      case 'comment':
        // where a scenario of `smets1 run --record` begins; other comments are the recorder's notes
        return entry.text.startsWith('scenario ') ? [`── ${entry.text}`] : [];
      case 'error':
        return [`!! ${entry.text}`];
      case 'drop':
        return [`${new Date(entry.at).toISOString()}  ✗  dropped: ${entry.text}`];
      case 'noise':
        return [`${new Date(entry.at).toISOString()}  ≈  noise: ${entry.text}`];
      case 'repeated': {
        const [first, ...rest] = decode(entry.of);
        return [`${first}  (${entry.count} more like it, the last at this time)`, ...rest];
      }
      case 'frame': {
        const lines = [frameText(entry)];
        if (options.hex) lines.push(`      ${entry.bytes.toString('hex').toUpperCase().match(/../g)!.join(' ')}`);
        return lines;
      }
    }
  };
  const frameText = (entry: Extract<TraceLine, { kind: 'frame' }>): string => {
    const time = new Date(entry.at).toISOString();
    const arrow = entry.direction === 'in' ? '→' : '←';
    try {
      const frame = decodeFrame(entry.bytes);
      const head = `${time}  ${arrow}  ${frame.type.padEnd(8)} seq ${String(frame.sequence).padStart(3)}  ${name(frame.source)} → ${name(frame.destination)}`;
      const spec = messageById.get(frame.messageId);
      const segment = frame.segmentCount > 1 ? `  [segment ${frame.segmentIndex + 1}/${frame.segmentCount}]` : '';
      if (frame.type === 'ack') return `${head}  ack ${spec?.name ?? `0x${frame.messageId.toString(16)}`}${segment}`;
      if (frame.type === 'nak')
        return `${head}  NAK ${nakReasonName[frame.payload[0]] ?? frame.payload[0]} for ${spec?.name ?? frame.messageId}`;
      if (frame.type === 'session' && frame.payload.length === 4)
        return `${head}  session ${Buffer.from(frame.payload).readUInt32BE(0)}`;
      if (frame.segmentCount > 1)
        return `${head}  ${spec?.name ?? frame.messageId}${segment} ${frame.payload.length} bytes`;
      const deviceEnd = entry.direction === 'in' ? frame.destination : frame.source;
      const dialect: Dialect = devices.get(deviceEnd)?.vendor ?? 'itron';
      const message = payloadCodec(dialect).decode(frame.type, frame.messageId, frame.payload);
      return `${head}  ${JSON.stringify(message)}`;
    } catch (error) {
      return `${time}  ${arrow}  undecodable frame (line ${entry.line}): ${(error as Error).message}`;
    }
  };
  for (const entry of parseTrace(text)) out.push(...decode(entry));
  return out;
}
