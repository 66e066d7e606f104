// The state directory lock (emulator/persistence/stateLock.ts): a pid the kernel gave to an unrelated process does
// not hold the directory, and a stale lock taken over by 200 contenders at once ends with exactly one holder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { lockStateDirectory } from '../../emulator/persistence/stateLock';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const releases: (() => void)[] = [];
afterEach(() => {
  releases.splice(0).forEach((release) => release());
  children.splice(0).forEach((child) => child.kill('SIGKILL'));
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'smets1-lock-'));
  dirs.push(dir);
  return dir;
};

/** Field 22 (starttime) of /proc/<pid>/stat, read here independently of the lock's own reader. */
function procStartTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const afterName = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return afterName[22 - 3];
}

/** A live process that is not an emulator: `sleep 60`, started and running. */
async function unrelatedProcess(): Promise<number> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  return child.pid!;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

const onLinux = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!onLinux)('state directory lock: a reused pid', () => {
  it('takes over a lock whose pid is alive but started at another time (an unrelated process got the pid)', async () => {
    const dir = tempDir();
    const sleeper = await unrelatedProcess();
    const wrongStart = String(Number(procStartTime(sleeper)) - 1);
    writeFileSync(join(dir, 'emulator.lock'), `${sleeper} ${wrongStart} ${sleeper}-0-1\n`);
    releases.push(lockStateDirectory(dir));
    expect(readFileSync(join(dir, 'emulator.lock'), 'utf8')).toMatch(
      new RegExp(`^${process.pid} ${procStartTime(process.pid)} `),
    );
  });

  it('takes over a pid-only lock (the old format: a pid cannot tell an emulator from whoever has that pid now)', async () => {
    const dir = tempDir();
    const sleeper = await unrelatedProcess();
    writeFileSync(join(dir, 'emulator.lock'), `${sleeper}\n`);
    releases.push(lockStateDirectory(dir));
    expect(readFileSync(join(dir, 'emulator.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
  });

  it('refuses while the process named with its own start time runs, and takes over once it is gone', async () => {
    const dir = tempDir();
    const sleeper = await unrelatedProcess();
    writeFileSync(join(dir, 'emulator.lock'), `${sleeper} ${procStartTime(sleeper)} ${sleeper}-0-1\n`);
    expect(() => lockStateDirectory(dir)).toThrow(
      `state directory ${dir} is in use by another emulator (pid ${sleeper}, lock ${join(dir, 'emulator.lock')}); stop it or use another --state directory`,
    );
    const child = children.pop()!;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    releases.push(lockStateDirectory(dir));
  });
});

/**
 * Runs in each worker: waits at the barrier, then tries the lock once and reports. Every worker then stays alive
 * until terminated: a worker whose event loop empties exits, and its exit releases a lock it holds.
 */
const CONTENDER = `
  const { workerData, parentPort } = await import('node:worker_threads');
  const { lockStateDirectory } = await import(workerData.module);
  const barrier = new Int32Array(workerData.barrier);
  Atomics.add(barrier, 0, 1);
  Atomics.wait(barrier, 1, 0);
  try {
    lockStateDirectory(workerData.dir);
    parentPort.postMessage('held');
  } catch (error) {
    parentPort.postMessage(error.name + ': ' + error.message);
  }
  setInterval(() => {}, 60_000);
`;

describe.skipIf(!onLinux)('state directory lock: simultaneous take-overs', () => {
  it('200 contenders taking over one stale lock at once: exactly one holds it, the others are told who does', async () => {
    const dir = tempDir();
    // The lock module as plain JS, so that each worker loads it without a TypeScript loader of its own.
    const source = readFileSync(new URL('../../emulator/persistence/stateLock.ts', import.meta.url), 'utf8');
    const module = join(dir, 'stateLock.mjs');
    writeFileSync(
      module,
      ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
        .outputText,
    );
    const lockDir = join(dir, 'state');
    mkdirSync(lockDir);
    writeFileSync(join(lockDir, 'emulator.lock'), `${await deadPid()} 1 1-0-1\n`);

    const contenders = 200;
    const barrier = new SharedArrayBuffer(8);
    const counts = new Int32Array(barrier);
    const workers = Array.from(
      { length: contenders },
      () => new Worker(CONTENDER, { eval: true, workerData: { module: `file://${module}`, dir: lockDir, barrier } }),
    );
    try {
      const outcomes = workers.map(
        (worker) => new Promise<string>((resolve, reject) => worker.once('message', resolve).once('error', reject)),
      );
      while (Atomics.load(counts, 0) < contenders) await new Promise((resolve) => setTimeout(resolve, 10));
      Atomics.store(counts, 1, 1);
      Atomics.notify(counts, 1);
      const results = await Promise.all(outcomes);
      expect(results.filter((r) => r === 'held')).toHaveLength(1);
      const refusal = `StateLockError: state directory ${lockDir} is in use by another emulator (pid ${process.pid}, lock ${join(lockDir, 'emulator.lock')}); stop it or use another --state directory`;
      expect(results.filter((r) => r !== 'held')).toEqual(Array(contenders - 1).fill(refusal));
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
  }, 120_000);
});
