/**
 * The link layer's trace flag (protocols/linkLayer.ts `traced`, kept by whileListened from 'newListener' and
 * 'removeListener') against listeners that come and go while a frame is being traced: added by a trace listener,
 * removed by one, `once`, removed all at once by event name, and added again. After each change the next frame must
 * be traced exactly when a listener is there, as EventEmitter#listenerCount at every frame decided before. Each
 * `frame()` is a command out and the device's link-level answer in.
 */
import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';
import { encodeAnswer } from '../../protocols/frame';
import type { TraceEntry } from '../../protocols/linkLayer';

const ESME = '00-DB-12-34-56-78-90-A0';

function endpointWithWire() {
  const written: Uint8Array[] = [];
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock: new VirtualClock(),
    localEui: HARNESS_EUI,
    dialectOf: () => 'itron',
    transmit: (bytes) => written.push(bytes),
  });
  let requestId = 0;
  /** One command out and the device's link-level answer to it in: two frames, each traced if anyone listens. */
  const frame = () => {
    void endpoint.send(HARNESS_EUI, ESME, { type: 'readSupply', requestId: ++requestId }).catch(() => {});
    const sent = written.at(-1)!;
    endpoint.link.receive(encodeAnswer(sent));
    return sent;
  };
  return { link: endpoint.link, written, frame, close: () => endpoint.close() };
}

describe("the link layer's trace flag as listeners come and go", () => {
  it('traces the next frame for a listener added by a trace listener, and not for one it removed', () => {
    const { link, frame, close } = endpointWithWire();
    const seen: string[] = [];
    const late = (entry: TraceEntry) => seen.push(`late ${entry.direction}`);
    const first = (entry: TraceEntry) => {
      seen.push(`first ${entry.direction}`);
      link.off('trace', first);
      link.on('trace', late);
    };
    link.on('trace', first);
    frame();
    // the listener added while the command went out hears its answer come in
    expect(seen).toEqual(['first out', 'late in']);
    frame();
    expect(seen).toEqual(['first out', 'late in', 'late out', 'late in']);
    link.off('trace', late);
    frame();
    expect(seen).toHaveLength(4);
    close();
  });

  it("keeps tracing for the other listener when one removes itself, and stops after a `once` listener's frame", () => {
    const { link, frame, close } = endpointWithWire();
    const seen: string[] = [];
    link.once('trace', (entry: TraceEntry) => seen.push(`once ${entry.direction}`));
    frame();
    frame();
    expect(seen).toEqual(['once out']);
    const stays = (entry: TraceEntry) => seen.push(`stays ${entry.direction}`);
    const leaves = (entry: TraceEntry) => {
      seen.push(`leaves ${entry.direction}`);
      link.off('trace', leaves);
    };
    link.on('trace', leaves);
    link.on('trace', stays);
    frame();
    frame();
    expect(seen).toEqual(['once out', 'leaves out', 'stays out', 'stays in', 'stays out', 'stays in']);
    close();
  });

  it("traces again for a listener added after removeAllListeners('trace'), and never in between", () => {
    const { link, written, frame, close } = endpointWithWire();
    const seen: Uint8Array[] = [];
    link.on('trace', (entry: TraceEntry) => seen.push(entry.bytes));
    link.on('trace', () => {});
    link.removeAllListeners('trace');
    // nobody listening: no trace entry is even emitted (a flag left set would emit one to nobody every frame)
    const emit = vi.spyOn(link, 'emit');
    frame();
    expect(seen).toEqual([]);
    expect(emit.mock.calls.filter((call) => (call as unknown[])[0] === 'trace')).toEqual([]);
    emit.mockRestore();
    link.on('trace', (entry: TraceEntry) => seen.push(entry.bytes));
    const traced = frame();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(traced);
    expect([...seen[1]!]).toEqual([...encodeAnswer(traced)]);
    expect(written.at(-1)).toBe(traced);
    close();
  });
});
