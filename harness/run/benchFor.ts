/**
 * The DuisBench of one scenario: the pack's bench (vendor, seed, quirks and fixes, DSP mode, where the devices
 * start) on its link. `pty` starts `smets1 emulate --link pty --clock harness` as a child process and connects to its
 * harness end in lockstep (harness/bench/lockstep.ts): the pack runs on virtual time, as on the mock link.
 * A scenario with a `migrate` step gets the bench of docs/migration.md: devices on their SMSO, the installation's
 * Registration Data, the DCC parties' keys for the S1SP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Assumption } from '../../common/assumptions';
import { assumptionsInForce } from '../bench/assumptionsInForce';
import { benchSets, type DeviceSetConfig } from '../../emulator/host/benchConfig';
import { DuisBench, withStartingSlots, type DuisBenchOptions, type StartingSlot } from '../bench/duisBench';
import { rtdsRegistrationData } from '../dsp/registrationData';
import { benchInstallation, migrationRegistrationData, type MigrationInstallation } from '../migration/installation';
import { dccParties } from '../migration/parties';
import type { QuirkOverrides } from '../../devices/quirks/registry';
import { isQuirkId } from '../../devices/quirks/registry';
import type { FixSwitch } from '../s1sp/harnessQuirks';
import { s1spSettings, type S1spSettings } from '../s1sp/harnessQuirks';
import type { PackBench, Scenario } from '../packs/model';
import { partyCertificate } from './packRequests';

/**
 * The `smets1` the `--link pty` emulator child runs: bin/smets1.mjs, or during the project's own test run the bundle
 * of it that the tests start (tests/support/cliBundle.globalSetup.ts: the same program without tsx's per-start
 * loading of every module).
 */
const BIN = process.env.SMETS1_TEST_BUNDLE ?? fileURLToPath(new URL('../../bin/smets1.mjs', import.meta.url));

export interface ScenarioBench {
  readonly bench: DuisBench;
  readonly installation?: MigrationInstallation;
  close(): Promise<void>;
}

/** The S1SP/WAN quirks switched off: their seeded rates to 0 (SRV4.10: every 4.10 arrives). */
function s1spOverrides(bench: PackBench): Partial<S1spSettings> {
  const fixes = new Set(
    Object.entries(bench.fixes)
      .filter(([, on]) => on)
      .map(([id]) => id as FixSwitch),
  );
  return {
    seed: bench.seed,
    fixes,
    ...(bench.quirks['61224'] === false ? { cosAlertMissingRate: 0 } : {}),
    ...(bench.quirks['91339/91340'] === false ? { missingResponseCodeRate: 0 } : {}),
    ...(bench.quirks['SRV4.10'] === false ? { largeNetworkDataSuccessRate: 1 } : {}),
  };
}

/** The assumed values the scenario's bench runs on: its emulated devices', its S1SP's, its migration's. */
export function scenarioAssumptions(scenario: Scenario): Assumption[] {
  return assumptionsInForce({
    vendor: scenario.bench.vendor,
    emulatedDevices: scenario.bench.devices === 'emulated',
    s1sp: s1spSettings(s1spOverrides(scenario.bench)),
    migrated: scenario.steps.some((step) => step.kind === 'migrate'),
  });
}

export function deviceQuirks(bench: PackBench): QuirkOverrides {
  const quirks: QuirkOverrides = {};
  for (const [id, on] of Object.entries(bench.quirks)) if (isQuirkId(id)) quirks[id] = on;
  return quirks;
}

/**
 * `smets1 emulate --link pty --clock harness` in a child process, its devices as the in-process bench's (vendor, seed,
 * quirks, where they start); resolves with its harness end once it prints it.
 */
async function emulatorOnPty(
  bench: PackBench,
  migrationState: 'smso' | 'dcc',
): Promise<{ child: ChildProcess; path: string }> {
  const args = [
    BIN,
    'emulate',
    '--link',
    'pty',
    '--clock',
    'harness',
    '--vendor',
    bench.vendor,
    '--seed',
    String(bench.seed),
    '--sets',
    String(bench.sets),
    '--migration-state',
    migrationState,
  ];
  for (const [id, on] of Object.entries(deviceQuirks(bench))) args.push('--quirk', `${id}=${on ? 'on' : 'off'}`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const path = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`smets1 emulate --link pty gave no harness end in 20 s: ${text.trim()}`)),
      20_000,
    );
    const seen = (chunk: Buffer) => {
      text += chunk.toString();
      const found = /^harness end: (\S+)$/m.exec(text);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`smets1 emulate --link pty ended (exit ${code}) before its harness end: ${text.trim()}`));
    });
  });
  return { child, path };
}

/** Where a scenario's devices start: on their SMSO if it migrates them, else where its bench says. */
export function scenarioMigrationState(scenario: Scenario): 'smso' | 'dcc' {
  return scenario.steps.some((step) => step.kind === 'migrate') ? 'smso' : scenario.bench.migrationState;
}

/** The pack's starting slots as the DuisBench takes them. */
function startingSlots(bench: PackBench): StartingSlot[] {
  return bench.slots.map(({ device, holders }) => ({ set: device.set, member: device.role, ...holders }));
}

/**
 * The device sets a scenario's bench is, for an emulator at the far end to be made (benchConfigure): the sets the
 * in-process bench builds (vendor, seed, quirks, starting slots, where they start: DuisBench), as many as
 * `bench.sets`, with or without a PPMID as `bench.ppmid` says, as the pre-flight checks them.
 */
