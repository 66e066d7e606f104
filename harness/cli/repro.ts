/** `smets1 repro 91342`: the defect end to end through DUIS with the S1SP fix off and on, side by side. */
import { Command, InvalidArgumentError } from 'commander';
import type { AssumedValue } from '../bench/assumptionsInForce';
import { repro91342, REQUEST_AFTER_MS, type ReproRun } from '../bench/repro91342';
import { readDuisResponse } from '../duis/responseReader';
import { addOptions, integer, type OptionTable } from './optionTable';

export interface ReproOptions {
  vendor: 'itron' | 'elster';
  seed: number;
}

export const reproOptions: OptionTable<ReproOptions> = {
  vendor: {
    flags: '--vendor <vendor>',
    description: 'vendor of the device set',
    choices: ['itron', 'elster'],
    default: 'elster',
  },
  seed: {
    flags: '--seed <n>',
    description: 'seed of the devices and the S1SP draws',
    default: 1,
    parse: integer(0, 2 ** 31 - 1),
  },
};

const hex = (code: number) => `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
const secs = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 3)} s`;

export function reproCommand(out: (line: string) => void): Command {
  const command = new Command('repro')
    .description('reproduce a known defect end to end through DUIS; exit 0 when it reproduces as documented')
    .argument('<defect>', 'the defect id: 91342', (text) => {
      if (text !== '91342') throw new InvalidArgumentError('only 91342 has a reproduction');
      return text;
    })
    .addHelpText(
      'after',
      '\nExamples:\n  smets1 repro 91342                 # Elster: exit 0\n  smets1 repro 91342 --vendor itron  # exit 1: Itron CHs accept 300 s',
    );
  addOptions(command, reproOptions);
  command.action(async (_defect: string, options: ReproOptions) => {
    const report = await repro91342(options.vendor, options.seed);
    out(
      `defect 91342, ${options.vendor}: PPMID powered on at 0 s (join attempts every 60 s), 8.11 Add for it at ${secs(REQUEST_AFTER_MS)}`,
    );
    printTable(report.runs, out);
    for (const run of report.runs) printRun(run, out);
    printAssumptions(report.assumptions, out);
    out('verdict:');
    for (const check of report.checks) out(`  [${check.held ? 'x' : ' '}] ${check.expectation}`);
    out(report.reproduced ? 'REPRODUCED as documented' : 'NOT reproduced as documented');
    if (!report.reproduced) throw new Error(`defect 91342 did not reproduce as documented on ${options.vendor}`);
  });
  return command;
}

/** The runs side by side, one column each. */
function printTable(runs: readonly ReproRun[], out: (line: string) => void): void {
  const rows: [string, (run: ReproRun) => string][] = [
    ['JoinTimePeriod', (r) => `${r.joinTimePeriod} s`],
    ['clamp-join-period', (r) => (r.clamp ? 'ON' : 'off')],
    ['CH received', (r) => (r.receivedByCh === undefined ? 'nothing' : `${r.receivedByCh} s`)],
    ['MessageSuccess', (r) => String(r.messageSuccess)],
    ['CH answered', (r) => (r.debug === undefined ? 'ok' : r.debug.error.replace('hanLogAdd answered ', ''))],
    [
      'PPMID joined',
      (r) => (r.joinedAfterRequest === undefined ? 'no (10 min)' : `${secs(r.joinedAfterRequest)} after`),
    ],
  ];
  out('');
  for (const [label, cell] of rows)
    out(`${label.padEnd(18)} ${runs.map((r) => cell(r).padEnd(17)).join(' ')}`.trimEnd());
}

/** What the verdict rests on that no public source fixes: each assumed value the runs used, with its source. */
function printAssumptions(assumptions: readonly AssumedValue[], out: (line: string) => void): void {
  out('');
  out(`assumed values these runs used (${assumptions.length}; name = value (source)):`);
  for (const a of assumptions) out(`  ${a.name} = ${a.value} (${a.source})`);
  out('');
}

function printRun(run: ReproRun, out: (line: string) => void): void {
  out('');
  out(
    `== JoinTimePeriod ${run.joinTimePeriod} s, clamp-join-period ${run.clamp ? 'ON' : 'off'}: CH received ${run.receivedByCh === undefined ? 'no hanLogAdd' : `${run.receivedByCh} s`}`,
  );
  const readings = run.responses.map((r) => readDuisResponse(r.xml));
  const codes = readings.map((r) => r.responseCode ?? '(none)');
  const n24 = readings.some((r) => r.dccAlertCode === 'N24');
  out(
    `   DUIS: ${codes.join(', ')}; UpdateHANDeviceLogRsp MessageSuccess=${run.messageSuccess}${n24 ? '; DCC alert N24' : ''}`,
  );
  if (run.debug !== undefined)
    out(
      `   device: ${run.debug.error} (SMETS1Debug ResponseCode ${run.debug.responseCode})${run.refusalAlertAt === undefined ? '' : `, 0x8F48 at ${secs(run.refusalAlertAt)}`}`,
    );
  out(`   device alerts to the user: ${run.alertCodes.map(hex).join(' ') || 'none'}`);
  out(
    `   PPMID join attempts (after power-on): ${run.attempts.map((a) => `${secs(a.at)} ${a.code === 0x8f49 ? 'joined' : 'failed'}`).join(', ')}`,
  );
  out(
    `   ${run.joinedAfterRequest === undefined ? 'PPMID not joined 10 min after the 8.11' : `PPMID joined ${secs(run.joinedAfterRequest)} after the 8.11`}`,
  );
}
