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

  // A canary: when bindings-cpp fixes #162, this fails, and the end-of-file branch of nativeBinding.ts's read can go
  // (the read itself stays: close waits for it, for the lock).
  it('bindings-cpp on its own still never settles that read (serialport/bindings-cpp#162)', async () => {
    const { port } = await hungUpPort(SerialPort.binding as unknown as BindingInterface);
    expect(await settleWithin(port.read(Buffer.alloc(16), 0, 16), 300)).toBe('pending after 300 ms');
    await port.close(); // stops the retries
  });
});

/**
 * A bindings-cpp unix port as far as the fixes touch it, recording what is done to it: its read(2) and write(2) (the
 * syscalls the fix is given), its waits for readability and writability, its close(2).
 */
function recordedPort() {
  const done: string[] = [];
  let finishRead!: (outcome: { bytesRead: number } | NodeJS.ErrnoException) => void;
  let finishWrite!: (outcome: { bytesWritten: number } | NodeJS.ErrnoException) => void;
  const read = (fd: number) => {
    done.push(`read(${fd})`);
    return new Promise<{ bytesRead: number }>((resolve, reject) => {
      finishRead = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
    });
  };
  const write = (fd: number, _buffer: Buffer, offset: number, length: number) => {
    done.push(`write(${fd}, from ${offset}, ${length} bytes)`);
    return new Promise<{ bytesWritten: number }>((resolve, reject) => {
      finishWrite = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
    });
  };
  const port = {
    fd: 42 as number | null,
    openOptions: { path: '/dev/ttyFIXED0' },
    writeOperation: null as Promise<void> | null,
    poller: {
      once: (event: string) => done.push(event === 'readable' ? 'wait for readability' : 'wait for writability'),
    },
    read: (_buffer: Buffer, _offset: number, _length: number): Promise<{ bytesRead: number }> =>
      Promise.reject(new Error('the fix replaces this read')),
    write: (_buffer: Buffer): Promise<void> => Promise.reject(new Error('the fix replaces this write')),
    close: async () => {
      done.push(`close(${port.fd})`);
      port.fd = null;
    },
  };
  fixUnixPort(port as unknown as Parameters<typeof fixUnixPort>[0], { read, write });
  return {
    port,
    done,
    finishRead: (outcome: { bytesRead: number } | NodeJS.ErrnoException) => finishRead(outcome),
    finishWrite: (outcome: { bytesWritten: number } | NodeJS.ErrnoException) => finishWrite(outcome),
  };
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

// A write(2) in the pool holds the open file as a read(2) does (review: EBUSY after close with a write in flight).
describe('native binding: a close while a write(2) of the port is in the thread pool', () => {
  it('closes only once that write has returned, and starts no write after the close began', async () => {
    const { port, done, finishWrite } = recordedPort();
    const writing = port.write(Buffer.alloc(10));
    const closing = port.close();
    await drainPendingJobs();
    expect(done).toEqual(['write(42, from 0, 10 bytes)']);
    await expect(port.write(Buffer.alloc(4))).rejects.toThrow('Port is not open');
    finishWrite({ bytesWritten: 4 }); // the tty took 4 of the 10: the rest is not written, the port is closing
    await closing;
    expect(done).toEqual(['write(42, from 0, 10 bytes)', 'close(42)']);
    await expect(writing).rejects.toThrow('Port is not open');
  });

  it('writes what the tty did not take from where it stopped, and waits for writability when it takes none', async () => {
    const { port, done, finishWrite } = recordedPort();
    const writing = port.write(Buffer.alloc(10));
    expect(port.writeOperation).not.toBeNull();
    finishWrite({ bytesWritten: 4 });
    await drainPendingJobs();
    finishWrite(Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN' }));
    await drainPendingJobs();
    expect(done).toEqual(['write(42, from 0, 10 bytes)', 'write(42, from 4, 6 bytes)', 'wait for writability']);
    void writing.catch(() => {}); // the recorded poller never answers
  });

  it('a write the tty refuses as gone (ENXIO) fails marked as a disconnection, as bindings-cpp marks it', async () => {
    const { port, finishWrite } = recordedPort();
    const writing = port.write(Buffer.alloc(10));
    finishWrite(Object.assign(new Error('ENXIO: no such device or address, write'), { code: 'ENXIO' }));
    await expect(writing).rejects.toMatchObject({ code: 'ENXIO', disconnect: true });
  });

  it('a write the tty takes whole resolves, and the port has no write in progress after it', async () => {
    const { port, done, finishWrite } = recordedPort();
    const writing = port.write(Buffer.alloc(10));
    finishWrite({ bytesWritten: 10 });
    await writing;
    expect(port.writeOperation).toBeNull();
    await port.close();
    expect(done).toEqual(['write(42, from 0, 10 bytes)', 'close(42)']);
  });
});
