/**
 * The migration orchestrator: one installation from its SMSO into the DCC, on the DUIS layer. Every device change
 * is a DUIS request through the bench's gateway → DSP → S1SP → bench link → devices; the orchestrator itself only
 * reads Registration Data and, as the DCC's migration service, records SMI status there after a commissioning.
 *
 * An attempt: eligibility (once, at the start: a rejection is final and right-first-time) → preparation (WAN
 * pre-check 7.4 on the ESME; HAN pre-check 8.9 on the CH and 6.13 on the GSME: a gas failure there is GT01 and the
 * attempt goes on electricity only) → credential swap (per meter: slot 2 by 6.23, slot 3 by 6.15.1 NetworkOperator)
 * → commissioning phase (configuration, 8.1.1 per device, post-checks). Each phase lasts what the vendor's
 * distribution draws (durations.ts, seeded), on the virtual clock. A failed attempt rolls every
 * slot it touched back to its SMSO certificate (6.15.1 signed at the device by whoever now holds the slot), waits
 * the retry interval and tries again; the fifth failed attempt excludes the installation (MEHRS).
 *
 * A device that answers `dumbMode` (an authenticated replacement failed part-way through its swap and left it with
 * anchors no party can use: docs/migration.md "Dumb mode") ends the run once its attempt is rolled back: `dumb`,
 * naming the device. Retrying cannot reach it; the DCC's recovery (S1spAdapter.recover) must bring it back first,
 * and a later migrate() on the same journal carries on with the next attempt.
 *
 * The journal is written before every step; migrate() on an installation whose journal shows an attempt under way
 * (the process died) rolls it back if the swap was incomplete, or finishes it forward if the swap was complete.
 */
import type { DuisBench } from '../bench/duisBench';
import { deriveSeed, seedRandom } from '../../common/random';
import { PHASE_DURATIONS, RETRY_INTERVAL_MS, sampleDuration } from './durations';
import { eligibility, type Rejection } from './eligibility';
import { frameTap } from './frameTap';
import { deviceOf, type MigrationInstallation } from './installation';
import { changedState, MemoryJournal, type Journal, type JournalState } from './journal';
import type { DuisExchange, PhaseName, PhaseRecord, StepName, StepRecord } from './log';
import { dccSupplierParty, migrationParties, SWAP_ROLES, type MigrationParties, type SwapRole } from './parties';
import { requests, type MigrationRequest } from './requests';
import { SentExchange } from './sentExchange';
import type { SmiStatus } from '../dsp/registrationData';
import { readDuisResponse, type DuisResponseReading } from '../duis/responseReader';
import { ResponseStatus } from '../../protocols/constants';

/** MEHRS: five failed attempts exclude an installation (public, DCC migration documents). */
const MAX_FAILED_ATTEMPTS = 5;
/** The SMETS1Debug responseCode of a device that answered dumbMode (written once, not per response). */
const DUMB_MODE_CODE = String(ResponseStatus.dumbMode);

/**
 * `rollback-pending`: an attempt failed and a slot could not be put back (its device out of reach); the journal
 * names it, and the next migrate() on the same journal finishes the rollback before anything else.
 */
export type MigrationOutcome =
  'migrated' | 'migrated-electricity-only' | 'rejected' | 'excluded' | 'rollback-pending' | 'dumb';

export interface StepHookContext {
  readonly attempt: number;
  readonly name: StepName;
  readonly device?: string;
  readonly role?: number;
  readonly bench: DuisBench;
}

