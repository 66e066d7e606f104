// A device raising the same alert at the same virtual millisecond, 256 frames of the emulator's link apart: the
// emulator's sequence counter is one for every device behind it, so the second alert carries the first one's
// sequence number, source and CRC. It is a new alert, not a retransmission, and the harness must deliver it
// (docs/protocol.md "Duplicates"). A DeviceHost on the virtual clock, a harness's BenchClient, the loopback link.
import { afterEach, describe, expect, it } from 'vitest';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { benchSets } from '../../emulator/host/benchConfig';
import { decodeFrame } from '../../protocols/frame';
import type { LinkDrop } from '../../protocols/linkLayer';
import { loopbackEmulator } from './loopbackEmulator';

const CH = '00-DB-12-34-56-78-90-A2';
const PPMID = '00-DB-12-34-56-78-90-A3';
/** EUIs no device on the bench has: each is answered `unknownDevice`, one frame from that EUI. */
const stranger = (i: number) =>
  `00-FA-4E-00-00-00-${(i >> 8).toString(16).padStart(2, '0')}-${(i & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();

/** The virtual clock's start (the bench's default epoch): neither alert advances it. */
const T0 = Date.UTC(2026, 0, 1);
/** 0x8F12 carries no alert-specific data (docs/protocol.md "Alerts"). */
const PPMID_PAYLOAD = '';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

function bench() {
  const clock = new VirtualClock();
  const emulator = loopbackEmulator(
    (linkClock) => ({ clock: linkClock, sets: benchSets({ vendor: 'itron', seed: 7 }), link: { sessionId: 0xe0 } }),
    { dialect: 'itron', sessionId: 0x53, clock },
  );
  close = emulator.close;
  // what the emulator put on the wire, in order: each frame's type, source and sequence number
  const fromEmulator: string[] = [];
  emulator.endpoint.on('trace', ({ direction, bytes }) => {
    if (direction !== 'in') return;
    const frame = decodeFrame(bytes);
    if (frame.type !== 'ack') fromEmulator.push(`${frame.type} ${frame.source} #${frame.sequence}`);
  });
  const drops: LinkDrop[] = [];
  emulator.endpoint.on('drop', (d) => drops.push(d));
  return { client: emulator.client, alerts: emulator.alerts, drops, fromEmulator };
}

describe('the same alert again after the emulator’s sequence counter wrapped', () => {
  it('a CH raising 0x8F12 twice at one virtual ms, 256 emulator frames apart: the harness gets both alerts', async () => {
    const { client, alerts, drops, fromEmulator } = bench();
    const addPpmid = () =>
      client.request(CH, {
        type: 'hanLogAdd',
        deviceId: PPMID,
        installCode: '30313233343536373839414243444546',
        joinPeriod: 60,
      });
    expect((await addPpmid()).status).toBe('ok');
    await drainPendingJobs();
    // the emulator's session (#0), the CH's answer (#1) and its alert (#2)
    expect(fromEmulator).toEqual(['session 00-00-00-00-00-00-00-02 #0', `response ${CH} #1`, `alert ${CH} #2`]);
    // 254 answers from strangers (#3 … #256 = #0 of the next lap), then the CH's answer #1 and its alert #2 again
    for (let i = 0; i < 254; i++)
      expect((await client.request(stranger(i), { type: 'readDeviceInfo' })).status).toBe('unknownDevice');
    expect((await addPpmid()).status).toBe('ok');
    await drainPendingJobs();
    const sent = fromEmulator;
    expect(sent).toHaveLength(3 + 254 + 2);
    expect(sent.slice(-3)).toEqual([`response ${stranger(253)} #0`, `response ${CH} #1`, `alert ${CH} #2`]);
    expect(alerts.map((a) => [a.source, a.alert.code, a.alert.at, a.alert.payload])).toEqual([
      [CH, 0x8f12, T0, PPMID_PAYLOAD],
      [CH, 0x8f12, T0, PPMID_PAYLOAD],
    ]);
    expect(drops.filter((d) => d.reason === 'duplicate')).toEqual([]);
  });
});
