/**
 * The pre-flight of a run against a far end the harness did not start (`smets1 run --link serial:… | tcp:…`, issue
 * 18): before the first scenario, what the far end says of itself (benchInfo, when it is our emulator) and of each
 * device the packs name (readDeviceInfo) is checked against what every scenario's bench wants, and each mismatch is
 * named with the place in the pack that wants it. A far end that is the wrong vendor, or has a quirk the other way,
 * would otherwise give plausible wrong verdicts (docs/bench.md "Pre-flight").
 */
import { resolveQuirks, type QuirkId } from '../../devices/quirks/registry';
import type { DeviceSetConfig } from '../../emulator/host/benchConfig';
import { configureBody } from '../../emulator/host/benchConfigure';
import { CONFIGURE_REFUSALS } from '../bench/duisBench';
import { EMULATOR_EUI } from '../../protocols/constants';
import type { CommandInput } from '../../protocols/benchClient';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName } from '../../protocols/messageTypes.generated';
import type { DeviceRole, Pack, PackBench, Scenario } from '../packs/model';
import type { SourcePosition } from '../packs/positions';
import { deviceQuirks, farEndSets, scenarioMigrationState } from './benchFor';

/** Asks the far end (a DuisBench's command on the link): a device's EUI, or EMULATOR_EUI for a bench control. */
export type FarEndAsk = <N extends RequestName>(eui: string, command: CommandInput<N>) => Promise<ResponseMessage<N>>;

export interface PreflightOptions {
  /** The run's clock for this far end: `harness` needs `smets1 emulate --clock harness` there. */
  readonly clock: 'wall' | 'harness';
  /** How the far end is named in messages (the link as given). */
  readonly link: string;
}

export interface PreflightResult {
  /**
   * The far end answered benchInfo: it is our emulator. `configure`: it took benchConfigure, and became each bench the
   * scenarios want (each scenario then starts with one); `reset`: it keeps its sets (`--state`), checked as it
   * started, and takes benchReset before each scenario. false: real hardware.
   */
  readonly emulator: false | 'configure' | 'reset';
  /** Every mismatch, one line each, `file:line:column: pack NAME wants …; the far end has …`; empty: it may run. */
  readonly problems: readonly string[];
  /** What could not be checked (quirks and start of real hardware), for the run's report. */
  readonly notes: readonly string[];
}

interface SetInfo {
  vendor: string;
  installation: string;
  migrationState: string;
  seed: number;
  ppmid: boolean;
  quirks: string;
}

interface BenchInfo {
  clock: 'wall' | 'harness';
  setCount: number;
  sets: SetInfo[];
}

type Wants = (where: SourcePosition, what: string, has: string) => void;

const VENDOR_NAMES: Record<string, string> = { itron: 'Itron', elster: 'Elster' };
const vendorName = (vendor: string) => VENDOR_NAMES[vendor] ?? vendor;
const MEMBERS: readonly DeviceRole[] = ['ESME', 'GSME', 'CH', 'PPMID'];
const article = (word: string) => (/^[AEIOU]/.test(word) ? 'an' : 'a');
const at = (where: SourcePosition) => `${where.file}:${where.line}:${where.column}`;

/** The sets the scenarios need, from the far end's benchInfo (64 an answer); undefined if it is no emulator. */
async function benchInfo(ask: FarEndAsk, sets: number): Promise<BenchInfo | undefined> {
  let info: BenchInfo | undefined;
  do {
    let answer: ResponseMessage<'benchInfo'>;
    try {
      answer = await ask(EMULATOR_EUI, { type: 'benchInfo', firstSet: info?.sets.length ?? 0 });
    } catch {
      // real hardware may not acknowledge a frame to an address it does not have
      return undefined;
    }
    if (answer.status !== 'ok' || answer.body === undefined) return undefined;
    const body: BenchInfo = answer.body;
    if (info === undefined) info = body;
    else info.sets.push(...body.sets);
    if (body.sets.length === 0) break;
  } while (info.sets.length < Math.min(sets, info.setCount));
  return info;
}

/**
 * Checks every scenario of `packs` against the far end `ask` reaches. An emulator that takes benchConfigure is made
 * each distinct bench the scenarios want in turn, and then checked as any far end is: what it says of itself after
 * the configure must be that bench, or the run is refused (an emulator that took the message and stayed what it was
 * would otherwise give plausible wrong verdicts). Scenarios that want the same thing are asked about once; a problem
 * is reported once however many scenarios share it.
 */