export interface MigrateOptions {
  readonly installation: MigrationInstallation;
  /** The bench seed (its SMSO PKI `smso-<seed>`, the DCC parties, the duration draws). Default 1. */
  readonly seed?: number;
  /** The bench's PKI seed when not `seed` (DuisBench `pkiSeed`): the DCC parties are issued by `smso-<pkiSeed>`. */
  readonly pkiSeed?: number;
  /**
   * The seed's migration parties (parties.ts migrationParties(seed)), when the caller holds them already: the same
   * ones it gave the bench's S1SP as `keyParties`. Default: migrationParties(pkiSeed ?? seed), the same frozen ones.
   */
  readonly parties?: MigrationParties;
  /** Default a fresh in-memory journal; a FileJournal survives the process. */
  readonly journal?: Journal;
  readonly splitSupplierFix?: boolean;
  readonly maxFailedAttempts?: number;
  readonly retryIntervalMs?: number;
  /**
   * Wait out each phase's drawn duration (and the retry interval). Default: on a virtual-clock bench yes, on a real
   * link (wall clock) no — the draws are still made and logged.
   */
  readonly pace?: boolean;
  /**
   * An installation the journal shows migrated electricity only (GT01): one more attempt for its gas meter (the
   * 6.13 HAN check, the GSME's swap, its commissioning). Success makes it `migrated`; a failure is rolled back and
   * leaves it `migrated-electricity-only`. Without it, such an installation is returned as it is.
   */
  readonly gasRetry?: boolean;
  /**
   * What a gas failure at the HAN pre-check (GT01, GTA8) does to a dormant installation: `electricity-only` (default;
   * the DCC's 2021 MEHRS change: the electricity meter migrates alone) or `reject-dormant` (the 2020 rule the seeds
   * report: the dormant installation is rejected, nothing touched). An active installation migrates electricity
   * only either way.
   */
  readonly gasHanFailure?: 'electricity-only' | 'reject-dormant';
  /**
   * Called before every step (rollback steps included). Tests use it to put a fault on the bench at a chosen
   * moment, or to throw and so stop the process between two steps as kill -9 would.
   */
  readonly beforeStep?: (context: StepHookContext) => Promise<void> | void;
  /**
   * The certificate (hex) a swap request carries instead of the DCC party's, when it returns one: a fault a test or
   * pack puts in the DCC's data (a party of a PKI the device does not trust). Asked before each forward swap request.
   */
  /**
   * The last RequestID counter other senders on the same bench used for the DUIS users the orchestrator sends as
   * (a pack's `sr` steps): its counters stay above it, so the gateway never sees one repeated (E42).
   */
  readonly counterFloor?: bigint;
  /**
   * Whether each step's record keeps its DUIS exchanges (StepRecord.duis: the request text, the response and alert
   * documents) and the device frames they caused (StepRecord.frames). Default true. A fleet, which reads only a
   * migration's outcome and times, passes false: kept, every document of a migration lives until it ends, copied by
   * each young-generation GC on the way (a quarter of a fleet day's scavenging); without the frames the bench's client
   * is not wrapped either (frameTap.ts: a record and an extra async frame for each of a migration's ~30 device
   * commands).
   */
  readonly keepExchanges?: boolean;
  readonly swapCertificate?: (context: {
    readonly attempt: number;
    readonly device: string;
    readonly role: SwapRole;
  }) => string | undefined;
}

export interface MigrationResult {
  readonly installation: string;
  readonly outcome: MigrationOutcome;
  readonly rejection?: Rejection;
  /** GT01 at the HAN pre-check of the successful attempt. */
  readonly gasFailure?: string;
  readonly attempts: number;
  readonly failedAttempts: number;
  readonly steps: readonly StepRecord[];
  readonly phases: readonly PhaseRecord[];
  /** Failures of the attempts that failed, in order. */
  readonly failures: readonly string[];
  /** Outcome `dumb`: the devices that answered dumbMode. */
  readonly dumbDevices?: readonly string[];
  /** Set when this run continued an attempt a previous process had left in its journal. */
  readonly recovered?: 'rolled-back' | 'resumed';
  readonly startMs: number;
  readonly endMs: number;
}

class AttemptFailure extends Error {}

/** A pre-check finding that rejects the installation (2020 rule): nothing was changed, nothing to roll back. */
class PreCheckRejection extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

export async function migrate(bench: DuisBench, options: MigrateOptions): Promise<MigrationResult> {
  return new Orchestrator(bench, options).run();
}

/** An exchange with the reading of its last response: the steps that judge it read it once, in send(). */
interface Sent {
  readonly exchange: DuisExchange;
  readonly last: DuisResponseReading;
}

