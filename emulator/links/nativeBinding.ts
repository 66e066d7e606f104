/**
 * serialport's native binding, loaded on demand (so in-process links never load the addon), with one fix.
 *
 * On Linux and macOS, bindings-cpp's read (unix-read.js) retries at once whenever read(2) returns 0 bytes. A tty
 * that has hung up returns exactly that, forever: a USB adapter that was unplugged, a pty whose other side (socat)
 * died. The port then never reports the loss, no 'close' is emitted, and the retries spin through the thread
 * pool (serialport/bindings-cpp#162, open; the fix, PR #164, was closed unmerged; still so in bindings-cpp 13).
 * A tty opened with VMIN=1 and O_NONBLOCK, as bindings-cpp opens it, says "no data" with EAGAIN, so 0 bytes can
 * only mean end of file. Here each opened unix port gets a read that treats it so: the read fails, and the
 * stream closes as disconnected, as it does for other read errors.
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

async function readUntilData(port: UnixPort, buffer: Buffer, offset: number, length: number) {
  for (;;) {
    const fd = port.fd;
    if (fd === null) throw canceled();
    try {
      const { bytesRead } = await readAsync(fd, buffer, offset, length, null);
      if (bytesRead > 0) return { buffer, bytesRead };
    } catch (error) {
      if (port.fd === null) throw canceled(); // closed while the read was in the thread pool
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

let loaded: Promise<BindingInterface> | undefined;

export function nativeBinding(): Promise<BindingInterface> {
  loaded ??= import('serialport').then(({ SerialPort }) => {
    const native = SerialPort.binding as unknown as BindingInterface;
    return {
      list: () => native.list(),
      open: async (options) => {
        const port = await native.open(options);
        if (isUnixPort(port)) {
          port.read = (buffer: Buffer, offset: number, length: number) => readUntilData(port, buffer, offset, length);
        }
        return port;
      },
    };
  });
  return loaded;
}
