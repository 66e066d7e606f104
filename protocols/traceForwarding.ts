/**
 * Trace entries passed up a stack of emitters (link layer → endpoint → device host) only while someone at the top
 * listens. A link layer builds a trace entry for every frame in and out whenever it has a 'trace' listener, so a
 * forwarder registered for good would make every frame pay for a trace nobody reads.
 */
import type { EventEmitter } from 'node:events';

interface TraceEmitter {
  on(event: 'trace', listener: (entry: never) => void): unknown;
  off(event: 'trace', listener: (entry: never) => void): unknown;
}

/** Re-emits `source`'s 'trace' events on `target` while `target` has a 'trace' listener of its own. */
export function forwardTraceOnDemand(source: TraceEmitter, target: EventEmitter): void {
  const forward = (entry: unknown) => target.emit('trace', entry);
  let attached = false;
  // 'newListener' comes before the listener is added, 'removeListener' after it is gone.
  target.on('newListener', (event: string | symbol) => {
    if (event !== 'trace' || attached) return;
    attached = true;
    source.on('trace', forward);
  });
  target.on('removeListener', (event: string | symbol) => {
    if (event !== 'trace' || !attached || target.listenerCount('trace') > 0) return;
    attached = false;
    source.off('trace', forward);
  });
}