class Orchestrator {
  private readonly installation: MigrationInstallation;
  private readonly journal: Journal;
  private readonly parties: MigrationParties;
  private readonly steps: StepRecord[] = [];
  private readonly phases: PhaseRecord[] = [];
  private readonly failures: string[] = [];
  /** Devices that answered dumbMode in this run. */
  private readonly dumb = new Set<string>();
  /** The frame recorder on the bench's client; none when the steps keep no exchanges (keepExchanges false). */
  private readonly tap: ReturnType<typeof frameTap> | undefined;
  private state!: JournalState;
  private recovered: MigrationResult['recovered'];
  private readonly startMs: number;

  constructor(
    private readonly bench: DuisBench,
    private readonly options: MigrateOptions,
  ) {
    this.installation = options.installation;
    this.journal = options.journal ?? new MemoryJournal();
    this.parties = options.parties ?? migrationParties(options.pkiSeed ?? options.seed ?? 1);
    this.tap = options.keepExchanges === false ? undefined : frameTap(bench.client, () => bench.clock.now());
    this.startMs = bench.clock.now();
  }

  async run(): Promise<MigrationResult> {
    const previous = this.journal.read();
    if (previous !== undefined && previous.installation !== this.installation.id) {
      throw new Error(`migration journal is for installation ${previous.installation}, not ${this.installation.id}`);
    }
    for (const [device, status] of Object.entries(previous?.smi ?? {}))
      this.bench.registration.setSmiStatus(device, status);
    this.state = previous ?? {
      installation: this.installation.id,
      phase: 'checking',
      attempt: 0,
      failedAttempts: 0,
      step: 'eligibility',
      swapComplete: false,
      slotChanges: [],
      electricityOnly: false,
      random: seedRandom(deriveSeed(this.options.seed ?? 1, `migration/${this.installation.id}`)),
      phaseStartMs: this.bench.clock.now(),
      counter: '0',
    };
    switch (this.state.phase) {
      case 'migrated':
        if (this.state.electricityOnly && this.options.gasRetry === true) return (await this.attempt(false, true))!;
        return this.result(this.state.electricityOnly ? 'migrated-electricity-only' : 'migrated');
      case 'rejected':
      case 'excluded':
        return this.result(this.state.phase);
      case 'checking': {
        // eligibility reads data only: after a crash it simply runs again
        const rejection = await this.step('eligibility', {}, async (record) => {
          const found = eligibility(this.installation, this.bench.registration, {
            splitSupplierFix: this.options.splitSupplierFix,
          });
          if (found !== undefined) {
            record.outcome = 'failed';
            record.detail = `${found.code}: ${found.detail}`;
          }
          return found;
        });
        if (rejection !== undefined) {
          this.save({ phase: 'rejected', rejection });
          return this.result('rejected');
        }
        this.save({ phase: 'waiting' });
        break;
      }
      case 'waiting':
        break;
      case 'attempting':
      case 'rolling-back':
        if (this.state.phase === 'rolling-back' || !this.state.swapComplete) {
          this.recovered = 'rolled-back';
          const gas = this.state.gasOnly === true;
          if (!(await this.failAttempt(`attempt ${this.state.attempt} interrupted at ${this.state.step}`)))
            return this.result('rollback-pending');
          if (gas) return this.result('migrated-electricity-only');
        } else {
          this.recovered = 'resumed';
          const done = await this.attempt(true);
          if (done !== undefined) return done;
        }
        break;
    }
    while (this.state.failedAttempts < this.maxFailed()) {
      if (this.state.failedAttempts > 0) await this.retryWait();
      const done = await this.attempt(false);
      if (done !== undefined) return done;
    }
    this.save({ phase: 'excluded' });
    return this.result('excluded');
  }

  private pacing(): boolean {
    return this.options.pace ?? this.bench.virtual !== undefined;
  }

  private maxFailed(): number {
    return this.options.maxFailedAttempts ?? MAX_FAILED_ATTEMPTS;
  }

