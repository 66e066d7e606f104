/**
 * What differs between the two vendors' S1SPs as this model sees it. Both speak the bench protocol to their devices
 * (docs/protocol.md); what changes is what the S1SP must do to a request before a device of that vendor sees it.
 */
import type { S1spSettings } from './harnessQuirks';

export type Vendor = 'itron' | 'elster';

export interface VendorAdapter {
  readonly vendor: Vendor;
  /**
   * The JoinTimePeriod (s) this vendor's CH is sent for an 8.11 Add. Elster with `clamp-join-period`: over 255 s is
   * changed to 255 s (the live fix of 91342); otherwise the DUIS value goes through unchanged (1–3600 s).
   */
  joinPeriodFor(requested: number): number;
}

/** The largest join period an Elster CH accepts (91342: its permit-join duration is one byte). */
export const ELSTER_JOIN_PERIOD_LIMIT = 255;

export function vendorAdapter(vendor: Vendor, settings: Pick<S1spSettings, 'fixes'>): VendorAdapter {
  if (vendor === 'elster') {
    const clamp = settings.fixes.has('clamp-join-period');
    return {
      vendor,
      joinPeriodFor: (requested) => (clamp ? Math.min(requested, ELSTER_JOIN_PERIOD_LIMIT) : requested),
    };
  }
  if (vendor === 'itron') return { vendor, joinPeriodFor: (requested) => requested };
  throw new RangeError(`no S1SP adapter for vendor ${JSON.stringify(vendor)} (itron or elster)`);
}