export async function preflight(
  packs: readonly Pack[],
  ask: FarEndAsk,
  options: PreflightOptions,
): Promise<PreflightResult> {
  const scenarios = packs.flatMap((pack) => pack.scenarios.map((scenario) => ({ pack, scenario })));
  const needSets = Math.max(1, ...scenarios.map(({ scenario }) => scenario.bench.sets));
  let info = await benchInfo(ask, needSets);
  const problems: string[] = [];
  const notes: string[] = [];
  const problem = (text: string) => {
    if (!problems.includes(text)) problems.push(text);
  };

  if (info === undefined) {
    if (options.clock === 'harness') {
      problems.push(
        `smets1 run --clock harness: the far end on ${options.link} does not answer benchInfo, so it is no \`smets1 emulate\` (start it with --clock harness, or run without --clock harness against real hardware)`,
      );
    } else {
      notes.push(
        `the far end on ${options.link} is not an emulator (no benchInfo): its devices' types and vendors were checked, not their quirks or starting state`,
      );
    }
  } else if (info.clock !== options.clock) {
    problems.push(
      info.clock === 'harness'
        ? `the far end on ${options.link} runs its devices on the harness clock (time stands until a harness moves it): run with --clock harness`
        : `smets1 run --clock harness: the far end on ${options.link} runs its devices on the wall clock (start it with \`smets1 emulate --clock harness\`)`,
    );
  }

  let devicesAsked = new Map<string, Promise<ResponseMessage<'readDeviceInfo'> | Error>>();
  const deviceInfo = (eui: string) => {
    let answer = devicesAsked.get(eui);
    if (answer === undefined) {
      answer = ask(eui, { type: 'readDeviceInfo' }).catch((error: Error) => error);
      devicesAsked.set(eui, answer);
    }
    return answer;
  };

  let mode: PreflightResult['emulator'] = info === undefined ? false : 'configure';
  let configured: string | undefined;
  for (const { pack, scenario } of scenarios) {
    const bench = scenario.bench;
    const wants: Wants = (where, what, has) =>
      problem(`${at(where)}: pack ${pack.name} wants ${what}; the far end has ${has}`);
    const where = (key: string) => bench.where[key] ?? bench.where.bench!;
    let sets: DeviceSetConfig[] | undefined;
    if (mode === 'configure') {
      sets = farEndSets(scenario);
      const key = JSON.stringify(sets);
      if (key !== configured) {
        const answer = await ask(EMULATOR_EUI, { type: 'benchConfigure', ...configureBody(sets) }).catch(
          (error: Error) => error,
        );
        if (!(answer instanceof Error) && answer.status === 'unsupported' && configured === undefined) {
          // an emulator that keeps its sets (--state): checked as it started, reset before each scenario
          mode = 'reset';
          sets = undefined;
          notes.push(
            `the far end on ${options.link} does not take benchConfigure (${CONFIGURE_REFUSALS.unsupported}): checked as it started, reset before each scenario`,
          );
        } else if (answer instanceof Error || answer.status !== 'ok') {
          const why =
            answer instanceof Error
              ? `given no answer (${answer.message})`
              : `refused it ${answer.status}: ${CONFIGURE_REFUSALS[answer.status] ?? 'no reason known'}`;
          wants(bench.where.bench!, `the bench of scenario "${scenario.name}" (benchConfigure)`, why);
          configured = undefined;
          continue;
        } else {
          configured = key;
          devicesAsked = new Map();
          info = await benchInfo(ask, needSets);
          if (info === undefined) {
            problem(`the far end on ${options.link} took benchConfigure, then no longer answered benchInfo`);
            continue;
          }
        }
      }
    }
    if (info !== undefined && bench.sets > info.setCount) {
      wants(
        where('sets'),
        `${bench.sets} device set(s)`,
        `${info.setCount}${mode === 'reset' ? ` (start it with --sets ${bench.sets})` : ' after benchConfigure'}`,
      );
    }
    if (info === undefined)
      cannotSetUp(
        scenario,
        `real hardware on ${options.link}, which no bench control message sets up (no benchConfigure)`,
        wants,
      );
    if (mode === 'reset')
      cannotSetUp(scenario, `an emulator on ${options.link} that keeps its sets (no benchConfigure)`, wants);
    for (let set = 0; set < bench.sets; set++) {
      const setInfo = info?.sets[set];
      if (setInfo !== undefined) checkSet(bench, scenario, set, setInfo, where, wants, mode === 'reset');
      const euis = sets?.[set]?.euis ?? bench.euis[set]!;
      for (const role of MEMBERS) {
        const eui = euis[role];
        if (eui === undefined) continue;
        const answer = await deviceInfo(eui);
        const wanted = `${article(vendorName(bench.vendor))} ${vendorName(bench.vendor)} ${role} at ${eui}`;
        if (answer instanceof Error) {
          wants(where('vendor'), wanted, `no answer from it (${answer.message})`);
          continue;
        }
        if (answer.status !== 'ok' || answer.body === undefined) {
          wants(
            where('vendor'),
            wanted,
            answer.status === 'unknownDevice'
              ? 'no device with that EUI'
              : `it answering readDeviceInfo ${answer.status}`,
          );
          continue;
        }
        const device = answer.body;
        if (device.deviceType !== role || device.vendor !== bench.vendor) {
          const has = `${vendorName(device.vendor)} ${device.deviceType}`;
          wants(where('vendor'), wanted, `${article(has)} ${has} (firmware ${device.firmwareVersion})`);
          continue;
        }
        // an emulator's start is its benchInfo (a reset returns to it); real hardware has only its state now
        const state = scenarioMigrationState(scenario);
        if (info === undefined && device.migrationState !== state) {
          wants(
            where('migrationState'),
            `the ${role} at ${eui} in migration state ${state}`,
            `it in ${device.migrationState}`,
          );
        }
      }
    }
  }
  return { emulator: mode, problems, notes };
}

