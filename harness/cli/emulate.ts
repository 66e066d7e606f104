/**
 * `smets1 emulate`: serve device sets (or, with `--replay`, a recording of real ones: emulator/host/replayHost.ts) on a
 * link for a lab bench or a harness, until SIGINT or SIGTERM; with
 * `--state DIR` every change is persisted and a restart carries on where it stopped. Any failure after start-up (a
 * state write, an unusable --state or --record) ends the run with a message and exit 1.
 * The devices run on the wall clock, or with `--clock harness` on a VirtualClock the harness advances over the link
 * (docs/protocol.md "Virtual time"); the link layer (acks, retransmissions, reassembly, reconnection) always runs on
 * the wall clock, because bytes take real time.
 */
import { Command, CommanderError } from 'commander';
import createDebug from 'debug';
import { VirtualClock, WallClock } from '../../emulator/clock';
import type { EmulatorClock } from '../../emulator/clock/clock';
import { benchSets, type DeviceSetConfig } from '../../emulator/host/benchConfig';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { attachHexLog } from '../../emulator/log';
import { openLink, type OpenedLink } from '../../emulator/links/openLink';
import { parseLinkSpec, linkSpecForms } from '../../emulator/links/linkSpec';
import { HostPersistence } from '../../emulator/persistence/hostPersistence';
import { StateStore, type LoadedState } from '../../emulator/persistence/stateStore';
import { recordHost } from '../../emulator/recording/recorder';
import { parseReplayScript } from '../../emulator/recording/replayScript';
import { TRACE_MAGIC } from '../../emulator/recording/traceFormat';
import { ReplayHost } from '../../emulator/host/replayHost';
import { isQuirkId, type QuirkOverrides } from '../../devices/quirks/registry';
import { withoutPretenuring } from '../fleet/pretenuring';
import { checkInstallCodes, joiningInstallCodes, type InstallCodes } from '../../devices/set';
import { readTextBounded } from './boundedFile';
import { addOptions, integer, type OptionTable } from './optionTable';

export interface EmulateOptions {
  vendor: 'itron' | 'elster';
  installation: 'dormant' | 'active';
  sets: number;
  ppmid: boolean;
  seed: number;
  quirk: QuirkOverrides;
  installCode: InstallCodes;
  link: string;
  state: string | undefined;
  stateSync: 'flush' | 'os';
  record: string | undefined;
  recordLimit: number;
  ackTimeout: number;
  clock: 'wall' | 'harness';
  migrationState: 'smso' | 'dcc';
  replay: string | undefined;
  pretenuring: boolean;
}

