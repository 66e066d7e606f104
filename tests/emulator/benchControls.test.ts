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
import { benchSets } from '../../emulator/host/benchConfig';
import type { CommandInput } from '../../protocols/benchClient';
import { parseCertificate } from '../../common/credentials/certificate';
import { connectHarness, startEmulator } from './childEmulator';
import { loopbackEmulator } from './loopbackEmulator';

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
  const sets = benchSets({ vendor, seed: 5, sets: 2, quirks }).map((set) => ({
    ...set,
    migrationState: 'dcc' as const,
  }));
  return loopbackEmulator(
    (wall) => ({ clock: harnessDriven ? new VirtualClock() : wall, linkClock: wall, harnessDriven, sets }),
    { dialect: vendor, sessionId: 9 },
  );
}

describe('bench controls over the loopback', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const bench of open.splice(0)) await bench.close();
  });

  it('benchInfo: the clock and, per set, vendor, start, seed, PPMID and the quirks in force', async () => {
    const elster = loopbackBench(true, 'elster', { '91342': false });
    open.push(elster);
    const set = (seed: number, quirks: string) => ({
      vendor: 'elster',
      installation: 'active',
      migrationState: 'dcc',
      seed,
      ppmid: true,
      quirks,
    });
    expect(await elster.client.request(EMULATOR, { type: 'benchInfo', firstSet: 0 })).toMatchObject({
      status: 'ok',
      body: { clock: 'harness', setCount: 2, sets: [set(5, ''), set(6, '')] },
    });
    // from set 1; past the last, none
    expect((await elster.client.request(EMULATOR, { type: 'benchInfo', firstSet: 1 })).body).toEqual({
      clock: 'harness',
      setCount: 2,
      sets: [set(6, '')],
    });
    expect((await elster.client.request(EMULATOR, { type: 'benchInfo', firstSet: 2 })).body).toEqual({
      clock: 'harness',
      setCount: 2,
      sets: [],
    });
    const itron = loopbackBench(false, 'itron');
    open.push(itron);
    const answer = await itron.client.request(EMULATOR, { type: 'benchInfo', firstSet: 0 });
    // Itron's defaults: 91333 and risk11 on (devices/quirks/registry.ts), 91342 is Elster's
    expect(answer.body).toEqual({
      clock: 'wall',
      setCount: 2,
      sets: [5, 6].map((seed) => ({
        vendor: 'itron',
        installation: 'active',
        migrationState: 'dcc',
        seed,
        ppmid: true,
        quirks: '91333,risk11',
      })),
    });
  });

  it('benchReset: a joined PPMID, its alerts and the virtual time are all back to the start', async () => {
    const bench = loopbackBench(true, 'elster');
    open.push(bench);
    const { client } = bench;
    // a fresh start has the devices' own timers (the ESME's half-hourly records …) pending: reset gives the same
    const fresh = (await client.request(EMULATOR, { type: 'clockStatus' })).body;
    expect(fresh).toMatchObject({ now: T0 });
    expect((await client.request(PPMID, { type: 'powerOn' })).status).toBe('ok');
    expect(
      (await client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: RTDS_CODE, joinPeriod: 255 }))
        .status,
    ).toBe('ok');
    // the PPMID retries its join every 60 s: by 2 minutes it is in
    expect((await client.request(EMULATOR, { type: 'advanceClock', to: T0 + 120_000 })).status).toBe('ok');
    const joined = await client.request(CH, { type: 'readDeviceLog' });
    expect(joined.body).toEqual({ entries: [...METERS, { deviceId: PPMID, joined: true }] });
    expect(bench.alerts.map((a) => a.alert.code)).toContain(0x8f49);

    expect(await client.request(EMULATOR, { type: 'benchReset' })).toEqual({
      type: 'response',
      message: 'benchReset',
      requestId: expect.any(Number),
      status: 'ok',
    });
    expect((await client.request(EMULATOR, { type: 'clockStatus' })).body).toEqual(fresh);
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: METERS });
    expect(bench.host.unacknowledgedAlerts).toEqual([]);
    // and it plays again as from a fresh start: powered on, added, joined at the same virtual times
    expect((await client.request(PPMID, { type: 'powerOn' })).status).toBe('ok');
    expect(
      (await client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: RTDS_CODE, joinPeriod: 255 }))
        .status,
    ).toBe('ok');
    expect((await client.request(EMULATOR, { type: 'advanceClock', to: T0 + 120_000 })).status).toBe('ok');
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({
      entries: [...METERS, { deviceId: PPMID, joined: true }],
    });
  });

  // A bench with other EUIs than the RTDS scheme (real devices'), an install code of its own, a quirk off, a slot that
  // starts with another party's certificate: the message written out by hand, not made by configureBody.
  const REAL = {
    CH: '00-11-22-33-44-55-66-02',
    ESME: '00-11-22-33-44-55-66-01',
    GSME: '00-11-22-33-44-55-66-03',
    PPMID: '00-11-22-33-44-55-66-04',
  };
  const PPMID_CODE = 'aabbccddeeff0011';
  const WRONG_DNO = '90-B3-D5-1F-30-02-00-09';
  const realBench = (overrides: Record<string, unknown> = {}) =>
    ({
      type: 'benchConfigure',
      sets: [
        {
          vendor: 'elster',
          installation: 'dormant',
          migrationState: 'smso',
          seed: 7,
          pki: 7,
          quirks: '',
          devices: [
            { role: 'CH', eui: REAL.CH, installCode: '' },
            { role: 'ESME', eui: REAL.ESME, installCode: RTDS_CODE },
            { role: 'GSME', eui: REAL.GSME, installCode: RTDS_CODE },
            { role: 'PPMID', eui: REAL.PPMID, installCode: PPMID_CODE },
          ],
          slots: [{ role: 'ESME', slot: 'networkOperator', party: WRONG_DNO }],
          ...overrides,
        },
      ],
      // the refusal cases override fields with values the message's type forbids, as a peer may send them
    }) as CommandInput<'benchConfigure'>;

  it('benchConfigure: an Itron emulator becomes an Elster bench at other EUIs, with its install code, quirks, start and slots', async () => {
    const bench = loopbackBench(true, 'itron');
    open.push(bench);
    const { client } = bench;
    expect((await client.request(EMULATOR, realBench())).status).toBe('ok');
    expect((await client.request(EMULATOR, { type: 'benchInfo', firstSet: 0 })).body).toEqual({
      clock: 'harness',
      setCount: 1,
      sets: [{ vendor: 'elster', installation: 'dormant', migrationState: 'smso', seed: 7, ppmid: true, quirks: '' }],
    });
    // the devices are at the new EUIs, of the new vendor; the old ones are gone
    expect((await client.request(REAL.CH, { type: 'readDeviceInfo' })).body).toMatchObject({
      deviceType: 'CH',
      vendor: 'elster',
      migrationState: 'smso',
    });
    expect((await client.request(CH, { type: 'readDeviceInfo' })).status).toBe('unknownDevice');
    // the ESME's network-operator slot (role 3) holds the wrong DNO's certificate, its supplier slot (2) the PKI's own
    const holder = async (role: number) =>
      parseCertificate(
        ((await client.request(REAL.ESME, { type: 'readCredentials', role })).body as { certificate: string })
          .certificate,
      ).entityId;
    expect(await holder(3)).toBe(WRONG_DNO);
    expect(await holder(2)).not.toBe(WRONG_DNO);
    // 91342 off on an Elster CH: a 300 s window is taken; the PPMID joins with its own install code
    expect((await client.request(REAL.PPMID, { type: 'powerOn' })).status).toBe('ok');
    expect(
      (
        await client.request(REAL.CH, {
          type: 'hanLogAdd',
          deviceId: REAL.PPMID,
          installCode: PPMID_CODE,
          joinPeriod: 300,
        })
      ).status,
    ).toBe('ok');
    expect((await client.request(EMULATOR, { type: 'advanceClock', to: T0 + 120_000 })).status).toBe('ok');
    expect((await client.request(REAL.CH, { type: 'readDeviceLog' })).body).toEqual({
      entries: [
        { deviceId: REAL.ESME, joined: true },
        { deviceId: REAL.GSME, joined: true },
        { deviceId: REAL.PPMID, joined: true },
      ],
    });
    // a reset returns to the configured bench, at its start (and virtual time back to T0)
    expect((await client.request(EMULATOR, { type: 'benchReset' })).status).toBe('ok');
    expect((await client.request(EMULATOR, { type: 'clockStatus' })).body).toMatchObject({ now: T0 });
    expect((await client.request(REAL.CH, { type: 'readDeviceLog' })).body).toEqual({
      entries: [
        { deviceId: REAL.ESME, joined: true },
        { deviceId: REAL.GSME, joined: true },
      ],
    });
  });

  it('benchConfigure of a bench it cannot be is refused invalidParameter, and the bench stays as it was', async () => {
    const bench = loopbackBench(true, 'elster');
    open.push(bench);
    const { client } = bench;
    const drops: string[] = [];
    bench.host.on('drop', (drop) => drops.push('detail' in drop ? drop.detail : ''));
    const refusals: [Record<string, unknown>, string][] = [
      [{ quirks: '91333' }, '"91333" is no quirk of elster devices'],
      [
        {
          devices: [
            { role: 'CH', eui: REAL.CH, installCode: '' },
            { role: 'ESME', eui: REAL.ESME, installCode: RTDS_CODE },
          ],
        },
        'set 0: no GSME',
      ],
      [
        {
          devices: [
            { role: 'CH', eui: REAL.CH, installCode: '' },
            { role: 'ESME', eui: REAL.CH, installCode: RTDS_CODE },
            { role: 'GSME', eui: REAL.GSME, installCode: RTDS_CODE },
          ],
        },
        `EUI ${REAL.CH} is the CH of set 0 too`,
      ],
      [
        {
          devices: [
            { role: 'CH', eui: REAL.CH, installCode: '' },
            { role: 'ESME', eui: REAL.ESME, installCode: '0011' },
            { role: 'GSME', eui: REAL.GSME, installCode: RTDS_CODE },
          ],
        },
        'ESME install code "0011" is not 6–16 bytes of hex',
      ],
      [
        {
          slots: [{ role: 'PPMID', slot: 'supplier', party: WRONG_DNO }],
          devices: [
            { role: 'CH', eui: REAL.CH, installCode: '' },
            { role: 'ESME', eui: REAL.ESME, installCode: RTDS_CODE },
            { role: 'GSME', eui: REAL.GSME, installCode: RTDS_CODE },
          ],
        },
        'a supplier slot of the PPMID, which the set does not have',
      ],
    ];
    for (const [change, why] of refusals) {
      expect((await client.request(EMULATOR, realBench(change))).status).toBe('invalidParameter');
      expect(drops.at(-1)).toContain(why);
    }
    expect((await client.request(EMULATOR, { type: 'benchConfigure', sets: [] })).status).toBe('invalidParameter');
    // still the two Elster sets it started with
    expect((await client.request(CH, { type: 'readDeviceInfo' })).body).toMatchObject({
      deviceType: 'CH',
      vendor: 'elster',
    });
    expect((await client.request(EMULATOR, { type: 'benchInfo', firstSet: 0 })).body).toMatchObject({ setCount: 2 });
  });

  it('benchReset withdraws alerts the harness has not acknowledged: none reaches the next session', async () => {
    const bench = loopbackBench(false, 'elster');
    open.push(bench);
    // a harness that acknowledges nothing: the alerts of the 8.11 refusal (91342: 300 s) wait in the queue
    bench.host.detach();
    const refused = bench.host.command(CH, {
      type: 'hanLogAdd',
      deviceId: PPMID,
      installCode: RTDS_CODE,
      joinPeriod: 300,
    });
    expect((await refused).status).toBe('invalidParameter');
    expect(bench.host.unacknowledgedAlerts.map((a) => a.code)).toEqual([0x8f48]);
    expect(bench.host.reset()).toBe(true);
    expect(bench.host.unacknowledgedAlerts).toEqual([]);
    expect(bench.host.endpoint.link.pendingSends).toBe(0);
  });
});

