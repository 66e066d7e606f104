/**
 * What a device starts with that only its profile decides (the ESME's settings, voltage configuration and power
 * thresholds, the GSME's gas flow configuration, the vendor's quirks) is made once per profile and shared by the
 * devices made from it (esmeContext.ts esmeStart, gsmeContext.ts defaultGasFlow, coreContext.ts defaultQuirks): each
 * device still starts with its own profile's values, a command changes only its own device, and a bench's quirk
 * overrides are its own.
 */
import { describe, expect, it } from 'vitest';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { gsmeMachine } from '../../devices/gsme/gsmeMachine';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import type { VendorProfile } from '../../devices/profiles/types';
import { startDevice } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const GSME = '00-DB-12-34-56-78-90-A1';

/** Itron's profile with an ESME average over-voltage threshold of 250 V and a GSME flow threshold of 9 m³/h. */
const whatIf: VendorProfile = {
  ...itronProfile,
  esme: {
    ...itronProfile.esme,
    voltageDefaults: {
      ...itronProfile.esme.voltageDefaults,
      averageOverThreshold: { value: 250, source: 'assumed', note: 'what-if' },
    },
  },
  gsme: { ...itronProfile.gsme, uncontrolledFlowRateThreshold: { value: 9, source: 'assumed', note: 'what-if' } },
};

const esmeOf = (profile: VendorProfile, quirks?: Record<string, boolean>) =>
  startDevice(esmeMachine, { eui: ESME, profile, credentials: initialSlots, seed: 1, migrationState: 'dcc', quirks });
const gsmeOf = (profile: VendorProfile) =>
  startDevice(gsmeMachine, { eui: GSME, profile, credentials: initialSlots, seed: 1, migrationState: 'dcc' });

describe("a device's start made once per profile", () => {
  it("each ESME starts with its own profile's voltage configuration, power thresholds and ambient state", () => {
    const itron = esmeOf(itronProfile).actor.getSnapshot().context;
    const other = esmeOf(whatIf).actor.getSnapshot().context;
    // itronEsme.ts: 230 V + 3 % before migration; the what-if's 250 V
    expect(itron.voltageConfig.averageOverThreshold).toBe(236.9);
    expect(other.voltageConfig.averageOverThreshold).toBe(250);
    // esmeProfile.ts: the IHD's amber at 1 kW, red at 3 kW; 0 W is low
    expect(itron.powerThresholds).toEqual({ lowMediumThreshold: 1000, mediumHighThreshold: 3000 });
    expect(itron.ambientState).toBe('low');
    expect(itron.demand).toEqual({ activePower: 0, powerFactor: 1 });
  });

  it("a command changes its own ESME's configuration, not that of another made from the same profile", () => {
    const first = esmeOf(elsterProfile);
    const second = esmeOf(elsterProfile);
    const before = structuredClone(second.actor.getSnapshot().context.powerThresholds);
    expect(first.command('powerThresholds', { lowMediumThreshold: 2000, mediumHighThreshold: 7000 }).status).toBe('ok');
    expect(first.actor.getSnapshot().context.powerThresholds).toEqual({
      lowMediumThreshold: 2000,
      mediumHighThreshold: 7000,
    });
    expect(second.actor.getSnapshot().context.powerThresholds).toEqual(before);
    expect(esmeOf(elsterProfile).actor.getSnapshot().context.powerThresholds).toEqual(before);
  });

  it("each GSME starts with its own profile's gas flow configuration", () => {
    // deviceDefaults.ts: 6 m³/h over 300 s; the what-if's 9 m³/h
    expect(gsmeOf(itronProfile).actor.getSnapshot().context.gasFlow).toEqual({
      uncontrolledFlowRateThreshold: 6,
      averagingPeriod: 300,
    });
    expect(gsmeOf(whatIf).actor.getSnapshot().context.gasFlow).toEqual({
      uncontrolledFlowRateThreshold: 9,
      averagingPeriod: 300,
    });
  });

  it("a device without overrides has its vendor's default quirks; a bench's overrides are that device's own", () => {
    expect(esmeOf(itronProfile).actor.getSnapshot().context.quirks).toEqual(['91333', 'risk11']);
    expect(esmeOf(elsterProfile).actor.getSnapshot().context.quirks).toEqual(['91342']);
    expect(esmeOf(itronProfile, { risk11: false }).actor.getSnapshot().context.quirks).toEqual(['91333']);
    expect(esmeOf(itronProfile).actor.getSnapshot().context.quirks).toEqual(['91333', 'risk11']);
  });
});
