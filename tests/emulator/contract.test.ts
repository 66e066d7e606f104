// docs/contract.md is shared by layers that do not import each other: the device machines and the command table
// must name the same messages, and what devices answer must be encodable on the wire.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { commandTable } from '../../protocols/commandTable';
import { CONTRACT_MESSAGES } from '../../devices/common/types';
import { ResponseStatus, type ResponseStatusName } from '../../protocols/constants';
import type { ResponseStatus as DeviceStatus } from '../../devices/common/types';
import { SUPPORTED_COMMANDS } from '../../devices/profiles/deviceDefaults';

describe('the shared message vocabulary (docs/contract.md)', () => {
  it('devices accept exactly the commands and control messages of the command table, but the clock and bench controls', () => {
    const wire = commandTable.filter((m) => m.kind !== 'alert' && m.to !== 'emulator').map((m) => m.name);
    expect([...CONTRACT_MESSAGES].sort()).toEqual([...wire].sort());
    // Addressed to the emulator itself (docs/protocol.md "Virtual time", "Bench controls"), never to a device.
    expect(commandTable.filter((m) => m.to === 'emulator').map((m) => m.name)).toEqual([
      'clockStatus',
      'advanceClock',
      'benchInfo',
      'benchReset',
      'benchConfigure',
      'linkFault',
    ]);
  });

  it('every command a device type supports is addressed to that type in the table', () => {
    for (const [type, commands] of Object.entries(SUPPORTED_COMMANDS)) {
      for (const name of commands) {
        const spec = commandTable.find((m) => m.name === name)!;
        expect(
          spec.to === 'any' || spec.to.split(', ').includes(type),
          `${name} supported by ${type} but addressed to ${spec.to}`,
        ).toBe(true);
      }
    }
  });

  it('the wire status codes are those of docs/protocol.md "Response status", written out here', () => {
    expect(ResponseStatus).toEqual({
      ok: 0x00,
      invalidParameter: 0x01,
      notAuthorised: 0x02,
      authenticationFailed: 0x03,
      unsupported: 0x04,
      rateLimited: 0x05,
      dumbMode: 0x06,
      busy: 0x07,
      unknownDevice: 0x08,
      full: 0x09,
      internalError: 0x0a,
    });
  });

  it('device response statuses are the wire status names (a type-level check: the type-checker fails otherwise)', () => {
    expectTypeOf<DeviceStatus>().toEqualTypeOf<ResponseStatusName>();
  });
});
