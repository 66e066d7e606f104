/**
 * The migration rules a fleet runs under. 2020 is what the seeds describe (OPSG Feb 2020, OPSG_34 July 2020): a
 * dormant installation whose gas meter fails the HAN pre-check (GT01, GTA8) is rejected, and a split-supplier home
 * is not migrated (Core 1.1 not yet live in February 2020). 2021 is the DCC's later MEHRS change: the electricity
 * meter migrates alone (the orchestrator's electricity-only path), and split-supplier homes migrate.
 */
import type { MigrateOptions } from '../migration/orchestrator';

export type RulesYear = '2020' | '2021';

export const RULES_YEARS: readonly RulesYear[] = ['2020', '2021'];

export interface Rules {
  readonly gasHanFailure: NonNullable<MigrateOptions['gasHanFailure']>;
  readonly splitSupplierFix: boolean;
}

export const RULES: Readonly<Record<RulesYear, Rules>> = {
  '2020': { gasHanFailure: 'reject-dormant', splitSupplierFix: false },
  '2021': { gasHanFailure: 'electricity-only', splitSupplierFix: true },
};
