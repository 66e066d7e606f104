/**
 * The one pack executor (issue 10): runs a loaded pack's scenarios, each on a fresh DuisBench, and records a
 * ScenarioResult each (harness/reports/runResult.ts). `smets1 run` and tests/packs/builtin*.test.ts both call it.
 *
 * Expectations are evaluated exactly; an inverted one (invertPack) passes when the written one does not hold. The
 * window of `alert`/`noAlert` (docs/packs.md) covers the alerts raised from the START of the step before the expect
 * (a device's refusal alert is raised while its `sr` runs) up to that step's end plus `within`: the alerts that
 * arrived after that step began, so one the step before raised at the very instant the step began is not its.
 */
import { REMOTE_PARTY_ROLES } from '../../common/credentials/roles';
import { EMULATOR_EUI } from '../../protocols/constants';
import { parseCertificate } from '../../common/credentials/certificate';
import type { Recording } from '../../emulator/recording/recorder';
import type { DuisBench, DuisBenchOptions } from '../bench/duisBench';
import type { FarEndPortClient } from '../bench/farEndPort';
import { noFaults, type FaultRates } from '../../emulator/links/mockWire';
import { firstTryAfter } from '../../emulator/links/reconnector';
import { readDuisResponse, type DuisResponseReading } from '../duis/responseReader';
import { attemptSpans } from '../migration/attemptSpans';
import { frameTap } from '../migration/frameTap';
import { MemoryJournal } from '../migration/journal';
import type { DeviceFrame } from '../migration/log';
import { migrate, type MigrationResult, type StepHookContext } from '../migration/orchestrator';
import { untrustedParty, type SwapRole } from '../migration/parties';
import type { Expectation, Pack, Scenario, Step } from '../packs/model';
import type { DuisOutput } from '../s1sp/adapter';
import type {
  DeviceAlertRecord,
  DuisRecord,
  ExpectationResult,
  Failure,
  ScenarioResult,
  TimelineEvent,
} from '../reports/runResult';
import { startScenarioBench } from './benchFor';
import {
  alertName,
  messageSuccessText,
  missingAlertText,
  refusalsOf,
  unwantedAlertsText,
  type AlertWindow,
  type SeenAlert,
} from './failureTexts';
import { needsOperator, operatorStep, type OperatorStep } from './operatorSteps';
import { requestXml } from './packRequests';
import { ScenarioTimeout, watchTimeout } from './scenarioTimeout';
import { WireFrames } from './wireFrames';

export interface ExecuteOptions {
  /** Overrides every scenario's link (`smets1 run --link`). */
  readonly link?: string;
  /** `harness`: a serial:/tcp: link reaches `smets1 emulate --clock harness`, run in lockstep (`smets1 run --clock`). */
  readonly clock?: 'wall' | 'harness';
  /**
   * Operator steps (`devices: real`, operatorSteps.ts): resolves when the operator (at the terminal, or the
   * --operator-hook script) is done; `stopped` aborts when the scenario is abandoned. Default: fail (nobody there).
   */
  readonly prompt?: (text: string, step: OperatorStep, stopped: AbortSignal) => Promise<void>;
  /**
   * A wall-clock wait begins (a `wait`, an alert window on real time): what it waits for and when it ends (Date.now()
   * ms); the returned function is called when it is over. For the run's progress line (waitProgress.ts).
   */
  readonly waiting?: (what: string, endsAt: number) => () => void;
  /** The link layer's ack timeout and the wait for a device's response, in ms (`smets1 run --ack-timeout`, `--response-timeout`). */
  readonly ackTimeout?: number;
  readonly responseTimeout?: number;
  /** The pack file as shown in reports (default the path given to loadPack). */
  readonly displayFile?: string;
  /**
   * The far end of a `serial:`/`tcp:` link is our emulator: made the scenario's bench before it (`configure`, what its
   * pre-flight found it takes), or only reset (`reset`: `--no-preflight --clock harness`).
   */
  readonly farEnd?: 'reset' | 'configure';
  /** `smets1 run --record FILE`: every frame the harness sends and receives, each scenario after a `# scenario ID` line. */
  readonly recording?: Recording;
  /** Quirks switched over every scenario's bench (`smets1 run --quirk ID=on|off`): ids of benchSwitches.PACK_QUIRKS. */
  readonly quirks?: Readonly<Record<string, boolean>>;
}

interface SrRecord {
  readonly startMs: number;
  readonly endMs: number;
  readonly outputs: readonly DuisOutput[];
}

/** Each DUIS output is read (by path) once, however many expectations and report lines ask of it. */
const readings = new WeakMap<DuisOutput, DuisResponseReading>();

function readingOf(output: DuisOutput): DuisResponseReading {
  let reading = readings.get(output);
  if (reading === undefined) {
    reading = readDuisResponse(output);
    readings.set(output, reading);
  }
  return reading;
}

function alertOf(output: DuisOutput): SeenAlert {
  const reading = readingOf(output);
  const gbcs = reading.smets1?.alertCode;
  const dcc = reading.dccAlertCode;
  // a DCC alert has no device header: its ResponseID begins with the DCC's EUI (originator:target:counter)
  const originator = reading.smets1?.originator ?? reading.responseId?.split(':')[0] ?? '';
  return { at: output.at, originator, ...(gbcs ? { gbcs: Number.parseInt(gbcs, 16) } : {}), ...(dcc ? { dcc } : {}) };
}

function responseCode(output: DuisOutput): string | undefined {
  return readingOf(output).responseCode;
}

