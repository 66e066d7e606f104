/**
 * FROZEN: devices/esme/metering.ts as of commit 61c8cbca210254b812b6ce47e51fc86d193240c1, before the ESME's limit detectors became context
 * (devices/esme/limitDetectors.ts). Kept only for legacyEsmeMachine.ts, the oracle of tests/devices/esmeDifferential.test.ts;
 * never imported by the emulator. Do not change it to follow the new code: it is the reference it is checked against.
 */
/**
 * The metering cycle: what happens when metering starts and stops (power, dumb mode), at the end of each
 * measurement period and network-data interval, and when a detector's timer is armed. Pure handlers and
 * functions; esmeMachine.ts wires them to its regions.
 *
 * Alignment: both the measurement periods (SR 6.5 averageMeasurementPeriod) and the network-data intervals
 * (profile, 30 min) are aligned to the instant metering started: actor start, the end of a power cut, or the
 * return from dumb mode; an accepted voltageConfig restarts the measurement periods from its own instant.
 * Each period ends at its nominal due time even if the timer fires late (a wall clock, or an actor restored
 * after its deadline), so periods never drift.
 */
import type { AnyEventObject } from 'xstate';
import type { ContextHandler } from '../../../devices/common/outcome';
import { noDeadlines, type EsmeContext, type TimerName } from '../../../devices/esme/esmeContext';
import { appendRecord } from '../../../devices/esme/networkData';
import { openWindow, windowAverage, type AveragingWindow } from '../../../devices/esme/timeWeightedAverage';
import { excursionPeriodMs, type ExcursionName } from '../../../devices/esme/voltageExcursions';

/** Metering only patches the context, so its actions are plain assigns (patchContext): the timers fire all day. */
type MeteringHandler = ContextHandler<EsmeContext, AnyEventObject>;

/** Timers armed when a detector's condition begins or clears: an excursion's, the power factor's or the load limit's period. */
export type DetectorTimer = ExcursionName | 'powerFactor' | 'loadLimit';

/** Every metering timer cleared; the prepayment credit's (not a metering timer: it runs while dumb) kept. */
function meteringCleared(deadlines: EsmeContext['deadlines']): EsmeContext['deadlines'] {
  return { ...noDeadlines, creditExhaustion: deadlines.creditExhaustion };
}

export const startMetering: MeteringHandler = ({ context, now }) => ({
  context: {
    averagingWindow: openWindow(now, context.mainsVoltage),
    networkDataWindow: openWindow(now, context.mainsVoltage),
    lastAverageRmsVoltage: null,
    deadlines: {
      ...meteringCleared(context.deadlines),
      averagePeriod: now + context.voltageConfig.averageMeasurementPeriod * 1000,
      networkDataInterval: now + context.settings.networkDataInterval * 1000,
    },
  },
});

/** A power cut or dumb mode: the partial period and interval are lost, nothing is recorded for them. */
export const stopMetering: MeteringHandler = ({ context }) => ({
  context: {
    averagingWindow: null,
    networkDataWindow: null,
    lastAverageRmsVoltage: null,
    deadlines: meteringCleared(context.deadlines),
  },
});

/**
 * Where a window closes: at its due time, unless voltage steps were already integrated past it (possible only
 * when the timer fires late), in which case at the last step, so no integrated time is counted twice.
 */
function closingTime(window: AveragingWindow, dueAt: number | null): number {
  return Math.max(dueAt ?? window.integratedUntil, window.integratedUntil);
}

/** End of a measurement period: its average becomes the one the average over/under regions compare. */
export const endAveragingPeriod: MeteringHandler = ({ context }) => {
  const window = context.averagingWindow;
  if (!window) return {};
  const end = closingTime(window, context.deadlines.averagePeriod);
  return {
    context: {
      lastAverageRmsVoltage: windowAverage(window, end),
      averagingWindow: openWindow(end, context.mainsVoltage),
      deadlines: { ...context.deadlines, averagePeriod: end + context.voltageConfig.averageMeasurementPeriod * 1000 },
    },
  };
};

/** End of a network-data interval: one SR 4.10 record, stamped with the interval's end. */
export const endNetworkDataInterval: MeteringHandler = ({ context }) => {
  const window = context.networkDataWindow;
  if (!window) return {};
  const end = closingTime(window, context.deadlines.networkDataInterval);
  const record = { at: end, averageRmsVoltage: windowAverage(window, end) };
  return {
    context: {
      networkData: appendRecord(context.networkData, record, context.settings.networkDataRetention),
      networkDataWindow: openWindow(end, context.mainsVoltage),
      deadlines: { ...context.deadlines, networkDataInterval: end + context.settings.networkDataInterval * 1000 },
    },
  };
};

function detectorPeriodMs(context: EsmeContext, timer: DetectorTimer): number {
  if (timer === 'loadLimit') return context.settings.loadLimitPeriod * 1000;
  if (timer === 'powerFactor') return context.settings.powerFactorPeriod * 1000;
  return excursionPeriodMs(timer, context.voltageConfig);
}

/** The deadlines with `timer` due one period from now: the condition began now. */
export function armedDeadlines(context: EsmeContext, timer: DetectorTimer, now: number): EsmeContext['deadlines'] {
  return { ...context.deadlines, [timer]: now + detectorPeriodMs(context, timer) };
}

/**
 * The `after` delay of a timed state: what is left until its deadline. Computed from the deadline rather than
 * from the configured period so that re-entering the state (on resumption after a restore) keeps the original
 * due time.
 */
export function remainingMs(deadlines: EsmeContext['deadlines'], timer: TimerName, now: number): number {
  const dueAt = deadlines[timer];
  return dueAt === null ? 0 : Math.max(0, dueAt - now);
}
