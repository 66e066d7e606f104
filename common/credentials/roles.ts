import { CredentialError } from './errors';

/** GBCS remote party roles; each role has one trust anchor slot on a device. */
export const REMOTE_PARTY_ROLES = {
  root: 0,
  recovery: 1,
  supplier: 2,
  networkOperator: 3,
  accessControlBroker: 4,
  transitionalCoS: 5,
  wanProvider: 6,
} as const;

export type RemotePartyRoleName = keyof typeof REMOTE_PARTY_ROLES;
export type RemotePartyRole = (typeof REMOTE_PARTY_ROLES)[RemotePartyRoleName];

export const ALL_ROLES: readonly RemotePartyRole[] = [0, 1, 2, 3, 4, 5, 6];

export function isRemotePartyRole(value: unknown): value is RemotePartyRole {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 6;
}

/** The names by role number: a device names the slot of every signed command it checks. */
const ROLE_NAMES = Object.fromEntries(Object.entries(REMOTE_PARTY_ROLES).map(([name, role]) => [role, name])) as Record<
  RemotePartyRole,
  RemotePartyRoleName
>;

export function roleName(role: RemotePartyRole): RemotePartyRoleName {
  return ROLE_NAMES[role];
}

const ENTITY_ID = /^[0-9A-F]{2}(?:-[0-9A-F]{2}){7}$/;

/** An 8-byte entity id as users write it: `90-B3-D5-1F-30-02-00-00`. */
export function formatEntityId(bytes: Uint8Array): string {
  if (bytes.length !== 8) throw new CredentialError(`an entity id is 8 bytes, got ${bytes.length}`);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-');
}

export function entityIdBytes(entityId: string): Buffer {
  if (!ENTITY_ID.test(entityId)) {
    throw new CredentialError(`entity id ${JSON.stringify(entityId)} is not 8 upper-case hex bytes joined by dashes`);
  }
  return Buffer.from(entityId.replaceAll('-', ''), 'hex');
}
