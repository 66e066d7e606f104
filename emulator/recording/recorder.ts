/**
 * Writes every frame a host sends or receives, and every frame it drops, to a recording (traceFormat.ts).
 * Appends synchronously: a recording is for reproducing defects, so it must hold the last frame before a crash.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { LinkDrop, TraceEntry } from '../../protocols/linkLayer';
import type { DeviceHost } from '../host/deviceHost';
import type { EmulatorClock } from '../clock/clock';
import { dropLine, frameLine, traceHeader } from './traceFormat';

function describeDrop(drop: LinkDrop): string {
  const parts: string[] = [drop.reason];
  for (const [key, value] of Object.entries(drop)) {
    if (key === 'reason' || value === undefined) continue;
    parts.push(`${key}=${value instanceof Uint8Array ? Buffer.from(value).toString('hex').toUpperCase() : String(value)}`);
  }
  return parts.join(' ');
}

export function recordHost(host: DeviceHost, clock: EmulatorClock, path: string): () => void {
  writeFileSync(path, traceHeader(host.devices));
  const onTrace = (entry: TraceEntry) => appendFileSync(path, frameLine(entry.at, entry.direction, entry.bytes));
  const onDrop = (drop: LinkDrop) => appendFileSync(path, dropLine(clock.now(), describeDrop(drop)));
  host.on('trace', onTrace);
  host.on('drop', onDrop);
  return () => {
    host.off('trace', onTrace);
    host.off('drop', onDrop);
  };
}