export function farEndSets(scenario: Scenario): DeviceSetConfig[] {
  const bench = scenario.bench;
  const slots = startingSlots(bench);
  return benchSets({
    vendor: bench.vendor,
    seed: bench.seed,
    quirks: deviceQuirks(bench),
    sets: bench.sets,
    ppmid: bench.ppmid,
  }).map((set, index) => ({
    ...withStartingSlots(set, index, slots),
    migrationState: scenarioMigrationState(scenario),
    ...setDevices(bench, index),
  }));
}

/** Set `index`'s EUIs and install codes as the pack gives them (`bench.euis`, `bench.installCodes`). */
function setDevices(bench: PackBench, index: number): Pick<DeviceSetConfig, 'euis' | 'installCodes'> {
  const euis = bench.euis[index]!;
  const codes = bench.installCodes[index]!;
  return {
    euis: {
      ESME: euis.ESME!,
      GSME: euis.GSME!,
      CH: euis.CH!,
      ...(euis.PPMID !== undefined ? { PPMID: euis.PPMID } : {}),
    },
    ...(Object.keys(codes).length > 0 ? { installCodes: codes } : {}),
  };
}

/**
 * The parties whose certificates the scenario's `sr` steps carry: the S1SP installs them, so it holds their keys
 * (as it does the DCC parties'), and can sign what needs the holder of such a slot later.
 */
function srParties(scenario: Scenario) {
  return scenario.steps.flatMap((step) =>
    step.kind === 'sr' && step.request.source !== 'file' && step.request.certificate !== undefined
      ? [partyCertificate(step.request.certificate, scenario.bench.seed)]
      : [],
  );
}

/**
 * `clockOverride` `harness`: a `serial:`/`tcp:` link reaches `smets1 emulate --clock harness`, run in lockstep
 * (`smets1 run --clock harness`); the pty child always is one. `farEnd`: the far end of a `serial:`/`tcp:` link is
 * our emulator, made the scenario's bench (`configure`: its pre-flight found it takes benchConfigure) or sent
 * benchReset (`reset`: `--no-preflight --clock harness`, nothing known of it but that it has the harness clock).
 */
export async function startScenarioBench(
  scenario: Scenario,
  linkOverride?: string,
  clockOverride?: 'wall' | 'harness',
  far: Pick<DuisBenchOptions, 'ackTimeout' | 'responseTimeout' | 'tap'> & { farEnd?: 'reset' | 'configure' } = {},
): Promise<ScenarioBench> {
  const config = scenario.bench;
  const linkText = linkOverride ?? config.linkText;
  const migrates = scenario.steps.some((step) => step.kind === 'migrate');
  const migrateStep = scenario.steps.find((step) => step.kind === 'migrate');
  const built = migrates
    ? benchInstallation({
        vendor: config.vendor,
        ids: {
          ESME: config.euis[0]!.ESME!,
          GSME: config.euis[0]!.GSME!,
          CHF: config.euis[0]!.CH!,
          ...(config.euis[0]!.PPMID !== undefined ? { PPMID: config.euis[0]!.PPMID } : {}),
        },
        kind: migrateStep?.kind === 'migrate' ? migrateStep.options.installation : config.installation,
        ppmid: config.ppmid,
        ...(migrateStep?.kind === 'migrate' && migrateStep.options.gasSupplier !== undefined
          ? { gasSupplier: migrateStep.options.gasSupplier }
          : {}),
        ...(migrateStep?.kind === 'migrate' && migrateStep.options.firmware !== undefined
          ? { firmware: { ...migrateStep.options.firmware } }
          : {}),
      })
    : undefined;
  const installationId = migrateStep?.kind === 'migrate' ? migrateStep.options.installationId : undefined;
  const installation = built !== undefined && installationId !== undefined ? { ...built, id: installationId } : built;
  const migrationState = scenarioMigrationState(scenario);
  let child: ChildProcess | undefined;
  let link = linkText;
  let clock = clockOverride ?? 'wall';
  if (linkText === 'pty') {
    const started = await emulatorOnPty(config, migrationState);
    child = started.child;
    link = `serial:${started.path}`;
    clock = 'harness';
  }
  const configure = child !== undefined || far.farEnd === 'configure';
  try {
    const registration =
      installation !== undefined ? migrationRegistrationData(installation) : rtdsRegistrationData(config.euis[0]);
    // the DSP records who holds a network-operator slot: a slot that starts with another party's, that party
    for (const { device, holders } of config.slots)
      if (holders.networkOperator !== undefined)
        registration.recordNetworkOperatorSlot(device.eui, holders.networkOperator);
    const bench = await DuisBench.start({
      vendor: config.vendor,
      // the scenario's sets whole, in this process or at a far end made them: one description of a pack's bench
      sets: farEndSets(scenario),
      seed: config.seed,
      quirks: deviceQuirks(config),
      link,
      clock,
      slotCheck: config.dsp,
      s1sp: s1spOverrides(config),
      migrationState,
      registration,
      keyParties: [
        ...(installation !== undefined ? dccParties(config.seed, installation.gasSupplier) : []),
        ...srParties(scenario),
      ],
      // an emulator the harness did not start: made this scenario's bench first (or back to its start), so no
      // scenario sees another's devices; the pty child too, for what its options cannot say (starting slots)
      ...(configure ? { configureFarEnd: true } : {}),
      ...(far.farEnd === 'reset' && child === undefined ? { resetFarEnd: true } : {}),
      ...(far.ackTimeout !== undefined ? { ackTimeout: far.ackTimeout } : {}),
      ...(far.responseTimeout !== undefined ? { responseTimeout: far.responseTimeout } : {}),
      ...(far.tap !== undefined ? { tap: far.tap } : {}),
    });
    return {
      bench,
      ...(installation !== undefined ? { installation } : {}),
      close: async () => {
        await bench.close();
        child?.kill('SIGTERM');
      },
    };
  } catch (error) {
    child?.kill('SIGTERM');
    throw error;
  }
}
