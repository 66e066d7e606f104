/**
 * `smets1 send`: one DUIS request (a file or an RTDS template name) through the gateway, DSP and S1SP to emulated
 * devices in this process (default) or to an emulator at --link; the DUIS response(s) and alerts on stdout, or one
 * file each in --out DIR. On a terminal each document is laid out one element a line for reading; piped or in a
 * file it keeps its exact bytes, since a signature covers them (--layout chooses either way on stdout).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { parseLinkSpec } from '../../emulator/links/linkSpec';
import type { QuirkOverrides } from '../../devices/quirks/registry';
import { isSlotCheckMode, SLOT_CHECK_EXPECTED, type SlotCheckMode } from '../dsp/slotCheck';
import { openCounterFile } from '../duis/counterFile';
import type { RequestCounterTracker } from '../duis/counters';
import type { SignaturePolicy } from '../duis/gateway';
import { readDuisResponse } from '../duis/responseReader';
import { DuisBench } from '../bench/duisBench';
import { MAX_DOCUMENT_BYTES } from '../duis/validator';
import { findTemplate } from '../bench/rtdsTemplates';
import type { DuisOutput } from '../s1sp/adapter';
import { FIX_SWITCHES, isFixSwitch, type FixSwitch } from '../s1sp/harnessQuirks';
import { displayXml } from '../reports/xmlDisplay';
import { emulateOptions } from './emulate';
import { addOptions, integer, type OptionTable } from './optionTable';
import { makeDirectory } from '../../common/makeDirectory';

export interface SendOptions {
  link: string;
  clock: 'wall' | 'harness';
  vendor: 'itron' | 'elster';
  out: string | undefined;
  state: string | undefined;
  seed: number;
  quirk: QuirkOverrides;
  fix: FixSwitch[];
  slotCheck: SlotCheckMode;
  verifySignatures: SignaturePolicy;
  wait: number;
  layout: XmlLayout | undefined;
}

const XML_LAYOUTS = ['pretty', 'raw'] as const;
type XmlLayout = (typeof XML_LAYOUTS)[number];

export const sendOptions: OptionTable<SendOptions> = {
  link: {
    flags: '--link <spec>',
    description:
      'where the devices are: loopback or mock[@BAUD] (emulated in this process, virtual time), serial:PATH[@BAUD] or tcp:HOST:PORT (an emulator or bench adapter)',
    example: '--link serial:/dev/pts/7 (the "harness end" that `smets1 emulate --link pty` prints)',
    default: 'loopback',
    parse: (text) => {
      const spec = parseLinkSpec(text);
      if (spec.kind === 'pty' || spec.kind === 'tcp-listen')
        throw new Error(`${spec.kind} serves devices; send connects: use serial:PATH or tcp:HOST:PORT`);
      return text;
    },
  },
  clock: {
    flags: '--clock <clock>',
    description:
      "the time of the devices at a serial: or tcp: link: wall, or harness (`smets1 emulate --clock harness`: its virtual time moved in lockstep with this run's, so --wait takes no real time)",
    choices: ['wall', 'harness'],
    default: 'wall',
    example: '--link tcp:127.0.0.1:7000 --clock harness',
  },
  vendor: {
    flags: '--vendor <vendor>',
    description: 'vendor of the devices (and of the S1SP adapter)',
    choices: ['itron', 'elster'],
    default: 'itron',
  },
  out: {
    flags: '--out <dir>',
    description: 'write each document to DIR (01-response.xml, 02-dcc-alert.xml, …) instead of stdout',
  },
  state: {
    flags: '--state <dir>',
    description:
      "keep the gateway's RequestID counters in DIR (created if need be), so a request replayed by a later run is refused (E42); without it they last this run only",
    example: '--state ./bench-state (the --state directory of the `smets1 emulate` this sends to)',
  },
  seed: {
    flags: '--seed <n>',
    description: 'seed of the devices and the S1SP/WAN draws',
    default: 1,
    parse: integer(0, 2 ** 31 - 1),
  },
  quirk: emulateOptions.quirk,
  fix: {
    flags: '--fix <switch>',
    description: `switch an S1SP fix on (repeatable): ${FIX_SWITCHES.join(', ')}`,
    example: '--fix clamp-join-period',
    default: [],
    defaultDescription: 'none',
    parse: (text, previous) => {
      if (!isFixSwitch(text)) throw new Error(`no fix "${text}" (${FIX_SWITCHES.join(', ')})`);
      return [...previous, text];
    },
  },
  slotCheck: {
    flags: '--slot-check <mode>',
    description: `the DSP's network-operator slot check on 6.15.1: ${SLOT_CHECK_EXPECTED}`,
    default: 'slot-certificate',
    parse: (text) => {
      if (!isSlotCheckMode(text)) throw new Error(`no slot check "${text}": expected ${SLOT_CHECK_EXPECTED}`);
      return text;
    },
  },
  verifySignatures: {
    flags: '--verify-signatures <which>',
    description:
      "check request signatures against the bench users' certificates: off (RTDS templates carry placeholders), critical (the SRVs the DCC marks critical) or all",
    choices: ['off', 'critical', 'all'],
    default: 'off',
  },
  wait: {
    flags: '--wait <s>',
    description: 'after the response, run this many seconds more (virtual time in-process) and print the alerts',
    default: 0,
    parse: integer(0, 86_400),
  },
  layout: {
    flags: '--layout <layout>',
    description:
      'how documents are printed on stdout: pretty (one element a line, for reading; a signature no longer verifies over it) or raw (the exact bytes); --out files are always raw',
    choices: XML_LAYOUTS,
    defaultDescription: 'pretty on a terminal, raw when piped',
  },
};

/** Pretty only for a reader: on a terminal unless asked otherwise; piped, the bytes the signatures cover. */
export function xmlLayout(chosen: XmlLayout | undefined, isTTY: boolean): XmlLayout {
  return chosen ?? (isTTY ? 'pretty' : 'raw');
}

