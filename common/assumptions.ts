/**
 * The one registry of assumed values: numbers and choices no public document fixes (a threshold, a rate, a
 * duration, a firmware string), each with where it came from. A value is written once, where it is registered, and
 * the code that uses it reads that registration (the return value of `assumed`, or the vendor profile the profile
 * registers); a run lists the registrations it relied on (harness/bench/assumptionsInForce.ts), so a report says
 * which results rest on guesses. Names are dotted, the first part saying when the value is in force: a vendor's
 * devices (`itron.…`, `elster.…`), the S1SP (`s1sp.…`), the DUIS gateway (`duis.…`), a migration (`migration.…`).
 */

export interface Assumption {
  readonly name: string;
  readonly value: unknown;
  /** Where the value came from and why it is a guess. */
  readonly source: string;
}

const registry = new Map<string, Assumption>();

/**
 * Registers `value` under `name` and returns it. Registering a name again is allowed only with the same value and
 * source (a module evaluated twice); a different one would leave a report naming a value the code does not use.
 */
export function assumed<T>(name: string, value: T, source: string): T {
  const existing = registry.get(name);
  if (
    existing !== undefined &&
    (JSON.stringify(existing.value) !== JSON.stringify(value) || existing.source !== source)
  ) {
    throw new Error(
      `assumed value ${name} registered twice with different values: ${JSON.stringify(existing.value)} and ${JSON.stringify(value)}`,
    );
  }
  registry.set(name, { name, value, source });
  return value;
}

/** The registration of `name`; an unknown name is a programming error, named. */
export function assumption(name: string): Assumption {
  const found = registry.get(name);
  if (found === undefined) throw new Error(`no assumed value is registered as ${name}`);
  return found;
}

/** Every registration whose name starts with `prefix` followed by a dot, in the order they were registered. */
export function assumptionsUnder(prefix: string): Assumption[] {
  return [...registry.values()].filter((entry) => entry.name.startsWith(`${prefix}.`));
}
