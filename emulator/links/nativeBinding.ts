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
 * tests/packs/farEnd.test.ts over a pty; reproduced by closing and reopening a pty end while its peer sends). Here
 * close waits for the read in flight, and no read starts once close has begun, so when close resolves the lock is
 * gone.
 */
import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import type { BindingInterface, BindingPortInterface } from './serialportTypes';

const readAsync = promisify(fsRead);

/** What bindings-cpp's Linux and Darwin ports expose (declared public in their typings). */
interface UnixPort extends BindingPortInterface {
  fd: number | null;
  poller: { once(event: 'readable', callback: (error: Error | null) => void): unknown };
}

function isUnixPort(port: BindingPortInterface): port is UnixPort {
  const p = port as Partial<UnixPort>;
  return 'fd' in port && typeof p.poller?.once === 'function';
}

/** The stream treats `canceled` errors as "closed on purpose", anything else as a disconnection. */
function canceled(): Error {
  return Object.assign(new Error('Port is not open'), { canceled: true });
}

/** fs.read's promise form: what the port's read(2) in the thread pool is; a test passes its own. */
type ReadSyscall = (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: null,
) => Promise<{ bytesRead: number }>;

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
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
      continue;
    }
    // The message leads with a code, as fs errors do: the stream keeps only the message when it disconnects.
    throw new Error(
      `EIO: end of file on ${port.openOptions.path}: the tty hung up (unplugged, or its pty peer closed)`,
    );
  }
}

/** Gives a bindings-cpp unix port the two fixes above, in place. */
export function fixUnixPort(port: UnixPort, read: ReadSyscall = readAsync): void {
  let closing = false;
  let inFlight: Promise<unknown> | null = null;
  const tracked: ReadSyscall = (...args) => {
    const syscall = read(...args);
    inFlight = syscall;
    const done = () => {
      if (inFlight === syscall) inFlight = null;
    };
    syscall.then(done, done);
    return syscall;
  };
  port.read = (buffer: Buffer, offset: number, length: number) =>
    readUntilData(port, tracked, () => closing, buffer, offset, length);
  const close = port.close.bind(port);
  port.close = async () => {
    closing = true;
    // its read(2) holds the open file, and so the lock, until it returns (above)
    await inFlight?.then(
      () => {},
      () => {},
    );
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
