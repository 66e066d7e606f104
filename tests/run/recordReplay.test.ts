/**
 * Issue 18 items 6 and 8: `smets1 run --record FILE` writes every frame the harness sent and received in the
 * recording format `smets1 trace` reads, and the report carries each device command's bytes; `smets1 emulate
 * --replay FILE` serves that recording as a device set, so a run against the replay gets the recorded run's verdicts
 * (Done means), a request the recording lacks is refused with NAK notRecorded and logged.
 *
 * Expected values come from the pack and the protocol, not from the code: the 8.11 JoinTimePeriods of
 * packs/defects/91342-elster.yaml, the Elster CH's refusal of more than 255 s with the 91342 quirk (status
 * invalidParameter, alert 0x8F48 = 36680) and the PPMID's join (0x8F49 = 36681), the frame layout of docs/protocol.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { smets1 } from '../support/cli';
import type { RunDocument } from '../../harness/reports/jsonReport';
import { connectHarness, startEmulator, type Child } from '../emulator/childEmulator';
import { SMETS1_BIN } from '../support/smets1Bin';

const PACK = 'packs/defects/91342-elster.yaml';
const CH = '00-DB-12-34-56-78-90-A2';
const dir = mkdtempSync(join(tmpdir(), 'smets1-replay-'));
const children: Child[] = [];
afterAll(async () => {
  for (const child of children) {
    child.process.kill('SIGTERM');
    await child.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const runOf = (out: string): RunDocument => JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8'));
const recording = join(dir, 'bench.trace');
const flippedRecording = join(dir, 'flipped.trace');

beforeAll(async () => {
  expect(
    (
      await smets1(
        'run',
        PACK,
        '--record',
        recording,
        '--reporter',
        'json',
        '--reporter',
        'html',
        '--out',
        join(dir, 'recorded'),
      )
    ).code,
  ).toBe(0);
  // the same pack on devices without the 91342 defect: what a bench whose firmware is fixed would record
  expect(
    (
      await smets1(
        'run',
        PACK,
        '--quirk',
        '91342=off',
        '--record',
        flippedRecording,
        '--reporter',
        'json',
        '--out',
        join(dir, 'flipped'),
      )
    ).code,
  ).toBe(1);
}, 120_000);

describe('smets1 run --record', () => {
  it('writes a recording smets1 trace reads: each scenario after its # scenario line, every frame the harness sent (→) and received (←)', async () => {
    const text = readFileSync(recording, 'utf8');
    expect(text.startsWith('# smets1-trace 1\n')).toBe(true);
    expect(text.split('\n').filter((line) => line.startsWith('# scenario '))).toEqual([
      '# scenario 91342-elster#fix off, 255 s is accepted and the PPMID joins',
      '# scenario 91342-elster#fix off, 256 s is refused by the CH and the PPMID never joins',
      '# scenario 91342-elster#fix off, 300 s is refused by the CH and the PPMID never joins',
      '# scenario 91342-elster#fix on, 300 s is clamped to 255 s and the PPMID joins inside 255 s',
    ]);
    expect(text).toContain(`# device ${CH} CH elster`);
    const { code, lines } = await smets1('trace', recording);
    expect(code).toBe(0);
    expect(lines.filter((line) => line.startsWith('!!'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('── '))).toEqual([
      '── scenario 91342-elster#fix off, 255 s is accepted and the PPMID joins',
      '── scenario 91342-elster#fix off, 256 s is refused by the CH and the PPMID never joins',
      '── scenario 91342-elster#fix off, 300 s is refused by the CH and the PPMID never joins',
      '── scenario 91342-elster#fix on, 300 s is clamped to 255 s and the PPMID joins inside 255 s',
    ]);
    // each scenario's recording begins with the harness announcing its session
    const starts = lines.flatMap((line, i) => (line.startsWith('── scenario') ? [lines[i + 1]!] : []));
    expect(starts).toHaveLength(4);
    for (const start of starts)
      expect(start).toMatch(
        /^\S+  →  session  seq   0  00-00-00-00-00-00-00-01 → FF-FF-FF-FF-FF-FF-FF-FF  session \d+$/,
      );
    const parts = lines.join('\n').split(/\n(?=.*session  seq)/);
    const [first, , third] = parts.filter((part) => part.includes('hanLogAdd'));
    // 255 s: sent to the CH, answered ok, and the PPMID's join alert comes back
    expect(first).toMatch(
      new RegExp(`→  command  seq +\\d+  00-00-00-00-00-00-00-01 → CH ${CH}  .*"joinPeriod":255,"type":"hanLogAdd"`),
    );
    expect(first).toMatch(
      new RegExp(`←  response seq +\\d+  CH ${CH} → 00-00-00-00-00-00-00-01  .*"message":"hanLogAdd".*"status":"ok"`),
    );
    expect(first).toMatch(new RegExp(`←  alert    seq +\\d+  CH ${CH} → 00-00-00-00-00-00-00-01  \\{"code":36681,`));
    // 300 s: refused by the CH with the quirk
    expect(third).toMatch(/"joinPeriod":300,"type":"hanLogAdd"/);
    expect(third).toMatch(/"message":"hanLogAdd".*"status":"invalidParameter"/);
    expect(third).not.toMatch(/\{"code":36681,/);
  });

  it("the report carries a device command's frames: the command as sent and the response as received", () => {
    const scenario = runOf('recorded').scenarios[0]!;
    const event = scenario.timeline.find((e) => e.lane === 'frames' && e.label.startsWith('hanLogAdd'))!;
    const sent = event.frames!.sent;
    const received = event.frames!.received;
    expect(sent).toHaveLength(1);
    expect(received).toHaveLength(1);
    // docs/protocol.md: A5, version 01, type (01 command, 02 response), sequence, source, destination …, CRC last
    expect(sent[0]!.slice(0, 6)).toBe('A50101');
    expect(sent[0]!.slice(8, 24)).toBe('0000000000000001');
    expect(sent[0]!.slice(24, 40)).toBe('00DB1234567890A2');
    expect(sent[0]!.slice(-8, -4)).toBe('00FF'); // the join period, 255 s, last before the CRC
    expect(received[0]!.slice(0, 6)).toBe('A50102');
    expect(received[0]!.slice(8, 24)).toBe('00DB1234567890A2');
    expect(received[0]!.slice(56, 58)).toBe('00'); // status ok, after the request id
    const html = readFileSync(join(dir, 'recorded', 'report.html'), 'utf8');
    expect(html).toContain(`<details class="frame-bytes"><summary>bytes</summary><pre>→ A5 01 01`);
  });
});

describe('smets1 emulate --replay', () => {
  const replayRun = async (trace: string, out: string) => {
    const child = await startEmulator(['--replay', trace, '--clock', 'harness']);
    children.push(child);
    // a recording answers only what was recorded, so nothing of a pre-flight (docs/bench.md "Replay")
    const { code } = await smets1(
      'run',
      PACK,
      '--link',
      `tcp:127.0.0.1:${child.port}`,
      '--clock',
      'harness',
      '--no-preflight',
      '--reporter',
      'json',
      '--out',
      join(dir, out),
    );
    return { code, verdicts: runOf(out).scenarios.map((s) => s.verdict) };
  };
  // The one difference a replay in lockstep shows against a recording made on the mock line: the mock run's last
  // step (the CH's state read) takes a few virtual ms of line transit, in which the 0x8183 raised 7 ms after the
  // 0x8F49 arrives; in lockstep that read takes no virtual time, so the replay's scenario ends before it is due.
  const onlyTheLast8183 = [
    '91342-elster#fix off, 255 s is accepted and the PPMID joins',
    '  alerts:',
    '    A 0x8F48 from 00-DB-12-34-56-78-90-A2 ×2, N24 from 90-B3-D5-1F-30-00-00-02, 0x8F12 from 00-DB-12-34-56-78-90-A2, 0x8F49 from 00-DB-12-34-56-78-90-A2, 0x8183 from 00-DB-12-34-56-78-90-A2',
    '    B 0x8F48 from 00-DB-12-34-56-78-90-A2 ×2, N24 from 90-B3-D5-1F-30-00-00-02, 0x8F12 from 00-DB-12-34-56-78-90-A2, 0x8F49 from 00-DB-12-34-56-78-90-A2',
  ];

  it("a run against the replayed recording gets the recorded run's verdicts, and diffs against it only in the transit-timed 0x8183", async () => {
    const replayed = await replayRun(recording, 'replayed');
    expect(replayed).toEqual({ code: 0, verdicts: ['passed', 'passed', 'passed', 'passed'] });
    expect(await smets1('diff', join(dir, 'recorded', 'run.json'), join(dir, 'replayed', 'run.json'))).toEqual({
      code: 1,
      lines: onlyTheLast8183,
      // one of the four scenarios differs: the one onlyTheLast8183 names
      stderr: '1 scenario(s) differ (4 in both runs)\n',
      stdout: '',
    });
  }, 90_000);

  it('answers from the recording, not from a model: a recording of devices without 91342 fails the refusal scenarios', async () => {
    const replayed = await replayRun(flippedRecording, 'replayed-flipped');
    expect(replayed).toEqual({ code: 1, verdicts: ['passed', 'failed', 'failed', 'passed'] });
    expect(await smets1('diff', join(dir, 'flipped', 'run.json'), join(dir, 'replayed-flipped', 'run.json'))).toEqual({
      code: 1,
      lines: onlyTheLast8183,
      // one of the four scenarios differs: the one onlyTheLast8183 names
      stderr: '1 scenario(s) differ (4 in both runs)\n',
      stdout: '',
    });
  }, 90_000);

  it('a request the recording lacks is refused with NAK notRecorded and logged; a recorded one is answered', async () => {
    const child = await startEmulator(['--replay', recording]);
    children.push(child);
    const harness = await connectHarness(child.port, 'elster');
    try {
      // the first scenario's first request: the PPMID powered on
      await expect(harness.client.request('00-DB-12-34-56-78-90-A3', { type: 'powerOn' })).resolves.toMatchObject({
        status: 'ok',
      });
      await expect(harness.client.request('00-DB-12-34-56-78-90-A0', { type: 'readDeviceInfo' })).rejects.toThrow(
        /NAK notRecorded/,
      );
      // the recorded 8.11 carried 255 s: the same message with 254 s is another request
      const add = {
        type: 'hanLogAdd' as const,
        deviceId: '00-DB-12-34-56-78-90-A3',
        installCode: '30313233343536373839414243444546',
      };
      await expect(harness.client.request(CH, { ...add, joinPeriod: 254 })).rejects.toThrow(/NAK notRecorded/);
      await expect(harness.client.request(CH, { ...add, joinPeriod: 255 })).resolves.toMatchObject({ status: 'ok' });
    } finally {
      await harness.close();
    }
    await vi.waitFor(() =>
      expect(child.output).toContain(
        'replay: scenario 91342-elster#fix off, 255 s is accepted and the PPMID joins: no recorded readDeviceInfo to 00-DB-12-34-56-78-90-A0 with payload (empty): refused, NAK notRecorded',
      ),
    );
  }, 60_000);

  it.each([
    [['--replay', 'x.trace', '--state', 'somewhere'], 2, /--replay and --state do not go together/],
    [
      ['--replay', 'x.trace', '--vendor', 'elster', '--quirk', '91342=off'],
      2,
      /^smets1 emulate: --replay serves the recording's devices as recorded: --vendor, --quirk do\(es\) not apply$/m,
    ],
    [
      ['--replay', 'packs/defects/91342-elster.yaml'],
      1,
      /packs\/defects\/91342-elster\.yaml is not a recording: its first line is not "# smets1-trace 1"/,
    ],
    [['--replay', 'no-such.trace'], 1, /cannot read recording no-such\.trace: ENOENT/],
  ])('emulate %j: exit %i, saying why', (args, status, message) => {
    const result = spawnSync(process.execPath, [SMETS1_BIN, 'emulate', '--link', 'tcp-listen:127.0.0.1:0', ...args], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a recording with a damaged line is refused naming the line', () => {
    const damaged = join(dir, 'damaged.trace');
    writeFileSync(damaged, '# smets1-trace 1\n2026-01-01T00:00:00.000Z in  A5ZZ\n');
    const result = spawnSync(
      process.execPath,
      [SMETS1_BIN, 'emulate', '--link', 'tcp-listen:127.0.0.1:0', '--replay', damaged],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`smets1: ${damaged}: line 2: frame is not whole hex bytes`);
  });
});
