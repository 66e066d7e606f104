/**
 * Issue 18, lab bench: a hand-started `smets1 emulate` reconfigured per scenario (benchConfigure) serves the same
 * EUIs first as Itron devices, then as Elster ones (packs/defects/91333.yaml: three Itron scenarios, then one on
 * an Elster bench). Both recordings, the emulator's (`emulate --record`) and the harness's (`run --record`), name a
 * device again where its vendor changes, `smets1 trace` shows the change and reads the frames after it as the new
 * vendor's, and a replay of the harness's recording still gives the run's verdicts.
 *
 * Expected values by hand: the bench's EUIs (docs/packs.md: ESME …A0, GSME …A1, CH …A2, PPMID …A3), the pack's
 * scenarios and vendors, its two 6.7s (gasFlowConfig, to the GSME) per scenario.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '../../harness/reports/jsonReport';
import { startEmulator, type Child } from '../emulator/childEmulator';
import { smets1, smets1Printed } from '../support/cli';

const PACK = 'packs/defects/91333.yaml';
const EUIS = {
  ESME: '00-DB-12-34-56-78-90-A0',
  GSME: '00-DB-12-34-56-78-90-A1',
  CH: '00-DB-12-34-56-78-90-A2',
  PPMID: '00-DB-12-34-56-78-90-A3',
};
const ELSTER_SCENARIO = '91333#Elster, both 6.7s the same day are accepted';
const dir = mkdtempSync(join(tmpdir(), 'smets1-reconf-'));
const emulatorTrace = join(dir, 'emulator.trace');
const harnessTrace = join(dir, 'harness.trace');
const children: Child[] = [];
const stop = async (child: Child) => {
  child.process.kill('SIGTERM');
  await child.exited;
};
afterAll(async () => {
  for (const child of children) await stop(child);
  rmSync(dir, { recursive: true, force: true });
});

const deviceLines = (text: string) => text.split('\n').filter((line) => line.startsWith('# device '));
/** The change lines smets1 trace shows for every device of the bench (the harness's order of them), Itron to Elster. */
const toElster = (['ESME', 'GSME', 'CH', 'PPMID'] as const).map(
  (type) => `── device ${EUIS[type]} is ${type} elster from here on (was ${type} itron)`,
);
const is67 = (line: string) =>
  new RegExp(`→  command  seq +\\d+  00-00-00-00-00-00-00-01 → GSME ${EUIS.GSME}  .*"type":"gasFlowConfig"`).test(line);

beforeAll(async () => {
  // started by hand as on a lab bench: no option but the link, the clock and the recording (Itron by default)
  const emulator = await startEmulator(['--clock', 'harness', '--record', emulatorTrace]);
  children.push(emulator);
  const run = await smets1Printed(
    'run',
    PACK,
    '--link',
    `tcp:127.0.0.1:${emulator.port}`,
    '--clock',
    'harness',
    '--record',
    harnessTrace,
    '--reporter',
    'json',
    '--out',
    join(dir, 'recorded'),
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  await stop(emulator);
  children.splice(children.indexOf(emulator), 1);
}, 180_000);

describe('a recording across a benchConfigure from Itron to Elster', () => {
  it('smets1 emulate --record: names the devices again at each reconfiguration that changes their vendor', async () => {
    const text = readFileSync(emulatorTrace, 'utf8');
    // started Itron (the emulator's order of its devices); then benchConfigure's order (CH first): the pre-flight
    // makes it each bench of the pack in turn (the Elster one last), then the run: Itron again, then Elster
    const named = (vendor: string, order: (keyof typeof EUIS)[]) =>
      order.map((type) => `# device ${EUIS[type]} ${type} ${vendor}`);
    const configured: (keyof typeof EUIS)[] = ['CH', 'ESME', 'GSME', 'PPMID'];
    expect(deviceLines(text)).toEqual([
      ...named('itron', ['ESME', 'GSME', 'CH', 'PPMID']),
      ...named('elster', configured),
      ...named('itron', configured),
      ...named('elster', configured),
    ]);
    const { code, lines } = await smets1('trace', emulatorTrace);
    expect(code).toBe(0);
    expect(lines.filter((line) => line.startsWith('!!'))).toEqual([]);
    const changes = lines.flatMap((line, i) => (line.startsWith('── device ') ? [i] : []));
    const change = (from: string, to: string) =>
      configured.map((type) => `── device ${EUIS[type]} is ${type} ${to} from here on (was ${type} ${from})`);
    expect(changes.map((i) => lines[i])).toEqual([
      ...change('itron', 'elster'),
      ...change('elster', 'itron'),
      ...change('itron', 'elster'),
    ]);
    // no 6.7 in the pre-flight; the three Itron scenarios' six while Itron again, the Elster scenario's two after
    const between = (from: number, to: number) => lines.slice(from, to).filter(is67).length;
    expect([between(0, changes[0]!), between(changes[3]!, changes[4]!), between(changes[7]!, changes[8]!)]).toEqual([
      0, 0, 6,
    ]);
    expect(between(changes[11]!, lines.length)).toBe(2);
  });

  it('smets1 run --record: names the devices again in the Elster scenario, before its frames to them', async () => {
    const text = readFileSync(harnessTrace, 'utf8');
    const elsterPart = text.slice(text.indexOf(`# scenario ${ELSTER_SCENARIO}\n`));
    expect(deviceLines(text.slice(0, text.length - elsterPart.length))).toEqual(
      Object.entries(EUIS).map(([type, eui]) => `# device ${eui} ${type} itron`),
    );
    expect(deviceLines(elsterPart)).toEqual(
      Object.entries(EUIS).map(([type, eui]) => `# device ${eui} ${type} elster`),
    );
    const { code, lines } = await smets1('trace', harnessTrace);
    expect(code).toBe(0);
    expect(lines.filter((line) => line.startsWith('!!'))).toEqual([]);
    const part = lines.indexOf(`── scenario ${ELSTER_SCENARIO}`);
    const change = lines.indexOf(toElster[0]!);
    expect(change).toBeGreaterThan(part);
    expect(lines.slice(change, change + 4)).toEqual(toElster);
    expect(lines.slice(part, change).filter(is67)).toEqual([]);
    expect(lines.slice(change).filter(is67)).toHaveLength(2);
  });

  it("smets1 emulate --replay of the harness's recording serves the devices as last named and gives the run's verdicts", async () => {
    const replay = await startEmulator(['--replay', harnessTrace, '--clock', 'harness']);
    children.push(replay);
    expect(replay.output.filter((line) => line.startsWith('device '))).toEqual([
      `device ${EUIS.ESME} ESME  elster (replayed)`,
      `device ${EUIS.GSME} GSME  elster (replayed)`,
      `device ${EUIS.CH} CH    elster (replayed)`,
      `device ${EUIS.PPMID} PPMID elster (replayed)`,
    ]);
    // a recording answers only what was recorded, so nothing of a pre-flight (docs/bench.md "Replay")
    const run = await smets1Printed(
      'run',
      PACK,
      '--link',
      `tcp:127.0.0.1:${replay.port}`,
      '--clock',
      'harness',
      '--no-preflight',
      '--reporter',
      'json',
      '--out',
      join(dir, 'replayed'),
    );
    expect(run.status).toBe(0);
    const verdicts = (out: string) =>
      (JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8')) as RunDocument).scenarios.map((s) => s.verdict);
    expect(verdicts('replayed')).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(verdicts('recorded')).toEqual(['passed', 'passed', 'passed', 'passed']);
  }, 120_000);
});
