/**
 * The fleet simulator's parameters, every one with its source: `public` (a seed figure) or `assumed` (a guess, with
 * the note that says why). One YAML file holds them all (fleet/calibration.yaml, format in docs/fleet.md);
 * nothing else in harness/fleet/ makes up a number about the fleet. A file is read whole and checked before anything
 * runs: an unknown key, a missing one or a value out of range is an error naming the file and the key's path.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { parseDuration } from '../packs/duration';

export interface Sourced<T> {
  readonly value: T;
  readonly source: 'public' | 'assumed';
  readonly note: string;
}

export type Range = readonly [min: number, max: number];

export interface PacingStage {
  /** Migrations a day may start while this stage holds. */
  readonly cap: number;
  /** Working days at this cap before its review point (the last stage has none). */
  readonly days: number;
}

export interface FleetConfig {
  readonly population: {
    /** Installations awaiting migration (the backlog at day 1). */
    readonly size: Sourced<number>;
    readonly itronShare: Sourced<number>;
    readonly dormantShare: Sourced<number>;
    readonly ppmidShare: Sourced<number>;
    readonly splitSupplierShare: Sourced<number>;
    readonly offListFirmwareShare: Sourced<number>;
    /**
     * Share of gas meters whose HAN is poor: on a bad day (a drawn share of the days it is tried on) each HAN try is
     * lost with poorGasHanLossRate; on the other days, poorGasHanGoodDayLossRate (the GSME's usual loss); every other
     * gas meter keeps its vendor profile's loss, untouched.
     */
    readonly poorGasHanShare: Sourced<number>;
    readonly poorGasHanBadDayShare: Sourced<number>;
    readonly poorGasHanLossRate: Sourced<number>;
    readonly poorGasHanGoodDayLossRate: Sourced<number>;
    /** Share of installations whose CH has lost the GSME from its device log (GTA8, assumed meaning). */
    readonly gasNotInDeviceLogShare: Sourced<number>;
    /** The premises' supply the ESME measures, each drawn uniformly in [min, max]: what risk 11's alerts fire on. */
    readonly mainsVoltageRange: Sourced<Range>;
    readonly activePowerRange: Sourced<Range>;
    readonly powerFactorRange: Sourced<Range>;
  };
  readonly migration: {
    /** Migration control capacity: migrations in flight at once. */
    readonly inFlight: Sourced<number>;
    /** Working hours in which a migration may start, ms after midnight. */
    readonly workingHoursStart: Sourced<number>;
    readonly workingHoursEnd: Sourced<number>;
    readonly maxFailedAttempts: Sourced<number>;
    /** How long after a migration its meters' alerts are still counted, on virtual time. */
    readonly alertWatch: Sourced<number>;
  };
  readonly pacing: {
    readonly stages: Sourced<readonly PacingStage[]>;
    /** A review point holds the cap when the day's right-first-time share is below this. */
    readonly rightFirstTimeThreshold: Sourced<number>;
  };
}

export class FleetConfigError extends Error {}

/** Files larger than this are refused unread: a calibration file is a page of YAML. */
const MAX_BYTES = 256 * 1024;

type Check<T> = (value: unknown, where: string) => T;

const share: Check<number> = (value, where) => {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new FleetConfigError(`${where}: must be a number from 0 to 1, not ${JSON.stringify(value)}`);
  return value;
};

const count =
  (min: number): Check<number> =>
  (value, where) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
      throw new FleetConfigError(`${where}: must be a whole number ≥ ${min}, not ${JSON.stringify(value)}`);
    return value;
  };

const duration: Check<number> = (value, where) => {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined)
    throw new FleetConfigError(`${where}: must be a duration like 8h or 30min, not ${JSON.stringify(value)}`);
  return ms;
};

const range =
  (low: number, high: number): Check<Range> =>
  (value, where) => {
    if (
      !Array.isArray(value) ||
      value.length !== 2 ||
      !value.every((x) => typeof x === 'number' && x >= low && x <= high) ||
      value[0] > value[1]
    ) {
      throw new FleetConfigError(
        `${where}: must be [min, max] with ${low} ≤ min ≤ max ≤ ${high}, not ${JSON.stringify(value)}`,
      );
    }
    return [value[0] as number, value[1] as number];
  };

const stages: Check<readonly PacingStage[]> = (value, where) => {
  if (!Array.isArray(value) || value.length === 0)
    throw new FleetConfigError(`${where}: must be a list of { cap, days } stages`);
  return value.map((stage: unknown, i) => {
    const at = `${where}[${i}]`;
    const fields = record(stage, at, ['cap', 'days']);
    return { cap: count(1)(fields.cap, `${at}.cap`), days: count(1)(fields.days, `${at}.days`) };
  });
};

