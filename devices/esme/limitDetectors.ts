/**
 * The ESME's limit detectors as data: each detector's state is a field of `detectors` in the context, and one pure
 * function judges them all after every change of what they watch. They were parallel XState regions with eventless
 * transitions, which XState evaluates on every microstep of every event the meter receives (most of them commands
 * that have nothing to do with power quality); as data they cost nothing unless an input changes.
 *
 *   averageOver, averageUnder  edge-triggered on each completed period's average (averageVoltage.ts): raised once
 *                per crossing, returned when a later period's average is back.
 *   extremeOver, swell, extremeUnder, sag, powerFactor  a period both ways:
 *                withinLimit --onset--> beyond --period--> alerted (raised) --clear--> returning --period-->
 *                withinLimit (returned); beyond --not onset--> withinLimit and returning --not clear--> alerted
 *                cancel the pending period silently. The power factor is judged only while current flows.
 *   polarity     raised when the wiring turns reversed, and at every metering start while it is; no return code.
 *   loadLimit    withinLimit --above--> beyond --period--> alerted (raised); back within re-arms it (no return code).
 *
 * The order of the alerts is the order the regions raised them in: within one judgement the two average returns
 * (a region's transition action) come before the raises (entry actions), each group in the regions' order above.
 * One step per detector is enough: every state's way out needs the negation of the condition that led into it, so
 * a judgement never has a second step to take until an input changes again.
 */
import { isAverageAbove, isAverageBackAboveUnder, isAverageBackBelowOver, isAverageBelow } from './averageVoltage';
import { isCurrentFlowing, type EsmeContext } from './esmeContext';
import { EsmeAlert } from './esmeProfile';
import { isAboveLoadLimit, isPowerFactorBack, isPowerFactorLow, measuredActivePower } from './loadMonitor';
import { excursionPeriodMs, isBeyond, voltageExcursions, type ExcursionName } from './voltageExcursions';

/** A detector with a period both ways (the excursions and the power factor). */
type PeriodDetectorState = 'withinLimit' | 'beyond' | 'alerted' | 'returning';

export interface DetectorStates {
  averageOver: 'withinLimit' | 'above';
  averageUnder: 'withinLimit' | 'below';
  extremeOver: PeriodDetectorState;
  swell: PeriodDetectorState;
  extremeUnder: PeriodDetectorState;
  sag: PeriodDetectorState;
  powerFactor: PeriodDetectorState;
  polarity: 'correct' | 'reversed';
  loadLimit: 'withinLimit' | 'beyond' | 'alerted';
}

export type DetectorName = keyof DetectorStates;

/** The detectors with a period, each with its timer: an excursion's, the power factor's or the load limit's. */
export type DetectorTimer = ExcursionName | 'powerFactor' | 'loadLimit';

/** Every detector as metering starts. */
export const initialDetectors: Readonly<DetectorStates> = Object.freeze({
  averageOver: 'withinLimit',
  averageUnder: 'withinLimit',
  extremeOver: 'withinLimit',
  swell: 'withinLimit',
  extremeUnder: 'withinLimit',
  sag: 'withinLimit',
  powerFactor: 'withinLimit',
  polarity: 'correct',
  loadLimit: 'withinLimit',
});

/** What the detectors watch, and their states. */
export type DetectorInputs = Pick<
  EsmeContext,
  | 'detectors'
  | 'mainsVoltage'
  | 'voltageConfig'
  | 'demand'
  | 'supply'
  | 'outageStartedAt'
  | 'settings'
  | 'lastAverageRmsVoltage'
  | 'polarityReversed'
>;

/** The context fields a judgement reads: a patch that touches none of them leaves every detector where it is. */
export const detectorInputFields = [
  'mainsVoltage',
  'voltageConfig',
  'demand',
  'supply',
  'outageStartedAt',
  'settings',
  'lastAverageRmsVoltage',
  'polarityReversed',
] as const satisfies readonly (keyof DetectorInputs)[];

interface ArmedTimer {
  timer: DetectorTimer;
  /** When its period ends (ms). */
  at: number;
}

interface Judgement {
  /** The same object as the input's when no detector moved. */
  detectors: DetectorStates;
  /** Alert codes, in the order the meter raises them. */
  alerts: number[];
  /** Periods that begin now, in the detectors' order (the order their timers are armed). */
  armed: ArmedTimer[];
  /** Pending periods cancelled silently: the condition stopped before its period was over. */
  cancelled: DetectorTimer[];
}

const excursionNames: readonly ExcursionName[] = ['extremeOver', 'swell', 'extremeUnder', 'sag'];

/** How long (ms) a detector's condition must last. */
function detectorPeriodMs(inputs: Pick<EsmeContext, 'settings' | 'voltageConfig'>, timer: DetectorTimer): number {
  if (timer === 'loadLimit') return inputs.settings.loadLimitPeriod * 1000;
  if (timer === 'powerFactor') return inputs.settings.powerFactorPeriod * 1000;
  return excursionPeriodMs(timer, inputs.voltageConfig);
}

/** A judgement in the making. Module-level helpers fill it (closures per call would cost on every judgement). */
interface Judging {
  current: DetectorStates;
  next: DetectorStates | undefined;
  returned: number[];
  raised: number[];
  armed: ArmedTimer[];
  cancelled: DetectorTimer[];
}

