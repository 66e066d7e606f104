/**
 * A regression pack as the executor gets it: checked, defaults filled in, device references resolved to the
 * bench's EUIs, durations in milliseconds, every step and expectation with its place in the file (docs/packs.md).
 */
import type { LinkSpec } from '../../emulator/links/linkSpec';
import type { SlotCheckMode } from '../dsp/slotCheck';
import type { FixSwitch } from './benchSwitches';
import type { SmiStatus } from './duisCodes';
import type { SourcePosition } from './positions';
import type { CERTIFICATE_ROLES, FAILABLE_MIGRATION_STEPS, MIGRATION_OUTCOMES, SLOT_ROLES } from './schema';

export type Vendor = 'itron' | 'elster';
export type Installation = 'dormant' | 'active';
export type DeviceRole = 'ESME' | 'GSME' | 'CH' | 'PPMID';
export type UserRole = 'IS' | 'GS' | 'ED' | 'GT' | 'OU';
export type DspMode = SlotCheckMode;

/** A set's members' EUIs (no PPMID on a bench without one). */
export type SetEuis = Readonly<Partial<Record<DeviceRole, string>>>;

/** A device of the bench, however the pack named it. */
export interface DeviceRef {
  /** As written in the pack: `PPMID`, `ESME@1`, `00-DB-12-34-56-78-90-A3`. */
  readonly text: string;
  readonly role: DeviceRole;
  /** The device set it belongs to (0 first). */
  readonly set: number;
  readonly eui: string;
}

export interface PackBench {
  readonly vendor: Vendor;
  readonly installation: Installation;
  readonly migrationState: 'smso' | 'dcc';
  readonly sets: number;
  readonly ppmid: boolean;
  /** `real`: devices that take no bench control messages; every stimulus is an operator prompt. */
  readonly devices: 'emulated' | 'real';
  /** Only the quirks the pack switched; the rest keep their defaults. Ids: benchSwitches.PACK_QUIRKS. */
  readonly quirks: Readonly<Record<string, boolean>>;
  /** Only the fixes the pack switched; a fix not named is off. */
  readonly fixes: Readonly<Partial<Record<FixSwitch, boolean>>>;
  readonly dsp: DspMode;
  readonly seed: number;
  /** Slots that start with another party's certificate (issued by the bench PKI for that entity id). */
  readonly slots: readonly StartingSlots[];
  /**
   * Each set's devices' EUIs: `bench.euis` (a bench of real devices) over the README's scheme. Device references,
   * requests, expectations and Registration Data use them.
   */
  readonly euis: readonly SetEuis[];
  /** Each set's install codes `bench.installCodes` gives (lower-case hex); a device left out has the RTDS one. */
  readonly installCodes: readonly Readonly<Partial<Record<'ESME' | 'GSME' | 'PPMID', string>>>[];
  /** As written (for `smets1 run --link` to override and for reports) and parsed. */
  readonly linkText: string;
  readonly link: LinkSpec;
  /**
   * Where each setting was written, for the pre-flight's problems: `vendor`, `seed`, `sets`, `ppmid`,
   * `migrationState`, `slots`, `quirks.<id>` (a scenario's own bench first, then the pack's); `bench` is the pack's bench map
   * itself, for a setting left at its default.
   */
  readonly where: Readonly<Record<string, SourcePosition>>;
}

export type CertificateRole = (typeof CERTIFICATE_ROLES)[number];

/** A device's slots that start with a certificate the bench PKI issues for another entity id. */
export interface StartingSlots {
  readonly device: DeviceRef;
  readonly holders: Readonly<Partial<Record<CertificateRole, string>>>;
}

/** A certificate the bench PKI issues for a party, for an `sr`'s DigitalSigningCertificate. */
export interface PartyCertificate {
  readonly role: CertificateRole;
  /** Entity id. */
  readonly party: string;
}

/** A DUIS element value of an `sr` step; DeviceID and OtherDeviceID hold EUIs. */
export type SrParam = string | number | boolean;

export type ServiceRequest =
  | {
      readonly source: 'srv';
      /** Service reference variant, e.g. `8.11`. */
      readonly srv: string;
      readonly target: DeviceRef;
      readonly user: UserRole;
      readonly params: Readonly<Record<string, SrParam>>;
      readonly certificate?: PartyCertificate;
    }
  | {
      readonly source: 'template';
      /** The RTDS template name as written, e.g. `CCS01_8.11_SUCCESS`. */
      readonly template: string;
      /** Replaces the template's target device, if given. */
      readonly target?: DeviceRef;
      readonly user?: UserRole;
      readonly params: Readonly<Record<string, SrParam>>;
      readonly certificate?: PartyCertificate;
    }
  | {
      readonly source: 'file';
      /** Absolute path (written relative to the pack file, inside the pack's directory). */
      readonly path: string;
      /** The file's text as read and checked at load (a DUIS request document): what the step sends. */
      readonly xml: string;
    };

