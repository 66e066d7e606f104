/**
 * Writes every frame an end of the link sends or receives, and every frame it drops, to a recording (traceFormat.ts):
 * the emulator's device host (`smets1 emulate --record`) or the harness's endpoint (`smets1 run --record`), the one
 * writer of the one format. Directions are the wire's, whichever end records: `in` harness → devices, `out`
 * devices → harness. A harness's run attaches each scenario's endpoint in turn to one recording.
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
import type { EmulatorClock } from '../clock/clock';
import { FrameType } from '../../protocols/constants';
import { NoiseRuns } from './noiseRuns';
import { deviceLine, dropLine, frameLine, traceHeader, type TraceDevice } from './traceFormat';

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
  /** What carries on without the recording, for that reason: default `the emulator`. */
  carriesOn?: string;
}

/** An end of the link whose frames are recorded: a DeviceHost, or a MessageEndpoint (its LinkLayer's events). */
export interface FrameSource {
  on(event: 'trace', listener: (entry: TraceEntry) => void): unknown;
  on(event: 'drop', listener: (drop: LinkDrop) => void): unknown;
  off(event: 'trace', listener: (entry: TraceEntry) => void): unknown;
  off(event: 'drop', listener: (drop: LinkDrop) => void): unknown;
}

/** Which end a source is: its link layer's `out` is the wire's `in` at the harness end. */
export type RecordingEnd = 'devices' | 'harness';

/** One recording file: opened at construction (throws if it cannot be created), written until `stop`. */
export class Recording {
  private fd: number | undefined;
  private size = 0;
  private readonly noise = new NoiseRuns();
  private readonly maxBytes: number;
  private readonly detachers = new Set<() => void>();
  /** Each EUI's device line as last written: a change is written again, from where it happened. */
  private readonly announced = new Map<string, string>();

  constructor(
    private readonly path: string,
    devices: readonly TraceDevice[],
    private readonly options: RecordOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_RECORDING_BYTES;
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new Error(`cannot record to ${path}: ${(error as Error).message}`, { cause: error });
    }
    for (const device of devices) this.announced.set(device.eui, deviceLine(device));
    this.append(traceHeader(devices));
  }

  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /**
   * Records `source`'s frames and drops until the returned function is called or the recording stops. Times: the
   * device host's frames at its link layer's time, as `smets1 emulate` always recorded; the harness's at `now()`, its
   * own time (virtual in-process and in lockstep), which a replay's alert offsets are measured on.
   * `devicesNow`, the devices the source serves now (a new array when they change: DeviceHost.devices after a
   * benchConfigure), is looked at before each frame, so a frame after a change is read in the new vendor's dialect.
   */
  attach(
    source: FrameSource,
    now: () => number,
    end: RecordingEnd,
    devicesNow?: () => readonly TraceDevice[],
  ): () => void {
    if (!this.isOpen) return () => {};
    let devicesSeen = devicesNow?.();
    const onTrace = (entry: TraceEntry) => {
      const devices = devicesNow?.();
      if (devices !== devicesSeen) {
        devicesSeen = devices;
        this.devices(devices!);
      }
      const direction = end === 'devices' ? entry.direction : entry.direction === 'in' ? 'out' : 'in';
      const at = end === 'devices' ? entry.at : now();
      // byte 2 of a frame is its type (docs/protocol.md)
      const role = direction === 'in' ? 'in' : entry.bytes[2] === FrameType.nak ? 'nak' : 'out';
      this.append(this.noise.line(at, frameLine(at, direction, entry.bytes), role));
    };
    const onDrop = (drop: LinkDrop) => {
      const at = now();
      this.append(this.noise.line(at, dropLine(at, describeDrop(drop)), 'drop'));
    };
    source.on('trace', onTrace);
    source.on('drop', onDrop);
    const detach = () => {
      source.off('trace', onTrace);
      source.off('drop', onDrop);
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /** A `#` line: where one part of the recording begins (a scenario of a run). */
  comment(text: string): void {
    this.append(`# ${text.replace(/[\r\n]+/g, ' ')}\n`);
  }

  /**
   * `# device` lines for devices not yet named, or named with another type or vendor (holding from here on), so each
   * payload decodes in its vendor's dialect.
   */
  devices(devices: readonly TraceDevice[]): void {
    let lines = '';
    for (const device of devices) {
      const line = deviceLine(device);
      if (this.announced.get(device.eui) === line) continue;
      this.announced.set(device.eui, line);
      lines += line;
    }
    this.append(lines);
  }

  /** Ends any noise run and closes the file. */
  stop(): void {
    this.append(this.noise.end());
    this.close();
  }

  private close(): void {
    for (const detach of [...this.detachers]) detach();
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // closing is best effort: the data was written synchronously
    }
    this.fd = undefined;
  }

  private stopBecause(reason: string): void {
    if (this.fd === undefined) return;
    this.close();
    this.options.onStop?.(reason);
  }

  private append(text: string): void {
    if (this.fd === undefined || text === '') return;
    const bytes = Buffer.from(text, 'utf8');
    if (this.size + bytes.length > this.maxBytes) {
      const note = Buffer.from(`# recording stopped: size limit of ${this.maxBytes} bytes reached\n`);
      try {
        writeSync(this.fd, note);
      } catch {
        // the limit is the reason given
      }
      this.stopBecause(
        `recording ${this.path} stopped at its size limit of ${this.maxBytes} bytes; ${this.options.carriesOn ?? 'the emulator'} carries on`,
      );
      return;
    }
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const written = writeSync(this.fd, bytes, offset, bytes.length - offset);
        if (!(written > 0)) throw new Error('short write (disk full?)');
        offset += written;
      }
      this.size += bytes.length;
    } catch (error) {
      this.stopBecause(
        `recording ${this.path} stopped: ${(error as Error).message}; ${this.options.carriesOn ?? 'the emulator'} carries on`,
      );
    }
  }
}

/** Starts recording an emulator's device host to `path` (throws if the file cannot be created); returns the function that stops it. */
export function recordHost(
  host: FrameSource & { devices: readonly TraceDevice[] },
  clock: EmulatorClock,
  path: string,
  options: RecordOptions = {},
): () => void {
  const recording = new Recording(path, host.devices, options);
  recording.attach(
    host,
    () => clock.now(),
    'devices',
    () => host.devices,
  );
  return () => recording.stop();
}