export function sendCommand(out: (line: string) => void): Command {
  const command = new Command('send')
    .description('send one DUIS request (XML file or RTDS template name) and print the DUIS response(s) and alerts')
    .argument('<request>', 'FILE.xml, or an RTDS template name from `smets1 templates` (e.g. CCS01_8.11_SUCCESS)')
    .addHelpText(
      'after',
      `
Exit code: 0 when every response is I0 or I99 and no device refused the request (MessageSuccess is not false);
1 otherwise (an E-code, a response without a ResponseCode, a device refusal), after printing every document; 2 on
bad usage.

Examples:
  smets1 send CCS01_8.11_SUCCESS --vendor elster
  smets1 send my-request.xml --out ./responses
  smets1 send ECS23_4.10_SUCCESS --link serial:/dev/pts/7     # against \`smets1 emulate --link pty\`
  smets1 send CCS01_8.11_SUCCESS --vendor elster --fix clamp-join-period --wait 300`,
    );
  addOptions(command, sendOptions);
  command.action(async (request: string, options: SendOptions) => {
    if (options.layout === 'pretty' && options.out !== undefined) {
      throw new CommanderError(
        2,
        'smets1.usage',
        'smets1 send: --layout pretty is for stdout; the files --out writes keep the exact bytes their signatures cover',
      );
    }
    const failure = outcomeFailure(await runSend(request, options, out));
    if (failure !== undefined) throw new Error(`${request}: ${failure}`);
  });
  return command;
}

/**
 * Why the request did not succeed, judged from the responses the user received (alerts do not count): a response
 * code other than I0/I99, a response without one (91339/91340), or a device refusal (MessageSuccess="false").
 */
