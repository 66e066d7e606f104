/**
 * Work done for an event only while someone listens to it. A link layer builds a trace entry for every frame in and out
 * whenever it has a 'trace' listener, and XState calls a device host's snapshot observers on every device event: a
 * forwarder or observer kept for good makes every frame or event pay for what nobody reads.
 */
import type { EventEmitter } from 'node:events';

/**
 * Calls `start` when `target` gets its first `event` listener and `stop` when it loses its last ('newListener' comes
 * before a listener is added, 'removeListener' after it is gone).
 */
export function whileListened(target: EventEmitter, event: string, start: () => void, stop: () => void): void {
  let listened = false;
  target.on('newListener', (name: string | symbol) => {
    if (name !== event || listened) return;
    listened = true;
    start();
  });
  target.on('removeListener', (name: string | symbol) => {
    if (name !== event || !listened || target.listenerCount(event) > 0) return;
    listened = false;
    stop();
  });
}

interface TraceEmitter {
  on(event: 'trace', listener: (entry: never) => void): unknown;
  off(event: 'trace', listener: (entry: never) => void): unknown;
}

/** Re-emits `source`'s 'trace' events on `target` (link layer → endpoint → device host) while `target` has a listener. */
export function forwardTraceOnDemand(source: TraceEmitter, target: EventEmitter): void {
  const forward = (entry: unknown) => target.emit('trace', entry);
  whileListened(
    target,
    'trace',
    () => source.on('trace', forward),
    () => source.off('trace', forward),
  );
}
