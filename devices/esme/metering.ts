/**
 * The metering cycle: what happens when metering starts and stops (power, dumb mode), when one of its timers fires
 * (the end of a measurement period or network-data interval, a detector's period), and after every change of what
 * the limit detectors watch (limitDetectors.ts). Pure handlers and functions; powerState.ts starts and stops metering,
 * and esmeMachine.ts wires the rest to its one metering timer, due at the head of the schedule (meteringSchedule.ts).
 *
 * Alignment: both the measurement periods (SR 6.5 averageMeasurementPeriod) and the network-data intervals
 * (profile, 30 min) are aligned to the instant metering started: actor start, the end of a power cut, or the
 * return from dumb mode; an accepted voltageConfig restarts the measurement periods from its own instant.
 * Each period ends at its nominal due time even if the timer fires late (a wall clock, or an actor restored
 * after its deadline), so periods never drift.
 */
import type { AnyEventObject } from 'xstate';
import type { AlertRaise, ContextHandler, Handler, Outcome } from '../common/outcome';
import { noDeadlines, withDeadline, type Deadlines, type EsmeContext } from './esmeContext';
import {
  detectorInputFields,
  initialDetectors,
  judgeDetectors,
  periodEnded,
  type DetectorInputs,
  type DetectorStates,
} from './limitDetectors';
import { resumedSchedule, scheduled, unscheduled, type ScheduledTimer } from './meteringSchedule';
import { appendRecord } from './networkData';
import { openWindow, windowAverage, type AveragingWindow } from './timeWeightedAverage';

/** Raised when the head of the schedule moves or metering starts or stops: the machine re-arms its one timer. */
export const meteringRescheduled = { type: 'esme.meteringRescheduled' } as const;

/** What metering writes besides the windows: the detectors and their timers. */
interface MeteringState {
  detectors: DetectorStates;
  deadlines: Deadlines;
  meteringSchedule: ScheduledTimer[];
}

/** Every metering timer cleared; the prepayment credit's (not a metering timer: it runs while dumb) kept. */
function meteringCleared(deadlines: Deadlines): Deadlines {
  return withDeadline(noDeadlines, 'creditExhaustion', deadlines.creditExhaustion);
}

/**
 * The detectors judged on `inputs` (the context as a handler's patch leaves it), their periods armed and cancelled
 * in `state`. Returns the alerts raised, in order; `state` is replaced only if a detector moved.
 */
function judged(inputs: DetectorInputs, state: MeteringState, now: number): { state: MeteringState; alerts: number[] } {
  const judgement = judgeDetectors(inputs, now);
  if (judgement.detectors === inputs.detectors) return { state, alerts: judgement.alerts };
  let schedule = state.meteringSchedule;
  let deadlines = state.deadlines;
  for (const timer of judgement.cancelled) {
    schedule = unscheduled(schedule, timer);
    deadlines = withDeadline(deadlines, timer, null);
  }
  for (const { timer, at } of judgement.armed) {
    schedule = scheduled(schedule, timer, at);
    deadlines = withDeadline(deadlines, timer, at);
  }
  return {
    state: { detectors: judgement.detectors, deadlines, meteringSchedule: schedule },
    alerts: judgement.alerts,
  };
}

function asAlerts(codes: readonly number[]): AlertRaise[] {
  const alerts: AlertRaise[] = [];
  for (const code of codes) alerts.push({ code });
  return alerts;
}

/** Whether a patch changes anything the detectors watch (a loop, not `some`: this runs on every ESME handler). */
function touchesDetectorInputs(patch: Partial<EsmeContext>): boolean {
  for (const field of detectorInputFields) if (field in patch) return true;
  return false;
}

function headAt(schedule: readonly ScheduledTimer[]): number | undefined {
  return schedule.length === 0 ? undefined : schedule[0].at;
}

/**
 * `handler` followed by the detectors' judgement, when its patch changes something they watch while the meter is
 * metering: the judgement's alerts follow the handler's own, and a move of the schedule's head re-arms the one timer
 * (raised before the handler's own internal events, as the regions' timers were armed before those were taken).
 */
