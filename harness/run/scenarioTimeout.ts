/**
 * A scenario's `timeout:` (docs/packs.md): a scenario still running that long after it began is abandoned and
 * reported as an error naming the timeout. Measured on the clock the scenario's devices live on: the virtual clock
 * where the bench runs on it (in-process devices, pty, --clock harness), so the verdict does not depend on the
 * machine's load; the wall clock on a real bench.
 */
import type { DuisBench } from '../bench/duisBench';
import type { ScenarioTimeoutSpec, Step } from '../packs/model';
import type { Failure } from '../reports/runResult';

type Clock = 'virtual' | 'wall';

export class ScenarioTimeout extends Error {
  override readonly name = 'ScenarioTimeout';
  constructor(
    readonly timeout: ScenarioTimeoutSpec,
    readonly clock: Clock,
    /** The step that was running (0-based). */
    readonly stepIndex: number,
  ) {
    super(`the scenario ran past its timeout of ${timeout.text} (line ${timeout.position.line}) on the ${clock} clock`);
  }

  /** The report's failure: at the `timeout:` line, saying which step was still running. */
  failure(steps: readonly Step[]): Failure {
    const step = steps[this.stepIndex];
    const where =
      step === undefined ? '' : `, in step ${this.stepIndex + 1} (${step.kind}, line ${step.position.line})`;
    const actual = `still running after ${this.timeout.text} on the ${this.clock} clock${where}`;
    return {
      step: 'timeout',
      line: this.timeout.position.line,
      column: this.timeout.position.column,
      expected: `the scenario to end within its timeout of ${this.timeout.text}`,
      actual,
      message: `timeout: ${actual}`,
    };
  }
}

/** Arms the timeout from now: `expired` rejects with a ScenarioTimeout when it strikes, unless cancelled first. */
export function watchTimeout(
  bench: Pick<DuisBench, 'virtual' | 'clock'>,
  timeout: ScenarioTimeoutSpec,
  runningStep: () => number,
): { expired: Promise<never>; cancel(): void } {
  let cancel = () => {};
  const expired = new Promise<never>((_, reject) => {
    // the bench's clock is the virtual one whenever the bench has one, else the wall clock
    const clock: Clock = bench.virtual !== undefined ? 'virtual' : 'wall';
    const timer = bench.clock.setTimeout(() => reject(new ScenarioTimeout(timeout, clock, runningStep())), timeout.ms);
    cancel = () => bench.clock.clearTimeout(timer);
  });
  return { expired, cancel: () => cancel() };
}