export type Stimulus =
  | { readonly type: 'mainsVoltage'; readonly voltage: number }
  | { readonly type: 'power'; readonly activePower: number; readonly powerFactor?: number }
  | { readonly type: 'ppmidPowerOn' }
  | { readonly type: 'supply'; readonly state: 'cut' | 'restored' }
  | { readonly type: 'hanFailureRate'; readonly value: number }
  | {
      readonly type: 'linkFault';
      /** Cut the mock line this long, then reconnect. */
      readonly disconnectMs?: number;
      readonly dropWriteRate?: number;
      readonly corruptWriteRate?: number;
      readonly corruptByteRate?: number;
    }
  | { readonly type: 'polarity'; readonly reversed: boolean }
  /** The CH drops this device from its device log (the stimulus's `device` is the CH). */
  | { readonly type: 'hanLogRemove'; readonly removed: DeviceRef }
  /** The DCC's recovery of a dumb device (harness/s1sp/recovery.ts). */
  | { readonly type: 'recover' }
  /** The last signed command the device was sent, sent again verbatim. */
  | { readonly type: 'replay' }
  /** A prompt alone: something only an operator at real hardware can do. */
  | { readonly type: 'operator' };

export type FailableMigrationStep = (typeof FAILABLE_MIGRATION_STEPS)[number];
export type MigrationOutcome = (typeof MIGRATION_OUTCOMES)[number];
export type SlotRole = (typeof SLOT_ROLES)[number];

/**
 * A migration step made to fail: its device off the HAN, or (`certificate`) the swap of one of a meter's slots
 * carrying a certificate the device does not trust.
 */
export interface MigrationFault {
  readonly step: FailableMigrationStep;
  readonly device?: DeviceRef;
  readonly attempts: number;
  readonly certificate?: 'untrusted';
  /** With `certificate`: the slot whose swap carries it (default networkOperator). */
  readonly slot?: 'supplier' | 'networkOperator';
}

export interface MigrateOptions {
  readonly installation: Installation;
  /** The migration file's id of the installation (default RTDS-1): it seeds the migration's draws with the bench seed. */
  readonly installationId?: string;
  readonly gasSupplier?: string;
  readonly splitSupplierFix?: boolean;
  readonly firmware?: Readonly<Partial<Record<'ESME' | 'GSME' | 'CHF' | 'PPMID', string>>>;
  readonly fail: readonly MigrationFault[];
  readonly maxFailedAttempts?: number;
  /** A dormant installation's gas meter failing the HAN pre-check: migrate electricity only (default) or reject. */
  readonly gasHanFailure?: 'electricity-only' | 'reject-dormant';
  /** Retry the gas meter of an installation an earlier migrate step left migrated electricity only. */
  readonly gasRetry?: boolean;
}

/** An alert code: a device alert's GBCS code, or a DCC alert's code (`N24`). */
export type AlertCode =
  { readonly kind: 'device'; readonly code: number } | { readonly kind: 'dcc'; readonly code: string };

interface ExpectationBase {
  readonly position: SourcePosition;
  /** Set by invertPack: the expectation holds exactly when the written one does not. */
  readonly inverted: boolean;
}

export type Expectation = ExpectationBase &
  (
    | { readonly kind: 'response'; readonly code: string | 'none' }
    | { readonly kind: 'messageSuccess'; readonly success: boolean }
    | { readonly kind: 'alert'; readonly code: AlertCode; readonly withinMs: number; readonly device?: DeviceRef }
    | { readonly kind: 'noAlert'; readonly code?: AlertCode; readonly withinMs: number; readonly device?: DeviceRef }
    | {
        readonly kind: 'deviceState';
        readonly device: DeviceRef;
        readonly migrationState?: 'smso' | 'dcc' | 'dumb';
        readonly commissioned?: boolean;
        readonly supply?: 'enabled' | 'disabled' | 'armed';
        /** On the CH's device log and joined; other entries may be there too. */
        readonly joined?: readonly DeviceRef[];
      }
    | {
        readonly kind: 'slots';
        readonly device: DeviceRef;
        /** Entity id of the expected holder, or `empty`. */
        readonly holders: Readonly<Partial<Record<SlotRole, string>>>;
      }
    | { readonly kind: 'smiStatus'; readonly device: DeviceRef; readonly status: SmiStatus }
    | {
        readonly kind: 'duration';
        readonly of: 'migrate' | 'sr' | FailableMigrationStep;
        readonly atLeastMs?: number;
        readonly atMostMs?: number;
      }
    | { readonly kind: 'migration'; readonly outcome: MigrationOutcome; readonly attempts?: number }
  );

interface StepBase {
  readonly position: SourcePosition;
}

export type Step = StepBase &
  (
    | { readonly kind: 'sr'; readonly request: ServiceRequest }
    | { readonly kind: 'stimulus'; readonly stimulus: Stimulus; readonly device?: DeviceRef; readonly prompt?: string }
    | { readonly kind: 'wait'; readonly ms: number }
    | { readonly kind: 'migrate'; readonly options: MigrateOptions }
    | { readonly kind: 'expect'; readonly expectations: readonly Expectation[] }
  );

/** A scenario's `timeout:`: as written (for messages), in ms, and where. */
export interface ScenarioTimeoutSpec {
  readonly text: string;
  readonly ms: number;
  readonly position: SourcePosition;
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** The scenario is abandoned as an error past this (harness/run/scenarioTimeout.ts). */
  readonly timeout?: ScenarioTimeoutSpec;
  /** The pack's bench with this scenario's changes: each scenario starts a fresh bench from it. */
  readonly bench: PackBench;
  readonly steps: readonly Step[];
  readonly position: SourcePosition;
}

export interface Pack {
  /** The pack file as given to the loader. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly bench: PackBench;
  /**
   * Run before every scenario's steps, and after them (passed, failed or stopped), on the pack's bench: what puts real
   * hardware back to a known start. A setup or teardown that fails makes the scenario an error (docs/bench.md).
   */
  readonly setup: readonly Step[];
  readonly teardown: readonly Step[];
  readonly scenarios: readonly Scenario[];
}
