/**
 * `smets1 trace FILE`: a recording, decoded. One line per frame: time, direction, frame type and sequence,
 * source → destination (with the device type), message and fields; bad lines and undecodable frames are shown
 * as such, never fatal, so a damaged recording is still readable.
 */
import { payloadCodec } from '../../protocols/payloadCodec';
import { decodeFrame } from '../../protocols/frame';
import { nakReasonName, type Dialect } from '../../protocols/constants';
import { messageById } from '../../protocols/commandTable';
import { parseTrace, type TraceDevice } from './traceFormat';

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
  for (const entry of parseTrace(text)) {
    switch (entry.kind) {
      case 'device':
        devices.set(entry.device.eui, entry.device);
        break;
      case 'comment':
        break;
      case 'error':
        out.push(`!! ${entry.text}`);
        break;
      case 'drop':
        out.push(`${new Date(entry.at).toISOString()}  ✗  dropped: ${entry.text}`);
        break;
      case 'frame': {
        const time = new Date(entry.at).toISOString();
        const arrow = entry.direction === 'in' ? '→' : '←';
        let line: string;
        try {
          const frame = decodeFrame(entry.bytes);
          const head = `${time}  ${arrow}  ${frame.type.padEnd(8)} seq ${String(frame.sequence).padStart(3)}  ${name(frame.source)} → ${name(frame.destination)}`;
          const spec = messageById.get(frame.messageId);
          const segment = frame.segmentCount > 1 ? `  [segment ${frame.segmentIndex + 1}/${frame.segmentCount}]` : '';
          if (frame.type === 'ack') line = `${head}  ack ${spec?.name ?? `0x${frame.messageId.toString(16)}`}${segment}`;
          else if (frame.type === 'nak') line = `${head}  NAK ${nakReasonName[frame.payload[0]] ?? frame.payload[0]} for ${spec?.name ?? frame.messageId}`;
          else if (frame.type === 'session' && frame.payload.length === 4) line = `${head}  session ${Buffer.from(frame.payload).readUInt32BE(0)}`;
          else if (frame.segmentCount > 1) line = `${head}  ${spec?.name ?? frame.messageId}${segment} ${frame.payload.length} bytes`;
          else {
            const deviceEnd = entry.direction === 'in' ? frame.destination : frame.source;
            const dialect: Dialect = devices.get(deviceEnd)?.vendor ?? 'itron';
            const message = payloadCodec(dialect).decode(frame.type, frame.messageId, frame.payload);
            line = `${head}  ${JSON.stringify(message)}`;
          }
        } catch (error) {
          line = `${time}  ${arrow}  undecodable frame (line ${entry.line}): ${(error as Error).message}`;
        }
        out.push(line);
        if (options.hex) out.push(`      ${entry.bytes.toString('hex').toUpperCase().match(/../g)!.join(' ')}`);
      }
    }
  }
  return out;
}
