/**
 * The clock controls (docs/protocol.md "Virtual time"): an emulator whose devices run on a VirtualClock the harness
 * moves over the link (`smets1 emulate --clock harness`), its link layer on the wall clock. In-process over the
 * loopback first (exact answers), then `smets1 emulate` in a child process with a DuisBench in lockstep (the errors).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { benchSets } from '../../emulator/host/benchConfig';
import type { DeviceHostOptions } from '../../emulator/host/deviceHost';
import { DuisBench } from '../../harness/bench/duisBench';
import { Lockstep } from '../../harness/bench/lockstep';
import { startEmulator, type Child } from './childEmulator';
import { loopbackEmulator } from './loopbackEmulator';

/** The emulator's own address (docs/protocol.md "Virtual time"), written out rather than imported. */
const EMULATOR = '00-00-00-00-00-00-00-02';
const T0 = Date.UTC(2026, 0, 1); // where --clock harness starts
const MIN = 60_000;

/** A harness-driven host (or a wall-clock one) and a harness over the loopback, both link layers on the wall clock. */
function loopbackBench(harnessDriven: boolean, restore?: DeviceHostOptions['restore']) {
  const sets = benchSets({ vendor: 'elster', seed: 1 });
  const bench = loopbackEmulator(
    (wall) => ({ clock: harnessDriven ? new VirtualClock() : wall, linkClock: wall, harnessDriven, sets, restore }),
    { dialect: 'elster', sessionId: 7 },
  );
  return { ...bench, euis: sets[0]!.euis };
}

