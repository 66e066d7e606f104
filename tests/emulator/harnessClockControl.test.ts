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
    const first = control.handle({ type: 'advanceClock', to: T0 + 60_000 }).then((answer) => ((answered = true), answer));
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
    expect(await control.handle({ type: 'advanceClock', to: T0 + 2_000 })).toEqual({ status: 'ok', body: { now: T0 + 2_000, nextDue: 0 } });
  });

  it('anything else sent to the emulator itself is unsupported', async () => {
    const control = new HarnessClockControl(new VirtualClock(), () => Promise.resolve());
    expect(await control.handle({ type: 'powerOn' })).toEqual({ status: 'unsupported' });
  });
});
