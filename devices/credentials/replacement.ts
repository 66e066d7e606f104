import { verify } from 'node:crypto';
import { parseCertificate, type OrganisationCertificate } from './certificate';
import { CredentialError } from './errors';
import { hexToBytes } from './hex';
import { REPLACEMENT_MODES, replacementModeIndex, type ReplacementMode, type ReplacementModeName } from './replacementModes';
import { isRemotePartyRole, roleName, type RemotePartyRole } from './roles';
import type { CredentialSlots } from './slots';

/** GBCS alert codes a credential replacement raises. */
export const CREDENTIAL_ALERTS = {
  updateSecurityCredentials: 0x8f70,
  sourceDoesNotHaveAuthority: 0x8f30,
  trustedSourceAuthenticationFailure: 0x8f3d,
} as const;

/** The `replaceCredentials` command's fields (docs/contract.md). */
export interface ReplacementRequest {
  /** The slot to replace. */
  readonly role: RemotePartyRole;
  readonly mode: ReplacementModeName;
  /** The new certificate, DER as lower-case hex. */
  readonly certificate: string;
  /** ECDSA P-256 / SHA-256 over signedDataFor(request), 64 bytes r‖s as lower-case hex. */
  readonly signature: string;
}

export type UnsignedReplacementRequest = Omit<ReplacementRequest, 'signature'>;

export interface ReplacementOptions {
  /** The device clock, ms since the epoch. */
  readonly now: number;
  /** Refuse a new certificate outside its validity period at `now` (GBCS "apply time based CPV checks"). */
  readonly checkValidity: boolean;
}

/** Response statuses of a refusal (docs/contract.md). notAuthorised raises 0x8F30, the others 0x8F3D. */
export type RefusalStatus = 'notAuthorised' | 'authenticationFailed' | 'invalidParameter';
type RefusalAlert = (typeof CREDENTIAL_ALERTS)['sourceDoesNotHaveAuthority' | 'trustedSourceAuthenticationFailure'];

export type ReplacementOutcome =
  | { readonly ok: true; readonly slots: CredentialSlots; readonly alert: typeof CREDENTIAL_ALERTS.updateSecurityCredentials }
  | {
      readonly ok: false;
      /** The slots as they were (the same object): a refused request changes nothing. */
      readonly slots: CredentialSlots;
      readonly alert: RefusalAlert;
      readonly status: RefusalStatus;
      readonly reason: string;
    };

/**
 * The exact bytes a replacement request's signature covers:
 *
 *   role (1 byte, 0–6) ‖ mode index in REPLACEMENT_MODES (1 byte, 0–7) ‖ certificate DER (the bytes of `certificate`)
 *
 * Binding the role and mode stops a signature made for one slot or mode from being replayed for another. (Not GBCS's
 * own signed data, which is the whole signed command with counters; this emulator's wire format is its own.)
 */
export function signedDataFor(request: UnsignedReplacementRequest): Buffer {
  if (!isRemotePartyRole(request.role)) {
    throw new CredentialError(`role ${String(request.role)} is not a remote party role (0 to 6)`);
  }
  const modeIndex = replacementModeIndex(request.mode);
  if (modeIndex < 0) throw new CredentialError(`unknown replacement mode ${JSON.stringify(request.mode)}`);
  return Buffer.concat([Buffer.from([request.role, modeIndex]), hexToBytes(request.certificate, 'certificate')]);
}

const SIGNATURE = /^[0-9a-fA-F]{128}$/;

/**
 * Applies a credential replacement the way a device does: authenticate the request with the key of the slot the
 * mode names, check the mode's authority over the target slot and that the certificate is for that role, optionally
 * check its validity period, then replace the slot. Pure: the input slots are never modified.
 *
 * Order: shape (invalidParameter) → authentication of the signature (0x8F3D) → authority (0x8F30) → the
 * certificate itself (invalidParameter, 0x8F30 for a wrong role, 0x8F3D when out of validity). Authenticating
 * first means an unauthenticated sender learns nothing about the device's policy.
 */
export function applyReplacement(
  slots: CredentialSlots,
  request: ReplacementRequest,
  options: ReplacementOptions,
): ReplacementOutcome {
  const refuse = (status: RefusalStatus, reason: string): ReplacementOutcome => ({
    ok: false,
    slots,
    alert:
      status === 'notAuthorised'
        ? CREDENTIAL_ALERTS.sourceDoesNotHaveAuthority
        : CREDENTIAL_ALERTS.trustedSourceAuthenticationFailure,
    status,
    reason,
  });

  let signedData: Buffer;
  try {
    signedData = signedDataFor(request);
  } catch (error) {
    return refuse('invalidParameter', (error as Error).message);
  }
  if (typeof request.signature !== 'string' || !SIGNATURE.test(request.signature)) {
    return refuse('invalidParameter', 'signature is not 64 bytes (r‖s) of hex');
  }
  const mode = REPLACEMENT_MODES[replacementModeIndex(request.mode)];

  const authentication = authenticate(slots, mode, signedData, Buffer.from(request.signature, 'hex'));
  if (authentication !== null) return refuse('authenticationFailed', authentication);

  if (!mode.targetRoles.includes(request.role)) {
    return refuse('notAuthorised', `${mode.name} may not replace the ${roleName(request.role)} slot (role ${request.role})`);
  }

  let certificate: OrganisationCertificate;
  try {
    certificate = parseCertificate(request.certificate);
  } catch (error) {
    return refuse('invalidParameter', `new certificate: ${(error as Error).message}`);
  }
  if (certificate.role !== request.role) {
    return refuse('notAuthorised', `new certificate is for role ${certificate.role} (OU), not the target role ${request.role}`);
  }
  if (options.checkValidity && (options.now < certificate.notBefore || options.now > certificate.notAfter)) {
    const iso = (ms: number) => new Date(ms).toISOString();
    return refuse(
      'authenticationFailed',
      `new certificate is valid ${iso(certificate.notBefore)} to ${iso(certificate.notAfter)}, not at ${iso(options.now)}`,
    );
  }

  const replaced = { role: request.role, entityId: certificate.entityId, certificate: request.certificate.toLowerCase() };
  return { ok: true, slots: { ...slots, [request.role]: replaced }, alert: CREDENTIAL_ALERTS.updateSecurityCredentials };
}

/** null when the signature verifies with the key in the mode's signing slot; otherwise why not. */
function authenticate(slots: CredentialSlots, mode: ReplacementMode, signedData: Buffer, signature: Buffer): string | null {
  const signer = slots[mode.signedBy];
  if (signer === null) return `${mode.name} must be signed by the ${roleName(mode.signedBy)} slot, which is empty`;
  let signerCertificate: OrganisationCertificate;
  try {
    signerCertificate = parseCertificate(signer.certificate);
  } catch (error) {
    return `the ${roleName(mode.signedBy)} slot holds an unusable certificate: ${(error as Error).message}`;
  }
  const valid = verify('sha256', signedData, { key: signerCertificate.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  return valid ? null : `signature does not verify with the ${roleName(mode.signedBy)} slot's key (entity ${signer.entityId})`;
}
