/**
 * An emulator's DeviceHost and a harness's BenchClient joined by the in-process loopback link, both link layers on
 * one clock (the wall clock unless `harness.clock` gives another, e.g. a VirtualClock): what `smets1 emulate` and a
 * harness do over a wire, without a process or a socket. The tests of the bench and clock controls, of the pre-flight
 * and of the link's duplicates build their emulator with it.
 */
import type { EmulatorClock } from '../../emulator/clock/clock';
import { WallClock } from '../../emulator/clock/wallClock';
import { DeviceHost, type DeviceHostOptions } from '../../emulator/host/deviceHost';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { BenchClient, type DeviceAlert } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';
import type { Dialect } from '../../protocols/constants';
import type { LinkDrop } from '../../protocols/linkLayer';

export function loopbackEmulator(
  hostOptions: (linkClock: EmulatorClock) => DeviceHostOptions,
  harness: {
    readonly dialect: Dialect;
    readonly sessionId: number;
    readonly ackTimeout?: number;
    readonly clock?: EmulatorClock;
  },
) {
  const wall = harness.clock ?? new WallClock();
  const host = new DeviceHost(hostOptions(wall));
  const drops: LinkDrop[] = [];
  host.on('drop', (drop) => drops.push(drop));
  const [emulatorEnd, harnessEnd] = LoopbackEnd.pair();
  host.attach(emulatorEnd);
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock: wall,
    localEui: HARNESS_EUI,
    transmit: (bytes) => harnessEnd.write(bytes),
    dialectOf: () => harness.dialect,
    sessionId: harness.sessionId,
    ...(harness.ackTimeout === undefined ? {} : { ackTimeout: harness.ackTimeout }),
  });
  harnessEnd.on('data', (bytes) => endpoint.receive(bytes));
  endpoint.setConnected(true);
  const client = new BenchClient({ endpoint, clock: wall, responseTimeout: 5_000 });
  const alerts: DeviceAlert[] = [];
  client.on('alert', (alert) => alerts.push(alert));
  return {
    wall,
    host,
    endpoint,
    client,
    alerts,
    drops,
    close: async () => {
      client.close();
      endpoint.close();
      host.close();
      await Promise.all([emulatorEnd.close(), harnessEnd.close()]);
    },
  };
}
