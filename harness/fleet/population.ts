/**
 * The installations awaiting migration, each drawn on its own: installation k's properties come from a generator
 * seeded by (seed, k) alone, so a shard draws exactly what the whole run draws for the same installation, in any
 * order, and the population can be millions long without being held in memory. The shares are the calibration's.
 */
import { deriveSeed, Random } from '../../common/random';
import type { InstallationKind } from '../migration/installation';
import type { Vendor } from '../s1sp/vendors';
import type { FleetConfig } from './config';

export interface FleetInstallation {
  readonly index: number;
  readonly vendor: Vendor;
  readonly kind: InstallationKind;
  readonly ppmid: boolean;
  readonly splitSupplier: boolean;
  /** The ESME's firmware in the SMSO's inventory is not on the eligible product list. */
  readonly offListFirmware: boolean;
  /**
   * A poor gas HAN: the GSME's per-try loss on a bad day and on a good one, and which of the installation's runs fall
   * on a bad day (run 0 the first migration, run r the r-th re-run a day later).
   */
  readonly poorGasHan?: {
    readonly lossRate: number;
    readonly goodDayLossRate: number;
    readonly badRuns: readonly boolean[];
  };
  /** The CH has lost the GSME from its device log (GTA8). */
  readonly gasNotInDeviceLog: boolean;
  /** The seed of this installation's bench: its devices, S1SP and migration draws. */
  readonly benchSeed: number;
  /** The seed of the SMSO test PKI and the S1SP's signing party: the fleet's one (fleetPkiSeed), not the installation's. */
  readonly pkiSeed: number;
  /** The supply the ESME measures from the start: RMS volts (0.1 V), import W, power factor (0.001). */
  readonly supply: { readonly voltage: number; readonly activePower: number; readonly powerFactor: number };
}

/** Uniform in [min, max], rounded to `step` (the bench protocol's resolution). */
function drawIn(random: Random, [min, max]: readonly [number, number], step: number): number {
  return Math.round((min + random.next() * (max - min)) / step) * step;
}

/** The gas supplier of a split-supplier home (a second RTDS-shaped supplier id). */
export const SPLIT_GAS_SUPPLIER = '90-B3-D5-1F-30-01-00-01';

/**
 * Which runs of a poor-HAN installation fall on a bad day for its gas meter: one draw a run, from a generator of its
 * own seeded by (seed, index), so the properties above draw the same whatever the bad-day share. A run is the first
 * migration or a re-run (installationRun.ts: at most maxFailedAttempts of them).
 */
function badGasHanRuns(config: FleetConfig, seed: number, index: number): boolean[] {
  const random = new Random(deriveSeed(seed, `fleet/installation/${index}/gas-han-days`));
  return Array.from(
    { length: config.migration.maxFailedAttempts.value + 1 },
    () => random.next() < config.population.poorGasHanBadDayShare.value,
  );
}

/**
 * The seed of the fleet's SMSO test PKI and S1SP signing party. One SMSO and one S1SP serve the whole estate, so every
 * installation's certificates come from one PKI, generated once per thread instead of per installation (eight P-256
 * keys and their certificates each time were 40 % of a migration's CPU).
 */
function fleetPkiSeed(seed: number): number {
  return deriveSeed(seed, 'fleet/pki');
}

/** Installation `index` (0-based) of the population of `seed`. */
export function fleetInstallation(config: FleetConfig, seed: number, index: number): FleetInstallation {
  const p = config.population;
  // one draw per property, always in this order and always made, so a change of one share moves no other property
  const random = new Random(deriveSeed(seed, `fleet/installation/${index}`));
  const vendor: Vendor = random.next() < p.itronShare.value ? 'itron' : 'elster';
  const kind: InstallationKind = random.next() < p.dormantShare.value ? 'dormant' : 'active';
  const ppmid = random.next() < p.ppmidShare.value;
  const splitSupplier = random.next() < p.splitSupplierShare.value;
  const offListFirmware = random.next() < p.offListFirmwareShare.value;
  const poorGasHan = random.next() < p.poorGasHanShare.value;
  const gasNotInDeviceLog = random.next() < p.gasNotInDeviceLogShare.value;
  const benchSeed = random.int(1, 0x7fff_ffff);
  const supply = {
    voltage: Number(drawIn(random, p.mainsVoltageRange.value, 0.1).toFixed(1)),
    activePower: drawIn(random, p.activePowerRange.value, 1),
    powerFactor: Number(drawIn(random, p.powerFactorRange.value, 0.001).toFixed(3)),
  };
  return {
    index,
    vendor,
    kind,
    ppmid,
    splitSupplier,
    offListFirmware,
    ...(poorGasHan
      ? {
          poorGasHan: {
            lossRate: p.poorGasHanLossRate.value,
            goodDayLossRate: p.poorGasHanGoodDayLossRate.value,
            badRuns: badGasHanRuns(config, seed, index),
          },
        }
      : {}),
    gasNotInDeviceLog,
    benchSeed,
    pkiSeed: fleetPkiSeed(seed),
    supply,
  };
}
