/**
 * A vendor profile as rows a report prints: every sourced value with its path, its source and why. This is how
 * "assumed" travels into test reports: a reader sees which numbers a result rests on that are not public.
 */
import type { Sourced, VendorProfile } from './types';

export interface ProfileValueRow {
  /** e.g. `devices.GSME.hanFailureRate` */
  path: string;
  value: unknown;
  source: 'public' | 'assumed';
  note: string;
}

function isSourced(value: unknown): value is Sourced<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    'value' in candidate &&
    (candidate.source === 'public' || candidate.source === 'assumed') &&
    typeof candidate.note === 'string'
  );
}

export function profileReport(profile: VendorProfile): ProfileValueRow[] {
  const rows: ProfileValueRow[] = [];
  const walk = (node: unknown, path: string): void => {
    if (isSourced(node)) {
      rows.push({ path, value: node.value, source: node.source, note: node.note });
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key);
  };
  walk(profile, '');
  return rows;
}

/** Only the assumed values: what a report must flag. */
export function assumedValues(profile: VendorProfile): ProfileValueRow[] {
  return profileReport(profile).filter((row) => row.source === 'assumed');
}
