/**
 * The DCC's request matrix (SRV → name, critical, eligible user roles, …) as shipped in @smartdcc/duis-parser
 * (`dist/duis-request-matrix.json`): read from the package, not retyped, so it stays the DCC's.
 */
import { createRequire } from 'node:module';
import type { ServiceReferenceVariant } from '@smartdcc/duis-parser';

export type UserRole = ServiceReferenceVariant['Eligible User Roles'][number];

const require = createRequire(import.meta.url);
const MATRIX = require('@smartdcc/duis-parser/dist/duis-request-matrix.json') as readonly ServiceReferenceVariant[];
const BY_SRV = new Map(MATRIX.map((row) => [row['Service Reference Variant'], row]));

export function requestMatrixEntry(srv: string): ServiceReferenceVariant | undefined {
  return BY_SRV.get(srv);
}

export function eligibleRoles(srv: string): readonly UserRole[] {
  return BY_SRV.get(srv)?.['Eligible User Roles'] ?? [];
}

export function isCritical(srv: string): boolean {
  return BY_SRV.get(srv)?.Critical === 'Yes';
}

export function allMatrixVariants(): readonly string[] {
  return MATRIX.map((row) => row['Service Reference Variant']);
}
