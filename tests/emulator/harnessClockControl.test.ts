// The emulator's clock controls on their own (emulator/host/harnessClockControl.ts): the answers the loopback and
// child-process tests cannot provoke on demand — an advance while another waits, a device timer that throws.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { HarnessClockControl } from '../../emulator/host/harnessClockControl';

const T0 = Date.UTC(2026, 0, 1);

describe('HarnessClockControl', () => {
  it('answers an advance only once the alerts are acknowledged, and refuses a second one meanwhile (busy)', async () => {
    const clock = new VirtualClock();
    let acknowledge!: () => void;
    const control = new HarnessClockControl(clock, () => new Promise<void>((resolve) => (acknowledge = resolve)));
    clock.setTimeout(() => {}, 90_000);
    let answered = false;
    const first = control
      .handle({ type: 'advanceClock', to: T0 + 60_000 })
      .then((answer) => ((answered = true), answer));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.now()).toBe(T0 + 60_000); // the timers have run ...
    expect(answered).toBe(false); // ... but an alert is still unacknowledged
    expect(await control.handle({ type: 'advanceClock', to: T0 + 120_000 })).toEqual({ status: 'busy' });
    acknowledge();
    expect(await first).toEqual({ status: 'ok', body: { now: T0 + 60_000, nextDue: T0 + 90_000 } });
  });

  it('a device timer that throws is answered internalError, and the next advance is taken', async () => {
    const clock = new VirtualClock();
    const control = new HarnessClockControl(clock, () => Promise.resolve());
    clock.setTimeout(() => {
      throw new Error('a device timer failed');
    }, 1_000);
    expect(await control.handle({ type: 'advanceClock', to: T0 + 2_000 })).toEqual({ status: 'internalError' });
    expect(await control.handle({ type: 'advanceClock', to: T0 + 2_000 })).toEqual({
      status: 'ok',
      body: { now: T0 + 2_000, nextDue: 0 },
    });
  });

  // Issue 14 item 3: alerts carry `at` in whole seconds in a u32, so the devices' time must not pass its last second.
  it('refuses an advance past 2106-02-07T06:28:15.999Z (invalidParameter) and stays where it was; up to it is taken', async () => {
    const clock = new VirtualClock();
    const control = new HarnessClockControl(clock, () => Promise.resolve());
    expect(await control.handle({ type: 'advanceClock', to: Date.UTC(2106, 1, 7, 6, 28, 16) })).toEqual({
      status: 'invalidParameter',
    });
    expect(await control.handle({ type: 'advanceClock', to: 2 ** 48 - 1 })).toEqual({ status: 'invalidParameter' });
    expect(await control.handle({ type: 'clockStatus' })).toEqual({ status: 'ok', body: { now: T0, nextDue: 0 } });
    // Nothing due: the 80 idle years are one step.
    expect(await control.handle({ type: 'advanceClock', to: 4_294_967_295_999 })).toEqual({
      status: 'ok',
      body: { now: 4_294_967_295_999, nextDue: 0 },
    });
  });

  // Issue 14 item 6: a far advance over a timer that re-arms itself is answered part of the way, 10,000 timers at most.
  it('fires at most 10,000 timers an advance, answering where it stopped; the next advance carries on', async () => {
    const clock = new VirtualClock();
    const control = new HarnessClockControl(clock, () => Promise.resolve());
    const HALF_HOUR = 30 * 60_000;
    const fired: number[] = [];
    const record = () => {
      fired.push(clock.now());
      clock.setTimeout(record, HALF_HOUR);
    };
    clock.setTimeout(record, HALF_HOUR);
    const YEAR = T0 + 365 * 24 * 3_600_000; // 17,520 half hours
    expect(await control.handle({ type: 'advanceClock', to: YEAR })).toEqual({
      status: 'ok',
      body: { now: T0 + 10_000 * HALF_HOUR, nextDue: T0 + 10_001 * HALF_HOUR },
    });
    expect(fired).toHaveLength(10_000);
    expect(await control.handle({ type: 'advanceClock', to: YEAR })).toEqual({
      status: 'ok',
      body: { now: YEAR, nextDue: YEAR + HALF_HOUR },
    });
    expect(fired).toHaveLength(17_520);
    expect(fired.at(-1)).toBe(YEAR);
  });

  it('anything else sent to the emulator itself is unsupported', async () => {
    const control = new HarnessClockControl(new VirtualClock(), () => Promise.resolve());
    expect(await control.handle({ type: 'powerOn' })).toEqual({ status: 'unsupported' });
  });
});
