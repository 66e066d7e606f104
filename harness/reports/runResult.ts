/**
 * The result of one run of regression packs: what the pack executor records and every reporter reads. Plain data
 * (strings, numbers, arrays, objects), so a run can be written as JSON and reported again later.
 *
 * Times: `wallMs` is real elapsed time; every other time is on the run's virtual clock, in epoch milliseconds
 * (the VirtualClock starts at 2026-01-01T00:00:00Z unless the bench says otherwise).
 */
import type { AssumedValue } from '../bench/assumptionsInForce';

export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

/**
 * Rows of the timeline, in the order the report draws them: the expectations first, so a failing one is in view
 * however many device frames and alerts stack up in the lanes below it.
 */
export const TIMELINE_LANES = ['expect', 'stimulus', 'duis', 'frames', 'alerts', 'migration'] as const;
export type TimelineLane = (typeof TIMELINE_LANES)[number];

export interface RunResult {
  /** Wall-clock start of the run (before its first scenario ran), ISO 8601. */
  readonly startedAt: string;
  /** The first pack's seed; each scenario's own is its `seed`. */
  readonly seed: number;
  /** Pack files or names run, in order. */
  readonly packs: readonly string[];
  readonly scenarios: readonly ScenarioResult[];
  /**
   * The assumed values (no public source) the run's benches ran on, each once: a result that rests on one of them
   * rests on a guess. Absent in results written before it was kept.
   */
  readonly assumptions?: readonly AssumedValue[];
  /** Set when the run was stopped (Ctrl-C) before every planned scenario ran: `scenarios` holds those that finished. */
  readonly interrupted?: Interruption;
  /**
   * What was checked of a far end the run did not start (`smets1 run --link serial:…|tcp:…`, docs/bench.md
   * "Pre-flight"), e.g. "not pre-flighted (--no-preflight)"; absent when every device was in this process or a child.
   */
  readonly preflight?: string;
}

export interface Interruption {
  /** The signal that stopped it, e.g. `SIGINT`. */
  readonly signal: string;
  /** How many scenarios the run was to have run. */
  readonly planned: number;
}

export interface ScenarioResult {
  /** Unique within the run (e.g. `defects/91342#join-period-300-refused`); names the reports/duis/ folder. */
  readonly id: string;
  /** The pack it belongs to: one JUnit testsuite per pack. */
  readonly pack: string;
  /** The pack file, as it is to be shown (relative to the working directory). */
  readonly file: string;
  readonly name: string;
  /** The seed its bench ran with (a pack's, or the scenario's own); absent in results written before it was kept. */
  readonly seed?: number;
  readonly verdict: Verdict;
  readonly wallMs: number;
  readonly virtualStartMs: number;
  readonly virtualEndMs: number;
  /** Why it failed (`failed`: the expectations not met; `error`: what stopped it; `skipped`: why). */
  readonly failures: readonly Failure[];
  readonly timeline: readonly TimelineEvent[];
  /** Every DUIS document of the scenario, in the order sent or received. */
  readonly duis: readonly DuisRecord[];
  /** Every expectation evaluated, held or not, in step order: what `smets1 diff` compares besides the verdict. */
  readonly expectations?: readonly ExpectationResult[];
  /**
   * Every alert the scenario's devices raised, as the harness's link received them: before the S1SP, which may not send
   * one on (61224) or throttle it, so this is what the fleet simulator counts (docs/fleet.md). Absent in results
   * written before it was kept.
   */
  readonly deviceAlerts?: readonly DeviceAlertRecord[];
}

export interface DeviceAlertRecord {
  /** Virtual epoch ms the device raised it. */
  readonly at: number;
  /** GBCS alert code, `0x8F70`. */
  readonly code: string;
  /** The device's EUI. */
  readonly device: string;
}

export interface ExpectationResult {
  /** The step as the pack names it (e.g. `expect #4 alert`). */
  readonly step: string;
  /** Virtual epoch ms when it was evaluated. */
  readonly at: number;
  readonly expected: string;
  readonly actual: string;
  /** Whether it passed (an inverted expectation passes when the written one does not hold). */
  readonly passed: boolean;
}

export interface Failure {
  /** The step as the pack names it (e.g. `expect #4` or `sr 6.15.1`). */
  readonly step: string;
  /** 1-based position of the step in the pack file. */
  readonly line?: number;
  readonly column?: number;
  readonly expected: string;
  readonly actual: string;
  readonly message: string;
}

export interface TimelineEvent {
  /** Virtual epoch ms. */
  readonly at: number;
  /** Virtual epoch ms; present for events with a duration (a migration step, a wait). */
  readonly end?: number;
  readonly lane: TimelineLane;
  readonly label: string;
  readonly detail?: string;
  /**
   * On an expectation: it failed (drawn red, the only red on the page). On any other event: it did not go as asked
   * (a refused request, a migration step that failed or was skipped), drawn amber, since a pack may make a step fail
   * on purpose and a run where that happens is green.
   */
  readonly failed?: boolean;
  /** Index into the scenario's `duis` of the document this event sent or received. */
  readonly duisRef?: number;
  /** A DUIS response's ResponseCode (`none` when it has none) or an alert's code (`0x8F48`, `N24`). */
  readonly code?: string;
  /** The device EUI of an alert (its originator) or of a device frame. */
  readonly device?: string;
  /** A device frame's response status (`ok`, `invalidParameter`, `no response (…)`). */
  readonly status?: string;
  /** A device command's frames as they crossed the wire, hex: what the harness sent and what it received. */
  readonly frames?: { readonly sent: readonly string[]; readonly received: readonly string[] };
}

export interface DuisRecord {
  /** What the document is (e.g. `8.11 UpdateHANDeviceLog`); names its file under reports/duis/. */
  readonly name: string;
  readonly xml: string;
  readonly direction: 'request' | 'response' | 'alert';
  /**
   * Why this document is not valid DUIS on purpose (a modelled defect: 91339/91340's response without a
   * ResponseCode). Written under reports/duis-invalid/ so that everything under reports/duis/ validates.
   */
  readonly schemaInvalid?: string;
}
