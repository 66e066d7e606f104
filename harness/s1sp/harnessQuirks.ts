/**
 * The defects that live between the user and the devices (S1SP, WAN, DSP), next to the device quirks of
 * devices/quirks/registry.ts: each a named entry with its source, its default, and the fix switch that removes it.
 * `smets1 quirks` lists both registries together.
 */
import { assumed } from '../../common/assumptions';

export type FixSwitch = 'clamp-join-period' | 'cos-alert-always' | 'response-code-always';

export const FIX_SWITCHES: readonly FixSwitch[] = ['clamp-join-period', 'cos-alert-always', 'response-code-always'];

export function isFixSwitch(value: string): value is FixSwitch {
  return (FIX_SWITCHES as readonly string[]).includes(value);
}

export interface HarnessQuirk {
  readonly id: string;
  readonly where: 'S1SP' | 'WAN' | 'DSP';
  readonly title: string;
  readonly source: string;
  /** The switch that removes it, if the model has one. */
  readonly fix?: FixSwitch | 'slot-check registered-network-operator';
  readonly fixDescription: string;
}

export const HARNESS_QUIRKS: readonly HarnessQuirk[] = [
  {
    id: '91342',
    where: 'S1SP',
    title:
      'S1SP passes an 8.11 JoinTimePeriod over 255 s to the Elster CH, which refuses it (see the device quirk 91342)',
    source: 'primer, known defects: 91342 (SECP_74_1511_06, risk 10)',
    fix: 'clamp-join-period',
    fixDescription: 'the S1SP changes a JoinTimePeriod over 255 s to 255 s before it reaches an Elster CH',
  },
  {
    id: '61224',
    where: 'S1SP',
    title: 'change-of-supplier alerts are not sent in one change of supplier in three (seeded, rate 1/3)',
    source: 'primer, known defects: 61224 (DCC / S1SP)',
    fix: 'cos-alert-always',
    fixDescription: 'the 0x8F70 alert of every successful 6.23 is sent',
  },
  {
    id: '91339/91340',
    where: 'S1SP',
    title:
      'a small share of service responses carry no ResponseCode, so they fail the DUIS schema (seeded, rate assumed 2%)',
    source: 'primer, known defects: 91339 / 91340 (S1SP)',
    fix: 'response-code-always',
    fixDescription: 'every response carries its ResponseCode',
  },
  {
    id: 'SRV4.10',
    where: 'WAN',
    title:
      'SRV 4.10 responses with 30 days of data or more succeed half the time (seeded, rate 0.5; failures answered E21)',
    source: 'primer, known defects: SRV 4.10 (WAN, OPSG_34)',
    fixDescription: 'none modelled: smaller reads (under 30 days) always arrive',
  },
  {
    id: 'risk9',
    where: 'DSP',
    title:
      'a wrong DNO certificate in the network-operator slot can never be replaced (the DSP slot-certificate check + NObyNO)',
    source: 'primer, known defects: risk 9 (DSP + device)',
    fix: 'slot-check registered-network-operator',
    fixDescription:
      'the DSP checks the requesting DNO against the network operator Registration Data names for the meter, not against the certificate in the slot',
  },
];

/** The S1SP and WAN settings of one bench: fix switches and the seeded rates of the defects they remove. */
export interface S1spSettings {
  readonly fixes: ReadonlySet<FixSwitch>;
  /** 61224: the share of change-of-supplier alerts not sent (primer: one in three). */
  readonly cosAlertMissingRate: number;
  /** 91339/91340: the share of responses sent without a ResponseCode (assumed 2%: "a small proportion"). */
  readonly missingResponseCodeRate: number;
  /** OPSG_34: a 4.10 with at least `largeNetworkDataDays` of data arrives with this probability (primer: 50% or less). */
  readonly largeNetworkDataSuccessRate: number;
  readonly largeNetworkDataDays: number;
  /** Alert throttling (assumed: the DCC's limits are not public): per device and alert code, per window. */
  readonly throttle: { readonly windowMs: number; readonly maxPerWindow: number };
  /** Seed of the S1SP's one generator (common/random.ts). */
  readonly seed: number;
}

const DEFAULT_S1SP_SETTINGS: S1spSettings = {
  fixes: new Set(),
  cosAlertMissingRate: 1 / 3,
  missingResponseCodeRate: assumed(
    's1sp.missingResponseCodeRate',
    0.02,
    'defect 91339/91340 (SECP_74_1511_06): "a small proportion" of responses lack a ResponseCode; 2 % assumed',
  ),
  largeNetworkDataSuccessRate: 0.5,
  largeNetworkDataDays: 30,
  throttle: assumed(
    's1sp.alertThrottle',
    { windowMs: 60_000, maxPerWindow: 10 },
    "assumed: the DCC's S1SP alert throttling limits are not public; 10 alerts per device and alert code in 60 s",
  ),
  seed: 1,
};

export function s1spSettings(overrides: Partial<S1spSettings> = {}): S1spSettings {
  const settings = { ...DEFAULT_S1SP_SETTINGS, ...overrides };
  for (const [name, rate] of [
    ['cosAlertMissingRate', settings.cosAlertMissingRate],
    ['missingResponseCodeRate', settings.missingResponseCodeRate],
    ['largeNetworkDataSuccessRate', settings.largeNetworkDataSuccessRate],
  ] as const) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`S1SP setting ${name} must be from 0 to 1, not ${rate}`);
  }
  if (!(settings.throttle.maxPerWindow >= 1 && settings.throttle.windowMs > 0)) {
    throw new RangeError(
      `S1SP throttle needs maxPerWindow ≥ 1 and windowMs > 0, not ${JSON.stringify(settings.throttle)}`,
    );
  }
  return settings;
}