describe('benchConfigure with --state', () => {
  it('is unsupported: the state directory describes the sets served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-configure-'));
    try {
      const child = await startEmulator(['--vendor', 'elster', '--state', dir]);
      const harness = await connectHarness(child.port, 'elster');
      const answer = await harness.client.request(EMULATOR, {
        type: 'benchConfigure',
        sets: [
          {
            vendor: 'itron',
            installation: 'active',
            migrationState: 'dcc',
            seed: 1,
            pki: 1,
            quirks: '',
            devices: [
              { role: 'CH', eui: CH, installCode: '' },
              { role: 'ESME', eui: '00-DB-12-34-56-78-90-A0', installCode: RTDS_CODE },
              { role: 'GSME', eui: '00-DB-12-34-56-78-90-A1', installCode: RTDS_CODE },
            ],
            slots: [],
          },
        ],
      });
      expect(answer.status).toBe('unsupported');
      expect((await harness.client.request(CH, { type: 'readDeviceInfo' })).body).toMatchObject({ vendor: 'elster' });
      await harness.close();
      child.process.kill('SIGTERM');
      await child.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('benchReset with --state', () => {
  it('writes the reset sets: an emulator restarted from the directory has them, not the state before the reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-reset-'));
    const start = () => startEmulator(['--vendor', 'elster', '--state', dir]);
    try {
      const first = await start();
      const harness = await connectHarness(first.port, 'elster');
      expect(
        (
          await harness.client.request(CH, {
            type: 'hanLogAdd',
            deviceId: PPMID,
            installCode: RTDS_CODE,
            joinPeriod: 255,
          })
        ).status,
      ).toBe('ok');
      expect((await harness.client.request(CH, { type: 'readDeviceLog' })).body).toEqual({
        entries: [...METERS, { deviceId: PPMID, joined: false }],
      });
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

/**
 * linkFault (docs/protocol.md "Bench controls"): the emulator's side of the device line cut or lossy, the bench's own
 * controls untouched. Both link layers on the wall clock with a 50 ms ack timeout (a request to a device on a cut line
 * fails after 4 × 50 ms), the devices on virtual time moved by advanceClock, as `smets1 emulate --clock harness` runs.
 */
describe('linkFault over the loopback', () => {
  const ESME = '00-DB-12-34-56-78-90-A0';
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const bench of open.splice(0)) await bench.close();
  });

  function faultBench() {
    const sets = benchSets({ vendor: 'elster', seed: 1 }).map((set) => ({ ...set, migrationState: 'dcc' as const }));
    const loopback = loopbackEmulator(
      (wall) => ({ clock: new VirtualClock(T0), linkClock: wall, harnessDriven: true, sets, link: { ackTimeout: 50 } }),
      { dialect: 'elster', sessionId: 9, ackTimeout: 50 },
    );
    const { host, client, alerts } = loopback;
    const drops: string[] = [];
    host.on('drop', (drop) => drops.push('detail' in drop ? (drop.detail ?? '') : ''));
    const bench = {
      host,
      client,
      alerts,
      drops,
      fault: (
        fields: Partial<
          Record<'disconnect' | 'dropWriteRate' | 'corruptWriteRate' | 'corruptByteRate' | 'seed', number>
        >,
      ) =>
        client.request(EMULATOR, {
          type: 'linkFault',
          disconnect: 0,
          dropWriteRate: 0,
          corruptWriteRate: 0,
          corruptByteRate: 0,
          seed: 1,
          ...fields,
        }),
      close: loopback.close,
    };
    open.push(bench);
    return bench;
  }

  it('a cut: commands to the devices go unacknowledged and their alerts wait, while the clock controls pass; it ends after its time', async () => {
    const { client, alerts, host, fault } = faultBench();
    // 200 V on an Elster ESME: the sag alert 0x802C 60 s later (207 V for 60 s; packs/links/link-faults.yaml)
    expect((await client.request(ESME, { type: 'mainsVoltage', voltage: 200 })).status).toBe('ok');
    expect((await fault({ disconnect: 90_000 })).status).toBe('ok');
    // the device line is cut: the command is sent 4 times, never acknowledged
    await expect(client.request(CH, { type: 'readDeviceLog' })).rejects.toThrow(/no ack .* after 4 tries/);
    // the clock controls pass, and an advance past the alert is answered though the alert cannot be acknowledged
    expect((await client.request(EMULATOR, { type: 'advanceClock', to: T0 + 80_000 })).status).toBe('ok');
    expect(host.unacknowledgedAlerts.map((a) => a.code)).toEqual([0x802c]);
    expect(alerts).toEqual([]);
    // 90 s after the control the line is back: the advance that gets there waits for the alert, which arrives, stamped 60 s in
    expect((await client.request(EMULATOR, { type: 'advanceClock', to: T0 + 90_000 })).status).toBe('ok');
    expect(alerts.map((a) => [a.source, a.alert.code, a.alert.at])).toEqual([[ESME, 0x802c, T0 + 60_000]]);
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: METERS });
  });

  it('benchReset ends a cut', async () => {
    const { client, fault } = faultBench();
    expect((await fault({ disconnect: 60_000 })).status).toBe('ok');
    await expect(client.request(CH, { type: 'readDeviceLog' })).rejects.toThrow(/no ack/);
    expect((await client.request(EMULATOR, { type: 'benchReset' })).status).toBe('ok');
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: METERS });
  });

  it('rates: every device frame lost at 1, the bench controls untouched; back to 0, the devices answer; over 1 refused, named', async () => {
    const { client, fault, drops } = faultBench();
    expect((await fault({ dropWriteRate: 1 })).status).toBe('ok');
    await expect(client.request(CH, { type: 'readDeviceLog' })).rejects.toThrow(/no ack/);
    expect((await client.request(EMULATOR, { type: 'clockStatus' })).body).toMatchObject({ now: T0 });
    expect((await fault({ dropWriteRate: 0 })).status).toBe('ok');
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: METERS });
    // 1.5 travels as 1500 thousandths: the emulator refuses it, naming the knob
    expect((await fault({ corruptWriteRate: 1.5 })).status).toBe('invalidParameter');
    expect(drops.at(-1)).toBe('linkFault refused: corruptWriteRate must be in [0, 1], got 1.5');
    expect((await client.request(CH, { type: 'readDeviceLog' })).body).toEqual({ entries: METERS });
  });
});
