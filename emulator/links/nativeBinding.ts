/**
 * serialport's native binding, loaded on demand (so in-process links never load the addon), with two fixes to each
 * unix port it opens (`fixUnixPort`).
 *
 * End of file. On Linux and macOS, bindings-cpp's read (unix-read.js) retries at once whenever read(2) returns 0
 * bytes. A tty that has hung up returns exactly that, forever: a USB adapter that was unplugged, a pty whose other
 * side (socat) died. The port then never reports the loss, no 'close' is emitted, and the retries spin through the
 * thread pool (serialport/bindings-cpp#162, open; the fix, PR #164, was closed unmerged; still so in bindings-cpp
 * 13). A tty opened with VMIN=1 and O_NONBLOCK, as bindings-cpp opens it, says "no data" with EAGAIN, so 0 bytes can
 * only mean end of file. Here the read treats it so: the read fails, and the stream closes as disconnected, as it
 * does for other read errors.
 *
 * The lock after close. bindings-cpp takes flock(LOCK_EX) on open, and its close is close(2) in the thread pool,
 * while the stream always has a read(2) of the port in the pool too. The kernel releases a flock only when the last
 * reference to the open file goes, and a read(2) in progress in another thread holds one: close(2) returns, but the
 * port stays locked until that read returns (milliseconds, now and then, on a loaded box). A program that opens the
 * port again at once, as the harness does between two scenarios on a far end, meets its own lock: EBUSY (CI,
 * tests/packs/farEnd.test.ts over a pty; reproduced by closing and reopening a pty end while its peer sends). A
 * write(2) in the pool holds the file the same way (bindings-cpp's unix-write.js writes through fs.write; review:
 * 17 EBUSY in 20,000 cycles of open, a 300-byte write, close and reopen). Here the port's reads and writes are this
 * module's, close waits for every read(2) and write(2) in flight, and none starts once close has begun, so when
 * close resolves the lock is gone. (A write still waiting for the tty to take more is not in flight: the poller's
 * stop at close cancels that wait, as bindings-cpp's own write had it.)
 */
import { read as fsRead, write as fsWrite } from 'node:fs';
import { promisify } from 'node:util';
import type { BindingInterface, BindingPortInterface } from './serialportTypes';

const readAsync = promisify(fsRead);
const fsWriteAsync = promisify(fsWrite);
const writeAsync: WriteSyscall = (fd, buffer, offset, length) => fsWriteAsync(fd, buffer, offset, length);

/** What bindings-cpp's Linux and Darwin ports expose (declared public in their typings). */
interface UnixPort extends BindingPortInterface {
  fd: number | null;
  poller: { once(event: 'readable' | 'writable', callback: (error: Error | null) => void): unknown };
  /** The write in progress, for the port's drain (bindings-cpp's linux.js and darwin.js keep it so). */
  writeOperation: Promise<void> | null;
}

function isUnixPort(port: BindingPortInterface): port is UnixPort {
  const p = port as Partial<UnixPort>;
  return 'fd' in port && typeof p.poller?.once === 'function';
}

/** The stream treats `canceled` errors as "closed on purpose", anything else as a disconnection. */
function canceled(): Error {
  return Object.assign(new Error('Port is not open'), { canceled: true });
}

/** fs.read's and fs.write's promise forms: the port's read(2) and write(2) in the thread pool; a test passes its own. */
type ReadSyscall = (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: null,
) => Promise<{ bytesRead: number }>;
type WriteSyscall = (fd: number, buffer: Buffer, offset: number, length: number) => Promise<{ bytesWritten: number }>;

/** Would block, or interrupted: try again once the tty is ready (bindings-cpp's reads and writes do the same). */
function tryAgain(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

function waitFor(port: UnixPort, event: 'readable' | 'writable'): Promise<void> {
  return new Promise<void>((resolve, reject) => port.poller.once(event, (e) => (e ? reject(e) : resolve())));
}

async function readUntilData(
  port: UnixPort,
  read: ReadSyscall,
  closing: () => boolean,
  buffer: Buffer,
  offset: number,
  length: number,
) {
  for (;;) {
    const fd = port.fd;
    if (fd === null || closing()) throw canceled();
    try {
      const { bytesRead } = await read(fd, buffer, offset, length, null);
      if (bytesRead > 0) return { buffer, bytesRead };
    } catch (error) {
      if (port.fd === null || closing()) throw canceled(); // closed while the read was in the thread pool
      if (!tryAgain(error)) throw error;
      await waitFor(port, 'readable');
      continue;
    }
    // The message leads with a code, as fs errors do: the stream keeps only the message when it disconnects.
    throw new Error(
      `EIO: end of file on ${port.openOptions.path}: the tty hung up (unplugged, or its pty peer closed)`,
    );
  }
}

/** Writes all of `buffer`, as bindings-cpp's unix-write.js does, through the given (tracked) write(2). */
async function writeAll(port: UnixPort, write: WriteSyscall, closing: () => boolean, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const fd = port.fd;
    if (fd === null || closing()) throw new Error('Port is not open');
    try {
      offset += (await write(fd, buffer, offset, buffer.length - offset)).bytesWritten;
    } catch (error) {
      if (port.fd === null || closing()) throw new Error('Port is not open');
      if (!tryAgain(error)) {
        // as bindings-cpp marks them: the stream then closes as disconnected
        const e = error as NodeJS.ErrnoException & { disconnect?: boolean };
        if (e.code === 'EBADF' || e.code === 'ENXIO' || e.code === 'UNKNOWN' || e.errno === -1) e.disconnect = true;
        throw error;
      }
      await waitFor(port, 'writable');
    }
  }
}

/** Gives a bindings-cpp unix port the two fixes above, in place; `syscalls` for tests. */
export function fixUnixPort(port: UnixPort, syscalls: { read?: ReadSyscall; write?: WriteSyscall } = {}): void {
  const { read = readAsync, write = writeAsync } = syscalls;
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();
  const tracked =
    <A extends unknown[], R>(syscall: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const running = syscall(...args);
      inFlight.add(running);
      const done = () => inFlight.delete(running);
      running.then(done, done);
      return running;
    };
  const trackedRead = tracked(read);
  const trackedWrite = tracked(write);
  const isClosing = () => closing;
  port.read = (buffer: Buffer, offset: number, length: number) =>
    readUntilData(port, trackedRead, isClosing, buffer, offset, length);
  port.write = (buffer: Buffer) => {
    const operation = writeAll(port, trackedWrite, isClosing, buffer).finally(() => {
      if (port.writeOperation === operation) port.writeOperation = null;
    });
    port.writeOperation = operation;
    return operation;
  };
  const close = port.close.bind(port);
  port.close = async () => {
    closing = true;
    // each read(2) and write(2) holds the open file, and so the lock, until it returns (above)
    await Promise.allSettled([...inFlight]);
    return close();
  };
}

let loaded: Promise<BindingInterface> | undefined;

export function nativeBinding(): Promise<BindingInterface> {
  loaded ??= import('serialport').then(({ SerialPort }) => {
    const native = SerialPort.binding as unknown as BindingInterface;
    return {
      list: () => native.list(),
      open: async (options) => {
        const port = await native.open(options);
        if (isUnixPort(port)) fixUnixPort(port);
        return port;
      },
    };
  });
  return loaded;
}