/**
 * What a far end that takes no benchConfigure (real hardware, an emulator with `--state`) cannot be made over the
 * link: slots that start with another party's certificate. Named with where the pack wants it, and why (`has`).
 */
function cannotSetUp(scenario: Scenario, has: string, wants: Wants): void {
  const bench = scenario.bench;
  for (const { device, holders } of bench.slots) {
    for (const [slot, party] of Object.entries(holders)) {
      wants(
        bench.where.slots ?? bench.where.bench!,
        `the ${device.text}'s ${slot} slot to start with ${party}'s certificate`,
        `${has}: run it against \`smets1 emulate\` without --state, or on --link mock or pty`,
      );
    }
  }
}

/** One set of an emulator against a scenario's bench: vendor, seed, PPMID, starting migration state, quirks. */
function checkSet(
  bench: PackBench,
  scenario: Scenario,
  set: number,
  has: SetInfo,
  where: (key: string) => SourcePosition,
  wants: Wants,
  /** The emulator keeps its sets (no benchConfigure): each problem says which option to start it with. */
  hints: boolean,
): void {
  const which = `in set ${set}`;
  const hint = (text: string) => (hints ? ` (${text})` : ' after benchConfigure');
  if (has.vendor !== bench.vendor) {
    wants(
      where('vendor'),
      `${vendorName(bench.vendor)} devices ${which}`,
      `${vendorName(has.vendor)} ones${hint(`start it with --vendor ${bench.vendor}`)}`,
    );
    return; // the quirks of the other vendor say nothing more
  }
  if (has.seed !== bench.seed + set) {
    wants(
      where('seed'),
      `seed ${bench.seed + set} ${which} (its test PKI smso-${bench.seed})`,
      `seed ${has.seed}${hint(`start it with --seed ${bench.seed}`)}`,
    );
  }
  if (has.ppmid !== bench.ppmid) {
    wants(
      where('ppmid'),
      `${bench.ppmid ? 'a' : 'no'} PPMID ${which}`,
      `${has.ppmid ? 'one' : 'none'}${hint(bench.ppmid ? 'start it without --no-ppmid' : 'start it with --no-ppmid')}`,
    );
  }
  const state = scenarioMigrationState(scenario);
  if (has.migrationState !== state) {
    const why = state !== bench.migrationState ? ` (scenario "${scenario.name}" migrates them)` : '';
    wants(
      where('migrationState'),
      `devices starting in migration state ${state}${why} ${which}`,
      `them starting in ${has.migrationState}${hint(`start it with --migration-state ${state}`)}`,
    );
  }
  const wanted = new Set<string>(resolveQuirks(bench.vendor, deviceQuirks(bench)));
  const inForce = new Set(has.quirks === '' ? [] : has.quirks.split(','));
  for (const id of new Set([...wanted, ...inForce])) {
    if (wanted.has(id) === inForce.has(id)) continue;
    const on = wanted.has(id);
    wants(
      bench.where[`quirks.${id}`] ?? where('vendor'),
      `quirk ${id} ${on ? 'on' : 'off'} ${which}`,
      `it ${on ? 'off' : 'on'}${hint(`start it with --quirk ${id as QuirkId}=${on ? 'on' : 'off'}`)}`,
    );
  }
}
