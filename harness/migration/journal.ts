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
