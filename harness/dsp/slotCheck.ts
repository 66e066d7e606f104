/**
 * The DSP's extra check on a 6.15.1 that replaces a device's network-operator certificate (risk 9). The seed (OPSG,
 * residual risk 9): "When the DNO attempts to change the certificate, the DSP does a Registration Data check that
 * checks that the Network Operator trying to make the change matches the certificate in the DNO slot. This check
 * will fail and the change will be rejected." The modes are named after what the requester is compared with:
 *  - `slot-certificate` (today): the certificate in the slot, i.e. the party the DSP records as its holder. A wrong
 *    DNO certificate there can then never be replaced: the registered DNO is not the holder, and the holder is not
 *    the registered DNO.
 *  - `registered-network-operator` (the proposed fix, "to be implemented by the DSP"): the network operator
 *    Registration Data names for the device's meter point, whoever the slot holds.
 * In both, only a network operator may replace the network-operator certificate: a supplier registered for the same
 * meter is refused, even though 6.15.1 is one of its SRVs.
 */
export const SLOT_CHECK_MODES = ['slot-certificate', 'registered-network-operator'] as const;

export type SlotCheckMode = (typeof SLOT_CHECK_MODES)[number];

/**
 * What a slot-check mode must be, for error messages and help. The names before issue 15 (`slot-holder`,
 * `registration-data`) are refused with this text rather than aliased: `registration-data` named the fix, but the
 * seed calls today's failing check the Registration Data check, so an alias would keep the misreading alive.
 */
export const SLOT_CHECK_EXPECTED =
  'slot-certificate (today: the requesting network operator must match the certificate in the slot, risk 9) or registered-network-operator (the fix: it must be the network operator registered for the meter); slot-holder and registration-data are their old names';

export function isSlotCheckMode(value: string): value is SlotCheckMode {
  return (SLOT_CHECK_MODES as readonly string[]).includes(value);
}

export interface NetworkOperatorReplacement {
  readonly mode: SlotCheckMode;
  readonly requester: string;
  /** The requester's network-operator role (ED, GT) for the device's meter points, if it has one. */
  readonly networkOperatorRole: string | undefined;
  /** The party the DSP records in the device's network-operator slot. */
  readonly holder: string | undefined;
  readonly deviceId: string;
  readonly meterPoints: readonly string[];
}

/** Why the DSP refuses this replacement of the network-operator certificate, or undefined when it admits it. */
export function networkOperatorSlotRefusal(r: NetworkOperatorReplacement): string | undefined {
  if (r.networkOperatorRole === undefined) {
    return `6.15.1 NetworkOperator: user ${r.requester} is not the network operator registered for device ${r.deviceId} (meter points ${r.meterPoints.join(', ') || 'none'}); only that network operator may replace the network-operator certificate`;
  }
  if (r.mode === 'slot-certificate' && r.holder !== r.requester) {
    return `slot-certificate check: device ${r.deviceId}'s network-operator slot holds the certificate of ${r.holder ?? 'nobody on record'}, not of ${r.requester}`;
  }
  return undefined;
}
