import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { ByteLinkError } from '../../emulator/links/byteLink';
import { serialError, serialErrorCode } from '../../emulator/links/serialErrors';
import { SerialLink } from '../../emulator/links/serialLink';

describe('SerialLink on the native binding', () => {
  it('opening a path that does not exist gives ENOENT, saying where and what to check', async () => {
    const link = new SerialLink({ path: '/dev/ttyDOESNOTEXIST9', baudRate: 9600, clock: new VirtualClock() });
    const error = await link.open().then(
      () => expect.fail('opened a nonexistent port'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ByteLinkError);
    expect(error).toMatchObject({ code: 'ENOENT', errno: 2, where: 'serial:/dev/ttyDOESNOTEXIST9@9600' });
    expect((error as Error).message).toBe(
      'serial:/dev/ttyDOESNOTEXIST9@9600: open failed: no such port: check the path (ls /dev/serial/by-id/) and ' +
        'that the adapter is plugged in [Error: No such file or directory, cannot open /dev/ttyDOESNOTEXIST9] (ENOENT)',
    );
    expect(link.isOpen).toBe(false);
  });

  it('opening something that is not a tty gives ENOTTY', async () => {
    const link = new SerialLink({ path: '/dev/null', clock: new VirtualClock() });
    await expect(link.open()).rejects.toMatchObject({
      code: 'ENOTTY',
      message: expect.stringMatching(/not a serial device/),
    });
  });

  it('a closed link cannot be opened again, and writes to it are reported', async () => {
    const link = new SerialLink({ path: '/dev/ttyDOESNOTEXIST9', clock: new VirtualClock() });
    const errors: ByteLinkError[] = [];
    link.on('error', (e) => errors.push(e));
    await link.close();
    await expect(link.open()).rejects.toMatchObject({ code: 'EBADF' });
    link.write(Uint8Array.of(1));
    expect(errors.map((e) => e.code)).toEqual(['ENOTCONN']);
  });

  it('rejects a bad baud rate when constructed', () => {
    expect(() => new SerialLink({ path: '/dev/x', baudRate: 0, clock: new VirtualClock() })).toThrow(
      /positive integer/,
    );
  });
});

describe('serial error codes', () => {
  // The exact texts bindings-cpp builds (src/serialport_unix.cpp) and Node's fs read errors.
  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyUSB0', 'ENOENT'],
    ['Error: Permission denied, cannot open /dev/ttyUSB0', 'EACCES'],
    ['Error Resource temporarily unavailable Cannot lock port', 'EBUSY'],
    ['Error: Device or resource busy, cannot open /dev/ttyUSB0', 'EBUSY'],
    ['Error: Inappropriate ioctl for device setting custom baud rate of 9600', 'ENOTTY'],
    ['Error baud rate of 12345 is not supported on your platform', 'EINVAL'],
    ['EIO: i/o error, read', 'EIO'],
    ['ENXIO: no such device or address, read', 'ENXIO'],
    ["Port does not exist - please call MockBinding.createPort('/dev/ttyUSB0') first", 'ENOENT'], // @serialport/binding-mock
    ['Port is locked cannot open', 'EBUSY'], // @serialport/binding-mock
    ['something else entirely', 'EIO'],
  ])('%s → %s', (message, code) => {
    expect(serialErrorCode(new Error(message))).toBe(code);
  });

  it('prefers an explicit code, and gives EACCES its fix', () => {
    const error = Object.assign(new Error('whatever'), { code: 'EACCES' });
    expect(serialErrorCode(error)).toBe('EACCES');
    expect(serialError('serial:/dev/ttyS0@9600', error, 'open').message).toMatch(/dialout group/);
  });
});