export function withDetectors<TEvent>(handler: Handler<EsmeContext, TEvent>): Handler<EsmeContext, TEvent> {
  return (args) => {
    const outcome = handler(args);
    const { context, now } = args;
    const patch = outcome.context;
    if (patch === undefined || context.averagingWindow === null) return outcome;
    if (!touchesDetectorInputs(patch)) return outcome;
    // The detectors' view of the context as the patch leaves it, field by field (no copy of the whole context).
    const inputs: DetectorInputs = {
      detectors: context.detectors,
      mainsVoltage: patch.mainsVoltage ?? context.mainsVoltage,
      voltageConfig: patch.voltageConfig ?? context.voltageConfig,
      demand: patch.demand ?? context.demand,
      supply: patch.supply ?? context.supply,
      outageStartedAt: 'outageStartedAt' in patch ? patch.outageStartedAt! : context.outageStartedAt,
      settings: patch.settings ?? context.settings,
      lastAverageRmsVoltage:
        'lastAverageRmsVoltage' in patch ? patch.lastAverageRmsVoltage! : context.lastAverageRmsVoltage,
      polarityReversed: patch.polarityReversed ?? context.polarityReversed,
    };
    const before: MeteringState = {
      detectors: context.detectors,
      deadlines: patch.deadlines ?? context.deadlines,
      meteringSchedule: context.meteringSchedule,
    };
    const { state, alerts } = judged(inputs, before, now);
    if (state === before) return outcome;
    const next: Outcome<EsmeContext> = Object.assign({}, outcome, { context: Object.assign({}, patch, state) });
    if (alerts.length > 0) next.alerts = (outcome.alerts ?? []).concat(asAlerts(alerts));
    if (headAt(state.meteringSchedule) !== headAt(context.meteringSchedule)) {
      next.raise = [meteringRescheduled, ...(outcome.raise ?? [])];
    }
    return next;
  };
}

/**
 * Metering starts: new windows, both periods armed, every detector from its initial state and judged at once (an
 * excursion already under way arms its period; a reversed wiring raises 0x81B8).
 */
export const startMetering: Handler<EsmeContext, unknown> = ({ context, now }) => {
  const averagePeriod = now + context.voltageConfig.averageMeasurementPeriod * 1000;
  const networkDataInterval = now + context.settings.networkDataInterval * 1000;
  const start: MeteringState = {
    detectors: initialDetectors,
    deadlines: withDeadline(
      withDeadline(meteringCleared(context.deadlines), 'averagePeriod', averagePeriod),
      'networkDataInterval',
      networkDataInterval,
    ),
    meteringSchedule: scheduled(
      scheduled([], 'averagePeriod', averagePeriod),
      'networkDataInterval',
      networkDataInterval,
    ),
  };
  const { state, alerts } = judged(
    { ...context, detectors: initialDetectors, lastAverageRmsVoltage: null },
    start,
    now,
  );
  return {
    context: {
      averagingWindow: openWindow(now, context.mainsVoltage),
      networkDataWindow: openWindow(now, context.mainsVoltage),
      lastAverageRmsVoltage: null,
      ...state,
    },
    alerts: asAlerts(alerts),
  };
};

/** A power cut or dumb mode: the partial period and interval are lost, nothing is recorded for them. */
export const stopMetering: ContextHandler<EsmeContext, unknown> = ({ context }) => ({
  context: {
    averagingWindow: null,
    networkDataWindow: null,
    lastAverageRmsVoltage: null,
    detectors: initialDetectors,
    deadlines: meteringCleared(context.deadlines),
    meteringSchedule: [],
  },
});

/**
 * Where a window closes: at its due time, unless voltage steps were already integrated past it (possible only
 * when the timer fires late), in which case at the last step, so no integrated time is counted twice.
 */
function closingTime(window: AveragingWindow, dueAt: number | null): number {
  return Math.max(dueAt ?? window.integratedUntil, window.integratedUntil);
}

/**
 * The metering timers due by now, fired one by one in the schedule's order, each as its own region's timer did: the
 * end of a measurement period (its average becomes the one the average detectors compare, and they are judged), the
 * end of a network-data interval (one SR 4.10 record, stamped with the interval's end), or the end of a detector's
 * period (its alert). A timer re-armed in the past (a meter restored long after) fires in the same pass.
 */