type AlertCode = Extract<Expectation, { kind: 'noAlert' }>['code'];
type LinkFaultStimulus = Extract<Extract<Step, { kind: 'stimulus' }>['stimulus'], { type: 'linkFault' }>;

function alertMatches(alert: SeenAlert, code: AlertCode, device: string | undefined): boolean {
  const codeMatches =
    code === undefined ? true : code.kind === 'device' ? alert.gbcs === code.code : alert.dcc === code.code;
  return codeMatches && (device === undefined || alert.originator === device);
}

const hex4 = (code: number) => `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Exported for the matcher tests (tests/packs/executorMatchers.test.ts), which run it on a hand-built bench. */
export class ScenarioRun {
  readonly timeline: TimelineEvent[] = [];
  readonly duis: DuisRecord[] = [];
  readonly failures: Failure[] = [];
  readonly expectations: ExpectationResult[] = [];
  private readonly seenOutputs = new Set<DuisOutput>();
  /** Alerts in arrival order, each read once (expectations look at them many times). */
  private readonly seenAlerts: SeenAlert[] = [];
  private lastSr?: SrRecord;
  private lastMigration?: MigrationResult;
  /** The installation's migration journal, shared by the scenario's migrate steps (a gas retry continues it). */
  private readonly journal = new MemoryJournal();
  private counter = 0;
  /** The rates the far end was last asked for (linkFault): each control says all three, a step may change one. */
  private farEndRates: FaultRates = noFaults;
  /** Failures told again by finish(). */
  private readonly retold: (() => void)[] = [];
  /**
   * The alert window: the first alert that arrived after the last step that was not an expect began (an index into
   * seenAlerts), and that step's end.
   */
  private window = { firstAlert: 0, endMs: 0 };
  /** The bench client's tap, from the start: a `replay` resends what it captured. */
  private readonly tap: ReturnType<typeof frameTap>;
  /** Aborted by stop(): the scenario was abandoned (its timeout), so nothing of it waits on any longer. */
  private readonly stopping = new AbortController();
  /** The step running (0-based), for a timeout to say where it struck. */
  current = 0;

  constructor(
    private readonly bench: DuisBench,
    private readonly scenario: Scenario,
    private readonly options: ExecuteOptions,
    private readonly installation: Parameters<typeof migrate>[1]['installation'] | undefined,
  ) {
    this.window = { firstAlert: 0, endMs: bench.clock.now() };
    this.tap = frameTap(bench.client, () => this.now());
  }

  private now(): number {
    return this.bench.clock.now();
  }

  /** Alert outputs of the S1SP not yet recorded: onto the timeline and into the DUIS records. */
  private collectAlerts(extra: readonly DuisOutput[] = []): void {
    for (const output of [
      ...extra.filter((o) => o.kind === 'dcc-alert' || o.kind === 'device-alert'),
      ...this.bench.alerts,
    ]) {
      if (this.seenOutputs.has(output)) continue;
      this.seenOutputs.add(output);
      const alert = alertOf(output);
      this.seenAlerts.push(alert);
      const code = alert.gbcs !== undefined ? hex4(alert.gbcs) : (alert.dcc ?? '?');
      this.duis.push({ name: `alert ${code} ${alert.originator}`, xml: output.xml, direction: 'alert' });
      this.timeline.push({
        at: output.at,
        lane: 'alerts',
        label: code,
        detail: alert.originator,
        duisRef: this.duis.length - 1,
        code,
        device: alert.originator,
      });
    }
  }

  /** Abandons the scenario: an operator step in progress is aborted, a wall-clock wait or poll ends. */
  stop(): void {
    this.stopping.abort();
  }

  /** `phase` names the pack's `setup` or `teardown` a step belongs to (in failures), empty for the scenario's own. */
  async step(step: Step, index: number, phase = ''): Promise<void> {
    this.current = index;
    if (step.kind === 'expect') {
      for (const expectation of step.expectations) await this.expect(expectation, index, phase);
      return;
    }
    const startMs = this.now();
    // alerts that arrived before this step began belong to the steps before it
    this.collectAlerts();
    const firstAlert = this.seenAlerts.length;
    switch (step.kind) {
      case 'wait': {
        const over =
          this.bench.virtual === undefined
            ? this.options.waiting?.(`wait ${step.ms / 1000} s`, Date.now() + step.ms)
            : undefined;
        try {
          await this.bench.advance(step.ms);
        } finally {
          over?.();
        }
        this.timeline.push({ at: startMs, end: this.now(), lane: 'stimulus', label: `wait ${step.ms / 1000} s` });
        break;
      }
      case 'stimulus':
        await this.stimulus(step, index);
        break;
      case 'sr':
        await this.sr(step);
        break;
      case 'migrate':
        await this.migrate(step);
        break;
    }
    this.collectAlerts();
    this.window = { firstAlert, endMs: this.now() };
  }

  private async stimulus(step: Extract<Step, { kind: 'stimulus' }>, index: number): Promise<void> {
    const at = this.now();
    const set = this.bench.sets[step.device?.set ?? 0]!;
    const stimulus = step.stimulus;
    // (a prompt alone is always the operator's, as needsOperator says: tested first here too, for the type checker)
    if (
      stimulus.type === 'operator' ||
      needsOperator(step, this.scenario.bench.devices, this.bench.lineFaults !== undefined)
    ) {
      const text = step.prompt ?? `${stimulus.type} ${step.device?.text ?? ''}`.trimEnd();
      if (this.options.prompt === undefined)
        throw new Error(
          `operator prompt "${text}": needs an operator at a terminal (run smets1 run on a TTY) or --operator-hook`,
        );
      await this.options.prompt(
        text,
        operatorStep(this.options.displayFile ?? step.position.file, this.scenario, step, index, text),
        this.stopping.signal,
      );
      this.timeline.push({ at, end: this.now(), lane: 'stimulus', label: `operator: ${text}` });
      return;
    }
    const send = async (eui: string, command: Parameters<DuisBench['command']>[1]) => {
      const response = await this.bench.command(eui, command);
      if (response.status !== 'ok')
        throw new Error(`stimulus ${command.type} to ${eui} was answered ${response.status}`);
    };
    let label: string;
    switch (stimulus.type) {
      case 'mainsVoltage':
        await send(step.device?.eui ?? set.euis.ESME!, { type: 'mainsVoltage', voltage: stimulus.voltage });
        label = `mains ${stimulus.voltage} V`;
        break;
      case 'power':
        await send(step.device?.eui ?? set.euis.ESME!, {
          type: 'load',
          activePower: stimulus.activePower,
          powerFactor: stimulus.powerFactor ?? 1,
        });
        label = `load ${stimulus.activePower} W`;
        break;
      case 'ppmidPowerOn':
        await send(step.device?.eui ?? set.euis.PPMID!, { type: 'powerOn' });
        label = 'PPMID power on';
        break;
      case 'supply':
        // the supply is the set's: the ESME models the premises' mains
        await send(set.euis.ESME!, { type: stimulus.state === 'cut' ? 'powerCut' : 'powerRestore' });
        label = `supply ${stimulus.state}`;
        break;
      case 'hanFailureRate':
        await send(step.device!.eui, { type: 'injectFault', fault: 'hanFailureRate', value: stimulus.value });
        label = `HAN loss ${stimulus.value} at ${step.device!.text}`;
        break;
      case 'linkFault':
        await this.linkFault(stimulus);
        return;
      case 'hanLogRemove':
        await send(step.device?.eui ?? set.euis.CH!, { type: 'hanLogRemove', deviceId: stimulus.removed.eui });
        label = `${stimulus.removed.text} off the device log of ${step.device?.text ?? 'CHF'}`;
        break;
      case 'polarity':
        await send(step.device!.eui, { type: 'polarity', reversed: stimulus.reversed });
        label = `polarity ${stimulus.reversed ? 'reversed' : 'correct'} at ${step.device!.text}`;
        break;
      case 'recover': {
        const outcome = await this.bench.recover(step.device!.eui);
        if (!outcome.sent) throw new Error(`recover ${step.device!.text}: ${outcome.reason}`);
        if (outcome.status !== 'ok')
          throw new Error(`recover ${step.device!.text}: the recovery replacement was answered ${outcome.status}`);
        label = `DCC recovery of ${step.device!.text}`;
        break;
      }
      case 'replay': {
        // the device's answer is the point (a refusal and its alert), so any status is recorded, none is an error
        const eui = step.device!.eui;
        const captured = this.tap.lastSigned.get(eui);
        if (captured === undefined)
          throw new Error(
            `replay at ${step.device!.text}: no signed command has gone to it in this scenario (6.11, 6.15.1 and 6.23 send one)`,
          );
        const response = await this.bench.command(eui, captured);
        label = `replay of ${captured.type} at ${step.device!.text}: ${response.status}`;
        break;
      }
    }
    this.timeline.push({ at, lane: 'stimulus', label });
  }

  /**
   * The mock line's faults (docs/packs.md, "linkFault"): the rates from now on, then a cut whose reconnection is a
   * timer on the bench clock, so the steps after it (a `wait`, an `sr`) run while the line is down.
   */
  private async linkFault(stimulus: LinkFaultStimulus): Promise<void> {
    const line = this.bench.lineFaults;
    if (line === undefined) {
      const link = this.options.link ?? this.scenario.bench.linkText;
      const port = this.bench.farEndPort;
      if (port !== undefined && (this.options.farEnd !== undefined || link === 'pty'))
        return this.farEndLinkFault(stimulus, port);
      throw new Error(
        `linkFault: the link "${link}" is not the mock line, whose faults only the executor can make, and its far end is not known to be smets1 emulate, which makes them on its side; run it with --link mock, against smets1 emulate (pre-flighted), or give the step a prompt for an operator who pulls the cable`,
      );
    }
    const at = this.now();
    const rates = (['dropWriteRate', 'corruptWriteRate', 'corruptByteRate'] as const).filter(
      (knob) => stimulus[knob] !== undefined,
    );
    if (rates.length > 0) {
      line.configure(Object.fromEntries(rates.map((knob) => [knob, stimulus[knob]])));
      this.timeline.push({
        at,
        lane: 'stimulus',
        label: `line lossy: ${rates.map((knob) => `${knob} ${stimulus[knob]}`).join(', ')}`,
      });
    }
    const cutMs = stimulus.disconnectMs;
    if (cutMs !== undefined) {
      line.disconnect('linkFault: mock line cut');
      this.bench.clock.setTimeout(() => line.reconnect(), cutMs);
      this.timeline.push({ at, end: at + cutMs, lane: 'stimulus', label: `line cut ${cutMs / 1000} s` });
      // the cut reaches the harness's port through promise jobs: let it land before the next step sends anything
      await this.bench.advance(0);
    }
  }

  /**
   * The same faults made by `smets1 emulate` at the far end (the linkFault control, docs/bench.md "Link faults at a
   * far end"): the rates from now on, at both ends of the device line there; a cut there lasts until the harness's
   * port would reopen over a cut serial line (its SerialLink's backoff: 35.75 s for 30 s), and the harness's port is
   * closed here as long, so what either side sends meanwhile waits as over the mock line. The harness's port never
   * sees the bytes the emulator would send between the line's return and that reopening: over the mock line they are
   * lost on the way, here they are not sent.
   */
  private async farEndLinkFault(stimulus: LinkFaultStimulus, port: FarEndPortClient): Promise<void> {
    const at = this.now();
    const rates = (['dropWriteRate', 'corruptWriteRate', 'corruptByteRate'] as const).filter(
      (knob) => stimulus[knob] !== undefined,
    );
    for (const knob of rates) this.farEndRates = { ...this.farEndRates, [knob]: stimulus[knob] };
    const cutMs = stimulus.disconnectMs;
    const outage = cutMs === undefined ? 0 : firstTryAfter(cutMs);
    const answer = await this.bench.command(EMULATOR_EUI, {
      type: 'linkFault',
      disconnect: outage,
      ...this.farEndRates,
      seed: this.scenario.bench.seed,
    });
    if (answer.status !== 'ok')
      throw new Error(
        `linkFault: the far end answered ${answer.status}${answer.status === 'invalidParameter' ? ' (its log says why)' : ': it is no smets1 emulate that takes linkFault'}`,
      );
    if (rates.length > 0)
      this.timeline.push({
        at,
        lane: 'stimulus',
        label: `line lossy at the far end: ${rates.map((knob) => `${knob} ${stimulus[knob]}`).join(', ')}`,
      });
    if (cutMs !== undefined) {
      port.closeFor(outage, this.bench.clock);
      this.timeline.push({
        at,
        end: at + cutMs,
        lane: 'stimulus',
        label: `line cut ${cutMs / 1000} s at the far end (port back at ${outage / 1000} s)`,
      });
    }
  }

  private async sr(step: Extract<Step, { kind: 'sr' }>): Promise<void> {
    const startMs = this.now();
    this.counter = Math.max(this.counter + 1, startMs);
    const { xml, label } = requestXml(step.request, this.counter, this.scenario.bench.seed, this.scenario.bench);
    this.duis.push({ name: `request ${label}`, xml, direction: 'request' });
    this.timeline.push({ at: startMs, lane: 'duis', label: `→ ${label}`, duisRef: this.duis.length - 1 });
    // the device commands the S1SP sent for it, with the status each was answered: the report's frames lane
    const tap = frameTap(this.bench.client, () => this.now());
    const frames: DeviceFrame[] = [];
    tap.sink = frames;
    const wire = new WireFrames(this.bench.wire);
    let result: Awaited<ReturnType<DuisBench['send']>>;
    let bytes: ReturnType<WireFrames['finish']> = [];
    try {
      result = await this.bench.send(xml);
    } finally {
      tap.sink = undefined;
      bytes = wire.finish(frames);
    }
    frames.forEach((frame, k) => {
      // in lockstep the harness's clock controls go through the same client: they are no device's frames
      if (frame.device === EMULATOR_EUI) return;
      this.timeline.push({
        at: frame.at,
        lane: 'frames',
        label: `${frame.command} → ${frame.device.slice(-2)}`,
        detail: frame.status,
        device: frame.device,
        status: frame.status,
        frames: bytes[k]!,
      });
    });
    const outputs = result.responses;
    for (const output of outputs) {
      if (output.kind === 'dcc-alert' || output.kind === 'device-alert') continue;
      const code = responseCode(output);
      this.duis.push({
        name: `response ${label} ${code ?? 'none'}`,
        xml: output.xml,
        direction: 'response',
        ...invalidOnPurpose(code),
      });
      this.timeline.push({
        at: output.at,
        lane: 'duis',
        label: `← ${code ?? 'none'}`,
        detail: output.note,
        duisRef: this.duis.length - 1,
        failed: output.kind === 'error',
        code: code ?? 'none',
      });
    }
    this.collectAlerts([...outputs, ...result.alerts]);
    this.lastSr = { startMs, endMs: this.now(), outputs };
  }

  private async migrate(step: Extract<Step, { kind: 'migrate' }>): Promise<void> {
    if (this.installation === undefined) throw new Error('migrate: the bench has no installation');
    const options = step.options;
    // a certificate fault is in the DCC's data: the swap request carries a certificate the device does not trust
    const certificateFaults = options.fail.filter((f) => f.certificate !== undefined);
    for (const f of options.fail.filter((f) => f.certificate === undefined)) {
      // a step is made to fail by taking its device off the HAN (every try lost), as failures.test.ts does; the
      // ESME and CH are not behind a lossy HAN link in the emulator, so that cannot fail them
      if (f.device !== undefined && f.device.role !== 'GSME' && f.device.role !== 'PPMID') {
        throw new Error(
          `migrate fail ${f.step} at ${f.device.text}: the executor fails a step by taking a HAN device (GSME or PPMID) out of reach; ${f.device.role} has no lossy HAN link to take down`,
        );
      }
    }
    const failing = options.fail.filter((f) => f.certificate === undefined).map((f) => ({ ...f, eui: f.device?.eui }));
    // `attempts` counts this step's attempts: a gas retry's first attempt is the installation's next one
    const attemptsBefore = this.lastMigration?.attempts ?? 0;
    const faulted = new Set<string>();
    const beforeStep = async (hook: StepHookContext) => {
      // per-device steps (a slot swap, a commissioning) match the named device; a check step matches whatever
      // device it reads first (hanPreCheck reads the CH's log, then the GSME's event log)
      const perDevice = hook.name === 'credentialSwap' || hook.name === 'commissioning';
      const entry = failing.find(
        (f) =>
          f.step === hook.name &&
          hook.attempt - attemptsBefore <= f.attempts &&
          (!perDevice || f.eui === undefined || f.eui === hook.device),
      );
      if (entry !== undefined) {
        // a failing step: its device out of reach (every HAN try lost), as a device off the HAN is
        const eui = entry.eui ?? hook.device ?? this.bench.sets[0]!.euis.GSME!;
        await hook.bench.command(eui, { type: 'injectFault', fault: 'hanFailureRate', value: 1 });
        faulted.add(eui);
      } else if (faulted.size > 0 && (hook.name === 'rollback' || hook.name === 'retryWait')) {
        for (const eui of faulted)
          await hook.bench.command(eui, { type: 'injectFault', fault: 'hanFailureRate', value: 0 });
        faulted.clear();
      }
    };
    const swapCertificate = ({ attempt, device, role }: { attempt: number; device: string; role: SwapRole }) => {
      const fault = certificateFaults.find(
        (f) =>
          f.device?.eui === device &&
          (f.slot === 'supplier' ? 2 : 3) === role &&
          attempt - attemptsBefore <= f.attempts,
      );
      return fault === undefined ? undefined : untrustedParty(this.scenario.bench.seed, role).certificate;
    };
    // the orchestrator drives the bench's clock itself (it paces its phases)
    const result = await migrate(this.bench, {
      installation: this.installation,
      seed: this.scenario.bench.seed,
      journal: this.journal,
      ...(options.gasRetry === true ? { gasRetry: true } : {}),
      ...(options.splitSupplierFix !== undefined ? { splitSupplierFix: options.splitSupplierFix } : {}),
      ...(options.maxFailedAttempts !== undefined ? { maxFailedAttempts: options.maxFailedAttempts } : {}),
      ...(options.gasHanFailure !== undefined ? { gasHanFailure: options.gasHanFailure } : {}),
      beforeStep,
      swapCertificate,
      // one RequestID sequence per user: a lockstep link spends no virtual time on a request, so the sr steps'
      // counters and the orchestrator's could otherwise meet at the same instant (E42)
      counterFloor: BigInt(this.counter),
    });
    this.counter = Math.max(this.counter, Number(this.journal.read()?.counter ?? 0));
    for (const eui of faulted)
      await this.bench.command(eui, { type: 'injectFault', fault: 'hanFailureRate', value: 0 });
    for (const record of result.steps) {
      this.timeline.push({
        at: record.startMs,
        end: record.endMs,
        lane: 'migration',
        label: `${record.name}${record.device ? ` ${record.device.slice(-2)}` : ''}${record.role !== undefined ? ` slot ${record.role}` : ''}`,
        detail: `${record.outcome}${record.detail ? `: ${record.detail}` : ''}`,
        failed: record.outcome !== 'ok',
      });
      for (const exchange of record.duis) {
        this.duis.push({
          name: `request ${exchange.srv} ${exchange.label}`,
          xml: exchange.request,
          direction: 'request',
        });
        this.timeline.push({
          at: record.startMs,
          lane: 'duis',
          label: `→ ${exchange.srv}`,
          duisRef: this.duis.length - 1,
        });
        for (const response of exchange.responses) {
          const code = responseCode(response);
          this.duis.push({
            name: `response ${exchange.srv} ${code ?? 'none'}`,
            xml: response.xml,
            direction: 'response',
            ...invalidOnPurpose(code),
          });
        }
      }
      if (record.frames.length > 0) {
        this.timeline.push({
          at: record.startMs,
          lane: 'frames',
          label: `${record.frames.length} device frame${record.frames.length === 1 ? '' : 's'}`,
          detail: record.frames.map((f) => `${f.command} → ${f.device.slice(-2)} ${f.status}`).join(', '),
        });
      }
    }
    // each attempt's span, as the fleet's records measure it, so a run of a fleet installation's pack compares
    for (const span of attemptSpans(result).filter((span) => span.attempt > attemptsBefore))
      this.timeline.push({
        at: span.startMs,
        end: span.endMs,
        lane: 'migration',
        label: `attempt ${span.attempt}`,
        detail: span.attempt === result.attempts ? result.outcome : 'failed',
      });
    this.lastMigration = result;
  }

  private async expect(expectation: Expectation, stepIndex: number, phase: string): Promise<void> {
    const { held, expected, actual, later } = await this.evaluate(expectation);
    const passed = held !== expectation.inverted;
    const label = `${expectation.inverted ? 'not ' : ''}${expected}`;
    this.timeline.push({ at: this.now(), lane: 'expect', label, detail: actual, ...(passed ? {} : { failed: true }) });
    this.expectations.push({
      step: `expect #${stepIndex + 1} ${expectation.kind}`,
      at: this.now(),
      expected: label,
      actual,
      passed,
    });
    if (!passed) {
      const where = expectation.position;
      const failure = (seen: string): Failure => ({
        step: `${phase === '' ? '' : `${phase} `}expect #${stepIndex + 1} ${expectation.kind}`,
        line: where.line,
        column: where.column,
        expected: label,
        actual: seen,
        // the reporters print the place (line, column) beside the message: it is not repeated in it
        message: `expected ${label}; got ${seen}`,
      });
      this.failures.push(failure(actual));
      if (later !== undefined) {
        const failureIndex = this.failures.length - 1;
        const event = this.timeline.length - 1;
        this.retold.push(() => {
          const seen = later();
          this.failures[failureIndex] = failure(seen);
          this.timeline[event] = { ...this.timeline[event]!, detail: seen };
        });
      }
    }
  }

  /**
   * At the scenario's end: the failures whose text depends on what came later (an alert's nearest miss after its
   * window, e.g. 0x8002 thirteen minutes late) are told again with everything the scenario saw.
   */
  finish(): void {
    this.collectAlerts();
    for (const retell of this.retold) retell();
  }

  private needSr(): SrRecord {
    if (this.lastSr === undefined) throw new Error('an expectation on a response needs an sr step before it');
    return this.lastSr;
  }

  private needMigration(): MigrationResult {
    if (this.lastMigration === undefined)
      throw new Error('an expectation on a migration needs a migrate step before it');
    return this.lastMigration;
  }

  /** Runs the bench until `found()` or the deadline (virtual time; on the wall clock, polls). */
  private async runUntil(found: () => boolean, deadline: number, what: string): Promise<void> {
    if (this.bench.virtual === undefined) {
      const over =
        this.now() < deadline ? this.options.waiting?.(what, Date.now() + (deadline - this.now())) : undefined;
      try {
        while (!found() && this.now() < deadline && !this.stopping.signal.aborted) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - this.now()))));
          this.collectAlerts();
        }
      } finally {
        over?.();
      }
      return;
    }
    for (;;) {
      this.collectAlerts();
      if (found()) return;
      const next = this.bench.nextDueTime();
      if (next === undefined || next > deadline) {
        if (this.now() < deadline) await this.bench.advance(deadline - this.now());
        this.collectAlerts();
        return;
      }
      await this.bench.advance(Math.max(0, next - this.now()));
    }
  }

  private alertsMatching(code: AlertCode, device: string | undefined, deadline: number): SeenAlert[] {
    return this.alertsInWindow(deadline).filter((a) => alertMatches(a, code, device));
  }

  private alertsInWindow(deadline: number): SeenAlert[] {
    return this.seenAlerts.slice(this.window.firstAlert).filter((a) => a.at <= deadline);
  }

  /** The alert window as failureTexts.ts tells it: everything in it, and the matching alerts outside it so far. */
  private alertWindow(code: AlertCode, device: string | undefined, deadline: number): AlertWindow {
    const { firstAlert, endMs } = this.window;
    const outside = this.seenAlerts
      .map((alert, i) => ({ alert, before: i < firstAlert }))
      .filter(({ alert, before }) => (before || alert.at > deadline) && alertMatches(alert, code, device))
      .map(({ alert }) => alert);
    return { stepEndMs: endMs, deadline, inWindow: this.alertsInWindow(deadline), outside };
  }

  private async evaluate(
    e: Expectation,
  ): Promise<{ held: boolean; expected: string; actual: string; later?: () => string }> {
    switch (e.kind) {
      case 'response': {
        const codes = this.needSr()
          .outputs.filter((o) => o.kind === 'response' || o.kind === 'error')
          .map((o) => responseCode(o) ?? 'none');
        const held = e.code === 'I99' ? codes.includes('I99') : codes.filter((c) => c !== 'I99').includes(e.code);
        return { held, expected: `response ${e.code}`, actual: `response codes ${codes.join(', ') || 'none'}` };
      }
      case 'messageSuccess': {
        const outputs = this.needSr().outputs;
        const flags = outputs
          .map((o) => readingOf(o).smets1?.rsp?.messageSuccess)
          .filter((f) => f !== undefined)
          .map(String);
        return {
          held: flags.includes(String(e.success)),
          expected: `MessageSuccess ${e.success}`,
          actual: messageSuccessText(
            flags,
            outputs.flatMap((o) => refusalsOf(readingOf(o))),
          ),
        };
      }
      case 'alert':
      case 'noAlert': {
        const deadline = this.window.endMs + e.withinMs;
        const device = e.device?.eui;
        const code =
          e.code === undefined
            ? 'any alert'
            : alertName(e.code.kind === 'device' ? { gbcs: e.code.code } : { dcc: e.code.code });
        const what = `${code}${e.device ? ` from ${e.device.text}` : ''} within ${e.withinMs / 1000} s`;
        const expected = `${e.kind === 'alert' ? 'alert' : 'no alert'} ${what}`;
        if (e.kind === 'alert')
          await this.runUntil(() => this.alertsMatching(e.code, device, deadline).length > 0, deadline, expected);
        else await this.runUntil(() => false, deadline, expected);
        const found = this.alertsMatching(e.code, device, deadline);
        const window = this.alertWindow(e.code, device, deadline);
        const expectedCode = e.code;
        const told =
          found.length === 0
            ? {
                actual: missingAlertText(window),
                later: () => missingAlertText(this.alertWindow(expectedCode, device, deadline)),
              }
            : { actual: unwantedAlertsText(found, this.window.endMs) };
        return { held: e.kind === 'alert' ? found.length > 0 : found.length === 0, expected, ...told };
      }
      case 'deviceState': {
        const info = await this.bench.command(e.device.eui, { type: 'readDeviceInfo' });
        const parts: string[] = [];
        const seen: string[] = [];
        let held = info.status === 'ok';
        if (e.migrationState !== undefined) {
          parts.push(`migrationState ${e.migrationState}`);
          seen.push(`migrationState ${String(info.body?.migrationState)}`);
          held &&= info.body?.migrationState === e.migrationState;
        }
        if (e.commissioned !== undefined) {
          parts.push(`commissioned ${e.commissioned}`);
          seen.push(`commissioned ${String(info.body?.commissioned)}`);
          held &&= info.body?.commissioned === e.commissioned;
        }
        if (e.supply !== undefined) {
          const supply = await this.bench.command(e.device.eui, { type: 'readSupply' });
          parts.push(`supply ${e.supply}`);
          // a dumb meter answers its supply read (a smart function) dumbMode: say so rather than "undefined"
          seen.push(
            supply.status === 'ok'
              ? `supply ${String(supply.body?.state)}`
              : `supply not read (readSupply answered ${supply.status})`,
          );
          held &&= supply.body?.state === e.supply;
        }
        if (e.joined !== undefined) {
          const log = await this.bench.command(e.device.eui, { type: 'readDeviceLog' });
          const entries = log.body?.entries ?? [];
          const joined = entries.filter((x) => x.joined).map((x) => x.deviceId);
          parts.push(`joined ${e.joined.map((d) => d.text).join(', ')}`);
          seen.push(`joined ${joined.join(', ') || 'none'}`);
          held &&= e.joined.every((d) => joined.includes(d.eui));
        }
        return {
          held,
          expected: `${e.device.text}: ${parts.join(', ')}`,
          actual: `${e.device.text}: ${seen.join(', ')}`,
        };
      }
      case 'slots': {
        let held = true;
        const parts: string[] = [];
        const seen: string[] = [];
        for (const [role, holder] of Object.entries(e.holders)) {
          const response = await this.bench.command(e.device.eui, {
            type: 'readCredentials',
            role: REMOTE_PARTY_ROLES[role as keyof typeof REMOTE_PARTY_ROLES],
          });
          const der = response.body?.certificate ?? '';
          const actual = der === '' ? 'empty' : parseCertificate(der).entityId;
          parts.push(`${role} ${holder}`);
          seen.push(`${role} ${actual}`);
          held &&= actual.toUpperCase() === holder!.toUpperCase();
        }
        return {
          held,
          expected: `${e.device.text} slots ${parts.join(', ')}`,
          actual: `${e.device.text} slots ${seen.join(', ')}`,
        };
      }
      case 'smiStatus': {
        const status = this.bench.registration.device(e.device.eui)?.smiStatus;
        return {
          held: status === e.status,
          expected: `${e.device.text} SMI status ${e.status}`,
          actual: `SMI status ${status ?? 'none'}`,
        };
      }
      case 'duration': {
        let span: { startMs: number; endMs: number } | undefined;
        if (e.of === 'sr') span = this.needSr();
        else if (e.of === 'migrate') span = this.needMigration();
        else span = [...this.needMigration().steps].reverse().find((s) => s.name === e.of);
        const ms = span === undefined ? undefined : span.endMs - span.startMs;
        const held =
          ms !== undefined &&
          (e.atLeastMs === undefined || ms >= e.atLeastMs) &&
          (e.atMostMs === undefined || ms <= e.atMostMs);
        const bounds = [
          e.atLeastMs !== undefined ? `at least ${e.atLeastMs / 1000} s` : '',
          e.atMostMs !== undefined ? `at most ${e.atMostMs / 1000} s` : '',
        ]
          .filter(Boolean)
          .join(' and ');
        return {
          held,
          expected: `${e.of} took ${bounds}`,
          actual: ms === undefined ? `no ${e.of} step` : `${e.of} took ${ms / 1000} s`,
        };
      }
      case 'migration': {
        const result = this.needMigration();
        const held = result.outcome === e.outcome && (e.attempts === undefined || result.attempts === e.attempts);
        return {
          held,
          expected: `migration ${e.outcome}${e.attempts !== undefined ? ` after ${e.attempts} attempt(s)` : ''}`,
          actual: `migration ${result.outcome} after ${result.attempts} attempt(s)${result.rejection ? ` (${result.rejection.code})` : ''}${result.dumbDevices ? ` (dumb: ${result.dumbDevices.join(', ')})` : ''}`,
        };
      }
    }
  }
}

