/**
 * ESME state over long runs and across persistence: 30 days of network data (SR 4.10), and a persisted snapshot
 * taken mid-period and mid-excursion, round-tripped through JSON, giving the same later alerts and records.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { deviceSetMachine, type DeviceSetEmitted } from '../../devices/set';
import { EsmeAlert } from '../../devices/esme/esmeProfile';
import { elsterProfile } from '../../devices/profiles';
import { VirtualClock } from '../../emulator/clock';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const S = 1000;
const DAY = 24 * 3600 * S;
const input = { eui: ESME, profile: elsterProfile, credentials: initialSlots, seed: 1 };

const startEsme = () => startDevice(esmeMachine, input);
type Esme = ReturnType<typeof startEsme>;

function voltageAt(esme: Esme, atSeconds: number, voltage: number): void {
  esme.clock.advanceToSync(T0 + atSeconds * S);
  expect(esme.command('mainsVoltage', { voltage }).status).toBe('ok');
}

interface NetworkData {
  records: { at: number; averageRmsVoltage: number }[];
}
const readNetworkData = (esme: Esme, from: number, to: number) =>
  (esme.command('readNetworkData', { from, to }).body as NetworkData).records;

/** Persists the actor through JSON, stops it, and starts a new one from the text on a clock at `restoreAt`. */
function persistAndRestore(esme: Esme, restoreAt = esme.clock.now()): Esme {
  const text = JSON.stringify(esme.actor.getPersistedSnapshot());
  esme.actor.stop();
  return startDevice(esmeMachine, input, { clock: new VirtualClock(restoreAt), snapshot: JSON.parse(text) });
}

describe('network data (SR 4.10): one record per 30 minutes', () => {
  it('30 days give 1,440 records; after 31 days the retention keeps the newest 1,440', () => {
    const esme = startEsme();
    voltageAt(esme, 0, 231.4);
    esme.clock.advanceToSync(T0 + 30 * DAY);
    const month = readNetworkData(esme, T0, T0 + 30 * DAY);
    expect(month).toHaveLength(1440);
    expect(month[0]).toEqual({ at: T0 + 1800 * S, averageRmsVoltage: 231.4 });
    expect(month[1439].at).toBe(T0 + 30 * DAY);

    esme.clock.advanceToSync(T0 + 31 * DAY);
    const kept = readNetworkData(esme, T0, T0 + 31 * DAY);
    expect(kept).toHaveLength(1440);
    expect(kept[0].at).toBe(T0 + DAY + 1800 * S);
  });

  it('reads a time range, both ends inclusive', () => {
    const esme = startEsme();
    esme.clock.advanceToSync(T0 + 4 * 3600 * S);
    expect(readNetworkData(esme, T0 + 3600 * S, T0 + 7200 * S).map((record) => (record.at - T0) / S)).toEqual([
      3600, 5400, 7200,
    ]);
  });
});

describe('persisted snapshot round trip (JSON)', () => {
  /** 210 V from 300 s, a 200 V sag 1000–1100 s, 230 V from 4500 s. */
  function drive(esme: Esme, fromSeconds: number): void {
    const steps: [number, number][] = [
      [300, 210],
      [1000, 200],
      [1100, 210],
      [4500, 230],
    ];
    for (const [at, voltage] of steps) if (at >= fromSeconds) voltageAt(esme, at, voltage);
    esme.clock.advanceToSync(T0 + 7200 * S);
  }

  it('restored mid-period and mid-sag, it raises the same alerts at the same times as an uninterrupted meter', () => {
    const reference = startEsme();
    drive(reference, 0);

    const before = startEsme();
    voltageAt(before, 300, 210);
    voltageAt(before, 1000, 200);
    before.clock.advanceToSync(T0 + 1030 * S); // 30 s into the sag, 1,030 s into the first period
    const restored = persistAndRestore(before);
    drive(restored, 1030);

    const expected = [
      { code: EsmeAlert.sag, at: 1060 },
      { code: EsmeAlert.sagReturned, at: 1160 }, // back within from 1100 s for the 60 s sag period
      { code: EsmeAlert.averageUnderVoltage, at: 1800 }, // (300×230 + 700×210 + 100×200 + 700×210) / 1800 = 212.8
      { code: EsmeAlert.averageUnderVoltageReturned, at: 5400 },
    ];
    const asSeconds = (esme: Esme) => esme.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }));
    expect(asSeconds(reference)).toEqual(expected);
    expect(asSeconds(restored)).toEqual(expected);
    expect(readNetworkData(restored, T0, T0 + 7200 * S)).toEqual(readNetworkData(reference, T0, T0 + 7200 * S));
    expect(restored.actor.getSnapshot().context.logs).toEqual(reference.actor.getSnapshot().context.logs);
  });

  it('the persisted snapshot is plain JSON: it survives a second round trip unchanged', () => {
    const esme = startEsme();
    voltageAt(esme, 1000, 200);
    esme.clock.advanceToSync(T0 + 1030 * S);
    const once = JSON.stringify(esme.actor.getPersistedSnapshot());
    const restored = persistAndRestore(esme);
    expect(JSON.stringify(restored.actor.getPersistedSnapshot())).toBe(once);
  });

  it('restored after its deadlines passed, the overdue period ends at its nominal time and the next ones stay aligned', () => {
    const esme = startEsme();
    voltageAt(esme, 0, 210);
    esme.clock.advanceToSync(T0 + 1000 * S);
    const restored = persistAndRestore(esme, T0 + 2000 * S); // down from 1,000 s to 2,000 s
    restored.clock.advanceToSync(T0 + 3600 * S);
    expect(readNetworkData(restored, T0, T0 + 3600 * S)).toEqual([
      { at: T0 + 1800 * S, averageRmsVoltage: 210 },
      { at: T0 + 3600 * S, averageRmsVoltage: 210 },
    ]);
    // the overdue alert is raised when the restored meter catches up, at 2,000 s
    expect(restored.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }))).toEqual([
      { code: EsmeAlert.averageUnderVoltage, at: 2000 },
    ]);
  });

  it("inside a device set (as the emulator persists it): a restored set fires the ESME's pending sag alert on time", () => {
    const setInput = { vendor: 'elster' as const, credentials: initialSlots, seed: 1 }; // default thresholds: sag 207 V for 60 s
    const clock = new VirtualClock(T0);
    const set = createActor(deviceSetMachine, { input: setInput, clock }).start();
    clock.advanceToSync(T0 + 100 * S);
    set.send({ type: 'command', to: ESME, command: { type: 'mainsVoltage', requestId: 'v1', voltage: 200 } });
    clock.advanceToSync(T0 + 130 * S);
    const text = JSON.stringify(set.getPersistedSnapshot());
    set.stop();

    const laterClock = new VirtualClock(T0 + 130 * S);
    const restored = createActor(deviceSetMachine, { input: setInput, clock: laterClock, snapshot: JSON.parse(text) });
    const alerts: DeviceSetEmitted[] = [];
    restored.on('alert', (alert) => alerts.push(alert));
    restored.start();
    laterClock.advanceToSync(T0 + 200 * S);
    expect(alerts).toEqual([{ type: 'alert', code: EsmeAlert.sag, at: T0 + 160 * S, source: ESME }]);
  });
});
