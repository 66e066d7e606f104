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
  const bytes = Buffer.allocUnsafe(8);
  writeEntityId(entityId, bytes, 0);
  return bytes;
}

/** An entity id's 8 bytes written into `target` at `offset`: signed data writes them into its own buffer. */
export function writeEntityId(entityId: string, target: Uint8Array, offset: number): void {
  if (typeof entityId !== 'string' || !ENTITY_ID.test(entityId)) {
    throw new CredentialError(`entity id ${JSON.stringify(entityId)} is not 8 upper-case hex bytes joined by dashes`);
  }
  // byte i is the two digits at 3i (the pattern has checked each is 0-9 or A-F)
  for (let i = 0; i < 8; i++)
    target[offset + i] = (hexDigit(entityId.charCodeAt(3 * i)) << 4) | hexDigit(entityId.charCodeAt(3 * i + 1));
}

/** The value of an upper-case hex digit's character code. */
function hexDigit(code: number): number {
  return code <= 0x39 ? code - 0x30 : code - 0x37;
}
