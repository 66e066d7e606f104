/**
 * Writes every frame a host sends or receives, and every frame it drops, to a recording (traceFormat.ts).
 * Appends synchronously: a recording is for reproducing defects, so it must hold the last frame before a crash.
 *
 * Bounded: the recording stops (with a last `#` line saying why) once it reaches `maxBytes`, and a drop line shows
 * at most DROP_HEX_BYTES of the dropped bytes, and runs of noise are summarised (noiseRuns.ts), so hostile input
 * cannot turn into a trace many times its size.
 * A write that fails (disk full, I/O error) stops the recording and reports it through `onStop`; the emulator
 * carries on without it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { LinkDrop, TraceEntry } from '../../protocols/linkLayer';
import type { DeviceHost } from '../host/deviceHost';
import type { EmulatorClock } from '../clock/clock';
import { FrameType } from '../../protocols/constants';
import { NoiseRuns } from './noiseRuns';
import { dropLine, frameLine, traceHeader } from './traceFormat';

/** Default size bound of a recording. */
const DEFAULT_RECORDING_BYTES = 64 * 1024 * 1024;
/** Dropped bytes shown per drop line; the rest is counted, not shown. */
const DROP_HEX_BYTES = 32;

export function describeDrop(drop: LinkDrop): string {
  const parts: string[] = [drop.reason];
  for (const [key, value] of Object.entries(drop)) {
    if (key === 'reason' || value === undefined) continue;
    if (value instanceof Uint8Array) {
      const shown = Buffer.from(value.subarray(0, DROP_HEX_BYTES)).toString('hex').toUpperCase();
      parts.push(`${key}=${shown}${value.length > DROP_HEX_BYTES ? `…(${value.length} bytes)` : ''}`);
    } else {
      parts.push(`${key}=${String(value)}`);
    }
  }
  return parts.join(' ');
}

export interface RecordOptions {
  /** Stop once the recording would pass this many bytes. Default DEFAULT_RECORDING_BYTES. */
  maxBytes?: number;
  /** Told once, with the reason, when the recording stops on its own (size bound or write error). */
  onStop?: (reason: string) => void;
}

/** Starts recording `host` to `path` (throws if the file cannot be created); returns the function that stops it. */
export function recordHost(host: DeviceHost, clock: EmulatorClock, path: string, options: RecordOptions = {}): () => void {
  const maxBytes = options.maxBytes ?? DEFAULT_RECORDING_BYTES;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new Error(`cannot record to ${path}: ${(error as Error).message}`, { cause: error });
  }
  let size = 0;
  const isOpen = () => fd !== undefined;

  const noise = new NoiseRuns();

  const close = () => {
    host.off('trace', onTrace);
    host.off('drop', onDrop);
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // closing is best effort: the data was written synchronously
    }
    fd = undefined;
  };
  const stopBecause = (reason: string) => {
    if (fd === undefined) return;
    close();
    options.onStop?.(reason);
  };
  const append = (text: string) => {
    if (fd === undefined || text === '') return;
    const bytes = Buffer.from(text, 'utf8');
    if (size + bytes.length > maxBytes) {
      const note = Buffer.from(`# recording stopped: size limit of ${maxBytes} bytes reached\n`);
      try {
        writeSync(fd, note);
      } catch {
        // the limit is the reason given
      }
      stopBecause(`recording ${path} stopped at its size limit of ${maxBytes} bytes; the emulator carries on`);
      return;
    }
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const written = writeSync(fd, bytes, offset, bytes.length - offset);
        if (!(written > 0)) throw new Error('short write (disk full?)');
        offset += written;
      }
      size += bytes.length;
    } catch (error) {
      stopBecause(`recording ${path} stopped: ${(error as Error).message}; the emulator carries on`);
    }
  };
  const onTrace = (entry: TraceEntry) => {
    // byte 2 of a frame is its type (docs/protocol.md)
    const role = entry.direction === 'in' ? 'in' : entry.bytes[2] === FrameType.nak ? 'nak' : 'out';
    append(noise.line(entry.at, frameLine(entry.at, entry.direction, entry.bytes), role));
  };
  const onDrop = (drop: LinkDrop) => {
    const at = clock.now();
    append(noise.line(at, dropLine(at, describeDrop(drop)), 'drop'));
  };

  append(traceHeader(host.devices));
  if (isOpen()) {
    host.on('trace', onTrace);
    host.on('drop', onDrop);
  }
  return () => {
    append(noise.end());
    close();
  };
}
