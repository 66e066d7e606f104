/**
 * Device references in a pack (docs/packs.md, Devices): `ESME`, `CHF` (or `CH`), `PPMID@1`, or an EUI-64 of the
 * bench, resolved against the bench's sets (benchConfig's EUI scheme) to role, set and EUI.
 */
import { setEuis } from '../../emulator/host/benchConfig';
import type { DeviceRef, DeviceRole, PackBench } from './model';

/** Member roles in the order of benchConfig's EUI offsets. */
const MEMBER_ROLES: readonly DeviceRole[] = ['ESME', 'GSME', 'CH', 'PPMID'];

/** A device reference → the device, or why it names none. */
export function resolveDevice(text: string, bench: Pick<PackBench, 'sets' | 'ppmid'>): DeviceRef | string {
  const role = /^(ESME|GSME|CHF|CH|PPMID)(?:@(\d+))?$/.exec(text);
  if (role !== null) {
    const name = (role[1] === 'CHF' ? 'CH' : role[1]) as DeviceRole;
    const set = role[2] === undefined ? 0 : Number(role[2]);
    if (set >= bench.sets) return `names device set ${set}, but the bench has ${bench.sets === 1 ? 'one set (0)' : `${bench.sets} sets (0 to ${bench.sets - 1})`}`;
    if (name === 'PPMID' && !bench.ppmid) return 'names a PPMID, but the bench has none (bench.ppmid is false)';
    return { text, role: name, set, eui: setEuis(set, bench.ppmid)[name]! };
  }
  for (let set = 0; set < bench.sets; set++) {
    const euis = setEuis(set, bench.ppmid);
    for (const member of MEMBER_ROLES) {
      if (euis[member] === text) return { text, role: member, set, eui: text };
    }
  }
  return `no device of the bench has the EUI ${text}`;
}

/** What a device reference may be on this bench, for the `expected` part of a problem. */
export function deviceChoices(bench: PackBench): string {
  const roles = bench.ppmid ? 'ESME, GSME, CHF or PPMID' : 'ESME, GSME or CHF';
  const sets = bench.sets === 1 ? '' : `, @0 to @${bench.sets - 1} for a set`;
  const euis = setEuis(0, bench.ppmid);
  return `${roles}${sets}, or an EUI of the bench (set 0: ${MEMBER_ROLES.filter((r) => euis[r]).map((r) => `${r === 'CH' ? 'CHF' : r} ${euis[r]}`).join(', ')})`;
}

/** "an ESME", "a GSME": messages read as sentences. */
export function article(role: DeviceRole): string {
  return role === 'ESME' ? 'an' : 'a';
}
