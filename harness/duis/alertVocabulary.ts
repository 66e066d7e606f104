/**
 * The alert vocabulary a pack writer needs (`smets1 alerts`, docs/packs.md "Alerts"): every alert code the emulated
 * devices and the S1SP raise, who raises it and when. The description is the DUIS one (alertDescriptions.ts); the
 * "when" is this emulator's behaviour (docs/esme.md, docs/credentials.md and the device handlers).
 */
import { alertDescription, alertHex, dccAlertDescription } from './alertDescriptions';

export interface AlertEntry {
  /** As a pack writes it: `0x8F48`, or a DCC code such as `N24`. */
  readonly code: string;
  readonly description: string;
  /** The devices (or the S1SP) that raise it. */
  readonly raisedBy: string;
  readonly when: string;
}

const gbcs = (code: number, raisedBy: string, when: string): AlertEntry => {
  const description = alertDescription(code);
  if (description === undefined)
    throw new Error(`alert 0x${alertHex(code)} has no DUIS description in alertDescriptions.ts`);
  return { code: `0x${alertHex(code)}`, description, raisedBy, when };
};

const dcc = (code: string, raisedBy: string, when: string): AlertEntry => {
  const description = dccAlertDescription(code);
  if (description === undefined) throw new Error(`DCC alert ${code} has no description in alertDescriptions.ts`);
  return { code, description, raisedBy, when };
};

const CREDENTIAL_DEVICES = 'ESME, GSME, CH, PPMID';

const ALERT_VOCABULARY: readonly AlertEntry[] = [
  gbcs(
    0x8002,
    'ESME',
    'at the end of a measurement period whose time-weighted average is above the average over-voltage threshold (once per crossing)',
  ),
  gbcs(
    0x8085,
    'ESME',
    'at the end of a later period whose average is back at or below the average over-voltage threshold',
  ),
  gbcs(
    0x8006,
    'ESME',
    'at the end of a measurement period whose average is below the average under-voltage threshold (once per crossing)',
  ),
  gbcs(
    0x8089,
    'ESME',
    'at the end of a later period whose average is back at or above the average under-voltage threshold',
  ),
  gbcs(
    0x8014,
    'ESME',
    'the power factor has stayed below its threshold for the power-factor period, while current flows',
  ),
  gbcs(0x8015, 'ESME', 'the power factor has stayed back at or above its threshold for the power-factor period'),
  gbcs(0x8020, 'ESME', 'the RMS voltage has stayed above the extreme over-voltage threshold for its period'),
  gbcs(
    0x808d,
    'ESME',
    'the RMS voltage has stayed back at or below the extreme over-voltage threshold for the same period',
  ),
  gbcs(
    0x8024,
    'ESME',
    'the RMS voltage has stayed above the swell threshold for the swell period (a migrated Itron at 240 V: 30 s after start)',
  ),
  gbcs(0x8091, 'ESME', 'the RMS voltage has stayed back at or below the swell threshold for the swell period'),
  gbcs(0x8028, 'ESME', 'the RMS voltage has stayed below the extreme under-voltage threshold for its period'),
  gbcs(
    0x8095,
    'ESME',
    'the RMS voltage has stayed back at or above the extreme under-voltage threshold for the same period',
  ),
  gbcs(0x802c, 'ESME', 'the RMS voltage has stayed below the sag threshold for the sag period'),
  gbcs(0x8099, 'ESME', 'the RMS voltage has stayed back at or above the sag threshold for the sag period'),
  gbcs(0x8f01, 'ESME', 'the measured import has stayed above the load limit for the load-limit period'),
  gbcs(0x8f35, 'ESME', 'the supply comes back after an outage shorter than the long-outage limit (180 s)'),
  gbcs(0x8f36, 'ESME', 'the supply comes back after an outage of at least the long-outage limit (180 s)'),
  gbcs(
    0x81b8,
    'ESME',
    "the bench's polarity control reverses the wiring, and at every metering start while it is reversed",
  ),
  gbcs(0x8f12, 'CH', 'an 8.11 adds a device to the CH device log, or removes one from it'),
  gbcs(
    0x8f48,
    'CH; ESME, GSME',
    "a device asks to join outside its log entry's window or with a wrong install code (the PPMID asks at power-on and every 60 s); an 8.11 with a join period above 255 s on an Elster CH with defect 91342; an 8.7 binding a device not on the HAN",
  ),
  gbcs(
    0x8f49,
    'CH; ESME, GSME',
    'a device listed in the CH log joins inside its window with its install code; an 8.7 binds a device that is on the HAN',
  ),
  gbcs(0x8183, 'CH', 'with 0x8F49, when a device joins the HAN'),
  gbcs(0x8f4a, 'ESME, GSME', 'an 8.8 unbinds a device that is not bound'),
  gbcs(0x8f4b, 'ESME, GSME', 'an 8.8 unbinds a bound device'),
  gbcs(
    0x8f69,
    CREDENTIAL_DEVICES,
    "an 8.1.1 commissioning is accepted (the sender's time within the tolerance of the device's)",
  ),
  gbcs(
    0x8f70,
    CREDENTIAL_DEVICES,
    'a credential replacement is accepted and a trust anchor slot replaced (the S1SP may leave the change-of-supplier one unsent: defect 61224)',
  ),
  gbcs(
    0x8f3d,
    CREDENTIAL_DEVICES,
    'a signed request names a trusted party but does not authenticate as it (signature, signer validity), or its new certificate does not validate',
  ),
  gbcs(
    0x8f3e,
    CREDENTIAL_DEVICES,
    'a signed request no trusted party could have sent: the signing slot is empty, or the counter is a replay',
  ),
  gbcs(
    0x8f30,
    CREDENTIAL_DEVICES,
    'an authenticated party asks for something outside its authority (mode, slot, role)',
  ),
  dcc('N24', 'S1SP', 'with every 8.11 response: the outcome of the UpdateHANDeviceLog'),
];

/** The entries whose code, description, devices or "when" contain `filter` (case-insensitive; `8f48` finds 0x8F48). */
export function alertsMatching(filter: string | undefined): AlertEntry[] {
  const needle = (filter ?? '').trim().toLowerCase();
  return ALERT_VOCABULARY.filter((entry) =>
    [entry.code, entry.description, entry.raisedBy, entry.when].some((text) => text.toLowerCase().includes(needle)),
  );
}
