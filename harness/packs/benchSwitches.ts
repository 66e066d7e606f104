/**
 * The quirk and fix switches a pack's bench may set. Device quirks are the devices' own registry
 * (devices/quirks/registry.ts); the S1SP and WAN defects and the S1SP fix switches are the harness's one table
 * (harness/s1sp/harnessQuirks.ts), imported here, not copied. A pack switches a quirk on or off against its default;
 * a fix on or off.
 *
 * Left out: the S1SP entry 91342 (the device quirk of that id is the switch; the S1SP side is the fix
 * clamp-join-period) and the DSP's risk9 (its switch is the bench's `dsp` field).
 *
 * What "off" means for an S1SP/WAN quirk, for the executor: its seeded rate is 0 (61224: every change-of-supplier
 * alert sent; 91339/91340: every response carries its code; SRV4.10: every 4.10 arrives).
 */
import { listQuirks } from '../../devices/quirks/registry';
import { FIX_SWITCHES as S1SP_FIX_SWITCHES, HARNESS_QUIRKS, type FixSwitch } from '../s1sp/harnessQuirks';

export type { FixSwitch } from '../s1sp/harnessQuirks';
export type QuirkWhere = 'device' | 'S1SP' | 'WAN';

export interface PackQuirk {
  readonly id: string;
  readonly where: QuirkWhere;
  readonly title: string;
}

const DEVICE_QUIRKS: readonly PackQuirk[] = listQuirks().map((quirk) => ({
  id: quirk.id,
  where: 'device' as const,
  title: quirk.title,
}));

/** Every quirk id a pack may switch: the device registry's, then the S1SP and WAN ones. */
export const PACK_QUIRKS: readonly PackQuirk[] = [
  ...DEVICE_QUIRKS,
  ...HARNESS_QUIRKS.filter((quirk) => quirk.where !== 'DSP' && !DEVICE_QUIRKS.some((d) => d.id === quirk.id)).map(
    (quirk) => ({
      id: quirk.id,
      where: quirk.where as QuirkWhere,
      title: quirk.title,
    }),
  ),
];

/** The S1SP fix switches with what each does (the description of the quirk it removes). */
export const FIX_SWITCHES: readonly { readonly id: FixSwitch; readonly title: string }[] = S1SP_FIX_SWITCHES.map(
  (id) => {
    const quirk = HARNESS_QUIRKS.find((q) => q.fix === id)!;
    return { id, title: `${quirk.id}: ${quirk.fixDescription}` };
  },
);
