/**
 * Turns serial port failures into ByteLinkErrors a bench user can act on. The native binding (bindings-cpp)
 * reports open failures as bare messages built from strerror, "Error: No such file or directory, cannot open
 * /dev/ttyUSB9", with no `code`; reads report Node fs errors ("EIO: i/o error, read"); serialport's
 * `@serialport/binding-mock` says "Port does not exist …" and "Port is locked cannot open"; our MockSerialPair
 * sets `code`. So the code is taken from `code` when present, else recognised in the message.
 */
import { ByteLinkError } from './byteLink';

/** strerror texts (glibc) and the errno names they stand for; first match wins, so specific texts come first. */
const messagePatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/Cannot lock port/i, 'EBUSY'],
  [/Port is locked/i, 'EBUSY'], // @serialport/binding-mock
  [/Port does not exist/i, 'ENOENT'], // @serialport/binding-mock
  [/No such file or directory/i, 'ENOENT'],
  [/Permission denied/i, 'EACCES'],
  [/Device or resource busy/i, 'EBUSY'],
  [/Inappropriate ioctl for device/i, 'ENOTTY'],
  [/No such device or address/i, 'ENXIO'],
  [/No such device/i, 'ENODEV'],
  [/Input\/output error/i, 'EIO'],
  [/baud rate of \d+ is not supported/i, 'EINVAL'],
  [/^([A-Z][A-Z0-9]+): /, '$1'], // Node fs errors lead with their code
];

/** What a user should check, per code. */
const hints: Readonly<Record<string, string>> = {
  ENOENT: 'no such port: check the path (ls /dev/serial/by-id/) and that the adapter is plugged in',
  EACCES: 'permission denied: add the user to the dialout group (usermod -aG dialout $USER) and log in again',
  EBUSY: 'the port is in use by another program (it holds the lock)',
  ENOTTY: 'not a serial device (a tty is needed)',
  ENXIO: 'the device is gone (unplugged?)',
  ENODEV: 'the device is gone (unplugged?)',
  EIO: 'input/output error: the device was unplugged or its driver failed',
  EINVAL: 'the baud rate or an option is not supported by this port',
};

export function serialErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, name] of messagePatterns) {
    const match = pattern.exec(message);
    if (match) return name === '$1' ? match[1]! : name;
  }
  return 'EIO';
}

/** `during`: what was being done, "open" or "read", so the message says what failed as well as why. */
export function serialError(where: string, error: unknown, during: string): ByteLinkError {
  if (error instanceof ByteLinkError) return error;
  const code = serialErrorCode(error);
  const original = error instanceof Error ? error.message : String(error);
  const hint = hints[code];
  const message = hint ? `${during} failed: ${hint} [${original}]` : `${during} failed: ${original}`;
  return new ByteLinkError(where, code, message, { cause: error });
}