/** `where` is a key path (`population.size`), or a file name ending in `:` at the top of the document. */
function record(value: unknown, where: string, keys: readonly string[]): Record<string, unknown> {
  const at = (key: string) => (where.endsWith(':') ? `${where} ${key}` : `${where}.${key}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FleetConfigError(`${where.replace(/:$/, '')}: must be a mapping of ${keys.join(', ')}`);
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!keys.includes(key)) throw new FleetConfigError(`${at(key)}: unknown key; expected one of ${keys.join(', ')}`);
  for (const key of keys) if (!(key in fields)) throw new FleetConfigError(`${at(key)}: missing`);
  return fields;
}

function sourced<T>(check: Check<T>): Check<Sourced<T>> {
  return (value, where) => {
    const fields = record(value, where, ['value', 'source', 'note']);
    if (fields.source !== 'public' && fields.source !== 'assumed')
      throw new FleetConfigError(`${where}.source: must be public or assumed, not ${JSON.stringify(fields.source)}`);
    if (typeof fields.note !== 'string' || fields.note.trim() === '')
      throw new FleetConfigError(`${where}.note: must say where the value comes from`);
    return { value: check(fields.value, `${where}.value`), source: fields.source, note: fields.note };
  };
}

function section<S extends Record<string, Check<unknown>>>(
  value: unknown,
  where: string,
  checks: S,
): { [K in keyof S]: ReturnType<S[K]> } {
  const fields = record(value, where, Object.keys(checks));
  return Object.fromEntries(
    Object.entries(checks).map(([key, check]) => [key, check(fields[key], `${where}.${key}`)]),
  ) as { [K in keyof S]: ReturnType<S[K]> };
}

/** A parsed YAML document as a FleetConfig; `where` prefixes every error (the file's name). */
export function fleetConfig(document: unknown, where: string): FleetConfig {
  const top = record(document, `${where}:`, ['population', 'migration', 'pacing']);
  const population = section(top.population, `${where}: population`, {
    size: sourced(count(1)),
    itronShare: sourced(share),
    dormantShare: sourced(share),
    ppmidShare: sourced(share),
    splitSupplierShare: sourced(share),
    offListFirmwareShare: sourced(share),
    poorGasHanShare: sourced(share),
    poorGasHanBadDayShare: sourced(share),
    poorGasHanLossRate: sourced(share),
    poorGasHanGoodDayLossRate: sourced(share),
    gasNotInDeviceLogShare: sourced(share),
    mainsVoltageRange: sourced(range(0, 6553)),
    activePowerRange: sourced(range(0, 100_000)),
    powerFactorRange: sourced(range(0, 1)),
  });
  const migration = section(top.migration, `${where}: migration`, {
    inFlight: sourced(count(1)),
    workingHoursStart: sourced(duration),
    workingHoursEnd: sourced(duration),
    maxFailedAttempts: sourced(count(1)),
    alertWatch: sourced(duration),
  });
  if (!(
    migration.workingHoursStart.value < migration.workingHoursEnd.value && migration.workingHoursEnd.value <= 86_400_000
  )) {
    throw new FleetConfigError(
      `${where}: migration.workingHoursEnd: working hours must end after they start and by midnight (24h)`,
    );
  }
  const pacing = section(top.pacing, `${where}: pacing`, {
    stages: sourced(stages),
    rightFirstTimeThreshold: sourced(share),
  });
  return { population, migration, pacing };
}

/** The calibration file: its YAML as parsed, and checked. */
export function loadFleetConfig(path: string): { document: unknown; config: FleetConfig } {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_BYTES)
      throw new FleetConfigError(`${path}: ${size} bytes, over the ${MAX_BYTES}-byte limit of a calibration file`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof FleetConfigError) throw error;
    throw new FleetConfigError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 16 });
  } catch (error) {
    throw new FleetConfigError(`${path}: not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return { document, config: fleetConfig(document, path) };
}

/** The config with a constant daily cap (`--volume`): one stage, no review point. */
export function withVolume(config: FleetConfig, volume: number): FleetConfig {
  return {
    ...config,
    pacing: {
      ...config.pacing,
      stages: {
        value: [{ cap: volume, days: 1 }],
        source: 'assumed',
        note: `--volume ${volume}: a constant daily cap`,
      },
    },
  };
}
