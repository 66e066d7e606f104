/** A small fleet calibration for tests: the shipped file's shape with test-sized numbers, every value given here. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { fleetConfig, type FleetConfig } from '../../harness/fleet/config';

const a = (value: unknown) => ({ value, source: 'assumed', note: 'test value' });

export function testCalibration(
  overrides: {
    population?: Record<string, unknown>;
    migration?: Record<string, unknown>;
    pacing?: Record<string, unknown>;
  } = {},
) {
  return {
    population: {
      size: a(40),
      itronShare: a(0.5),
      dormantShare: a(0.6),
      ppmidShare: a(0.2),
      splitSupplierShare: a(0.1),
      offListFirmwareShare: a(0.1),
      poorGasHanShare: a(0.3),
      poorGasHanBadDayShare: a(0.5),
      poorGasHanLossRate: a(0.5),
      poorGasHanGoodDayLossRate: a(0.05),
      gasNotInDeviceLogShare: a(0.1),
      mainsVoltageRange: a([236, 246]),
      activePowerRange: a([200, 3000]),
      powerFactorRange: a([0.85, 1]),
      ...overrides.population,
    },
    migration: {
      inFlight: a(100),
      workingHoursStart: a('8h'),
      workingHoursEnd: a('20h'),
      maxFailedAttempts: a(5),
      alertWatch: a('1h'),
      ...overrides.migration,
    },
    pacing: { stages: a([{ cap: 6, days: 1 }]), rightFirstTimeThreshold: a(0.95), ...overrides.pacing },
  };
}

export function testConfig(overrides: Parameters<typeof testCalibration>[0] = {}): FleetConfig {
  return fleetConfig(testCalibration(overrides), 'test');
}

/** A temporary directory with testCalibration() written in it as calibration.yaml, for a test file's simulate runs:
 * made before the file's tests, removed after them. */
export function calibrationDirectory(prefix: string): { readonly dir: string; readonly calibration: string } {
  const paths = { dir: '', calibration: '' };
  beforeAll(() => {
    paths.dir = mkdtempSync(join(tmpdir(), prefix));
    paths.calibration = join(paths.dir, 'calibration.yaml');
    writeFileSync(paths.calibration, stringify(testCalibration()));
  });
  afterAll(() => rmSync(paths.dir, { recursive: true, force: true }));
  return paths;
}