/**
 * The pack's `setup:` or `teardown:` steps on the scenario's bench. An expectation that fails there, or a step that
 * cannot run, stops the scenario as an error naming the phase: what it tests was never reached, or the devices are
 * left where the next scenario cannot trust them.
 */
async function aroundSteps(run: ScenarioRun, steps: readonly Step[], phase: 'setup' | 'teardown'): Promise<void> {
  const before = run.failures.length;
  for (const [index, step] of steps.entries()) {
    try {
      await run.step(step, index, phase);
    } catch (error) {
      throw new Error(`${phase} step #${index + 1} (${step.kind}) could not run: ${(error as Error).message}`);
    }
    if (run.failures.length > before) {
      throw new Error(
        `${phase} failed at step #${index + 1}: ${run.failures
          .slice(before)
          .map((f) => f.message)
          .join('; ')}`,
      );
    }
  }
}

/** A scenario's id in a run: `pack#scenario`, unique across the run as pack names are. */
export function scenarioId(pack: Pack, scenario: Scenario): string {
  return `${pack.name}#${scenario.name}`;
}

/** The scenario as a run has it: its bench with `smets1 run --quirk` switched over (ExecuteOptions.quirks). */
export function withRunQuirks(scenario: Scenario, quirks: ExecuteOptions['quirks']): Scenario {
  return quirks === undefined
    ? scenario
    : { ...scenario, bench: { ...scenario.bench, quirks: { ...scenario.bench.quirks, ...quirks } } };
}

