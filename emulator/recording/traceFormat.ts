/**
 * The recording format (`smets1 emulate --record FILE`), one line per frame, plain text so it can be pasted into
 * a bug report, diffed and grepped:
 *
 *   # smets1-trace 1
 *   # device 00-DB-12-34-56-78-90-A2 CH elster
 *   2026-01-01T00:00:00.000Z in  A50101010000000000000001…
 *   2026-01-01T00:00:00.000Z out A501040100DB1234567890A2…
 *   2026-01-01T00:00:01.000Z drop badCrc source=00-00-00-00-00-00-00-01 sequence=3
 *
 * Time is the emulator clock (virtual or wall) in ISO 8601 UTC; `in` is harness → emulator, `out` emulator →
 * harness; the hex is one whole frame as it crossed the wire. `#` lines are comments; `device` lines give each
 * EUI's type and vendor, so `smets1 trace` can decode every payload in its vendor's dialect.
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
  | { kind: 'device'; device: TraceDevice; line: number }
  | { kind: 'comment'; text: string; line: number }
  | { kind: 'error'; text: string; line: number };

export function traceHeader(devices: readonly TraceDevice[]): string {
  return [TRACE_MAGIC, ...devices.map((d) => `# device ${d.eui} ${d.type} ${d.vendor}`)].join('\n') + '\n';
}

export function frameLine(at: number, direction: 'in' | 'out', bytes: Uint8Array): string {
  return `${new Date(at).toISOString()} ${direction.padEnd(3)} ${Buffer.from(bytes).toString('hex').toUpperCase()}\n`;
}

export function dropLine(at: number, text: string): string {
  return `${new Date(at).toISOString()} drop ${text}\n`;
}

/** Parses a recording; a bad line becomes an 'error' entry naming the line, never an exception. */
export function parseTrace(text: string): TraceLine[] {
  const out: TraceLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    if (trimmed.startsWith('#')) {
      const device = /^# device (\S+) (\S+) (itron|elster)$/.exec(trimmed);
      if (device) out.push({ kind: 'device', device: { eui: device[1], type: device[2], vendor: device[3] as TraceDevice['vendor'] }, line });
      else out.push({ kind: 'comment', text: trimmed.slice(1).trim(), line });
      return;
    }
    const match = /^(\S+)\s+(in|out|drop)\s+(.*)$/.exec(trimmed);
    const at = match ? Date.parse(match[1]) : NaN;
    if (!match || Number.isNaN(at)) {
      out.push({ kind: 'error', text: `line ${line}: not "<ISO time> in|out|drop …": ${trimmed.slice(0, 60)}`, line });
      return;
    }
    if (match[2] === 'drop') {
      out.push({ kind: 'drop', at, text: match[3], line });
      return;
    }
    const hex = match[3].replace(/\s+/g, '');
    // No frame crosses the wire longer than MAX_FRAME (the cutter drops it): a longer line is damage, said as such.
    if (hex.length > 2 * MAX_FRAME) {
      out.push({ kind: 'error', text: `line ${line}: a frame of ${hex.length} hex digits is longer than the largest frame (${MAX_FRAME} bytes)`, line });
      return;
    }
    // A character class, not a repeated group: a group's backtracking overflowed the stack on lines of megabytes.
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) {
      out.push({ kind: 'error', text: `line ${line}: frame is not whole hex bytes`, line });
      return;
    }
    out.push({ kind: 'frame', at, direction: match[2] as 'in' | 'out', bytes: Buffer.from(hex, 'hex'), line });
  });
  return out;
}