export const emulateOptions: OptionTable<EmulateOptions> = {
  vendor: {
    flags: '--vendor <vendor>',
    description: 'device vendor of every set',
    choices: ['itron', 'elster'],
    default: 'itron',
    example: '--vendor elster',
  },
  installation: {
    flags: '--installation <kind>',
    description: 'dormant (no supplier operating it smart) or active',
    choices: ['dormant', 'active'],
    default: 'active',
  },
  sets: {
    flags: '--sets <n>',
    description: 'how many device sets (CH + ESME + GSME + PPMID each)',
    default: 1,
    parse: integer(1, 100_000),
    example: '--sets 4',
  },
  ppmid: { flags: '--no-ppmid', description: 'leave the PPMID out of each set', default: true },
  seed: {
    flags: '--seed <n>',
    description: 'seed of every random choice (set i uses seed + i)',
    default: 1,
    parse: integer(0, 2 ** 31 - 1),
  },
  quirk: {
    flags: '--quirk <id=on|off>',
    description: 'switch a device quirk over its vendor default (repeatable; see `smets1 quirks`)',
    example: '--quirk 91342=off',
    default: {},
    defaultDescription: 'each quirk at its vendor default',
    parse: (text, previous) => {
      const match = /^([^=]+)=(on|off)$/.exec(text);
      if (!match) throw new Error(`"${text}" is not ID=on or ID=off`);
      if (!isQuirkId(match[1])) throw new Error(`no quirk "${match[1]}" (see smets1 quirks)`);
      return { ...previous, [match[1]]: match[2] === 'on' };
    },
  },
  installCode: {
    flags: '--install-code <device=hex>',
    description: 'install code of the ESME, GSME or PPMID of every set, 6–16 bytes hex (repeatable)',
    example: '--install-code PPMID=00112233445566778899aabbccddeeff',
    default: {},
    defaultDescription: 'the DCC RTDS template code 30313233343536373839414243444546',
    parse: (text, previous) => {
      const match = /^([^=]+)=(.*)$/.exec(text);
      if (!match) throw new Error(`"${text}" is not DEVICE=HEX (e.g. PPMID=30313233343536373839414243444546)`);
      return { ...previous, ...checkInstallCodes({ [match[1]]: match[2] }, '--install-code') };
    },
  },
  link: {
    flags: '--link <spec>',
    description: `where to serve: ${linkSpecForms}`,
    example: '--link serial:/dev/ttyUSB0@115200, --link tcp-listen:127.0.0.1:7000, --link pty',
    default: 'pty',
    parse: (text) => {
      parseLinkSpec(text);
      return text;
    },
  },
  state: {
    flags: '--state <dir>',
    description:
      'persist device state in DIR (each change durable before it is answered) and restore it on start; one emulator per DIR',
    example: '--state ./bench-state',
  },
  stateSync: {
    flags: '--state-sync <mode>',
    description:
      'os: each change is written (the OS has it) before it is answered: survives kill -9 and emulator crashes; flush: also on disk (fdatasync) before it is answered, so it survives a power cut too (slower)',
    choices: ['flush', 'os'],
    default: 'os',
  },
  replay: {
    flags: '--replay <trace>',
    description:
      'serve a recording (`smets1 run --record`, against real devices) instead of emulated devices: each recorded request answered with its ' +
      'recorded response, the recorded alerts raised at their recorded offsets, a request the recording lacks refused with NAK notRecorded and logged ' +
      '(docs/bench.md "Replay"); the n-th harness session is served from the recording\'s n-th scenario. Not with --state',
    example: '--replay bench.trace --clock harness',
  },
  record: {
    flags: '--record <file>',
    description: 'record every frame with time and direction (read it with `smets1 trace FILE`)',
    example: '--record run.trace',
  },
  recordLimit: {
    flags: '--record-limit <MiB>',
    description: 'stop the recording when it reaches this size (the emulator carries on)',
    default: 64,
    parse: integer(1, 1_000_000),
  },
  ackTimeout: {
    flags: '--ack-timeout <ms>',
    description: 'link-layer ack timeout',
    default: 1000,
    parse: integer(1, 600_000),
  },
  pretenuring: {
    flags: '--pretenuring',
    description:
      "keep V8's allocation-site pretenuring (its default), for comparison; without it the emulator runs as the fleet's " +
      'migration pool does, with it off (a request through the host about 9 % less CPU, a command straight to the sets ' +
      'about a fifth: docs/fleet.md "Round thirteen")',
    default: false,
  },
  migrationState: {
    flags: '--migration-state <state>',
    description:
      "whose credentials the devices start with: smso (not yet migrated) or dcc (migrated into the DCC's service, as the " +
      "DUIS bench's in-process devices start, so the defects of migrated devices such as risk 11 and 91333 show); not on a --state restore",
    choices: ['smso', 'dcc'],
    default: 'smso',
  },
  clock: {
    flags: '--clock <clock>',
    description:
      "the devices' time. wall: real time. harness: virtual time from 2026-01-01T00:00:00Z that only the harness moves, " +
      'over the link (clockStatus/advanceClock, docs/protocol.md "Virtual time"): a harness that never advances it leaves ' +
      "the devices' time standing (no timer fires, no alert is raised); a harness that connects later carries on from where it stands (`smets1 run` resets it first: benchReset). Not with --state",
    choices: ['wall', 'harness'],
    default: 'wall',
    example: '--clock harness (what `smets1 run --link pty` starts)',
  },
};

/** The options that make emulated devices: a replay has the recording's. */
const DEVICE_OPTIONS = [
  'vendor',
  'installation',
  'sets',
  'ppmid',
  'seed',
  'quirk',
  'installCode',
  'migrationState',
] as const satisfies readonly (keyof EmulateOptions)[];

export function emulateCommand(out: (line: string) => void): Command {
  const command = new Command('emulate')
    .description('serve emulated SMETS1 device sets on a serial port, pty or TCP, speaking docs/protocol.md')
    .addHelpText(
      'after',
      `
Examples:
  smets1 emulate --vendor elster --link pty                 # prints the pty path for the harness
  smets1 emulate --sets 4 --link tcp-listen:127.0.0.1:7000 --state ./state --record bench.trace
  smets1 emulate --link serial:/dev/ttyUSB0@115200 --quirk 91342=off
  smets1 emulate --vendor elster --migration-state dcc --link tcp-listen:127.0.0.1:7000 --clock harness
                                                             # then: smets1 run packs/defects/91342-elster.yaml --link tcp:127.0.0.1:7000 --clock harness
  smets1 emulate --replay bench.trace --link tcp-listen:127.0.0.1:7000 --clock harness   # a recorded bench session
  DEBUG=smets1:* smets1 emulate ...                          # hex log of every frame`,
    );
  addOptions(command, emulateOptions);
  command.action(async (options: EmulateOptions) => {
    if (options.replay !== undefined) {
      // The recording says which devices there are and what they answer: a device option would be silently ignored.
      const given = DEVICE_OPTIONS.filter((key) => command.getOptionValueSource(key) === 'cli').map(
        (key) => emulateOptions[key].flags.split(' ')[0],
      );
      if (given.length > 0)
        throw new CommanderError(
          2,
          'smets1.usage',
          `smets1 emulate: --replay serves the recording's devices as recorded: ${given.join(', ')} do(es) not apply`,
        );
    }
    await runEmulate(options, out);
  });
  return command;
}

