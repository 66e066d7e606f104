/**
 * What a device starts with that only its profile decides (the ESME's settings, voltage configuration and power
 * thresholds, the GSME's gas flow configuration, the vendor's quirks) is made once per profile and shared by the
 * devices made from it (esmeContext.ts esmeStart, gsmeContext.ts defaultGasFlow, coreContext.ts defaultQuirks): each
 * device still starts with its own profile's values, a command changes only its own device, and a bench's quirk
 * overrides are its own.
 */
import { describe, expect, it } from 'vitest';
import { withEsmeSettings } from './support/esmeSettings';
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
  ...withEsmeSettings(itronProfile, 'what-if', { voltage: { averageOverThreshold: 250 } }),
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

  it('two devices of one profile share those objects, and no command or hour of metering writes one in place', () => {
    // a profile object of its own, so that the objects frozen here are no other test's
    const profile: VendorProfile = { ...elsterProfile };
    const first = esmeOf(profile, {});
    const second = esmeOf(profile);
    const a = first.actor.getSnapshot().context;
    const b = second.actor.getSnapshot().context;
    for (const field of ['settings', 'voltageConfig', 'powerThresholds', 'quirks', 'demand'] as const) {
      expect(a[field], field).toBe(b[field]);
      deepFreeze(a[field]);
    }
    expect(gsmeOf(profile).actor.getSnapshot().context.gasFlow).toBe(
      gsmeOf(profile).actor.getSnapshot().context.gasFlow,
    );
    deepFreeze(gsmeOf(profile).actor.getSnapshot().context.gasFlow);
    // a write into a frozen object throws in strict code: the device would be left in error, not answering
    const config = { ...a.voltageConfig, sagThreshold: 210, sagPeriod: 30 };
    expect(first.command('voltageConfig', config).status).toBe('ok');
    expect(first.command('powerThresholds', { lowMediumThreshold: 2000, mediumHighThreshold: 7000 }).status).toBe('ok');
    expect(first.command('mainsVoltage', { voltage: 260 }).status).toBe('ok');
    expect(first.command('load', { activePower: 2500, powerFactor: 0.9 }).status).toBe('ok');
    first.clock.advanceBySync(3_600_000);
    expect(first.command('mainsVoltage', { voltage: 230 }).status).toBe('ok');
    expect(first.command('powerCut').status).toBe('ok');
    first.clock.advanceBySync(60_000);
    expect(first.command('powerRestore').status).toBe('ok');
    first.clock.advanceBySync(3_600_000);
    expect(first.actor.getSnapshot().status).toBe('active');
    expect(first.actor.getSnapshot().context.voltageConfig).toEqual(config);
    expect(second.actor.getSnapshot().context.voltageConfig).toBe(b.voltageConfig);
    const gsme = gsmeOf(profile);
    gsme.command('injectFault', { fault: 'hanFailureRate', value: 0 }); // no seeded HAN loss: the command lands
    const flow = { uncontrolledFlowRateThreshold: 8, averagingPeriod: 600 };
    expect(gsme.command('gasFlowConfig', flow).status).toBe('ok');
    expect(gsme.actor.getSnapshot().context.gasFlow).toEqual(flow);
    expect(gsme.actor.getSnapshot().status).toBe('active');
  });
});

/** Freezes `value` and everything it holds. */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}
