// `smets1 run` on a lab bench (docs/bench.md): operator steps carried out by a hook with nobody at the keyboard,
// refused at once when there is neither a terminal nor a hook, --bail, and the harness's ack and response timeouts.
// The "real devices" are `smets1 emulate` on the wall clock over TCP, or a peer in this test that acks and never
// answers, or one that never acks. What needs no process of its own (--bail, the timeouts, bad usage) runs `smets1`
// in this process (smets1Printed); the hooks, the refusal for want of a terminal and one run against a far end that
// never answers (the process must end on its own) run it as an overnight job does.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { WallClock } from '../../emulator/clock/wallClock';
import { MessageEndpoint } from '../../protocols/endpoint';
import { startEmulator } from '../emulator/childEmulator';
import { alive } from '../../scripts/processTree';
import { smets1Printed } from '../support/cli';
import { SMETS1_BIN } from '../support/smets1Bin';

const dir = mkdtempSync(join(tmpdir(), 'smets1-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The run as an overnight job starts it: stdin is not a terminal (a pipe nobody writes to). */
function run(...args: string[]) {
  return runUpTo(undefined, ...args);
}

/** As run, killed (SIGTERM, status null) if it has not ended after `timeoutMs`. */
function runUpTo(timeoutMs: number | undefined, ...args: string[]) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [SMETS1_BIN, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function file(name: string, text: string, mode?: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  if (mode !== undefined) chmodSync(path, mode);
  return path;
}

const testcases = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(xml)
    .testsuite.testcase as {
    name: string;
    skipped?: { message: string };
    error?: { message: string };
  }[];

const realPack = (port: number) => `name: real-bench
bench: { vendor: itron, devices: real, link: "tcp:127.0.0.1:${port}" }
scenarios:
  - name: operator steps by a hook
    steps:
      - stimulus: { ppmid: on, prompt: "Plug the PPMID into the mains" }
      - stimulus: { prompt: "Open the meter's terminal cover" }
      - sr: { srv: "8.11", target: CHF, params: { DeviceID: PPMID, RequestType: Add, JoinTimePeriod: 200 } }
      - expect: { response: I0, messageSuccess: true }
`;

describe('smets1 run --operator-hook: a devices: real pack with nobody at the keyboard', () => {
  it('the hook carries out each stimulus (its JSON on stdin) and the pack runs to the end without a TTY', async ({
    onTestFinished,
  }) => {
    const emulator = await startEmulator(['--migration-state', 'dcc']);
    onTestFinished(() => void emulator.process.kill('SIGTERM'));
    const pack = file('real.yaml', realPack(emulator.port));
    const log = join(dir, 'hook.log');
    const hook = file('hook.sh', `#!/bin/sh\ncat >> "${log}"\n`, 0o755);
    const out = join(dir, 'real-out');
    const result = await run('run', pack, '--operator-hook', hook, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\[1\/1\] ✓ real-bench › operator steps by a hook /m);
    expect(
      readFileSync(log, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        file: expect.stringMatching(/real\.yaml$/),
        scenario: 'operator steps by a hook',
        step: 1,
        line: 6,
        column: 9,
        prompt: 'Plug the PPMID into the mains',
        stimulus: { type: 'ppmidPowerOn' },
        device: { text: 'PPMID', role: 'PPMID', set: 0, eui: '00-DB-12-34-56-78-90-A3' },
      },
      {
        file: expect.stringMatching(/real\.yaml$/),
        scenario: 'operator steps by a hook',
        step: 2,
        line: 7,
        column: 9,
        prompt: "Open the meter's terminal cover",
        stimulus: { type: 'operator' },
      },
    ]);
    // the report shows each step as the operator's
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('operator: Plug the PPMID into the mains');
  }, 60_000);

  it('a hook that fails stops the scenario with its exit status and stderr in the console and junit.xml', async ({
    onTestFinished,
  }) => {
    const emulator = await startEmulator(['--migration-state', 'dcc']);
    onTestFinished(() => void emulator.process.kill('SIGTERM'));
    const pack = file('real-failing.yaml', realPack(emulator.port));
    const hook = file(
      'failing-hook.sh',
      '#!/bin/sh\necho "relay board not found on /dev/ttyACM0" >&2\nexit 4\n',
      0o755,
    );
    const out = join(dir, 'failing-out');
    const result = await run(
      'run',
      pack,
      '--operator-hook',
      hook,
      '--out',
      out,
      '--reporter',
      'console',
      '--reporter',
      'junit',
    );
    expect(result.status).toBe(1);
    const told = `operator hook \`${hook}\` for "Plug the PPMID into the mains" (line 6) exited 4: relay board not found on /dev/ttyACM0`;
    expect(result.stdout).toContain(told);
    expect(testcases(readFileSync(join(out, 'junit.xml'), 'utf8'))[0]!.error!.message).toBe(told);
  }, 60_000);

  it('Ctrl-C during a hook ends the run and the hook with everything it started', async ({ onTestFinished }) => {
    const emulator = await startEmulator(['--migration-state', 'dcc']);
    onTestFinished(() => void emulator.process.kill('SIGTERM'));
    const pack = file('real-interrupted.yaml', realPack(emulator.port));
    const pidFile = join(dir, 'relay.pid');
    const hook = file('slow-hook.sh', `#!/bin/sh\nsleep 60 &\necho $! > "${pidFile}"\nwait\n`, 0o755);
    const child = spawn(
      process.execPath,
      [SMETS1_BIN, 'run', pack, '--operator-hook', hook, '--out', join(dir, 'interrupted-out')],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // the hook has started its relay (its pid is written) when the operator presses Ctrl-C
    for (let tries = 0; !existsSync(pidFile) || readFileSync(pidFile, 'utf8') === ''; tries++) {
      if (tries > 400) throw new Error('the hook never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(alive(sleeper)).toBe(false);
  }, 60_000);

  it('with neither a terminal nor a hook the run is refused at once (exit 2), naming the scenarios that need an operator', async () => {
    // nothing listens on the pack's port: the refusal comes before any connection is tried
    const pack = file('real-nobody.yaml', realPack(9));
    const result = await run('run', pack, '--out', join(dir, 'nobody'));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'smets1 run: 1 scenario(s) have operator steps (devices: real, or a prompt): real-bench › operator steps by a hook; stdin is not a terminal and no --operator-hook was given, so nobody can carry them out: run on a TTY, or give --operator-hook CMD\n',
    );
  }, 30_000);
});

describe('smets1 run --bail', () => {
  const pack = `name: bail
bench: { vendor: itron }
scenarios:
  - name: first passes
    steps: [ { wait: 1s }, { expect: { noAlert: { code: 0x8F49, within: 1s } } } ]
  - name: second fails
    steps: [ { wait: 1s }, { expect: { alert: { code: 0x8F49, within: 1s } } } ]
  - name: third would pass
    steps: [ { wait: 1s } ]
  - name: fourth would pass
    steps: [ { wait: 1s } ]
`;

  it('stops after the first failed scenario; the console and junit.xml list the ones not run, as skipped', async () => {
    const path = file('bail.yaml', pack);
    const out = join(dir, 'bail-out');
    const result = await smets1Printed(
      'run',
      path,
      '--bail',
      '--out',
      out,
      '--reporter',
      'console',
      '--reporter',
      'junit',
    );
    expect(result.status).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toMatch(/^\[1\/4\] ✓ bail › first passes /);
    expect(lines[2]).toMatch(/^\[2\/4\] ✗ bail › second fails /);
    const reason = 'not run: --bail stopped the run after bail › second fails failed';
    expect(result.stdout).toMatch(
      new RegExp(`^\\[3/4\\] - bail › third would pass \\[skipped\\] .*\\n.*${reason}`, 'm'),
    );
    expect(result.stdout).toMatch(
      new RegExp(`^\\[4/4\\] - bail › fourth would pass \\[skipped\\] .*\\n.*${reason}`, 'm'),
    );
    expect(result.stdout).toContain('FAILED: 4 scenarios, 1 passed, 1 failed, 0 errored, 2 skipped');
    const cases = testcases(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(cases.map((c) => [c.name, c.skipped?.message])).toEqual([
      ['first passes', undefined],
      ['second fails', undefined],
      ['third would pass', reason],
      ['fourth would pass', reason],
    ]);
  }, 60_000);

  it('without --bail every scenario runs', async () => {
    const result = await smets1Printed('run', file('nobail.yaml', pack), '--reporter', 'console');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAILED: 4 scenarios, 3 passed, 1 failed, 0 errored, 0 skipped');
  }, 60_000);
});

/** A TCP peer for the harness to talk to: `acks` it acknowledges every frame (and answers nothing), else it reads and says nothing. */
async function silentPeer(acks: boolean): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (!acks) {
      socket.resume();
      return;
    }
    const endpoint = new MessageEndpoint({
      side: 'devices',
      clock: new WallClock(),
      localEui: '00-DB-12-34-56-78-90-A2',
      transmit: (bytes) => socket.write(bytes),
      dialectOf: () => 'itron',
    });
    socket.on('data', (bytes) => endpoint.receive(bytes));
    socket.on('close', () => endpoint.close());
  });
  server.on('close', () => {
    for (const socket of sockets) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('smets1 run --ack-timeout and --response-timeout', () => {
  const stimulusPack = (port: number) => `name: timeouts
bench: { vendor: itron, link: "tcp:127.0.0.1:${port}" }
scenarios:
  - name: a stimulus to a peer
    steps: [ { stimulus: { ppmid: on } } ]
`;

  it('--ack-timeout: a peer that never acks fails the command after 4 tries of that timeout', async ({
    onTestFinished,
  }) => {
    const peer = await silentPeer(false);
    onTestFinished(() => void peer.server.close());
    // a peer that acks nothing cannot be pre-flighted either
    const result = await smets1Printed(
      'run',
      file('ack.yaml', stimulusPack(peer.port)),
      '--ack-timeout',
      '150ms',
      '--no-preflight',
      '--reporter',
      'console',
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/no ack for .* after 4 tries of 150 ms/);
  }, 30_000);

  it('--response-timeout: a peer that acks and never answers fails the command after that long', async ({
    onTestFinished,
  }) => {
    const peer = await silentPeer(true);
    onTestFinished(() => void peer.server.close());
    const result = await smets1Printed(
      'run',
      file('response.yaml', stimulusPack(peer.port)),
      '--response-timeout',
      '400ms',
      '--no-preflight',
      '--reporter',
      'console',
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/powerOn to 00-DB-12-34-56-78-90-A3 \(request \d+\): no response within 400 ms/);
  }, 30_000);

  it('as a process: ends on its own, exit 1, while the far end that acks and never answers keeps its connection open', async ({
    onTestFinished,
  }) => {
    const peer = await silentPeer(true);
    onTestFinished(() => void peer.server.close());
    // what the worker cannot show: the process exits with the peer's socket still open (bin/smets1.mjs)
    const result = await runUpTo(
      20_000,
      'run',
      file('response-child.yaml', stimulusPack(peer.port)),
      '--response-timeout',
      '400ms',
      '--no-preflight',
      '--reporter',
      'console',
    );
    expect([result.status, result.stderr]).toEqual([1, '']);
    expect(result.stdout).toMatch(/powerOn to 00-DB-12-34-56-78-90-A3 \(request \d+\): no response within 400 ms/);
  }, 30_000);

  it.each([
    [
      '--ack-timeout',
      '0s',
      /option '--ack-timeout <duration>' argument '0s' is invalid\. "0s" is not a duration like 300s, 90min, 2h or 1h30m .*, above 0/,
    ],
    [
      '--response-timeout',
      '30',
      /option '--response-timeout <duration>' argument '30' is invalid\. "30" is not a duration like 300s/,
    ],
  ])('%s %s is bad usage', async (option, value, message) => {
    const result = await smets1Printed('run', 'packs/defects/91342-elster.yaml', option, value);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
