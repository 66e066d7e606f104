import { parseCertificate } from '../../common/credentials/certificate';
import { CredentialError } from '../../common/credentials/errors';
import { ALL_ROLES, isRemotePartyRole, roleName, type RemotePartyRole } from '../../common/credentials/roles';
import type { TestPki } from '../../common/credentials/testPki';

/** One trust anchor slot's content. The certificate is the source of truth; role and entity id are read from it. */
export interface CredentialSlot {
  readonly role: RemotePartyRole;
  readonly entityId: string;
  /** DER, lower-case hex. */
  readonly certificate: string;
}

/**
 * A device's trust anchors: one slot per GBCS remote party role, `null` when empty. Plain JSON, so it lives in a
 * machine context and persists as it is. Every function here returns a new value and never mutates its input.
 */
export type CredentialSlots = Readonly<Record<RemotePartyRole, CredentialSlot | null>>;

export function emptyCredentialSlots(): CredentialSlots {
  return { 0: null, 1: null, 2: null, 3: null, 4: null, 5: null, 6: null };
}

/** The slot a certificate belongs in is the role in its subject OU. */
export function slotFor(certificateHex: string): CredentialSlot {
  const parsed = parseCertificate(certificateHex);
  return { role: parsed.role, entityId: parsed.entityId, certificate: certificateHex.toLowerCase() };
}

/**
 * Installs a certificate in the slot named by its OU without any authorisation: what a factory, an SMSO
 * provisioning step or a bench set-up does. Remote replacement goes through applyReplacement instead.
 */
export function installCertificate(slots: CredentialSlots, certificateHex: string): CredentialSlots {
  const slot = slotFor(certificateHex);
  return { ...slots, [slot.role]: slot };
}

/** Slots holding exactly these certificates; two for the same role is a mistake, not a last-one-wins. */
export function slotsFromCertificates(certificatesHex: readonly string[]): CredentialSlots {
  let slots = emptyCredentialSlots();
  for (const certificate of certificatesHex) {
    const slot = slotFor(certificate);
    if (slots[slot.role] !== null) {
      throw new CredentialError(`two certificates for the ${roleName(slot.role)} slot (role ${slot.role})`);
    }
    slots = { ...slots, [slot.role]: slot };
  }
  return slots;
}

/** The `readCredentials` response body: the slot's certificate, or an empty string when the slot is empty. */
export function readCredential(
  slots: CredentialSlots,
  role: RemotePartyRole,
): { role: RemotePartyRole; certificate: string } {
  if (!isRemotePartyRole(role)) throw new CredentialError(`role ${String(role)} is not a remote party role (0 to 6)`);
  return { role, certificate: slots[role]?.certificate ?? '' };
}

/** Roles whose slot holds a certificate, in role order. */
export function occupiedRoles(slots: CredentialSlots): RemotePartyRole[] {
  return ALL_ROLES.filter((role) => slots[role] !== null);
}

/**
 * A device's slots holding every party of this PKI: how a device leaves its SMSO's provisioning, before the
 * migration replaces these credentials with the DCC's.
 */
export function credentialSlotsFromPki(pki: TestPki): CredentialSlots {
  return slotsFromCertificates(ALL_ROLES.map((role) => pki.parties[role].certificate));
}
