import { CREDENTIAL_ALERTS as A, refusal, type Refusal, type RefusalStatus } from './alerts';
import { authenticateSigner, type OriginatorCounters } from './authentication';
import { parseCertificate, type OrganisationCertificate } from '../../common/credentials/certificate';
import { chainFailure } from './chain';
import { REPLACEMENT_MODES, replacementModeIndex } from '../../common/credentials/replacementModes';
import { roleName } from '../../common/credentials/roles';
import { replacementSignedData, type ReplacementFields } from '../../common/credentials/signedData';
import type { CredentialSlots } from './slots';

/** The `replaceCredentials` command's fields (docs/contract.md). */
export interface ReplacementRequest extends ReplacementFields {
  /** ECDSA P-256 / SHA-256 over replacementSignedData(request, target EUI), 64 bytes r‖s as lower-case hex. */
  readonly signature: string;
}

export interface ReplacementOptions {
  /** The device clock, ms since the epoch. */
  readonly now: number;
  /**
   * Apply GBCS's time based checks at `now`: the new certificate must be within its validity period, and so must
   * the signer's own certificate.
   */
  readonly checkValidity: boolean;
  /** The EUI of the device applying the request: the signature must have been made for it. */
  readonly targetEui: string;
  /** The last originator counter accepted per party; default none. */
  readonly counters?: OriginatorCounters;
}

export type ReplacementOutcome =
  | {
      readonly ok: true;
      readonly slots: CredentialSlots;
      readonly counters: OriginatorCounters;
      readonly alert: typeof A.updateSecurityCredentials;
    }
  | (Refusal & {
      /** The slots as they were (the same object): a refused request changes no slot. */
      readonly slots: CredentialSlots;
      /**
       * The counters to keep: advanced when the request authenticated (so an authentic but refused request cannot
       * be replayed either), the same object when it did not (an unauthenticated request changes nothing).
       */
      readonly counters: OriginatorCounters;
      /** The signer was authenticated and the request failed after that: the only refusal that may end a swap. */
      readonly authenticated: boolean;
    });

const SIGNATURE = /^[0-9a-fA-F]{128}$/;

/**
 * A refusal with the slots as they were and the counters to keep. A function of the module, not a closure made per
 * request: the runner names every closure it makes (a property defined per closure, per replacement).
 */
function refused(
  slots: CredentialSlots,
  counters: OriginatorCounters,
  authenticated: boolean,
  status: RefusalStatus,
  alert: Refusal['alert'],
  reason: string,
): ReplacementOutcome {
  return { ...refusal(status, alert, reason), slots, counters, authenticated };
}

/**
 * Applies a credential replacement the way a device does. Pure: the input slots and counters are never modified.
 *
 * Order: shape (invalidParameter, 0x8F3D) → authentication of the signer (authenticateSigner: 0x8F3D or 0x8F3E) →
 * authority of the mode over the target slot (0x8F30) → the certificate itself: DER (invalidParameter), role
 * (0x8F30), chain to the root slot and validity at device time (0x8F3D). Authenticating first means an
 * unauthenticated sender learns nothing about the device's policy and changes nothing.
 */
export function applyReplacement(
  slots: CredentialSlots,
  request: ReplacementRequest,
  options: ReplacementOptions,
): ReplacementOutcome {
  const counters = options.counters ?? {};

  let signedData: Buffer;
  try {
    signedData = replacementSignedData(request, options.targetEui);
  } catch (error) {
    return refused(
      slots,
      counters,
      false,
      'invalidParameter',
      A.trustedSourceAuthenticationFailure,
      (error as Error).message,
    );
  }
  if (typeof request.signature !== 'string' || !SIGNATURE.test(request.signature)) {
    return refused(
      slots,
      counters,
      false,
      'invalidParameter',
      A.trustedSourceAuthenticationFailure,
      'signature is not 64 bytes (r‖s) of hex',
    );
  }
  const mode = REPLACEMENT_MODES[replacementModeIndex(request.mode)];

  const signer = authenticateSigner({
    slots,
    counters,
    signerRole: mode.signedBy,
    signedData,
    signature: Buffer.from(request.signature, 'hex'),
    counter: request.counter,
    now: options.now,
    checkValidity: options.checkValidity,
  });
  if (!signer.ok) return refused(slots, counters, false, signer.status, signer.alert, `${mode.name}: ${signer.reason}`);

  if (!mode.targetRoles.includes(request.role)) {
    return refused(
      slots,
      signer.counters,
      true,
      'notAuthorised',
      A.sourceDoesNotHaveAuthority,
      `${mode.name} may not replace the ${roleName(request.role)} slot (role ${request.role})`,
    );
  }

  let certificate: OrganisationCertificate;
  try {
    certificate = parseCertificate(request.certificate);
  } catch (error) {
    return refused(
      slots,
      signer.counters,
      true,
      'invalidParameter',
      A.trustedSourceAuthenticationFailure,
      `new certificate: ${(error as Error).message}`,
    );
  }
  if (certificate.role !== request.role) {
    return refused(
      slots,
      signer.counters,
      true,
      'notAuthorised',
      A.sourceDoesNotHaveAuthority,
      `new certificate is for role ${certificate.role} (OU), not the target role ${request.role}`,
    );
  }
  const chain = chainFailure(slots, request.certificate, certificate);
  if (chain !== null)
    return refused(slots, signer.counters, true, 'authenticationFailed', A.trustedSourceAuthenticationFailure, chain);
  if (options.checkValidity && (options.now < certificate.notBefore || options.now > certificate.notAfter)) {
    const iso = (ms: number) => new Date(ms).toISOString();
    return refused(
      slots,
      signer.counters,
      true,
      'authenticationFailed',
      A.trustedSourceAuthenticationFailure,
      `new certificate is valid ${iso(certificate.notBefore)} to ${iso(certificate.notAfter)}, not at ${iso(options.now)}`,
    );
  }

  const replaced = {
    role: request.role,
    entityId: certificate.entityId,
    certificate: request.certificate.toLowerCase(),
  };
  return {
    ok: true,
    slots: { ...slots, [request.role]: replaced },
    counters: signer.counters,
    alert: A.updateSecurityCredentials,
  };
}
