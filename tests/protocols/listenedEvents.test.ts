// Trace entries go up (link layer → endpoint → device host) only while someone at the top listens: a link layer with a
// 'trace' listener builds an entry for every frame, so nobody listening must mean no listener below either.
import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { benchSets } from '../../emulator/host/benchConfig';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';
import { encodeAnswer } from '../../protocols/frame';
import { LinkLayer, type TraceEntry } from '../../protocols/linkLayer';

describe('trace forwarding on demand', () => {
  it('an endpoint listens to its link layer only while it has a trace listener of its own', async () => {
    const clock = new VirtualClock();
    const written: Uint8Array[] = [];
    const endpoint = new MessageEndpoint({
      side: 'harness',
      clock,
      localEui: HARNESS_EUI,
      dialectOf: () => 'itron',
      transmit: (bytes) => written.push(bytes),
    });
    expect(endpoint.link.listenerCount('trace')).toBe(0);
    const seen: TraceEntry[] = [];
    const first = (entry: TraceEntry) => seen.push(entry);
    const second = () => {};
    endpoint.on('trace', first);
    endpoint.on('trace', second);
    expect(endpoint.link.listenerCount('trace')).toBe(1);
    void endpoint.send(HARNESS_EUI, '00-DB-12-34-56-78-90-A0', { type: 'readSupply', requestId: 9 }).catch(() => {});
    expect(written).toHaveLength(1);
    expect(seen).toEqual([{ direction: 'out', at: clock.now(), bytes: written[0] }]);
    endpoint.off('trace', first);
    expect(endpoint.link.listenerCount('trace')).toBe(1);
    endpoint.off('trace', second);
    expect(endpoint.link.listenerCount('trace')).toBe(0);
    endpoint.on('trace', first);
    expect(endpoint.link.listenerCount('trace')).toBe(1);
    endpoint.close();
  });

  it("a device host's endpoint and link layer have no trace listener until the host has one", async () => {
    const clock = new VirtualClock();
    const host = new DeviceHost({ clock, sets: benchSets({ vendor: 'itron', sets: 1 }) });
    const [devicesEnd, harnessEnd] = LoopbackEnd.pair();
    expect(host.endpoint.listenerCount('trace')).toBe(0);
    expect(host.endpoint.link.listenerCount('trace')).toBe(0);
    const seen: TraceEntry[] = [];
    host.on('trace', (entry) => seen.push(entry));
    expect(host.endpoint.listenerCount('trace')).toBe(1);
    expect(host.endpoint.link.listenerCount('trace')).toBe(1);
    host.attach(devicesEnd);
    // the host announces its session on the new connection: one frame out, traced up to the host
    expect(seen.map((entry) => [entry.direction, entry.bytes[2]])).toEqual([['out', 0x07]]);
    host.close();
    await Promise.all([devicesEnd.close(), harnessEnd.close()]);
  });
});

describe("a device host's 'change' events", () => {
  it('come from its sets only while something listens, once per snapshot, across a reset and a listener that came back', async () => {
    const clock = new VirtualClock();
    const [config] = benchSets({ vendor: 'itron', sets: 1 });
    const host = new DeviceHost({ clock, sets: [config!] });
    const { ESME } = config!.euis;
    const changes: number[] = [];
    const listener = (set: number) => changes.push(set);
    const supplyOff = async () => {
      changes.length = 0;
      expect(await host.command(ESME, { type: 'setSupply', state: 'disabled' })).toEqual({ status: 'ok' });
      await host.command(ESME, { type: 'setSupply', state: 'enabled' });
      return changes.length;
    };

    host.on('change', listener);
    const first = await supplyOff();
    // the ESME's snapshot changes, and so does the set's (the member's output goes through it)
    expect(first).toBeGreaterThanOrEqual(2);
    expect(new Set(changes)).toEqual(new Set([0]));

    host.off('change', listener);
    expect(await supplyOff()).toBe(0);

    // back: the same events, not twice as many (the first observers are gone)
    host.on('change', listener);
    expect(await supplyOff()).toBe(first);

    // a reset stops the sets and starts new ones: those are observed, and only those
    expect(host.reset()).toBe(true);
    expect(await supplyOff()).toBe(first);
    host.close();
  });
});

describe("a link layer's trace entries", () => {
  it('are made while it has a listener, not between its last listener going and the next one coming', () => {
    const clock = new VirtualClock();
    const written: Uint8Array[] = [];
    const link = new LinkLayer({ clock, localEui: HARNESS_EUI, transmit: (bytes) => written.push(bytes) });
    const header = {
      type: 'command',
      source: HARNESS_EUI,
      destination: '00-DB-12-34-56-78-90-A0',
      messageId: 0x0503,
    } as const;
    const seen: TraceEntry[] = [];
    const listener = (entry: TraceEntry) => seen.push(entry);
    link.on('trace', listener);
    link.post(header, Uint8Array.of(0, 1), {}, () => {});
    expect(seen).toEqual([{ direction: 'out', at: clock.now(), bytes: written[0] }]);
    link.off('trace', listener);
    // the ack of that frame comes in, untraced: no entry made, not merely none heard (an emit with no listener is
    // silent, so what it would cost is seen only by watching emit)
    const emit = vi.spyOn(link, 'emit');
    link.receive(encodeAnswer(written[0]!));
    link.post(header, Uint8Array.of(0, 2), {}, () => {});
    expect(written).toHaveLength(2);
    expect(seen).toHaveLength(1);
    expect(emit.mock.calls.filter((call) => (call as unknown[])[0] === 'trace')).toEqual([]);
    emit.mockRestore();
    link.on('trace', listener);
    link.receive(encodeAnswer(written[1]!));
    expect(seen.slice(1)).toEqual([{ direction: 'in', at: clock.now(), bytes: expect.any(Uint8Array) }]);
    expect([...seen[1]!.bytes]).toEqual([...encodeAnswer(written[1]!)]);
    link.close();
  });
});