  /**
   * One attempt (or the rest of one, when resuming after the swap; or a gas retry); undefined when it failed and was
   * rolled back (a failed gas retry returns its result: the installation stays migrated electricity only).
   */
  private async attempt(resuming: boolean, gas = false): Promise<MigrationResult | undefined> {
    const gasOnly = gas || this.state.gasOnly === true;
    try {
      if (!resuming) {
        this.save({
          phase: 'attempting',
          attempt: this.state.attempt + 1,
          swapComplete: false,
          slotChanges: [],
          gasOnly,
          electricityOnly: false,
          ...(gasOnly ? {} : { gasFailure: undefined, supplyBefore: undefined }),
        });
        await this.phase('preparation', () => (gasOnly ? this.gasPreparation() : this.preparation()));
        await this.phase('credentialSwap', () => this.credentialSwap());
        this.save({ swapComplete: true });
      }
      await this.phase('commissioning', () => this.commissioningPhase(), resuming);
    } catch (error) {
      if (error instanceof PreCheckRejection) {
        this.save({ phase: 'rejected', rejection: error.rejection, step: 'done' });
        return this.result('rejected');
      }
      if (!(error instanceof AttemptFailure)) throw error;
      if (!(await this.failAttempt(error.message))) return this.result('rollback-pending');
      // a dumb device cannot take a retry: stop here, the attempt counted and rolled back, until it is recovered
      if (this.dumb.size > 0) return this.result('dumb');
      return gasOnly ? this.result('migrated-electricity-only') : undefined;
    }
    this.save({ phase: 'migrated', step: 'done', gasOnly: false, ...(gasOnly ? { gasFailure: undefined } : {}) });
    return this.result(this.state.electricityOnly ? 'migrated-electricity-only' : 'migrated');
  }

  /** Runs a phase's steps, then waits out the duration drawn for it (if the traffic took less). */
  private async phase(name: PhaseName, body: () => Promise<void>, resuming = false): Promise<void> {
    const resumed = resuming && this.state.phaseName === name && this.state.phaseDrawnSeconds !== undefined;
    const drawn = resumed ? this.state.phaseDrawnSeconds! : this.draw(name);
    const startMs = resumed ? this.state.phaseStartMs : this.bench.clock.now();
    if (!resumed) this.save({ phaseName: name, phaseStartMs: startMs, phaseDrawnSeconds: drawn });
    await body();
    const endMs = startMs + drawn * 1000;
    const now = this.bench.clock.now();
    if (this.pacing() && now < endMs) await this.bench.advance(endMs - now);
    this.phases.push({
      attempt: this.state.attempt,
      name,
      drawnSeconds: drawn,
      startMs,
      endMs: this.bench.clock.now(),
    });
  }

  private draw(name: PhaseName): number {
    const vendor = this.installation.devices[0].vendor;
    const [seconds, next] = sampleDuration(PHASE_DURATIONS[vendor][name], this.state.random);
    this.save({ random: next });
    return seconds;
  }

  private async preparation(): Promise<void> {
    const esme = this.device('ESME');
    const supplier = this.installation.electricitySupplier;
    await this.step('wanPreCheck', { device: esme }, async (record) => {
      const { exchange, last } = await this.send(record, (ids) => requests.readSupplyStatus(ids), supplier, esme);
      if (!exchange.success)
        throw new AttemptFailure(
          `WAN pre-check: 7.4 to the ESME failed (${exchange.error ?? exchange.codes.join(' ')})`,
        );
      const supply = last.smets1?.rsp?.supplyState;
      this.save({ supplyBefore: supply });
      record.detail = `supply ${supply}`;
    });
    await this.step('hanPreCheck', { device: this.device('CHF') }, async (record) => {
      const { exchange: log, last } = await this.send(
        record,
        (ids) => requests.readDeviceLog(ids),
        supplier,
        this.device('CHF'),
      );
      if (!log.success)
        throw new AttemptFailure(`HAN pre-check: 8.9 to the CH failed (${log.error ?? log.codes.join(' ')})`);
      const joined = last.smets1?.rsp?.deviceLogIds ?? [];
      if (!joined.includes(this.device('ESME')))
        throw new AttemptFailure(`HAN pre-check: the ESME is not in the CH's device log`);
      const gsme = this.device('GSME');
      // GT01: the GSME does not answer over the HAN; GTA8 (assumed meaning, docs/fleet.md): the CH no longer
      // holds the GSME in its device log, so the gas meter is not on the installation's HAN at all
      let gas: { code: 'GT01' | 'GTA8'; detail: string } | undefined;
      if (!joined.includes(gsme)) gas = { code: 'GTA8', detail: 'the GSME is not in the CH device log' };
      else {
        const unreached = await this.gasHanFailure(record, gsme);
        if (unreached !== undefined) gas = { code: 'GT01', detail: unreached };
      }
      if (gas !== undefined) {
        if (this.installation.kind === 'dormant' && this.options.gasHanFailure === 'reject-dormant') {
          record.outcome = 'failed';
          record.detail = `${gas.code}: ${gas.detail}: dormant installation rejected (2020 rule)`;
          throw new PreCheckRejection({ code: gas.code, detail: gas.detail });
        }
        this.save({ electricityOnly: true, gasFailure: `${gas.code}: ${gas.detail}` });
        record.detail = `${gas.code}: ${gas.detail}: migrating electricity only`;
      }
    });
  }

