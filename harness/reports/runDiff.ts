/**
 * Two runs of the same packs compared scenario by scenario (`smets1 diff`): the lab's use is the same pack on a real
 * bench and on the emulator, where every difference is a place the emulator's model and the firmware disagree.
 *
 * Compared, per scenario (matched by id, `pack#scenario`): the verdict; each expectation's outcome; the DUIS response
 * codes in order; the alerts (code and device) in order of their time from the scenario's start; when those agree,
 * each alert's time from the start within a tolerance (a bench on the wall clock never lands on the emulator's
 * virtual millisecond); and the device frames' statuses in order. Absolute times are not compared: two runs start
 * at different instants.
 */
import { formatVirtualDuration } from './durations';
import type { ScenarioResult, TimelineEvent } from './runResult';

export interface Difference {
  /** What differs: `verdict`, `expectation`, `response codes`, `alerts`, `alert time`, `device statuses`, `scenario`. */
  readonly what: string;
  readonly a: string;
  readonly b: string;
}

export interface ScenarioDiff {
  readonly id: string;
  readonly differences: readonly Difference[];
}

export interface RunDiff {
  /** Scenarios in both runs. */
  readonly compared: number;
  /** Those that differ, in A's order, then those only in B. */
  readonly scenarios: readonly ScenarioDiff[];
}

export interface DiffOptions {
  /** How far apart two alerts' times from their scenario's start may be and still count as the same. */
  readonly alertToleranceMs: number;
}

const NONE = 'none';

export function diffRuns(a: readonly ScenarioResult[], b: readonly ScenarioResult[], options: DiffOptions): RunDiff {
  const inB = new Map(b.map((s) => [s.id, s]));
  const inA = new Set(a.map((s) => s.id));
  const scenarios: ScenarioDiff[] = [];
  let compared = 0;
  for (const left of a) {
    const right = inB.get(left.id);
    if (right === undefined) {
      scenarios.push({ id: left.id, differences: [{ what: 'scenario', a: `ran: ${left.verdict}`, b: 'not in this run' }] });
      continue;
    }
    compared++;
    const differences = diffScenario(left, right, options);
    if (differences.length > 0) scenarios.push({ id: left.id, differences });
  }
  for (const right of b) {
    if (!inA.has(right.id)) scenarios.push({ id: right.id, differences: [{ what: 'scenario', a: 'not in this run', b: `ran: ${right.verdict}` }] });
  }
  return { compared, scenarios };
}

function diffScenario(a: ScenarioResult, b: ScenarioResult, options: DiffOptions): Difference[] {
  const out: Difference[] = [];
  const same = (what: string, x: string, y: string) => {
    if (x !== y) out.push({ what, a: x, b: y });
  };
  same('verdict', a.verdict, b.verdict);
  const ea = a.expectations ?? [];
  const eb = b.expectations ?? [];
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
    const x = ea[i];
    const y = eb[i];
    const text = (e: typeof x) => (e === undefined ? 'not evaluated' : `${e.passed ? 'passed' : 'failed'}: ${e.actual}`);
    if (x?.passed !== y?.passed || x?.step !== y?.step) out.push({ what: `expectation ${x?.step ?? y!.step} (${x?.expected ?? y!.expected})`, a: text(x), b: text(y) });
  }
  same('response codes', responseCodes(a).join(', ') || NONE, responseCodes(b).join(', ') || NONE);
  const aa = alerts(a);
  const ab = alerts(b);
  const names = (list: readonly Alert[]) => list.map((x) => x.name).join(', ');
  if (names(aa) !== names(ab)) {
    out.push({ what: 'alerts', a: runsOf(aa.map((x) => x.name)), b: runsOf(ab.map((x) => x.name)) });
  } else {
    aa.forEach((x, i) => {
      const y = ab[i]!;
      if (Math.abs(x.offsetMs - y.offsetMs) > options.alertToleranceMs) {
        out.push({ what: `alert time of ${x.name}`, a: `+${formatVirtualDuration(x.offsetMs)}`, b: `+${formatVirtualDuration(y.offsetMs)}` });
      }
    });
  }
  same('device statuses', deviceStatuses(a).join(', ') || NONE, deviceStatuses(b).join(', ') || NONE);
  return out;
}

function responseCodes(s: ScenarioResult): string[] {
  return s.timeline.filter((e) => e.lane === 'duis' && e.code !== undefined).map((e) => e.code!);
}

interface Alert {
  readonly name: string;
  readonly offsetMs: number;
}

/** Alerts in order of time from the scenario's start, ties by name, so two runs raising the same ones agree. */
function alerts(s: ScenarioResult): Alert[] {
  return s.timeline
    .filter((e) => e.lane === 'alerts')
    .map((e) => ({ name: alertName(e), offsetMs: e.at - s.virtualStartMs }))
    .sort((x, y) => x.offsetMs - y.offsetMs || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

function alertName(e: TimelineEvent): string {
  const device = e.device ?? e.detail;
  return `${e.code ?? e.label}${device ? ` from ${device}` : ''}`;
}

function deviceStatuses(s: ScenarioResult): string[] {
  return s.timeline.filter((e) => e.lane === 'frames' && e.status !== undefined).map((e) => `${e.label} ${e.status}`);
}

/** A list with each run of the same entry written once with its count: a device retrying every minute is one item. */
function runsOf(items: readonly string[]): string {
  const runs: { item: string; count: number }[] = [];
  for (const item of items) {
    const last = runs.at(-1);
    if (last?.item === item) last.count++;
    else runs.push({ item, count: 1 });
  }
  return runs.map((r) => (r.count > 1 ? `${r.item} ×${r.count}` : r.item)).join(', ') || NONE;
}