function outcomeFailure(documents: readonly DuisOutput[]): string | undefined {
  const problems: string[] = [];
  for (const doc of documents.filter((d) => d.kind === 'response' || d.kind === 'error')) {
    const reading = readDuisResponse(doc.xml);
    const code = reading.responseCode;
    if (code === undefined) problems.push('a response without a ResponseCode');
    else if (code !== 'I0' && code !== 'I99') problems.push(`response code ${code}`);
    else if (reading.smets1?.rsp?.messageSuccess === false)
      problems.push('the device refused it (MessageSuccess="false")');
  }
  return problems.length === 0 ? undefined : `not carried out: ${problems.join('; ')}`;
}

function readRequest(request: string): { xml: string; source: string } {
  if (existsSync(request)) {
    const stat = statSync(request);
    if (!stat.isFile()) throw new Error(`${request} is not a file`);
    if (stat.size > MAX_DOCUMENT_BYTES)
      throw new Error(`${request} is ${stat.size} bytes; a DUIS request is at most ${MAX_DOCUMENT_BYTES}`);
    return { xml: readFileSync(request, 'utf8'), source: request };
  }
  const template = findTemplate(request);
  if (template === undefined)
    throw new Error(`"${request}" is neither a file nor an RTDS template name (list them: smets1 templates)`);
  return { xml: template.xml, source: `RTDS template ${template.fileName}` };
}

async function runSend(request: string, options: SendOptions, out: (line: string) => void): Promise<DuisOutput[]> {
  const { xml } = readRequest(request);
  const kind = parseLinkSpec(options.link).kind;
  if (kind !== 'loopback' && kind !== 'mock' && Object.keys(options.quirk).length > 0) {
    throw new Error(
      `--quirk switches in-process devices; the devices at ${options.link} take it on their own command line (smets1 emulate --quirk)`,
    );
  }
  const counters = options.state === undefined ? undefined : openCounterFile(options.state);
  try {
    return await sendThrough(xml, options, out, counters?.tracker);
  } finally {
    counters?.close();
  }
}

async function sendThrough(
  xml: string,
  options: SendOptions,
  out: (line: string) => void,
  counters: RequestCounterTracker | undefined,
): Promise<DuisOutput[]> {
  const bench = await DuisBench.start({
    vendor: options.vendor,
    seed: options.seed,
    quirks: options.quirk,
    link: options.link,
    ...(options.clock === 'harness' ? { clock: 'harness' as const } : {}),
    slotCheck: options.slotCheck,
    verifySignatures: options.verifySignatures,
    s1sp: { fixes: new Set(options.fix) },
    ...(counters === undefined ? {} : { counters }),
  });
  let documents: DuisOutput[];
  try {
    const alertsBefore = bench.alerts.length;
    const result = await bench.send(xml);
    // On a real link alerts sent with the response may arrive just after it.
    await bench.advance(options.wait * 1000 + (bench.virtual === undefined ? 300 : 0));
    documents = [...result.responses, ...bench.alerts.slice(alertsBefore)];
    for (const event of bench.events) out(`<!-- S1SP: ${event.what} -->`);
  } finally {
    await bench.close();
  }
  if (options.out !== undefined) {
    try {
      makeDirectory(options.out);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        `--out ${options.out}: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'is a file, not a directory' : (error as Error).message}`,
      );
    }
    documents.forEach((doc, i) => {
      const file = join(options.out!, `${String(i + 1).padStart(2, '0')}-${doc.kind}.xml`);
      writeFileSync(file, `${doc.xml}\n`);
      out(`${file}${doc.note === undefined ? '' : `  (${doc.note})`}`);
    });
  } else {
    const pretty = xmlLayout(options.layout, process.stdout.isTTY === true) === 'pretty';
    for (const doc of documents) {
      out(`<!-- ${doc.kind}${doc.note === undefined ? '' : `: ${doc.note}`} -->`);
      out(pretty ? displayXml(doc.xml) : doc.xml);
    }
  }
  return documents;
}