  /** A gas retry's preparation: the GSME must answer over the HAN (6.13); if not, the retry fails (GT01 again). */
  private async gasPreparation(): Promise<void> {
    const gsme = this.device('GSME');
    await this.step('hanPreCheck', { device: gsme }, async (record) => {
      const unreached = await this.gasHanFailure(record, gsme);
      if (unreached !== undefined) throw new AttemptFailure(`GT01: ${unreached}`);
    });
  }

  /** Reads the GSME's event log (6.13) over the HAN: why it failed, or undefined when the gas meter answered. */
  private async gasHanFailure(record: StepRecord, gsme: string): Promise<string | undefined> {
    const { exchange: read } = await this.send(
      record,
      (ids) => requests.readGasEventLog(ids),
      this.installation.gasSupplier,
      gsme,
    );
    return read.success ? undefined : `6.13 to the GSME failed (${read.error ?? read.codes.join(' ')})`;
  }

  private meters(): string[] {
    if (this.state.gasOnly === true) return [this.device('GSME')];
    return this.state.electricityOnly ? [this.device('ESME')] : [this.device('ESME'), this.device('GSME')];
  }

  private async credentialSwap(): Promise<void> {
    for (const meter of this.meters()) {
      for (const role of SWAP_ROLES) {
        await this.step('credentialSwap', { device: meter, role }, async (record) => {
          this.save({ slotChanges: [...this.state.slotChanges, { device: meter, role, state: 'intended' }] });
          const { exchange } = await this.replace(record, meter, role, 'dcc');
          if (!exchange.success)
            throw new AttemptFailure(
              `credential swap: slot ${role} of ${meter} failed (${exchange.error ?? exchange.codes.join(' ')})`,
            );
          this.save({
            slotChanges: this.state.slotChanges.map((c) =>
              c.device === meter && c.role === role ? { ...c, state: 'done' as const } : c,
            ),
          });
        });
      }
    }
  }

  private async commissioningPhase(): Promise<void> {
    const esme = this.device('ESME');
    await this.step('configuration', { device: esme }, async (record) => {
      if (this.installation.kind === 'active' || this.state.gasOnly === true) {
        record.outcome = 'skipped';
        record.detail =
          this.state.gasOnly === true
            ? 'gas retry: the ESME is configured already'
            : 'active installation: the supplier configuration carries over';
        return;
      }
      const { exchange } = await this.send(
        record,
        (ids) => requests.configureAlerts(ids),
        this.installation.networkOperator,
        esme,
      );
      if (!exchange.success)
        throw new AttemptFailure(
          `configuration: 6.22 to the ESME failed (${exchange.error ?? exchange.codes.join(' ')})`,
        );
    });
    const ppmid =
      deviceOf(this.installation, 'PPMID') === undefined || this.state.gasOnly === true ? [] : [this.device('PPMID')];
    const toCommission = [...this.meters(), ...ppmid];
    for (const device of toCommission) {
      await this.step('commissioning', { device }, async (record) => {
        const isGas = device === this.device('GSME');
        const { exchange } = await this.send(
          record,
          (ids) => requests.commission(ids, this.bench.clock.now()),
          isGas ? this.installation.gasSupplier : this.installation.electricitySupplier,
          device,
        );
        if (!exchange.success)
          throw new AttemptFailure(
            `commissioning: 8.1.1 to ${device} failed (${exchange.error ?? exchange.codes.join(' ')})`,
          );
        this.setSmi(device, 'Commissioned');
        // the CH has no SR here: the DCC takes it into service with the installation's ESME (assumed)
        if (device === esme) this.setSmi(this.device('CHF'), 'Commissioned');
      });
    }
    await this.step('postChecks', { device: esme }, async (record) => {
      const { exchange: supply, last } = await this.send(
        record,
        (ids) => requests.readSupplyStatus(ids),
        this.installation.electricitySupplier,
        esme,
      );
      if (!supply.success)
        throw new AttemptFailure(`post-check: 7.4 to the ESME failed (${supply.error ?? supply.codes.join(' ')})`);
      const after = last.smets1?.rsp?.supplyState;
      const before = this.state.supplyBefore;
      if (this.installation.kind === 'active' && before !== undefined && after !== before) {
        throw new AttemptFailure(`post-check: supply ${before} before migration, ${after} after`);
      }
      record.detail = `supply ${after}`;
    });
  }

