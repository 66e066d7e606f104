import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { nativeBinding } from '../../emulator/links/nativeBinding';
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
