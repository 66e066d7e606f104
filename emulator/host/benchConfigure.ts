/**
 * The benchConfigure control (docs/protocol.md "Bench controls"): a bench as the wire carries it, both ways. The
 * harness turns the sets a scenario's bench wants into the message (configureBody); the emulator turns a message it
 * received back into sets (setsOfConfigure), refusing one it cannot be with the reason, since the message comes from
 * whoever is on the link.
 */
import { listQuirks, resolveQuirks, type QuirkOverrides } from '../../devices/quirks/registry';
import { checkInstallCodes, joiningInstallCodes, type InstallCodes } from '../../devices/set';
import type { DeviceSetConfig, MemberType } from './benchConfig';

type SlotName = 'supplier' | 'networkOperator';

export interface ConfigureDevice {
  role: MemberType;
  eui: string;
  /** Hex; empty for the CH (it does not join a HAN). */
  installCode: string;
}

export interface ConfigureSet {
  vendor: DeviceSetConfig['vendor'];
  installation: DeviceSetConfig['installation'];
  migrationState: 'smso' | 'dcc';
  seed: number;
  /** The test PKI `smso-<pki>` whose certificates fill the slots. */
  pki: number;
  /** The quirks in force, comma-separated (as benchInfo says them). */
  quirks: string;
  devices: ConfigureDevice[];
  slots: { role: MemberType; slot: SlotName; party: string }[];
}

const PKI_SEED = /^smso-(\d+)$/;
const ROLES: readonly MemberType[] = ['CH', 'ESME', 'GSME', 'PPMID'];

/** The body of a benchConfigure making the far end `sets`. */
export function configureBody(sets: readonly DeviceSetConfig[]): { sets: ConfigureSet[] } {
  return {
    sets: sets.map((set, index) => {
      const pki = PKI_SEED.exec(set.pkiSeed ?? '');
      if (pki === null)
        throw new Error(`benchConfigure: set ${index} has no smso-<n> test PKI (${set.pkiSeed ?? 'none'})`);
      const codes = joiningInstallCodes(set.installCodes);
      const devices = ROLES.flatMap((role) => {
        const eui = set.euis[role];
        if (eui === undefined) return [];
        return [{ role, eui, installCode: role === 'CH' ? '' : codes[role] }];
      });
      const slots = ROLES.flatMap((role) => [
        ...(set.suppliers?.[role] !== undefined
          ? [{ role, slot: 'supplier' as const, party: set.suppliers[role]! }]
          : []),
        ...(set.networkOperators?.[role] !== undefined
          ? [{ role, slot: 'networkOperator' as const, party: set.networkOperators[role]! }]
          : []),
      ]);
      return {
        vendor: set.vendor,
        installation: set.installation,
        migrationState: set.migrationState ?? 'smso',
        seed: set.seed,
        pki: Number(pki[1]),
        quirks: resolveQuirks(set.vendor, set.quirks).join(','),
        devices,
        slots,
      };
    }),
  };
}

/** The sets a received benchConfigure asks for, or why the emulator cannot be them. */
export function setsOfConfigure(body: { sets: readonly ConfigureSet[] }): DeviceSetConfig[] | string {
  if (body.sets.length === 0) return 'no device set';
  const seen = new Map<string, string>();
  const sets: DeviceSetConfig[] = [];
  for (const [index, set] of body.sets.entries()) {
    const where = `set ${index}`;
    const quirks = quirkOverrides(set.vendor, set.quirks);
    if (typeof quirks === 'string') return `${where}: ${quirks}`;
    const euis: Partial<Record<MemberType, string>> = {};
    const codes: InstallCodes = {};
    for (const device of set.devices) {
      if (euis[device.role] !== undefined) return `${where}: the ${device.role} is given twice`;
      const other = seen.get(device.eui);
      if (other !== undefined) return `${where}: EUI ${device.eui} is the ${other} too`;
      seen.set(device.eui, `${device.role} of ${where}`);
      euis[device.role] = device.eui;
      if (device.role === 'CH') {
        if (device.installCode !== '') return `${where}: the CH has no install code (it does not join a HAN)`;
        continue;
      }
      try {
        Object.assign(codes, checkInstallCodes({ [device.role]: device.installCode }, where));
      } catch (error) {
        return (error as Error).message;
      }
    }
    const missing = (['ESME', 'GSME', 'CH'] as const).filter((role) => euis[role] === undefined);
    if (missing.length > 0) return `${where}: no ${missing.join(', ')}`;
    const holders: Record<SlotName, Partial<Record<MemberType, string>>> = { supplier: {}, networkOperator: {} };
    for (const { role, slot, party } of set.slots) {
      if (euis[role] === undefined) return `${where}: a ${slot} slot of the ${role}, which the set does not have`;
      if (holders[slot][role] !== undefined) return `${where}: the ${role}'s ${slot} slot is given twice`;
      holders[slot][role] = party;
    }
    sets.push({
      vendor: set.vendor,
      installation: set.installation,
      migrationState: set.migrationState,
      seed: set.seed,
      ppmid: euis.PPMID !== undefined,
      quirks,
      euis: euis as DeviceSetConfig['euis'],
      pkiSeed: `smso-${set.pki}`,
      ...(Object.keys(codes).length > 0 ? { installCodes: codes } : {}),
      ...(Object.keys(holders.supplier).length > 0 ? { suppliers: holders.supplier } : {}),
      ...(Object.keys(holders.networkOperator).length > 0 ? { networkOperators: holders.networkOperator } : {}),
    });
  }
  return sets;
}

/** Every quirk of the vendor on exactly when listed; an id that is no quirk of the vendor, the reason. */
function quirkOverrides(vendor: DeviceSetConfig['vendor'], listed: string): QuirkOverrides | string {
  const ids = listed === '' ? [] : listed.split(',');
  const mine = listQuirks().filter((quirk) => quirk.vendor === vendor);
  const unknown = ids.filter((id) => !mine.some((quirk) => quirk.id === id));
  if (unknown.length > 0)
    return `${unknown.map((id) => `"${id}"`).join(', ')} is no quirk of ${vendor} devices (\`smets1 quirks\`)`;
  return Object.fromEntries(mine.map((quirk) => [quirk.id, ids.includes(quirk.id)]));
}