/** Runs one scenario of a pack on a fresh bench. Errors (a bench that will not start, a step that cannot run) are the `error` verdict. */
export async function runScenario(
  pack: Pack,
  written: Scenario,
  options: ExecuteOptions = {},
): Promise<ScenarioResult> {
  const scenario = withRunQuirks(written, options.quirks);
  const wallStart = performance.now();
  const base = {
    id: scenarioId(pack, scenario),
    pack: pack.name,
    file: options.displayFile ?? pack.file,
    name: scenario.name,
    seed: scenario.bench.seed,
  };
  let started: Awaited<ReturnType<typeof startScenarioBench>> | undefined;
  let run: ScenarioRun | undefined;
  let virtualStartMs = 0;
  let detachRecording: (() => void) | undefined;
  const recording = options.recording;
  recording?.comment(`scenario ${base.id}`);
  try {
    const timeouts = {
      ...(options.ackTimeout !== undefined ? { ackTimeout: options.ackTimeout } : {}),
      ...(options.responseTimeout !== undefined ? { responseTimeout: options.responseTimeout } : {}),
    };
    const tap: DuisBenchOptions['tap'] =
      recording && ((end, now) => (detachRecording = recording.attach(end, now, 'harness')));
    started = await startScenarioBench(scenario, options.link, options.clock, {
      ...timeouts,
      ...(options.farEnd !== undefined ? { farEnd: options.farEnd } : {}),
      ...(tap !== undefined ? { tap } : {}),
    });
    recording?.devices(
      started.bench.sets.flatMap((set) =>
        Object.entries(set.euis).map(([type, eui]) => ({ eui, type, vendor: set.vendor })),
      ),
    );
    virtualStartMs = started.bench.clock.now();
    const scenarioRun = (run = new ScenarioRun(started.bench, scenario, options, started.installation));
    let stopped: Error | undefined;
    try {
      await aroundSteps(scenarioRun, pack.setup, 'setup');
      if (scenario.timeout === undefined) {
        // no promise of all the steps to race: the promise jobs between the last step and finish() stay as they were
        for (const [index, step] of scenario.steps.entries()) await scenarioRun.step(step, index);
      } else {
        const steps = (async () => {
          for (const [index, step] of scenario.steps.entries()) await scenarioRun.step(step, index);
        })();
        const timeout = watchTimeout(started.bench, scenario.timeout, () => scenarioRun.current);
        try {
          await Promise.race([steps, timeout.expired]);
        } catch (error) {
          // the steps left running are abandoned: they settle (or not) with nobody waiting on them
          steps.catch(() => undefined);
          scenarioRun.stop();
          throw error;
        } finally {
          timeout.cancel();
        }
      }
    } catch (error) {
      // a scenario its timeout abandoned is stopped as a whole: its teardown would be abandoned too
      if (error instanceof ScenarioTimeout) throw error;
      stopped = error as Error;
    }
    // the teardown runs whatever came before: the next scenario on real hardware starts where it leaves the devices
    try {
      await aroundSteps(scenarioRun, pack.teardown, 'teardown');
    } catch (error) {
      stopped =
        stopped === undefined ? (error as Error) : new Error(`${stopped.message}; then ${(error as Error).message}`);
    }
    run.finish();
    if (stopped !== undefined) throw stopped;
    return {
      ...base,
      verdict: run.failures.length === 0 ? 'passed' : 'failed',
      wallMs: performance.now() - wallStart,
      virtualStartMs,
      virtualEndMs: started.bench.clock.now(),
      failures: run.failures,
      timeline: run.timeline,
      duis: run.duis,
      expectations: run.expectations,
      deviceAlerts: deviceAlertsOf(started.bench),
    };
  } catch (error) {
    const message = (error as Error).message;
    const failure: Failure =
      error instanceof ScenarioTimeout
        ? error.failure(scenario.steps)
        : { step: 'run', expected: 'the scenario to run', actual: message, message };
    return {
      ...base,
      verdict: 'error',
      wallMs: performance.now() - wallStart,
      virtualStartMs,
      virtualEndMs: started?.bench.clock.now() ?? virtualStartMs,
      failures: [...(run?.failures ?? []), failure],
      timeline: run?.timeline ?? [],
      duis: run?.duis ?? [],
      expectations: run?.expectations ?? [],
      deviceAlerts: started === undefined ? [] : deviceAlertsOf(started.bench),
    };
  } finally {
    await started?.close();
    detachRecording?.();
  }
}

/** Every alert the devices raised, as the harness's link received it (before the S1SP, which may withhold one). */
function deviceAlertsOf(bench: DuisBench): DeviceAlertRecord[] {
  return bench.deviceAlerts.map((alert) => ({ at: alert.at, code: hex4(alert.code), device: alert.source }));
}

/** A response without a ResponseCode is the modelled S1SP defect 91339/91340: schema-invalid on purpose. */
function invalidOnPurpose(code: string | undefined): { schemaInvalid?: string } {
  return code === undefined ? { schemaInvalid: 'no ResponseCode (defect 91339/91340, modelled by the S1SP)' } : {};
}
