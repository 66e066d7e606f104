/**
 * What a migration leaves for a report: every step with its virtual start and end, the DUIS requests it sent with
 * every document the user received for them, and the device commands the S1SP exchanged on the bench link while
 * it ran. Plain data (strings, numbers), so a report can draw it or write it as JSON.
 */
import type { DuisOutput } from '../s1sp/adapter';
import type { MigrationSrv } from './requests';

export type StepName =
  | 'eligibility'
  | 'wanPreCheck'
  | 'hanPreCheck'
  | 'credentialSwap'
  | 'configuration'
  | 'commissioning'
  | 'postChecks'
  | 'rollback'
  | 'retryWait';

export type PhaseName = 'preparation' | 'credentialSwap' | 'commissioning';

export interface DuisExchange {
  readonly label: string;
  readonly srv: MigrationSrv;
  readonly target: string;
  readonly originator: string;
  readonly request: string;
  /** I99 then the response(s); or the one E-code refusal. */
  readonly responses: readonly DuisOutput[];
  readonly alerts: readonly DuisOutput[];
  /** The response codes in order (`-` for a response without one, 91339/91340). */
  readonly codes: readonly string[];
  readonly success: boolean;
  /** The device step's error (SMETS1Debug) or the refusal's fault, when it failed. */
  readonly error?: string;
}

/** One bench-protocol exchange with a device (docs/protocol.md): what the S1SP sent and the device's status. */
export interface DeviceFrame {
  readonly at: number;
  readonly device: string;
  readonly command: string;
  readonly status: string;
}

export interface StepRecord {
  readonly attempt: number;
  readonly name: StepName;
  /** The device it concerns, when one. */
  readonly device?: string;
  /** Credential swap and rollback: the slot (2 supplier, 3 network operator). */
  readonly role?: number;
  readonly startMs: number;
  endMs: number;
  outcome: 'ok' | 'failed' | 'skipped';
  detail?: string;
  /** Its DUIS exchanges in order; none kept when the migration was told not to (MigrateOptions.keepExchanges). */
  readonly duis: DuisExchange[];
  /** The device commands the S1SP sent for it; none recorded when the exchanges are not kept either. */
  readonly frames: DeviceFrame[];
}

/** A paced phase: the duration drawn from the vendor profile and when it ran (virtual ms). */
export interface PhaseRecord {
  readonly attempt: number;
  readonly name: PhaseName;
  readonly drawnSeconds: number;
  readonly startMs: number;
  readonly endMs: number;
}
