/**
 * The quirk and fix switches a pack's bench may set, in one table. Device quirks are the devices' own registry
 * (devices/quirks/registry.ts); the S1SP and WAN defects and the S1SP fix switches are the harness's (issue 9 names
 * them; harness/s1sp models them). A pack switches a quirk on or off against its default; a fix on or off.
 *
 * What "off" means for an S1SP/WAN quirk, for the executor: its seeded rate is 0 (61224: every change-of-supplier
 * alert sent; 91339/91340: every response carries its code; srv410-wan: every 4.10 arrives).
 */
import { listQuirks } from '../../devices/quirks/registry';

export type QuirkWhere = 'device' | 'S1SP' | 'WAN';

export interface PackQuirk {
  readonly id: string;
  readonly where: QuirkWhere;
  readonly title: string;
}

const HARNESS_QUIRKS: readonly PackQuirk[] = [
  { id: '61224', where: 'S1SP', title: 'change-of-supplier alerts missing in one CoS in three' },
  { id: '91339', where: 'S1SP', title: 'a small share of service responses without a response code' },
  { id: '91340', where: 'S1SP', title: 'a small share of service responses without a response code' },
  { id: 'srv410-wan', where: 'WAN', title: 'SRV 4.10 with 30 days of data or more succeeds half the time' },
];

/** Every quirk id a pack may switch: the device registry's, then the S1SP and WAN ones. */
export const PACK_QUIRKS: readonly PackQuirk[] = [
  ...listQuirks().map((quirk) => ({ id: quirk.id, where: 'device' as const, title: quirk.title })),
  ...HARNESS_QUIRKS,
];

/**
 * 91339 and 91340 are two defect numbers for one S1SP behaviour (one seeded rate): a bench sets both the same way.
 * The load check refuses a pack that switches them apart.
 */
export const SAME_SWITCH_QUIRKS: readonly (readonly [string, string])[] = [['91339', '91340']];

export const FIX_SWITCHES = [
  { id: 'clamp-join-period', title: '91342: the S1SP changes an 8.11 JoinTimePeriod over 255 s to 255 s' },
  { id: 'cos-alert-always', title: '61224: the change-of-supplier alert is always sent' },
  { id: 'response-code-always', title: '91339/91340: every response carries its response code' },
] as const;

export type FixSwitch = (typeof FIX_SWITCHES)[number]['id'];
