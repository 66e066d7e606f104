/**
 * The recording format (`smets1 emulate --record FILE`), one line per frame, plain text so it can be pasted into
 * a bug report, diffed and grepped:
 *
 *   # smets1-trace 1
 *   # device 00-DB-12-34-56-78-90-A2 CH elster
 *   2026-01-01T00:00:00.000Z in  A50101010000000000000001…
 *   2026-01-01T00:00:00.000Z out A501040100DB1234567890A2…
 *   2026-01-01T00:00:01.000Z drop badCrc source=00-00-00-00-00-00-00-01 sequence=3
 *   2026-01-01T00:00:04.000Z repeated 9991 drop oversize source=0101A50101A50101 sequence=165 messageId=421
 *   2026-01-01T00:00:04.000Z noise 12961 lines more, not shown: 8961 drop oversize, 4000 out NAK
 *
 * Time is the emulator clock (virtual or wall) in ISO 8601 UTC; `in` is harness → emulator, `out` emulator →
 * harness; the hex is one whole frame as it crossed the wire. `#` lines are comments; `device` lines give each
 * EUI's type and vendor, so `smets1 trace` can decode every payload in its vendor's dialect. A `device` line for an
 * EUI already named holds from that line on: the recorders write one whenever an EUI's type or vendor changes (a
 * bench reconfigured by benchConfigure, a run's next scenario on another vendor's bench). `repeated` and `noise`
 * lines summarise a run of noise (noiseRuns.ts): the line after the count came N more times since it was written,
 * the last of them at the time given; a `noise` line counts the drops and NAKs of the run not written.
 */
import { MAX_FRAME } from '../../protocols/constants';

export const TRACE_MAGIC = '# smets1-trace 1';

export interface TraceDevice {
  eui: string;
  type: string;
  vendor: 'itron' | 'elster';
}

export type TraceLine =
  | { kind: 'frame'; at: number; direction: 'in' | 'out'; bytes: Buffer; line: number }
  | { kind: 'drop'; at: number; text: string; line: number }
  | { kind: 'repeated'; at: number; count: number; of: Extract<TraceLine, { kind: 'frame' | 'drop' }>; line: number }
  | { kind: 'noise'; at: number; text: string; line: number }
  | { kind: 'device'; device: TraceDevice; line: number }
  | { kind: 'comment'; text: string; line: number }
  | { kind: 'error'; text: string; line: number };

export function traceHeader(devices: readonly TraceDevice[]): string {
  return `${TRACE_MAGIC}\n${devices.map(deviceLine).join('')}`;
}

export function deviceLine(device: TraceDevice): string {
  return `# device ${device.eui} ${device.type} ${device.vendor}\n`;
}

export function frameLine(at: number, direction: 'in' | 'out', bytes: Uint8Array): string {
  return `${new Date(at).toISOString()} ${direction.padEnd(3)} ${Buffer.from(bytes).toString('hex').toUpperCase()}\n`;
}

export function dropLine(at: number, text: string): string {
  return `${new Date(at).toISOString()} drop ${text}\n`;
}

/** A run of noise's drops and NAKs not written, counted (`text`), the last at `at`. */
export function noiseLine(at: number, text: string): string {
  return `${new Date(at).toISOString()} noise ${text}\n`;
}

/** `line`, a frame or drop line's text after its time (`drop oversize …`), came `count` more times, the last at `at`. */
export function repeatedLine(at: number, count: number, line: string): string {
  return `${new Date(at).toISOString()} repeated ${count} ${line}\n`;
}

/** Parses a recording; a bad line becomes an 'error' entry naming the line, never an exception. */
export function parseTrace(text: string): TraceLine[] {
  const out: TraceLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed !== '') out.push(parseLine(trimmed, index + 1));
  });
  return out;
}

function parseLine(trimmed: string, line: number): TraceLine {
  if (trimmed.startsWith('#')) {
    const device = /^# device (\S+) (\S+) (itron|elster)$/.exec(trimmed);
    if (device)
      return {
        kind: 'device',
        device: { eui: device[1], type: device[2], vendor: device[3] as TraceDevice['vendor'] },
        line,
      };
    return { kind: 'comment', text: trimmed.slice(1).trim(), line };
  }
  const match = /^(\S+)\s+(in|out|drop|repeated|noise)\s+(.*)$/.exec(trimmed);
  const at = match ? Date.parse(match[1]) : NaN;
  if (!match || Number.isNaN(at))
    return {
      kind: 'error',
      text: `line ${line}: not "<ISO time> in|out|drop|repeated|noise …": ${trimmed.slice(0, 60)}`,
      line,
    };
  if (match[2] === 'drop') return { kind: 'drop', at, text: match[3], line };
  if (match[2] === 'noise') return { kind: 'noise', at, text: match[3], line };
  if (match[2] === 'repeated') {
    const repeated = /^(\d+)\s+(\S.*)$/.exec(match[3]);
    const of = repeated ? parseLine(`${match[1]} ${repeated[2]}`, line) : undefined;
    if (of === undefined || (of.kind !== 'frame' && of.kind !== 'drop')) {
      return of?.kind === 'error'
        ? of
        : { kind: 'error', text: `line ${line}: not "<ISO time> repeated COUNT in|out|drop …"`, line };
    }
    return { kind: 'repeated', at, count: Number(repeated![1]), of, line };
  }
  const hex = match[3].replace(/\s+/g, '');
  // No frame crosses the wire longer than MAX_FRAME (the cutter drops it): a longer line is damage, said as such.
  if (hex.length > 2 * MAX_FRAME) {
    return {
      kind: 'error',
      text: `line ${line}: a frame of ${hex.length} hex digits is longer than the largest frame (${MAX_FRAME} bytes)`,
      line,
    };
  }
  // A character class, not a repeated group: a group's backtracking overflowed the stack on lines of megabytes.
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex))
    return { kind: 'error', text: `line ${line}: frame is not whole hex bytes`, line };
  return { kind: 'frame', at, direction: match[2] as 'in' | 'out', bytes: Buffer.from(hex, 'hex'), line };
}
