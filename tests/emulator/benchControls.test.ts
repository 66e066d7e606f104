/**
 * The bench controls (docs/protocol.md "Bench controls", issue 18): benchInfo says what the emulator is, benchReset
 * returns every set to its start. In-process over the loopback, both link layers on the wall clock, as
 * `smets1 emulate --clock harness` runs them; the expected values are written out from the bench's options.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { WallClock } from '../../emulator/clock/wallClock';
import { benchSets } from '../../emulator/host/benchConfig';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { BenchClient, type DeviceAlert } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';
import { connectHarness, startEmulator } from './childEmulator';

const EMULATOR = '00-00-00-00-00-00-00-02';
const T0 = Date.UTC(2026, 0, 1);
const CH = '00-DB-12-34-56-78-90-A2';
const PPMID = '00-DB-12-34-56-78-90-A3';
const METERS = [
  { deviceId: '00-DB-12-34-56-78-90-A0', joined: true },
  { deviceId: '00-DB-12-34-56-78-90-A1', joined: true },
]; // the ESME and GSME start joined
const RTDS_CODE = '30313233343536373839414243444546';

function loopbackBench(harnessDriven: boolean, vendor: 'itron' | 'elster', quirks = {}) {
  const wall = new WallClock();
  const devices = harnessDriven ? new VirtualClock() : wall;
  const sets = benchSets({ vendor, seed: 5, sets: 2, quirks }).map((set) => ({ ...set, migrationState: 'dcc' as const }));
  const host = new DeviceHost({ clock: devices, linkClock: wall, harnessDriven, sets });
  const [emulatorEnd, harnessEnd] = LoopbackEnd.pair();
  host.attach(emulatorEnd);
  const endpoint = new MessageEndpoint({ side: 'harness', clock: wall, localEui: HARNESS_EUI, transmit: (bytes) => harnessEnd.write(bytes), dialectOf: () => vendor, sessionId: 9 });
  harnessEnd.on('data', (bytes) => endpoint.receive(bytes));
  endpoint.setConnected(true);
  const client = new BenchClient({ endpoint, clock: wall, responseTimeout: 5_000 });
  const alerts: DeviceAlert[] = [];
  client.on('alert', (alert) => alerts.push(alert));
  return {
    host,
    client,
    alerts,
    close: async () => {
      client.close();
      endpoint.close();
      host.close();
      await Promise.all([emulatorEnd.close(), harnessEnd.close()]);
    },
  };
}

describe('bench controls over the loopback', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const bench of open.splice(0)) await bench.close();
  });

  it('benchInfo: the clock and, per set, vendor, start, seed, PPMID and the quirks in force', async () => {
    const elster = loopbackBench(true, 'elster', { '91342': false });
    open.push(elster);
    const set = (seed: number, quirks: string) => ({ vendor: 'elster', installation: 'active', migrationState: 'dcc', seed, ppmid: true, quirks });
    expect(await elster.client.request(EMULATOR, { type: 'benchInfo', firstSet: 0 })).toMatchObject({ status: 'ok', body: { clock: 'harness', setCount: 2, sets: [set(5, ''), set(6, '')] } });
    // from set 1; past the last, none
    expect((await elster.client.request(EMULATOR, { type: 'benchInfo', firstSet: 1 })).body).toEqual({ clock: 'harness', setCount: 2, sets: [set(6, '')] });
    expect((await elster.client.request(EMULATOR, { type: 'benchInfo', firstSet: 2 })).body).toEqual({ clock: 'harness', setCount: 2, sets: [] });
    const itron = loopbackBench(false, 'itron');
    open.push(itron);
    const answer = await itron.client.request(EMULATOR, { type: 'benchInfo', firstSet: 0 });
    // Itron's defaults: 91333 and risk11 on (devices/quirks/registry.ts), 91342 is Elster's
    expect(answer.body).toEqual({ clock: 'wall', setCount: 2, sets: [5, 6].map((seed) => ({ vendor: 'itron', installation: 'active', migrationState: 'dcc', seed, ppmid: true, quirks: '91333,risk11' })) });
  });

  it('benchReset: a joined PPMID, its alerts and the virtual time are all back to the start', async () => {
    const bench = loopbackBench(true, 'elster');
    open.push(bench);
    const { client } = bench;
    // a fresh start has the devices' own timers (the ESME's half-hourly records …) pending: reset gives the same
    const fresh = (await client.request(EMULATOR, { type: 'clockStatus' })).body;
    expect(fresh).toMatchObject({ now: T0 });
    expect((await client.request(PPMID, { type: 'powerOn' })).status).toBe('ok');
    expect((await client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: RTDS_CODE, joinPeriod: 255 })).status).toBe('ok');
    // the PPMID retries its join every 60 s: by 2 minutes it is in
    expect((await client.request(EMULATOR, { type: 'advanceClock', to: T0 + 120_000 })).status).toBe('ok');
    const joined = await client.request(CH, { type: 'readDeviceLog' });
    expect(joined.body).toEqual({ entries: [...METERS, { deviceId: PPMID, joined: true }] });
    expect(bench.alerts.map((a) => a.alert.code)).toContain(0x8f49);

    expect(await client.request(EMULATOR, { type: 'benchReset' })).toEqual({ type: 'response', message: 'benchReset', requestId: expect.any(Number), status: 'ok' });
    expect((await client.request(EMULATOR, { type: 'clockStatus' })).body).toEqual(fresh);
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: METERS });
    expect(bench.host.unacknowledgedAlerts).toEqual([]);
    // and it plays again as from a fresh start: powered on, added, joined at the same virtual times
    expect((await client.request(PPMID, { type: 'powerOn' })).status).toBe('ok');
    expect((await client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: RTDS_CODE, joinPeriod: 255 })).status).toBe('ok');
    expect((await client.request(EMULATOR, { type: 'advanceClock', to: T0 + 120_000 })).status).toBe('ok');
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: [...METERS, { deviceId: PPMID, joined: true }] });
  });

  it('benchReset withdraws alerts the harness has not acknowledged: none reaches the next session', async () => {
    const bench = loopbackBench(false, 'elster');
    open.push(bench);
    // a harness that acknowledges nothing: the alerts of the 8.11 refusal (91342: 300 s) wait in the queue
    bench.host.detach();
    const refused = bench.host.command(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: RTDS_CODE, joinPeriod: 300 });
    expect((await refused).status).toBe('invalidParameter');
    expect(bench.host.unacknowledgedAlerts.map((a) => a.code)).toEqual([0x8f48]);
    expect(bench.host.reset()).toBe(true);
    expect(bench.host.unacknowledgedAlerts).toEqual([]);
    expect(bench.host.endpoint.link.pendingSends).toBe(0);
  });
});

describe('benchReset with --state', () => {
  it('writes the reset sets: an emulator restarted from the directory has them, not the state before the reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-reset-'));
    const start = () => startEmulator(['--vendor', 'elster', '--state', dir]);
    try {
      const first = await start();
      const harness = await connectHarness(first.port, 'elster');
      expect((await harness.client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: RTDS_CODE, joinPeriod: 255 })).status).toBe('ok');
      expect((await harness.client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: [...METERS, { deviceId: PPMID, joined: false }] });
      expect((await harness.client.request(EMULATOR, { type: 'benchReset' })).status).toBe('ok');
      await harness.close();
      first.process.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const second = await start();
      const again = await connectHarness(second.port, 'elster');
      expect((await again.client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: METERS });
      await again.close();
      second.process.kill('SIGTERM');
      await second.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
