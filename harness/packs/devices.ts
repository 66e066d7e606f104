/**
 * Device references in a pack (docs/packs.md, Devices): `ESME`, `CHF` (or `CH`), `PPMID@1`, or an EUI-64 of the
 * bench, resolved against the bench's sets (`bench.euis` over benchConfig's EUI scheme) to role, set and EUI.
 */
import type { DeviceRef, DeviceRole, PackBench } from './model';

/** Member roles in the order of benchConfig's EUI offsets. */
const MEMBER_ROLES: readonly DeviceRole[] = ['ESME', 'GSME', 'CH', 'PPMID'];

/** A device reference → the device, or why it names none. */
export function resolveDevice(text: string, bench: Pick<PackBench, 'sets' | 'ppmid' | 'euis'>): DeviceRef | string {
  const member = memberRef(text, bench);
  if (member !== undefined) {
    if (typeof member === 'string') return member;
    return { text, ...member, eui: bench.euis[member.set]![member.role]! };
  }
  for (let set = 0; set < bench.sets; set++) {
    const euis = bench.euis[set]!;
    for (const member of MEMBER_ROLES) {
      if (euis[member] === text) return { text, role: member, set, eui: text };
    }
  }
  return `no device of the bench has the EUI ${text}`;
}

/**
 * A member reference (`ESME`, `CHF`, `PPMID@1`) → its role and set, or why it names none on this bench; undefined for
 * text that is no member reference (an EUI).
 */
export function memberRef(
  text: string,
  bench: Pick<PackBench, 'sets' | 'ppmid'>,
): { role: DeviceRole; set: number } | string | undefined {
  const role = /^(ESME|GSME|CHF|CH|PPMID)(?:@(\d+))?$/.exec(text);
  if (role === null) return undefined;
  const name = (role[1] === 'CHF' ? 'CH' : role[1]) as DeviceRole;
  const set = role[2] === undefined ? 0 : Number(role[2]);
  if (set >= bench.sets)
    return `names device set ${set}, but the bench has ${bench.sets === 1 ? 'one set (0)' : `${bench.sets} sets (0 to ${bench.sets - 1})`}`;
  if (name === 'PPMID' && !bench.ppmid) return 'names a PPMID, but the bench has none (bench.ppmid is false)';
  return { role: name, set };
}

/** What a device reference may be on this bench, for the `expected` part of a problem. */
export function deviceChoices(bench: PackBench): string {
  const roles = bench.ppmid ? 'ESME, GSME, CHF or PPMID' : 'ESME, GSME or CHF';
  const sets = bench.sets === 1 ? '' : `, @0 to @${bench.sets - 1} for a set`;
  const euis = bench.euis[0]!;
  return `${roles}${sets}, or an EUI of the bench (set 0: ${MEMBER_ROLES.filter((r) => euis[r])
    .map((r) => `${r === 'CH' ? 'CHF' : r} ${euis[r]}`)
    .join(', ')})`;
}

/** "an ESME", "a GSME": messages read as sentences. */
export function article(role: DeviceRole): string {
  return role === 'ESME' ? 'an' : 'a';
}
