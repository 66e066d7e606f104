/**
 * The orchestrator's journal: where a migration stands, written before each step so a process killed between two
 * steps (kill -9) leaves a record a restart can act on. A file journal is written with the project's one durable
 * replacement (emulator/persistence/atomicFile.ts: temporary, fsync, rename, directory fsync), so a reader sees the
 * old state or the new, never a torn one, and a failed write leaves no temporary behind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { replaceFile } from '../../emulator/persistence/atomicFile';
import type { SmiStatus } from '../dsp/registrationData';
import type { Rejection } from './eligibility';
import type { SwapRole } from './parties';

/**
 * checking: eligibility (reads only) · waiting: before an attempt (the first, or a retry after a completed rollback)
 * · attempting · rolling-back · and the three final ones.
 */
export type JournalPhase =
  'checking' | 'waiting' | 'attempting' | 'rolling-back' | 'migrated' | 'rejected' | 'excluded';

/** A slot the attempt is replacing or has replaced: `intended` is written before the request, `done` after. */
const PHASES: readonly JournalPhase[] = [
  'checking',
  'waiting',
  'attempting',
  'rolling-back',
  'migrated',
  'rejected',
  'excluded',
];

export interface SlotChange {
  readonly device: string;
  readonly role: SwapRole;
  readonly state: 'intended' | 'done';
}

export interface JournalState {
  readonly installation: string;
  readonly phase: JournalPhase;
  /** Attempts started, and how many of them failed. */
  readonly attempt: number;
  readonly failedAttempts: number;
  /** The step about to run (or running) in the current attempt. */
  readonly step: string;
  /** The credential swap is complete for every meter in scope: a crash after this resumes forward. */
  readonly swapComplete: boolean;
  readonly slotChanges: readonly SlotChange[];
  /** GT01 at the HAN pre-check: the GSME is left out of this attempt. */
  readonly electricityOnly: boolean;
  /** The attempt under way is a gas retry of an installation migrated electricity only. */
  readonly gasOnly?: boolean;
  /** The duration generator's state (common/random.ts), so a resumed run draws what the original would have. */
  readonly random: number;
  /** The paced phase under way, when it started (virtual ms) and the duration drawn for it, for a resumed phase. */
  readonly phaseName?: string;
  readonly phaseStartMs: number;
  readonly phaseDrawnSeconds?: number;
  /** The ESME's supply state at the WAN pre-check (active installations: the post-check compares). */
  readonly supplyBefore?: string;
  /**
   * SMI statuses the orchestrator set in Registration Data (device id → status): a restarted DCC side whose DSP
   * did not keep them (an in-memory Registration Data) gets them back from here.
   */
  readonly smi?: Readonly<Record<string, SmiStatus>>;
  /** Why the installation was rejected at the start. */
  readonly rejection?: Rejection;
  /** GT01 found at the HAN pre-check of the current attempt. */
  readonly gasFailure?: string;
  /** The last RequestID counter used (decimal), so a restarted run never reuses one. */
  readonly counter: string;
}

type FieldName = keyof JournalState;
/** Every field of a state, an optional one undefined where the state has none (over the names: none optional). */
type EveryField = { readonly [K in FieldName]: JournalState[K] | undefined };

/**
 * `state` with `change` made, as a new state: the one given stays as it was journalled (MemoryJournal keeps it as
 * given). One class of one shape, every field copied by name, rather than `{ ...state, ...change }`: a spread of a
 * state of some twenty keys took about 2 µs, and a migration saves its state about fifty times (docs/fleet.md "Round
 * ten"). A field set to undefined by the change is cleared (JSON leaves it out, as the spread's undefined). A
 * FileJournal's keys now come in this class's order rather than the order they were first set: the same object,
 * read back by name, so files written before still load.
 */
export function changedState(state: JournalState, change: Partial<JournalState>): JournalState {
  const next = new StateCopy(state);
  const fields = next as unknown as Record<string, unknown>;
  for (const key in change) fields[key] = change[key as keyof JournalState];
  return next;
}

class StateCopy implements EveryField {
  readonly installation: string;
  readonly phase: JournalPhase;
  readonly attempt: number;
  readonly failedAttempts: number;
  readonly step: string;
  readonly swapComplete: boolean;
  readonly slotChanges: readonly SlotChange[];
  readonly electricityOnly: boolean;
  readonly gasOnly: boolean | undefined;
  readonly random: number;
  readonly phaseName: string | undefined;
  readonly phaseStartMs: number;
  readonly phaseDrawnSeconds: number | undefined;
  readonly supplyBefore: string | undefined;
  readonly smi: Readonly<Record<string, SmiStatus>> | undefined;
  readonly rejection: Rejection | undefined;
  readonly gasFailure: string | undefined;
  readonly counter: string;

  constructor(from: JournalState) {
    this.installation = from.installation;
    this.phase = from.phase;
    this.attempt = from.attempt;
    this.failedAttempts = from.failedAttempts;
    this.step = from.step;
    this.swapComplete = from.swapComplete;
    this.slotChanges = from.slotChanges;
    this.electricityOnly = from.electricityOnly;
    this.gasOnly = from.gasOnly;
    this.random = from.random;
    this.phaseName = from.phaseName;
    this.phaseStartMs = from.phaseStartMs;
    this.phaseDrawnSeconds = from.phaseDrawnSeconds;
    this.supplyBefore = from.supplyBefore;
    this.smi = from.smi;
    this.rejection = from.rejection;
    this.gasFailure = from.gasFailure;
    this.counter = from.counter;
  }
}

export interface Journal {
  read(): JournalState | undefined;
  write(state: JournalState): void;
}

export class MemoryJournal implements Journal {
  private state: JournalState | undefined;
  read(): JournalState | undefined {
    return this.state === undefined ? undefined : structuredClone(this.state);
  }
  write(state: JournalState): void {
    // kept as given, not copied: a JournalState is readonly throughout and the orchestrator saves a new one at every
    // change (a dozen times a step), so only a reader, handed a copy, could change what was journalled
    this.state = state;
  }
}

export class FileJournal implements Journal {
  constructor(readonly path: string) {}

  read(): JournalState | undefined {
    if (!existsSync(this.path)) return undefined;
    const text = readFileSync(this.path, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`migration journal ${this.path} is not valid JSON: ${(error as Error).message}`);
    }
    const state = parsed as Partial<JournalState> | null;
    const problem =
      typeof state !== 'object' || state === null
        ? 'not an object'
        : typeof state.installation !== 'string'
          ? 'no installation id'
          : !PHASES.includes(state.phase as JournalPhase)
            ? `phase ${JSON.stringify(state.phase)} is none of ${PHASES.join(', ')}`
            : !Array.isArray(state.slotChanges)
              ? 'no slotChanges list'
              : ![state.attempt, state.failedAttempts, state.random].every((n) => Number.isInteger(n))
                ? 'attempt, failedAttempts or random is not an integer'
                : undefined;
    if (problem !== undefined) throw new Error(`migration journal ${this.path} is not a migration journal: ${problem}`);
    return state as JournalState;
  }

  write(state: JournalState): void {
    replaceFile(this.path, [JSON.stringify(state)]);
  }
}
