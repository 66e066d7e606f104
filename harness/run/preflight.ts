/**
 * The pre-flight of a run against a far end the harness did not start (`smets1 run --link serial:… | tcp:…`, issue
 * 18): before the first scenario, what the far end says of itself (benchInfo, when it is our emulator) and of each
 * device the packs name (readDeviceInfo) is checked against what every scenario's bench wants, and each mismatch is
 * named with the place in the pack that wants it. A far end that is the wrong vendor, or has a quirk the other way,
 * would otherwise give plausible wrong verdicts (docs/bench.md "Pre-flight").
 */
import { resolveQuirks, type QuirkId } from '../../devices/quirks/registry';
import { setEuis } from '../../emulator/host/benchConfig';
import { EMULATOR_EUI } from '../../protocols/constants';
import type { CommandInput } from '../../protocols/benchClient';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName } from '../../protocols/messageTypes.generated';
import type { DeviceRole, Pack, PackBench, Scenario } from '../packs/model';
import type { SourcePosition } from '../packs/positions';
import { deviceQuirks, scenarioMigrationState } from './benchFor';

/** Asks the far end (a DuisBench's command on the link): a device's EUI, or EMULATOR_EUI for a bench control. */
export type FarEndAsk = <N extends RequestName>(eui: string, command: CommandInput<N>) => Promise<ResponseMessage<N>>;

export interface PreflightOptions {
  /** The run's clock for this far end: `harness` needs `smets1 emulate --clock harness` there. */
  readonly clock: 'wall' | 'harness';
  /** How the far end is named in messages (the link as given). */
  readonly link: string;
}

export interface PreflightResult {
  /** The far end answered benchInfo: it is our emulator, which takes benchReset before each scenario. */
  readonly emulator: boolean;
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
 * Checks every scenario of `packs` against the far end `ask` reaches. Scenarios that want the same thing are asked
 * about once; a problem is reported once however many scenarios share it.
 */
export async function preflight(packs: readonly Pack[], ask: FarEndAsk, options: PreflightOptions): Promise<PreflightResult> {
  const scenarios = packs.flatMap((pack) => pack.scenarios.map((scenario) => ({ pack, scenario })));
  const needSets = Math.max(1, ...scenarios.map(({ scenario }) => scenario.bench.sets));
  const info = await benchInfo(ask, needSets);
  const problems: string[] = [];
  const notes: string[] = [];
  const problem = (text: string) => {
    if (!problems.includes(text)) problems.push(text);
  };

  if (info === undefined) {
    if (options.clock === 'harness') {
      problems.push(`smets1 run --clock harness: the far end on ${options.link} does not answer benchInfo, so it is no \`smets1 emulate\` (start it with --clock harness, or run without --clock harness against real hardware)`);
    } else {
      notes.push(`the far end on ${options.link} is not an emulator (no benchInfo): its devices' types and vendors were checked, not their quirks or starting state`);
    }
  } else if (info.clock !== options.clock) {
    problems.push(
      info.clock === 'harness'
        ? `the far end on ${options.link} runs its devices on the harness clock (time stands until a harness moves it): run with --clock harness`
        : `smets1 run --clock harness: the far end on ${options.link} runs its devices on the wall clock (start it with \`smets1 emulate --clock harness\`)`,
    );
  }

  const devicesAsked = new Map<string, Promise<ResponseMessage<'readDeviceInfo'> | Error>>();
  const deviceInfo = (eui: string) => {
    let answer = devicesAsked.get(eui);
    if (answer === undefined) {
      answer = ask(eui, { type: 'readDeviceInfo' }).catch((error: Error) => error);
      devicesAsked.set(eui, answer);
    }
    return answer;
  };

  for (const { pack, scenario } of scenarios) {
    const bench = scenario.bench;
    const wants = (where: SourcePosition, what: string, has: string) => problem(`${at(where)}: pack ${pack.name} wants ${what}; the far end has ${has}`);
    const where = (key: string) => bench.where[key] ?? bench.where.bench!;
    if (info !== undefined && bench.sets > info.setCount) {
      wants(where('sets'), `${bench.sets} device set(s)`, `${info.setCount} (start it with --sets ${bench.sets})`);
    }
    for (let set = 0; set < bench.sets; set++) {
      const setInfo = info?.sets[set];
      if (setInfo !== undefined) checkSet(bench, scenario, set, setInfo, where, wants);
      const euis = setEuis(set, bench.ppmid);
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
          wants(where('vendor'), wanted, answer.status === 'unknownDevice' ? 'no device with that EUI' : `it answering readDeviceInfo ${answer.status}`);
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
          wants(where('migrationState'), `the ${role} at ${eui} in migration state ${state}`, `it in ${device.migrationState}`);
        }
      }
    }
  }
  return { emulator: info !== undefined, problems, notes };
}

/** One set of an emulator against a scenario's bench: vendor, seed, PPMID, starting migration state, quirks. */
function checkSet(
  bench: PackBench,
  scenario: Scenario,
  set: number,
  has: SetInfo,
  where: (key: string) => SourcePosition,
  wants: (where: SourcePosition, what: string, has: string) => void,
): void {
  const which = `in set ${set}`;
  if (has.vendor !== bench.vendor) {
    wants(where('vendor'), `${vendorName(bench.vendor)} devices ${which}`, `${vendorName(has.vendor)} ones (start it with --vendor ${bench.vendor})`);
    return; // the quirks of the other vendor say nothing more
  }
  if (has.seed !== bench.seed + set) {
    wants(where('seed'), `seed ${bench.seed + set} ${which} (its test PKI smso-${bench.seed})`, `seed ${has.seed} (start it with --seed ${bench.seed})`);
  }
  if (has.ppmid !== bench.ppmid) {
    wants(where('ppmid'), `${bench.ppmid ? 'a' : 'no'} PPMID ${which}`, `${has.ppmid ? 'one' : 'none'}${bench.ppmid ? ' (start it without --no-ppmid)' : ' (start it with --no-ppmid)'}`);
  }
  const state = scenarioMigrationState(scenario);
  if (has.migrationState !== state) {
    const why = state !== bench.migrationState ? ` (scenario "${scenario.name}" migrates them)` : '';
    wants(where('migrationState'), `devices starting in migration state ${state}${why} ${which}`, `them starting in ${has.migrationState} (start it with --migration-state ${state})`);
  }
  const wanted = new Set<string>(resolveQuirks(bench.vendor, deviceQuirks(bench)));
  const inForce = new Set(has.quirks === '' ? [] : has.quirks.split(','));
  for (const id of new Set([...wanted, ...inForce])) {
    if (wanted.has(id) === inForce.has(id)) continue;
    const on = wanted.has(id);
    wants(bench.where[`quirks.${id}`] ?? where('vendor'), `quirk ${id} ${on ? 'on' : 'off'} ${which}`, `it ${on ? 'off' : 'on'} (start it with --quirk ${id as QuirkId}=${on ? 'on' : 'off'})`);
  }
}