function move<K extends DetectorName>(judging: Judging, name: K, state: DetectorStates[K]): void {
  judging.next ??= { ...judging.current };
  judging.next[name] = state;
}

/**
 * One step of a detector with a period both ways, given whether its onset and its clearing hold now:
 * withinLimit --onset--> beyond (armed), beyond --not onset--> withinLimit (cancelled), alerted --clear-->
 * returning (armed), returning --not clear--> alerted (cancelled); otherwise it stays.
 */
function periodStep(
  judging: Judging,
  inputs: DetectorInputs,
  now: number,
  timer: Exclude<DetectorTimer, 'loadLimit'>,
  onset: boolean,
  clear: boolean,
): void {
  const state = judging.current[timer];
  let next: PeriodDetectorState;
  if (state === 'withinLimit') {
    if (!onset) return;
    next = 'beyond';
  } else if (state === 'beyond') {
    if (onset) return;
    next = 'withinLimit';
  } else if (state === 'alerted') {
    if (!clear) return;
    next = 'returning';
  } else {
    if (clear) return;
    next = 'alerted';
  }
  move(judging, timer, next);
  if (next === 'beyond' || next === 'returning')
    judging.armed.push({ timer, at: now + detectorPeriodMs(inputs, timer) });
  else judging.cancelled.push(timer);
}

/**
 * Every detector judged against the context now: the states they move to, the alerts they raise and the periods
 * they arm or cancel. Pure; `now` only dates the periods armed.
 */
export function judgeDetectors(inputs: DetectorInputs, now: number): Judgement {
  const current = inputs.detectors;
  const judging: Judging = { current, next: undefined, returned: [], raised: [], armed: [], cancelled: [] };

  const average = inputs.lastAverageRmsVoltage;
  const config = inputs.voltageConfig;
  if (current.averageOver === 'withinLimit') {
    if (isAverageAbove(average, config)) {
      move(judging, 'averageOver', 'above');
      judging.raised.push(EsmeAlert.averageOverVoltage);
    }
  } else if (isAverageBackBelowOver(average, config)) {
    move(judging, 'averageOver', 'withinLimit');
    judging.returned.push(EsmeAlert.averageOverVoltageReturned);
  }
  if (current.averageUnder === 'withinLimit') {
    if (isAverageBelow(average, config)) {
      move(judging, 'averageUnder', 'below');
      judging.raised.push(EsmeAlert.averageUnderVoltage);
    }
  } else if (isAverageBackAboveUnder(average, config)) {
    move(judging, 'averageUnder', 'withinLimit');
    judging.returned.push(EsmeAlert.averageUnderVoltageReturned);
  }

  for (const name of excursionNames) {
    const beyond = isBeyond(name, inputs.mainsVoltage, config);
    periodStep(judging, inputs, now, name, beyond, !beyond);
  }

  const power = measuredActivePower(inputs.demand, isCurrentFlowing(inputs));
  const threshold = inputs.settings.powerFactorThreshold;
  periodStep(
    judging,
    inputs,
    now,
    'powerFactor',
    isPowerFactorLow(power, inputs.demand.powerFactor, threshold),
    isPowerFactorBack(power, inputs.demand.powerFactor, threshold),
  );

  if (current.polarity === 'correct') {
    if (inputs.polarityReversed) {
      move(judging, 'polarity', 'reversed');
      judging.raised.push(EsmeAlert.incorrectPolarity);
    }
  } else if (!inputs.polarityReversed) {
    move(judging, 'polarity', 'correct');
  }

  const aboveLimit = isAboveLoadLimit(power, inputs.settings.loadLimitThreshold);
  if (current.loadLimit === 'withinLimit') {
    if (aboveLimit) {
      move(judging, 'loadLimit', 'beyond');
      judging.armed.push({ timer: 'loadLimit', at: now + detectorPeriodMs(inputs, 'loadLimit') });
    }
  } else if (!aboveLimit) {
    if (current.loadLimit === 'beyond') judging.cancelled.push('loadLimit');
    move(judging, 'loadLimit', 'withinLimit');
  }

  const { returned, raised } = judging;
  return {
    detectors: judging.next ?? current,
    alerts: returned.length === 0 ? raised : returned.concat(raised),
    armed: judging.armed,
    cancelled: judging.cancelled,
  };
}

/**
 * A detector's period is over (its condition held throughout, or the judgement would have cancelled it): the
 * state it moves to and the alert it raises. A detector with no period pending (only a hand-edited state file can
 * pair a timer with one) stays as it is and raises nothing.
 */
export function periodEnded(
  detectors: DetectorStates,
  timer: DetectorTimer,
): { detectors: DetectorStates; alert?: number } {
  if (timer === 'loadLimit') {
    if (detectors.loadLimit !== 'beyond') return { detectors };
    return { detectors: { ...detectors, loadLimit: 'alerted' }, alert: EsmeAlert.loadLimit };
  }
  const state = detectors[timer];
  const codes =
    timer === 'powerFactor'
      ? { raised: EsmeAlert.powerFactorBelowThreshold, returned: EsmeAlert.powerFactorReturned }
      : { raised: voltageExcursions[timer].raisedAlert, returned: voltageExcursions[timer].returnedAlert };
  if (state === 'beyond') return { detectors: { ...detectors, [timer]: 'alerted' }, alert: codes.raised };
  if (state === 'returning') return { detectors: { ...detectors, [timer]: 'withinLimit' }, alert: codes.returned };
  return { detectors };
}