  /**
   * Rolls back every slot the attempt touched (newest first) and counts the failed attempt. A slot whose rollback
   * fails (its device out of reach) stays in the journal and the others are still rolled back; then the rollback is
   * pending (false): the installation is not retried until a later migrate() has rolled it back completely.
   */
  private async failAttempt(reason: string): Promise<boolean> {
    if (this.state.phase !== 'rolling-back') this.failures.push(reason);
    this.save({ phase: 'rolling-back', step: 'rollback' });
    for (const change of [...this.state.slotChanges].reverse()) {
      await this.step('rollback', { device: change.device, role: change.role }, async (record) => {
        const { exchange } = await this.replace(record, change.device, change.role, 'smso');
        if (!exchange.success) {
          record.outcome = 'failed';
          record.detail = `rollback of slot ${change.role} of ${change.device} failed (${exchange.error ?? exchange.codes.join(' ')}): pending`;
          return;
        }
        this.save({
          slotChanges: this.state.slotChanges.filter((c) => !(c.device === change.device && c.role === change.role)),
        });
      });
    }
    // a gas retry un-commissions only the GSME: the electricity side stays migrated
    const touched =
      this.state.gasOnly === true ? [this.device('GSME')] : this.installation.devices.map((d) => d.deviceId);
    for (const device of touched) {
      if (this.bench.registration.device(device)?.smiStatus === 'Commissioned')
        this.setSmi(device, 'InstalledNotCommissioned');
    }
    if (this.state.slotChanges.length > 0) return false;
    if (this.state.gasOnly === true) {
      this.save({
        phase: 'migrated',
        step: 'done',
        failedAttempts: this.state.failedAttempts + 1,
        swapComplete: false,
        gasOnly: false,
        electricityOnly: true,
        gasFailure: reason,
      });
      return true;
    }
    this.save({
      phase: 'waiting',
      failedAttempts: this.state.failedAttempts + 1,
      swapComplete: false,
      electricityOnly: false,
      step: 'retryWait',
    });
    return true;
  }

  private async retryWait(): Promise<void> {
    await this.step('retryWait', {}, async (record) => {
      if (this.pacing()) await this.bench.advance(this.options.retryIntervalMs ?? RETRY_INTERVAL_MS);
      record.detail = `after failed attempt ${this.state.failedAttempts}`;
    });
  }

  /** Slot 2 forward by 6.23 (the transitional CoS party installs the meter's supplier), back by 6.15.1; slot 3 by 6.15.1. */
  private replace(record: StepRecord, meter: string, role: SwapRole, to: 'dcc' | 'smso'): Promise<Sent> {
    const isGas = meter === this.device('GSME');
    const supplier = isGas ? this.installation.gasSupplier : this.installation.electricitySupplier;
    // the meter's own supplier: a split-supplier home's GSME gets the gas supplier's certificate
    const fault =
      to === 'dcc' ? this.options.swapCertificate?.({ attempt: this.state.attempt, device: meter, role }) : undefined;
    const certificate =
      fault ??
      (to === 'dcc' && role === 2
        ? dccSupplierParty(this.options.pkiSeed ?? this.options.seed ?? 1, supplier, this.parties).certificate
        : this.parties[to][role].certificate);
    const label = `${role === 2 ? 'Supplier' : 'NetworkOperator'} ← ${to.toUpperCase()}`;
    if (role === 2 && to === 'dcc') {
      return this.send(
        record,
        (ids) =>
          requests.changeOfSupplier(
            ids,
            certificate,
            isGas ? this.installation.mprn : this.installation.mpan,
            `6.23 ${label}`,
          ),
        supplier,
        meter,
      );
    }
    const originator = role === 2 ? supplier : this.installation.networkOperator;
    return this.send(
      record,
      (ids) => requests.replaceKrp(ids, role === 2 ? 'Supplier' : 'NetworkOperator', certificate, `6.15.1 ${label}`),
      originator,
      meter,
    );
  }

