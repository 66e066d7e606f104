import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { fixUnixPort, nativeBinding } from '../../emulator/links/nativeBinding';
import type { BindingInterface } from '../../emulator/links/serialportTypes';
import { spawnPtyPair } from '../../emulator/links/ptyPair';
import { needsSocat } from '../support/socat';

const haveSocat = needsSocat(
  'tests/links/nativeBinding.test.ts: "native binding: a hung-up tty" (EOF on an unplugged tty, and its canary)',
);

/** Opens one end of a pty pair, then kills socat and waits for it: the tty is now hung up for certain. */
async function hungUpPort(binding: BindingInterface) {
  const pty = await spawnPtyPair();
  const port = await binding.open({ path: pty.paths[0], baudRate: 9600 });
  await pty.close(); // socat's fds close before its exit is reported
  return { port, path: pty.paths[0] };
}

function settleWithin(promise: Promise<unknown>, ms: number): Promise<string> {
  return Promise.race([
    promise.then(
      (r) => `resolved ${JSON.stringify(r)}`,
      (e: Error) => `rejected: ${e.message}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve(`pending after ${ms} ms`), ms)),
  ]);
}

describe.skipIf(!haveSocat)('native binding: a hung-up tty', () => {
  it('a read fails with EIO (end of file) instead of retrying forever, so the stream can report the loss', async () => {
    const { port, path } = await hungUpPort(await nativeBinding());
    expect(await settleWithin(port.read(Buffer.alloc(16), 0, 16), 2_000)).toBe(
      `rejected: EIO: end of file on ${path}: the tty hung up (unplugged, or its pty peer closed)`,
    );
    await port.close();
  });

  // A canary: when bindings-cpp fixes #162, this fails, and nativeBinding.ts's read can go.
  it('bindings-cpp on its own still never settles that read (serialport/bindings-cpp#162)', async () => {
    const { port } = await hungUpPort(SerialPort.binding as unknown as BindingInterface);
    expect(await settleWithin(port.read(Buffer.alloc(16), 0, 16), 300)).toBe('pending after 300 ms');
    await port.close(); // stops the retries
  });
});

/**
 * A bindings-cpp unix port as far as the fixes touch it, recording what is done to it: its read(2) (the `read` the
 * fix is given), its wait for readability, its close(2).
 */
function recordedPort() {
  const done: string[] = [];
  let finishRead!: (outcome: { bytesRead: number } | NodeJS.ErrnoException) => void;
  const read = (fd: number) => {
    done.push(`read(${fd})`);
    return new Promise<{ bytesRead: number }>((resolve, reject) => {
      finishRead = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
    });
  };
  const port = {
    fd: 42 as number | null,
    openOptions: { path: '/dev/ttyFIXED0' },
    poller: { once: () => done.push('wait for readability') },
    read: (_buffer: Buffer, _offset: number, _length: number): Promise<{ bytesRead: number }> =>
      Promise.reject(new Error('the fix replaces this read')),
    close: async () => {
      done.push(`close(${port.fd})`);
      port.fd = null;
    },
  };
  fixUnixPort(port as unknown as Parameters<typeof fixUnixPort>[0], read);
  return { port, done, finishRead: (outcome: { bytesRead: number } | NodeJS.ErrnoException) => finishRead(outcome) };
}

const EAGAIN = Object.assign(new Error('EAGAIN: resource temporarily unavailable, read'), { code: 'EAGAIN' });

// The kernel keeps a port's flock until the last reference to its open file goes, and a read(2) in progress holds
// one: a close(2) beside it returns with the port still locked, and an open of it at once fails EBUSY (CI, farEnd
// over a pty). Nothing here is timed: the read(2) in flight is a promise the test settles.
describe('native binding: a close while a read(2) of the port is in the thread pool', () => {
  it('closes only once that read has returned, and starts no read after the close began', async () => {
    const { port, done, finishRead } = recordedPort();
    const reading = port.read(Buffer.alloc(16), 0, 16);
    const closing = port.close();
    await drainPendingJobs();
    expect(done).toEqual(['read(42)']);
    await expect(port.read(Buffer.alloc(16), 0, 16)).rejects.toMatchObject({ canceled: true });
    expect(done).toEqual(['read(42)']);
    finishRead(EAGAIN); // nothing to read: the read would now wait for readability, but the port is closing
    await closing;
    expect(done).toEqual(['read(42)', 'close(42)']);
    await expect(reading).rejects.toMatchObject({ canceled: true });
  });

  it('a read that returns data as the close begins gives it to the stream, then the port closes', async () => {
    const { port, done, finishRead } = recordedPort();
    const reading = port.read(Buffer.alloc(16), 0, 16);
    const closing = port.close();
    finishRead({ bytesRead: 3 });
    await expect(reading).resolves.toMatchObject({ bytesRead: 3 });
    await closing;
    expect(done).toEqual(['read(42)', 'close(42)']);
    await expect(port.read(Buffer.alloc(16), 0, 16)).rejects.toMatchObject({ canceled: true });
    expect(done).toEqual(['read(42)', 'close(42)']);
  });

  it('with no read in flight (waiting for readability), closes at once', async () => {
    const { port, done, finishRead } = recordedPort();
    const reading = port.read(Buffer.alloc(16), 0, 16);
    finishRead(EAGAIN);
    await drainPendingJobs();
    expect(done).toEqual(['read(42)', 'wait for readability']);
    await port.close();
    expect(done).toEqual(['read(42)', 'wait for readability', 'close(42)']);
    void reading.catch(() => {}); // bindings-cpp's poller cancels that wait on close; this recorded one never answers
  });
});