describe('clock controls over the loopback', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const bench of open.splice(0)) await bench.close();
  });

  it('clockStatus: the epoch, and the next device timer (the ESME half-hourly record, then the PPMID retry)', async () => {
    const bench = loopbackBench(true);
    open.push(bench);
    expect((await bench.client.request(EMULATOR, { type: 'clockStatus' })).body).toEqual({
      now: T0,
      nextDue: T0 + 30 * MIN,
    });
    // Powered on, the PPMID tries to join at once (refused: not in the CH's log, 0x8F48) and again in 60 s.
    expect((await bench.client.request(bench.euis.PPMID!, { type: 'powerOn' })).status).toBe('ok');
    expect((await bench.client.request(EMULATOR, { type: 'clockStatus' })).body).toEqual({
      now: T0,
      nextDue: T0 + MIN,
    });
  });

  it('advanceClock runs the device timers to `to` and is answered after the alerts they raised, stamped when raised', async () => {
    const bench = loopbackBench(true);
    open.push(bench);
    await bench.client.request(bench.euis.PPMID!, { type: 'powerOn' });
    const advanced = bench.client.request(EMULATOR, { type: 'advanceClock', to: T0 + 2.5 * MIN });
    let alertsAtAnswer: string[] = [];
    const answer = await advanced.then((response) => {
      alertsAtAnswer = bench.alerts.map(
        ({ source, alert }) => `${source} ${alert.code.toString(16)} ${(alert.at - T0) / 1000}`,
      );
      return response;
    });
    expect(answer).toMatchObject({ status: 'ok', body: { now: T0 + 2.5 * MIN, nextDue: T0 + 3 * MIN } });
    // The attempts at 0, 60 and 120 s, each refused by the CH: every one in before the answer.
    expect(alertsAtAnswer).toEqual([
      `${bench.euis.CH} 8f48 0`,
      `${bench.euis.CH} 8f48 60`,
      `${bench.euis.CH} 8f48 120`,
    ]);
    // Advancing to now fires nothing and says where things stand.
    expect((await bench.client.request(EMULATOR, { type: 'advanceClock', to: T0 + 2.5 * MIN })).body).toEqual({
      now: T0 + 2.5 * MIN,
      nextDue: T0 + 3 * MIN,
    });
    expect(bench.alerts).toHaveLength(3);
  });

  it('refuses a `to` before its now (invalidParameter) and stays where it was', async () => {
    const bench = loopbackBench(true);
    open.push(bench);
    await bench.client.request(EMULATOR, { type: 'advanceClock', to: T0 + MIN });
    expect((await bench.client.request(EMULATOR, { type: 'advanceClock', to: T0 + MIN - 1 })).status).toBe(
      'invalidParameter',
    );
    expect((await bench.client.request(EMULATOR, { type: 'clockStatus' })).body).toEqual({
      now: T0 + MIN,
      nextDue: T0 + 30 * MIN,
    });
  });

  // Issue 14 item 3: past 2106-02-07T06:28:15Z an alert's `at` (u32 seconds) cannot be encoded. An advance there used
  // to run 80 years of device timers; the alert of a hanLogAdd then stayed pending and wedged every later advance.
  it('refuses an advance past the last wire time (invalidParameter); a hanLogAdd and the next advance are then answered', async () => {
    const bench = loopbackBench(true);
    open.push(bench);
    expect(
      (await bench.client.request(EMULATOR, { type: 'advanceClock', to: Date.UTC(2106, 1, 7, 6, 28, 16) })).status,
    ).toBe('invalidParameter');
    expect((await bench.client.request(EMULATOR, { type: 'clockStatus' })).body).toEqual({
      now: T0,
      nextDue: T0 + 30 * MIN,
    });
    const add = {
      type: 'hanLogAdd' as const,
      deviceId: bench.euis.PPMID!,
      installCode: '30313233343536373839414243444546',
      joinPeriod: 60,
    };
    expect((await bench.client.request(bench.euis.CH!, add)).status).toBe('ok');
    expect((await bench.client.request(EMULATOR, { type: 'advanceClock', to: T0 + MIN })).body).toEqual({
      now: T0 + MIN,
      nextDue: T0 + 30 * MIN,
    });
    expect(bench.alerts.map(({ alert }) => [alert.code, alert.at])).toEqual([[0x8f12, T0]]);
    // A harness in lockstep says why.
    await expect(
      Lockstep.connect(bench.client, bench.endpoint, bench.wall, 'loopback', Date.UTC(2106, 1, 7, 6, 28, 16)),
    ).rejects.toThrow(
      'lockstep on loopback: advanceClock for the start 2106-02-07T06:28:16.000Z answered invalidParameter: past 2106-02-07T06:28:15.999Z, the last time an alert can carry on the wire',
    );
  });

  it('a queued alert the wire cannot carry (restored from an old state) is discarded and logged, never holding an advance', async () => {
    const CH = '00-DB-12-34-56-78-90-A2';
    const queued = { source: CH, destination: '00-00-00-00-00-00-00-01', code: 0x8f12 };
    const bench = loopbackBench(true, {
      snapshots: [],
      pendingAlerts: [
        { ...queued, id: 1, at: Date.UTC(2106, 1, 7, 6, 28, 16), payload: '' },
        { ...queued, id: 2, at: T0, payload: '00'.repeat(300) },
      ],
      nextAlertId: 3,
    });
    open.push(bench);
    expect((await bench.client.request(EMULATOR, { type: 'advanceClock', to: T0 + MIN })).body).toEqual({
      now: T0 + MIN,
      nextDue: T0 + 30 * MIN,
    });
    expect(bench.alerts).toEqual([]);
    expect(bench.drops.map((drop) => (drop.reason === 'malformed' ? drop.detail : drop.reason))).toEqual([
      `alert 0x8F12 from ${CH} discarded: it cannot be encoded: alert.at: 4294967296 is not an integer 0–4294967295 (u32, elster dialect)`,
      `alert 0x8F12 from ${CH} discarded: it cannot be encoded: alert.payload: "300 bytes" is not at most 255 bytes`,
    ]);
  });

  // Issue 14 item 6: the harness side of a bounded advance. A start 120 days on is one advance of 11,520 timers (the
  // ESME's and the GSME's half-hourly records), answered 10,000 at a time: the lockstep asks again from where it stopped.
  it('a lockstep start 120 days on carries on through the partial answers to the day', async () => {
    const bench = loopbackBench(true);
    open.push(bench);
    const START = T0 + 120 * 24 * 60 * MIN;
    const { lockstep } = await Lockstep.connect(bench.client, bench.endpoint, bench.wall, 'loopback', START);
    expect(lockstep.clock.now()).toBe(START);
    expect((await bench.client.request(EMULATOR, { type: 'clockStatus' })).body).toEqual({
      now: START,
      nextDue: START + 30 * MIN,
    });
  }, 60_000);

  it('an emulator on the wall clock answers both unsupported', async () => {
    const bench = loopbackBench(false);
    open.push(bench);
    expect((await bench.client.request(EMULATOR, { type: 'clockStatus' })).status).toBe('unsupported');
    expect((await bench.client.request(EMULATOR, { type: 'advanceClock', to: T0 + MIN })).status).toBe('unsupported');
  });
});