  private async step<T>(
    name: StepName,
    where: { device?: string; role?: number },
    body: (record: StepRecord) => Promise<T>,
  ): Promise<T> {
    this.save({
      step:
        where.device === undefined
          ? name
          : `${name} ${where.device}${where.role === undefined ? '' : ` slot ${where.role}`}`,
    });
    // awaited only when there is a hook: `await undefined` is still a turn of the microtask queue per step
    const { beforeStep } = this.options;
    if (beforeStep !== undefined) await beforeStep({ attempt: this.state.attempt, name, ...where, bench: this.bench });
    const record: StepRecord = {
      attempt: this.state.attempt,
      name,
      ...where,
      startMs: this.bench.clock.now(),
      endMs: 0,
      outcome: 'ok',
      duis: [],
      frames: [],
    };
    this.steps.push(record);
    if (this.tap !== undefined) this.tap.sink = record.frames;
    try {
      return await body(record);
    } catch (error) {
      record.outcome = 'failed';
      record.detail ??= (error as Error).message;
      throw error;
    } finally {
      if (this.tap !== undefined) this.tap.sink = undefined;
      record.endMs = this.bench.clock.now();
    }
  }

  private async send(
    record: StepRecord,
    make: (ids: { originator: string; target: string; counter: bigint }) => MigrationRequest,
    originator: string,
    target: string,
  ): Promise<Sent> {
    const request = make({ originator, target, counter: this.nextCounter() });
    const result = await this.bench.send(request.xml);
    const lastReading = readDuisResponse(result.responses.at(-1)!);
    if (lastReading.smets1?.debug?.responseCode === DUMB_MODE_CODE) this.dumb.add(target);
    const exchange = new SentExchange(request, originator, target, result.responses, result.alerts, lastReading);
    if (this.options.keepExchanges !== false) record.duis.push(exchange);
    return { exchange, last: lastReading };
  }

  /** RequestID counters: the clock in ms, kept strictly increasing across restarts (it lives in the journal). */
  private nextCounter(): bigint {
    const now = BigInt(this.bench.clock.now());
    const journalled = BigInt(this.state.counter);
    const floor = this.options.counterFloor ?? 0n;
    const last = journalled > floor ? journalled : floor;
    const next = now > last ? now : last + 1n;
    this.save({ counter: next.toString() });
    return next;
  }

  private device(type: 'ESME' | 'GSME' | 'CHF' | 'PPMID'): string {
    const id = deviceOf(this.installation, type);
    if (id === undefined) throw new Error(`installation ${this.installation.id} has no ${type}`);
    return id.toUpperCase();
  }

  /** SMI status in the DSP's Registration Data, recorded in the journal too. */
  private setSmi(device: string, status: SmiStatus): void {
    this.bench.registration.setSmiStatus(device, status);
    this.save({ smi: { ...this.state.smi, [device]: status } });
  }

  private save(change: Partial<JournalState>): void {
    this.state = changedState(this.state, change);
    this.journal.write(this.state);
  }

  private result(outcome: MigrationOutcome): MigrationResult {
    const rejection = this.state.rejection;
    return {
      installation: this.installation.id,
      outcome,
      ...(rejection === undefined ? {} : { rejection }),
      ...(outcome === 'migrated-electricity-only' && this.state.gasFailure !== undefined
        ? { gasFailure: this.state.gasFailure }
        : {}),
      attempts: this.state.attempt,
      failedAttempts: this.state.failedAttempts,
      steps: this.steps,
      phases: this.phases,
      failures: this.failures,
      ...(outcome === 'dumb' ? { dumbDevices: [...this.dumb] } : {}),
      ...(this.recovered === undefined ? {} : { recovered: this.recovered }),
      startMs: this.startMs,
      endMs: this.bench.clock.now(),
    };
  }
}
