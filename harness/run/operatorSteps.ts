/**
 * Which stimuli need an operator, and what an operator (at the terminal, or a hook script) is told of one. One
 * rule for the executor, which hands them over, and for `smets1 run`, which refuses at once a run that has such a
 * step and nobody to do it (neither a terminal nor --operator-hook).
 */
import { parseLinkSpec } from '../../emulator/links/linkSpec';
import type { DeviceRef, Scenario, Step, Stimulus } from '../packs/model';

type StimulusStep = Extract<Step, { kind: 'stimulus' }>;

/**
 * Real devices take no bench control messages, a prompt alone is only for an operator, and a cable pull on a line
 * not in this process (anything but the mock line) is the operator's too when the step gives a prompt for it.
 */
export function needsOperator(step: StimulusStep, devices: Scenario['bench']['devices'], onMockLine: boolean): boolean {
  return (
    devices === 'real' ||
    step.stimulus.type === 'operator' ||
    (step.stimulus.type === 'linkFault' && !onMockLine && step.prompt !== undefined)
  );
}

/** Whether any step of the scenario, on `link` (default its own), needs an operator. */
export function scenarioNeedsOperator(scenario: Scenario, link = scenario.bench.linkText): boolean {
  const onMockLine = parseLinkSpec(link).kind === 'mock';
  return scenario.steps.some(
    (step) => step.kind === 'stimulus' && needsOperator(step, scenario.bench.devices, onMockLine),
  );
}

/**
 * The `linkFault` steps of a scenario nobody can carry out on `link` (default its own): the mock line's faults are
 * made in this process, and `smets1 emulate` at the far end of any other link makes them on its side (the linkFault
 * control; `farEndEmulator`: the pre-flight found it, or the link is `pty`, whose child is one). Anything else (real
 * hardware, a far end not pre-flighted) has no such control, and a step with no prompt for an operator who pulls
 * the cable is refused before the run starts. The one decision for emulated devices, whatever the pack's own link:
 * loading refuses such a step only on real devices (harness/packs/packChecks.ts), as any link may be redirected.
 */
export function linkFaultsNobodyMakes(
  scenario: Scenario,
  link = scenario.bench.linkText,
  farEndEmulator = false,
): StimulusStep[] {
  const kind = parseLinkSpec(link).kind;
  if (kind === 'mock' || kind === 'pty' || (farEndEmulator && scenario.bench.devices !== 'real')) return [];
  return scenario.steps.filter(
    (step): step is StimulusStep =>
      step.kind === 'stimulus' &&
      step.stimulus.type === 'linkFault' &&
      step.prompt === undefined &&
      scenario.bench.devices !== 'real',
  );
}

/** The stimulus as the operator hook reads it on stdin (docs/bench.md, "Operator hooks"). */
export interface OperatorStep {
  /** The pack file (as reports show it) and the scenario's name. */
  readonly file: string;
  readonly scenario: string;
  /** 1-based index of the step in the scenario, and its place in the pack file. */
  readonly step: number;
  readonly line: number;
  readonly column: number;
  /** What a person would be asked to do. */
  readonly prompt: string;
  readonly stimulus: Stimulus;
  readonly device?: DeviceRef;
}

export function operatorStep(
  file: string,
  scenario: Pick<Scenario, 'name'>,
  step: StimulusStep,
  index: number,
  prompt: string,
): OperatorStep {
  return {
    file,
    scenario: scenario.name,
    step: index + 1,
    line: step.position.line,
    column: step.position.column,
    prompt,
    stimulus: step.stimulus,
    ...(step.device !== undefined ? { device: step.device } : {}),
  };
}
