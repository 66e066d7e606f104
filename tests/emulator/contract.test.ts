// docs/contract.md is shared by layers that do not import each other: the device machines and the command table
// must name the same messages, and what devices answer must be encodable on the wire.
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../protocols/commandTable';
import { CONTRACT_MESSAGES } from '../../devices/common/types';
import { ResponseStatus, type ResponseStatusName } from '../../protocols/constants';
import type { ResponseStatus as DeviceStatus } from '../../devices/common/types';
import { SUPPORTED_COMMANDS } from '../../devices/profiles/deviceDefaults';

describe('the shared message vocabulary (docs/contract.md)', () => {
  it('devices accept exactly the commands and control messages of the command table', () => {
    const wire = commandTable.filter((m) => m.kind !== 'alert').map((m) => m.name);
    expect([...CONTRACT_MESSAGES].sort()).toEqual([...wire].sort());
  });

  it('every command a device type supports is addressed to that type in the table', () => {
    for (const [type, commands] of Object.entries(SUPPORTED_COMMANDS)) {
      for (const name of commands) {
        const spec = commandTable.find((m) => m.name === name)!;
        expect(spec.to === 'any' || spec.to.split(', ').includes(type), `${name} supported by ${type} but addressed to ${spec.to}`).toBe(true);
      }
    }
  });

  it('device response statuses are exactly the wire statuses (checked by the type-checker)', () => {
    // Fails `npm run typecheck` if either side gains or loses a status.
    const same: [DeviceStatus] extends [ResponseStatusName] ? ([ResponseStatusName] extends [DeviceStatus] ? true : false) : false = true;
    expect(same).toBe(true);
    expect(Object.keys(ResponseStatus)).toHaveLength(11);
  });
});
