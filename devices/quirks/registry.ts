/**
 * The quirks registry: each device-side defect of the project's SMETS1 primer (its table "Known defects and risks",
 * which names the DCC's defect and risk ids; each quirk's `source` cites its row) is a named, switchable quirk. A bench resolves the switches once (resolveQuirks) and hands the list of
 * active quirk ids to its devices; machines ask `hasQuirk(context, id)` and never look at vendors themselves.
 *
 * Defects that live outside the devices (S1SP, DSP, WAN: 61224, 91339/91340, risk 9, split supplier, SRV 4.10)
 * belong to the harness's registry, not here.
 */
import type { DeviceType, Vendor } from '../common/types';

export type QuirkId = '91342' | '91333' | 'risk11';

export interface Quirk {
  id: QuirkId;
  title: string;
  /** Where the defect is recorded: the primer row it comes from. */
  source: string;
  /** The vendor whose devices show it; on the other vendor the quirk has no effect. */
  vendor: Vendor;
  device: DeviceType;
  /** Whether the quirk is on in each vendor profile before any bench override. */
  defaultOn: Record<Vendor, boolean>;
  /** What the emulated device does while the quirk is on. */
  description: string;
  /** What the device does with the quirk off (the fix, or the behaviour of firmware without the defect). */
  fix: string;
  /** What the emulation adds that the source does not say (labelled assumed in reports). */
  assumed?: string;
}

const QUIRKS: readonly Quirk[] = [
  {
    id: '91342',
    title: 'Elster CH refuses a HAN join period above 255 s',
    source: 'primer, known defects: 91342 (Honeywell Elster CH)',
    vendor: 'elster',
    device: 'CH',
    defaultOn: { elster: true, itron: false },
    description:
      'SECP_74_1511_06 (risk 10): "SR 8.11 is rejected if the join period is greater than 255 seconds". An 8.11 ' +
      'hanLogAdd with joinPeriod > 255 (it arrives whole: the wire carries a u16) is answered invalidParameter, ' +
      'the device log is left unchanged and 0x8F48 (join failed, payload the device EUI) is raised: the PPMID is ' +
      'not whitelisted, so its periodic join attempts keep failing. Assumed cause: a one-byte ZigBee permit-join ' +
      'duration (0xFF meant "forever" before ZigBee R21).',
    fix:
      'Firmware without the defect accepts joinPeriod up to 3600 s (the DUIS maximum) and opens the window capped ' +
      "at its profile's join window maximum (255 s on Elster, assumed). The live fix clamps in the S1SP (harness).",
  },
  {
    id: '91333',
    title: 'Itron GSME in DCC service accepts gas flow configuration once per day',
    source: 'primer, known defects: 91333 (Itron, active); SECAS TAG EPCL recommendations, "Itron Active"',
    vendor: 'itron',
    device: 'GSME',
    defaultOn: { itron: true, elster: false },
    description:
      'An Itron GSME in DCC service (migrated) applies an SR 6.7 gasFlowConfig at most once per day; a second one ' +
      "the same day is answered rateLimited and the meter's configuration is unchanged. Gated on the device (Itron " +
      'firmware, migration state dcc), so a dormant Itron that migrates shows it too; on its SMSO it does not.',
    fix: 'None live (documented limitation); with the quirk off every 6.7 is applied.',
    assumed:
      'The day is the UTC calendar day of device time (the source says only "once per day"); that the limit ' +
      'applies from migration on and not on the SMSO (the source reports it for migrated active installations).',
  },
  {
    id: 'risk11',
    title: 'Migrated Itron ESME refuses the DNO voltage and power alert configuration',
    source: 'primer, known defects: risk 11 (Itron ESME, migrated)',
    vendor: 'itron',
    device: 'ESME',
    defaultOn: { itron: true, elster: false },
    description:
      'After migration the ESME still raises power and voltage alerts, but a networkOperator voltageConfig (6.5) ' +
      'or alertBehaviour (6.22) is answered notAuthorised. Implemented by the ESME machine.',
    fix: 'Thresholds and alert behaviour settable by the network operator.',
  },
];

/** Per-bench switches: quirk id → on/off, overriding the profile default. */
export type QuirkOverrides = Partial<Record<QuirkId, boolean>>;

export function listQuirks(): readonly Quirk[] {
  return QUIRKS;
}

export function getQuirk(id: QuirkId): Quirk {
  const quirk = QUIRKS.find((candidate) => candidate.id === id);
  if (!quirk) throw new Error(`unknown quirk ${id}`);
  return quirk;
}

export function isQuirkId(value: unknown): value is QuirkId {
  return QUIRKS.some((quirk) => quirk.id === value);
}

/**
 * The quirk ids active for a vendor's device set: the profile default, overridden per bench. A quirk of the other
 * vendor stays off even when switched on: an Itron CH has no Elster permit-join defect to show.
 */
export function resolveQuirks(vendor: Vendor, overrides: QuirkOverrides = {}): QuirkId[] {
  for (const id of Object.keys(overrides)) {
    if (!isQuirkId(id))
      throw new Error(`unknown quirk ${JSON.stringify(id)}; known: ${QUIRKS.map((q) => q.id).join(', ')}`);
  }
  return QUIRKS.filter((quirk) => quirk.vendor === vendor && (overrides[quirk.id] ?? quirk.defaultOn[vendor])).map(
    (quirk) => quirk.id,
  );
}

/** Whether a device with these active quirks shows the given one. */
export function hasQuirk(context: { quirks: readonly string[] }, id: QuirkId): boolean {
  return context.quirks.includes(id);
}