export const meteringDue: Handler<EsmeContext, unknown> = ({ context, now }) => {
  // The fields a timer changes, as locals (no copy of the whole context: these fire 96 times a day per meter).
  let detectors = context.detectors;
  let deadlines = context.deadlines;
  let schedule = context.meteringSchedule;
  let averagingWindow = context.averagingWindow;
  let lastAverageRmsVoltage = context.lastAverageRmsVoltage;
  let networkDataWindow = context.networkDataWindow;
  let networkData = context.networkData;
  const alerts: number[] = [];
  while (schedule.length > 0 && schedule[0].at <= now) {
    const { timer } = schedule[0];
    const rest = schedule.slice(1);
    if ((timer === 'averagePeriod' && !averagingWindow) || (timer === 'networkDataInterval' && !networkDataWindow)) {
      // Only a hand-edited state file can pair a period's timer with no window: nothing to close.
      schedule = rest;
    } else if (timer === 'averagePeriod') {
      const end = closingTime(averagingWindow!, deadlines.averagePeriod);
      const due = end + context.voltageConfig.averageMeasurementPeriod * 1000;
      lastAverageRmsVoltage = windowAverage(averagingWindow!, end);
      averagingWindow = openWindow(end, context.mainsVoltage);
      const inputs: DetectorInputs = {
        detectors,
        mainsVoltage: context.mainsVoltage,
        voltageConfig: context.voltageConfig,
        demand: context.demand,
        supply: context.supply,
        outageStartedAt: context.outageStartedAt,
        settings: context.settings,
        lastAverageRmsVoltage,
        polarityReversed: context.polarityReversed,
      };
      const judgement = judged(
        inputs,
        {
          detectors,
          deadlines: withDeadline(deadlines, 'averagePeriod', due),
          meteringSchedule: scheduled(rest, 'averagePeriod', Math.max(due, now)),
        },
        now,
      );
      ({ detectors, deadlines, meteringSchedule: schedule } = judgement.state);
      for (const code of judgement.alerts) alerts.push(code);
    } else if (timer === 'networkDataInterval') {
      const end = closingTime(networkDataWindow!, deadlines.networkDataInterval);
      const due = end + context.settings.networkDataInterval * 1000;
      const record = { at: end, averageRmsVoltage: windowAverage(networkDataWindow!, end) };
      networkData = appendRecord(networkData, record, context.settings.networkDataRetention);
      networkDataWindow = openWindow(end, context.mainsVoltage);
      deadlines = withDeadline(deadlines, 'networkDataInterval', due);
      schedule = scheduled(rest, 'networkDataInterval', Math.max(due, now));
    } else {
      const ended = periodEnded(detectors, timer);
      detectors = ended.detectors;
      deadlines = withDeadline(deadlines, timer, null);
      schedule = rest;
      if (ended.alert !== undefined) alerts.push(ended.alert);
    }
  }
  return {
    context: {
      averagingWindow,
      lastAverageRmsVoltage,
      networkDataWindow,
      networkData,
      detectors,
      deadlines,
      meteringSchedule: schedule,
    },
    alerts: asAlerts(alerts),
  };
};

/** An accepted voltageConfig restarted the measurement period (its handler moved the deadline): re-armed now. */
export const restartAveraging: ContextHandler<EsmeContext, AnyEventObject> = ({ context }) => {
  const due = context.deadlines.averagePeriod;
  if (due === null || context.averagingWindow === null) return {};
  return { context: { meteringSchedule: scheduled(context.meteringSchedule, 'averagePeriod', due) } };
};

/** A (restored) actor starts: every metering timer re-armed now, in document order (meteringSchedule.ts). */
export const resumeTimers: ContextHandler<EsmeContext, AnyEventObject> = ({ context, now }) => ({
  context: { meteringSchedule: resumedSchedule(context.meteringSchedule, context.deadlines, now) },
});

/**
 * The `after` delay of a timed state: what is left until its deadline. Computed from the deadline rather than
 * from the configured period so that re-entering the state (on resumption after a restore) keeps the original
 * due time.
 */
export function remainingMs(deadlines: Deadlines, timer: keyof Deadlines, now: number): number {
  const dueAt = deadlines[timer];
  return dueAt === null ? 0 : Math.max(0, dueAt - now);
}