async function runEmulate(options: EmulateOptions, out: (line: string) => void): Promise<void> {
  if (options.clock === 'harness' && options.state !== undefined) {
    // A restored device's timers and alert times belong to the time line of the run that saved them; a new harness
    // starts its own. Refused rather than mixed.
    throw new CommanderError(
      2,
      'smets1.usage',
      'smets1 emulate: --clock harness and --state do not go together: virtual time starts afresh with every harness run',
    );
  }
  if (options.replay !== undefined && options.state !== undefined) {
    throw new CommanderError(
      2,
      'smets1.usage',
      'smets1 emulate: --replay and --state do not go together: a replay answers from its recording, it has no device state to keep',
    );
  }
  // Before any device set is made: the devices' outcomes and states come from the same allocation sites, which V8
  // would tenure (harness/fleet/pretenuring.ts). The command line's choice, never the library's.
  if (!options.pretenuring) withoutPretenuring();
  const clock = new WallClock();
  // Undone in reverse on the way out, whichever way that is.
  const cleanups: (() => void | Promise<void>)[] = [];
  // A failure after start-up (a state write, a link that cannot reopen) ends the run with exit 1, never a hang.
  let fatal!: (error: Error) => void;
  const failed = new Promise<never>((_, reject) => (fatal = reject));
  failed.catch(() => {});
  try {
    await serve(options, out, clock, cleanups, (error) => fatal(error), failed);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

async function serve(
  options: EmulateOptions,
  out: (line: string) => void,
  clock: WallClock,
  cleanups: (() => void | Promise<void>)[],
  fatal: (error: Error) => void,
  failed: Promise<never>,
): Promise<void> {
  if (options.replay !== undefined) return serveReplay(options, options.replay, out, clock, cleanups, failed);
  const store = options.state ? new StateStore(options.state, undefined, { sync: options.stateSync }) : undefined;
  let restored: LoadedState | undefined;
  if (store) {
    const removed = store.open();
    cleanups.push(() => store.close());
    if (removed.length > 0)
      out(`removed ${removed.length} temporary file(s) left by an interrupted write: ${removed.join(', ')}`);
    restored = store.load();
  }
  let sets: DeviceSetConfig[];
  if (restored) {
    sets = restored.sets;
    out(
      `restored ${sets.length} device set(s) and ${restored.pendingAlerts.length} unacknowledged alert(s) from ${options.state}`,
    );
  } else {
    sets = benchSets({
      vendor: options.vendor,
      installation: options.installation,
      sets: options.sets,
      ppmid: options.ppmid,
      seed: options.seed,
      quirks: options.quirk,
      installCodes: options.installCode,
    }).map((set) => ({ ...set, migrationState: options.migrationState }));
  }
  const persistence = store
    ? new HostPersistence(store, (error) =>
        fatal(
          new Error(
            `${error.message}. Stopped: no change after the last durable one was acknowledged, and ${options.state} holds that state.`,
          ),
        ),
      )
    : undefined;
  // The devices' clock: the wall clock, or virtual time the harness moves (the link layer stays on the wall clock).
  const deviceClock: EmulatorClock = options.clock === 'harness' ? new VirtualClock() : clock;
  const host = new DeviceHost({
    clock: deviceClock,
    linkClock: clock,
    harnessDriven: options.clock === 'harness',
    sets,
    restore: restored,
    // the state directory describes the sets served: a harness does not replace them (benchConfigure unsupported)
    fixedSets: store !== undefined,
    link: { ackTimeout: options.ackTimeout },
    ...(persistence ? { outbound: persistence.outbound } : {}),
  });
  cleanups.push(() => host.close());
  if (persistence) persistence.start(host, sets);
  if (options.record) {
    const stopRecording = recordHost(host, clock, options.record, {
      maxBytes: options.recordLimit * 1024 * 1024,
      onStop: (reason) => out(reason),
    });
    cleanups.push(stopRecording);
  }
  attachHexLog(host);
  const log = createDebug('smets1:emulate');
  host.on('drop', (drop) => log('dropped %o', drop));

  const deviceLines = host.devices.map((device) => {
    const installCode =
      device.type === 'CH' ? '' : ` install code ${joiningInstallCodes(sets[device.set]!.installCodes)[device.type]}`;
    return `device ${device.eui} ${device.type.padEnd(5)} ${device.vendor} set ${device.set}${installCode}`;
  });
  await serveUntilStopped(host, deviceLines, options, deviceClock, out, clock, cleanups, failed);
  if (persistence && !persistence.flush()) await failed;
  if (persistence) out(`state saved in ${options.state}`);
}

/** Opens the link, serves `host` on it, prints what it serves and `ready`, and returns at SIGINT, SIGTERM or a failure. */
async function serveUntilStopped(
  host: { attach(link: OpenedLink['link']): void },
  deviceLines: readonly string[],
  options: EmulateOptions,
  deviceClock: EmulatorClock,
  out: (line: string) => void,
  clock: WallClock,
  cleanups: (() => void | Promise<void>)[],
  failed: Promise<never>,
): Promise<void> {
  const opened: OpenedLink = await openLink(options.link, { clock });
  // Closed by the shutdown (a signal or a failure, then the cleanups): nothing will come back, so the close is said
  // without "waiting for it to come back".
  let stopping = false;
  cleanups.push(() => {
    stopping = true;
    return opened.link.close();
  });
  host.attach(opened.link);
  opened.link.on('error', (error) => out(`link: ${error.message}`));
  opened.link.on('close', (info) =>
    out(`link closed (${info.kind}: ${info.detail})${stopping ? '' : '; waiting for it to come back'}`),
  );
  opened.link.on('open', () => out(`link open: ${opened.link.describe()}`));

  // Listening before `ready` is printed: a supervisor may signal as soon as it reads it.
  const signalled = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      out(`${signal}: shutting down`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  for (const line of deviceLines) out(line);
  out(`serving on ${opened.link.describe()}`);
  if (options.clock === 'harness')
    out(
      `clock: harness (virtual time from ${new Date(deviceClock.now()).toISOString()}, standing until the harness advances it)`,
    );
  if (opened.kind === 'pty') out(`harness end: ${opened.link.peerPath}`);
  if (opened.kind === 'tcp-listen') out(`listening: ${opened.link.describe()}`);
  out('ready');
  await Promise.race([signalled, failed]);
}

/** A replay is read whole: one larger than a recording's default size bound is refused unread. */
const MAX_REPLAY_BYTES = 64 * 1024 * 1024;

/** `--replay TRACE`: the recording served as a device set (emulator/host/replayHost.ts). */
async function serveReplay(
  options: EmulateOptions,
  file: string,
  out: (line: string) => void,
  clock: WallClock,
  cleanups: (() => void | Promise<void>)[],
  failed: Promise<never>,
): Promise<void> {
  const script = parseReplayScript(readRecording(file), file);
  const deviceClock: EmulatorClock = options.clock === 'harness' ? new VirtualClock() : clock;
  const host = new ReplayHost(script, {
    clock: deviceClock,
    linkClock: clock,
    harnessDriven: options.clock === 'harness',
    link: { ackTimeout: options.ackTimeout },
  });
  cleanups.push(() => host.close());
  host.on('unmatched', (text) => out(`replay: ${text}`));
  if (options.record) {
    const stopRecording = recordHost(host, clock, options.record, {
      maxBytes: options.recordLimit * 1024 * 1024,
      onStop: (reason) => out(reason),
    });
    cleanups.push(stopRecording);
  }
  const exchanges = script.parts.reduce((n, part) => n + part.exchanges.length, 0);
  const deviceLines = [
    `replaying ${file}: ${script.parts.length} part(s), ${exchanges} recorded request(s)`,
    ...script.devices.map((device) => `device ${device.eui} ${device.type.padEnd(5)} ${device.vendor} (replayed)`),
  ];
  await serveUntilStopped(host, deviceLines, options, deviceClock, out, clock, cleanups, failed);
}

/** The recording's text, refused (naming it) if it is not one. */
function readRecording(file: string): string {
  const text = readTextBounded(file, MAX_REPLAY_BYTES, 'recording');
  if (!text.startsWith(`${TRACE_MAGIC}\n`))
    throw new Error(
      `${file} is not a recording: its first line is not "${TRACE_MAGIC}" (make one with smets1 run --record FILE)`,
    );
  return text;
}
