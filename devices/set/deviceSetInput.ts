/**
 * A device set's input and the members it resolves to. Defaults are the DCC RTDS template EUIs.
 */
import { isInstallCode } from '../ch/hanDeviceLog';
import type { CredentialSlots } from '../credentials';
import type { DeviceType, Eui, Vendor } from '../common/types';
import type { PaymentMode } from '../esme/esmeContext';
import { VENDOR_PROFILES } from '../profiles';
import type { VendorProfile } from '../profiles/types';
import type { QuirkOverrides } from '../quirks/registry';

export const RTDS_EUIS = {
  ESME: '00-DB-12-34-56-78-90-A0',
  GSME: '00-DB-12-34-56-78-90-A1',
  CH: '00-DB-12-34-56-78-90-A2',
  PPMID: '00-DB-12-34-56-78-90-A3',
} as const satisfies Record<DeviceType, Eui>;

export interface DeviceSetInput {
  vendor: Vendor;
  /**
   * Dormant (nobody operates it smart) or active (operated, maybe in prepayment). A label for reports: no device
   * behaviour depends on it (quirk 91333 follows the GSME's firmware and migration state, prepayment the ESME's
   * payment mode). Default active.
   */
  installation?: 'dormant' | 'active';
  /** The ESME's payment mode at start (an active installation may be in prepayment) and its credit, pence. Default credit, 0. */
  payment?: { mode: PaymentMode; creditBalance?: number };
  /** Override any member's EUI. */
  euis?: Partial<Record<DeviceType, Eui>>;
  /** Include a PPMID (off until powered on). */
  ppmid?: boolean;
  /** The install code each joining device carries (6–16 bytes, hex); default RTDS_INSTALL_CODE for each. */
  installCodes?: InstallCodes;
  /** Seed of every random choice in the set; each device derives its own from it and its EUI. Default 1. */
  seed?: number;
  /** Bench switches over the vendor's quirk defaults. */
  quirks?: QuirkOverrides;
  /** Initial credential slots of every device (what the SMSO provisioned). */
  credentials?: CredentialSlots;
  /**
   * Initial slots of one member over `credentials`: each device keeps its own, so the ESME and the GSME of a home
   * can have different suppliers (split supplier).
   */
  memberCredentials?: Partial<Record<DeviceType, CredentialSlots>>;
  /** Default smso: an installation awaiting migration. */
  migrationState?: 'smso' | 'dcc';
  /** A modified vendor profile (a what-if); default the vendor's own. */
  profile?: VendorProfile;
}

export type DeviceSetMembers = { CH: Eui; ESME: Eui; GSME: Eui; PPMID?: Eui };

export function resolveMembers(input: DeviceSetInput): DeviceSetMembers {
  const members: DeviceSetMembers = {
    CH: input.euis?.CH ?? RTDS_EUIS.CH,
    ESME: input.euis?.ESME ?? RTDS_EUIS.ESME,
    GSME: input.euis?.GSME ?? RTDS_EUIS.GSME,
  };
  if (input.ppmid) members.PPMID = input.euis?.PPMID ?? RTDS_EUIS.PPMID;
  const all = Object.values(members);
  if (new Set(all).size !== all.length) throw new Error(`device set: two members share an EUI (${all.join(', ')})`);
  return members;
}

/** Whether an EUI is one of the set's members (compared field by field: this runs on every command). */
export function isMember(members: DeviceSetMembers, eui: Eui): boolean {
  return (
    eui === members.CH ||
    eui === members.ESME ||
    eui === members.GSME ||
    (members.PPMID !== undefined && eui === members.PPMID)
  );
}

/** The slots a member starts with: its own if given, else the set's. */
export function credentialsOf(input: DeviceSetInput, type: DeviceType): CredentialSlots | undefined {
  return input.memberCredentials?.[type] ?? input.credentials;
}

export function profileOf(input: DeviceSetInput): VendorProfile {
  return input.profile ?? VENDOR_PROFILES[input.vendor];
}

/**
 * The install code in the DCC's RTDS 8.11 template (CCS01_8.11, ASCII "0123456789ABCDEF"): the default of every
 * device that joins the HAN, so an 8.11 replayed from the RTDS templates whitelists an emulated device that can
 * join. The CH forms the network and has none.
 */
export const RTDS_INSTALL_CODE = '30313233343536373839414243444546';

/** The devices that join a CH's HAN, each with the install code printed on it. */
const JOINING_DEVICES = ['ESME', 'GSME', 'PPMID'] as const;
export type JoiningDevice = (typeof JOINING_DEVICES)[number];
export type InstallCodes = Partial<Record<JoiningDevice, string>>;

/** Checks a bench's install codes, naming the device and the problem; lower-cases them. */
export function checkInstallCodes(codes: InstallCodes | undefined, where = 'device set'): InstallCodes {
  const checked: InstallCodes = {};
  for (const [type, code] of Object.entries(codes ?? {})) {
    if (!(JOINING_DEVICES as readonly string[]).includes(type)) {
      throw new Error(`${where}: no install code for ${type}: only ${JOINING_DEVICES.join(', ')} join a HAN`);
    }
    if (!isInstallCode(code))
      throw new Error(`${where}: ${type} install code ${JSON.stringify(code)} is not 6–16 bytes of hex`);
    checked[type as JoiningDevice] = code.toLowerCase();
  }
  return checked;
}

/** The install code each joining device carries: the given ones, checked, and RTDS_INSTALL_CODE for the others. */
export function joiningInstallCodes(codes: InstallCodes | undefined, where?: string): Record<JoiningDevice, string> {
  const checked = checkInstallCodes(codes, where);
  return {
    ESME: checked.ESME ?? RTDS_INSTALL_CODE,
    GSME: checked.GSME ?? RTDS_INSTALL_CODE,
    PPMID: checked.PPMID ?? RTDS_INSTALL_CODE,
  };
}