describe('a DuisBench in lockstep with smets1 emulate in another process', () => {
  let child: Child | undefined;
  afterEach(async () => {
    if (child && child.process.exitCode === null) {
      child.process.kill('SIGCONT');
      child.process.kill('SIGKILL');
      await child.exited;
    }
    child = undefined;
  });

  it('refuses an emulator on the wall clock, saying how to start one on the harness clock', async () => {
    child = await startEmulator(['--vendor', 'elster']);
    await expect(
      DuisBench.start({ vendor: 'elster', link: `tcp:127.0.0.1:${child.port}`, clock: 'harness' }),
    ).rejects.toThrow(
      `lockstep on tcp:127.0.0.1:${child.port}: clockStatus for the session start answered unsupported: the emulator runs on the wall clock (start it with \`smets1 emulate --clock harness\`)`,
    );
  });

  it("starts at the emulator's time, and refuses a start before it (one emulator, a second harness)", async () => {
    child = await startEmulator(['--vendor', 'elster', '--clock', 'harness']);
    const link = `tcp:127.0.0.1:${child.port}`;
    const first = await DuisBench.start({ vendor: 'elster', link, clock: 'harness' });
    expect(first.clock.now()).toBe(T0);
    await first.advance(MIN);
    expect(first.clock.now()).toBe(T0 + MIN);
    await first.close();
    await expect(DuisBench.start({ vendor: 'elster', link, clock: 'harness', startMs: T0 })).rejects.toThrow(
      `lockstep on ${link}: the emulator's virtual time is already 2026-01-01T00:01:00.000Z, after this run's start 2026-01-01T00:00:00.000Z (restart the emulator)`,
    );
    // Without a start of its own a harness carries on where the emulator stands.
    const second = await DuisBench.start({ vendor: 'elster', link, clock: 'harness' });
    expect(second.clock.now()).toBe(T0 + MIN);
    await second.close();
  });

  it("an advance the emulator never answers fails after the link layer's retries, naming the step", async () => {
    child = await startEmulator(['--vendor', 'elster', '--clock', 'harness']);
    const link = `tcp:127.0.0.1:${child.port}`;
    const bench = await DuisBench.start({ vendor: 'elster', link, clock: 'harness' });
    child.process.kill('SIGSTOP'); // frozen: the TCP connection stays up, nothing answers
    try {
      await expect(bench.advance(MIN)).rejects.toThrow(
        new RegExp(
          `^lockstep on ${link.replace(/\./g, '\\.')}: advanceClock for 60000 ms to pass \\(to 2026-01-01T00:01:00\\.000Z\\) got no answer: .*no ack .* after 4 tries of 1000 ms`,
        ),
      );
    } finally {
      child.process.kill('SIGCONT');
      await bench.close();
    }
  }, 30_000);
});
