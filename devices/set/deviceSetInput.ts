/**
 * A device set's input and the members it resolves to. Defaults are the DCC RTDS template EUIs.
 */
import type { CredentialSlots } from '../credentials';
import { euiPayload } from '../common/hanMessages';
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
  /** Include a PPMID (off until powered on). `installCode` defaults to the PPMID's EUI bytes. */
  ppmid?: boolean | { installCode?: string };
  /** Seed of every random choice in the set; each device derives its own from it and its EUI. Default 1. */
  seed?: number;
  /** Bench switches over the vendor's quirk defaults. */
  quirks?: QuirkOverrides;
  /** Initial credential slots of every device (what the SMSO provisioned). */
  credentials?: CredentialSlots;
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

export function profileOf(input: DeviceSetInput): VendorProfile {
  return input.profile ?? VENDOR_PROFILES[input.vendor];
}

/** The install code a device is assumed to carry when nobody says otherwise: its own EUI bytes (8 bytes). */
export function defaultInstallCode(eui: Eui): string {
  return euiPayload(eui);
}

export function ppmidInstallCode(input: DeviceSetInput, eui: Eui): string {
  return typeof input.ppmid === 'object' && input.ppmid.installCode ? input.ppmid.installCode : defaultInstallCode(eui);
}
