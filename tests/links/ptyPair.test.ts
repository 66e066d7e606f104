import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { alive } from '../../scripts/processTree';
import { spawnPtyPair } from '../../emulator/links/ptyPair';
import { SerialLink } from '../../emulator/links/serialLink';
import { needsSocat } from '../support/socat';
import { descendantsOf } from '../../scripts/processTree';
import { byteLinkSuite, eventUntil, Recorder } from './byteLinkSuite';

const haveSocat = needsSocat(
  'tests/links/ptyPair.test.ts: "socat pty pair" (the byte link suite over a pty pair, reopen, socat dying)',
);

const until = eventUntil();

describe.skipIf(!haveSocat)('socat pty pair', () => {
  byteLinkSuite({
    name: 'a socat pty pair, the native serialport binding on both ends',
    async connect() {
      const pty = await spawnPtyPair();
      const clock = new VirtualClock();
      const a = new SerialLink({ path: pty.paths[0], baudRate: 115_200, clock, reconnect: false });
      const b = new SerialLink({ path: pty.paths[1], baudRate: 115_200, clock, reconnect: false });
      await Promise.all([a.open(), b.open()]);
      return { a, b, dispose: async () => void (await Promise.all([a.close(), b.close()]), await pty.close()) };
    },
    until,
    // socat keeps relaying when one side's slave is closed (a tty has no end-of-file), so neither end can tell.
    peerSeesClose: { whenAcloses: null, whenBcloses: null },
    describes: { a: /^serial:\/dev\/pts\/\d+@115200$/, b: /^serial:\/dev\/pts\/\d+@115200$/ },
    bulkBytes: 64 * 1024,
  });

  it('exposes two distinct /dev/pts paths and kills socat on close', async () => {
    const pty = await spawnPtyPair();
    expect(pty.paths[0]).toMatch(/^\/dev\/pts\/\d+$/);
    expect(pty.paths[1]).toMatch(/^\/dev\/pts\/\d+$/);
    expect(pty.paths[0]).not.toBe(pty.paths[1]);
    expect(pty.running).toBe(true);
    await pty.close();
    expect(pty.running).toBe(false);
    expect(() => process.kill(pty.pid, 0)).toThrow(/ESRCH/);
  });

  it('an end closed and reopened talks to the other again: socat keeps relaying, the other end never knew', async () => {
    const pty = await spawnPtyPair();
    const clock = new VirtualClock();
    const a = new SerialLink({ path: pty.paths[0], clock, reconnect: false });
    const b = new SerialLink({ path: pty.paths[1], clock, reconnect: false });
    await Promise.all([a.open(), b.open()]);
    const rb = new Recorder(b);
    await a.close();
    const again = new SerialLink({ path: pty.paths[0], clock, reconnect: false });
    await again.open();
    again.write(Uint8Array.of(1, 2, 3));
    await until(() => rb.received === 3, '3 bytes at b', [b]);
    expect(rb.events).toEqual(['data']);
    expect(pty.running).toBe(true);
    await Promise.all([again.close(), b.close()]);
    await pty.close();
  });

  it('when socat dies, an open end sees a lost close with the reason', async () => {
    const pty = await spawnPtyPair();
    const link = new SerialLink({ path: pty.paths[0], clock: new VirtualClock(), reconnect: false });
    await link.open();
    const r = new Recorder(link);
    process.kill(pty.pid, 'SIGKILL');
    await until(() => r.closes.length > 0, 'the end sees socat go', [link]);
    expect(r.closes[0]).toMatchObject({ kind: 'lost', error: { code: 'EIO' } });
    expect(link.isOpen).toBe(false);
    await link.close();
    await pty.close();
  });
});

const commandOf = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

const BIN = new URL('../../bin/smets1.mjs', import.meta.url).pathname;

describe.skipIf(!haveSocat)('kill -9 of an emulator on --link pty', () => {
  it('takes its socat with it: no helper outlives the emulator or holds the ptys', async () => {
    const emulator = spawn(process.execPath, [BIN, 'emulate', '--link', 'pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    emulator.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const readyBy = Date.now() + 20_000;
    while (!/^ready$/m.test(output)) {
      if (Date.now() > readyBy) throw new Error(`emulate --link pty not ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const helpers = descendantsOf(emulator.pid!);
    // socat (the watchdog shell exec'd it) and its watcher waiting on the emulator's pipe (and tsx's esbuild).
    const socat = helpers.filter((pid) => commandOf(pid) === 'socat');
    expect(socat).toHaveLength(1);
    expect(descendantsOf(socat[0]).map(commandOf)).toEqual(['sh']);
    const exited = new Promise((resolve) => emulator.once('exit', resolve));
    emulator.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 5000;
    while (helpers.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(helpers.filter(alive)).toEqual([]);
  }, 30_000);
});

describe('socat missing', () => {
  it('says how to install it', async () => {
    await expect(spawnPtyPair({ socatPath: '/nonexistent/socat' })).rejects.toMatchObject({
      code: 'ENOENT',
      message: expect.stringContaining('install socat: apt-get install socat'),
    });
  });
});
