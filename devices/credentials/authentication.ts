import { verify } from 'node:crypto';
import { CREDENTIAL_ALERTS as A, refusal, type Refusal } from './alerts';
import { parseCertificate, type OrganisationCertificate } from '../../common/credentials/certificate';
import { roleName, type RemotePartyRole } from '../../common/credentials/roles';
import type { CredentialSlots } from './slots';

/**
 * The last originator counter a device accepted from each remote party, keyed `<role>/<entity id>` (e.g.
 * `2/90-B3-D5-1F-30-01-00-00`). Keyed by the party, not the slot: a new party in a slot starts afresh, and a party
 * re-installed in its own slot keeps its counter, so its old requests stay dead. Plain JSON in the device context.
 * Grows by one entry per party that ever signed an authenticated request (a handful per device).
 */
export type OriginatorCounters = Readonly<Record<string, number>>;

function counterKey(role: RemotePartyRole, entityId: string): string {
  return `${role}/${entityId}`;
}

interface SignedRequestCheck {
  readonly slots: CredentialSlots;
  readonly counters: OriginatorCounters;
  /** The slot whose key must have signed. */
  readonly signerRole: RemotePartyRole;
  readonly signedData: Buffer;
  /** r‖s, 64 bytes. */
  readonly signature: Buffer;
  readonly counter: number;
  /** Device time, ms since the epoch. */
  readonly now: number;
  /** Refuse a signer whose own certificate is outside its validity period at `now`. */
  readonly checkValidity: boolean;
}

type SignerOutcome =
  { readonly ok: true; readonly counters: OriginatorCounters; readonly signer: OrganisationCertificate } | Refusal;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Authenticates a signed request as a device does: the signing slot must hold a certificate (else 0x8F3E: no
 * party the device trusts could have sent it), the signature must verify with its key (else 0x8F3D), the counter
 * must be above the last one accepted from that party (else 0x8F3E: a replay), and the party's certificate must be
 * valid at device time (else 0x8F3D: GBCS checks a signer's credentials before trusting them). On success the
 * counter is recorded: the returned map is new, the input is never modified.
 */
export function authenticateSigner(check: SignedRequestCheck): SignerOutcome {
  const slotName = roleName(check.signerRole);
  const slot = check.slots[check.signerRole];
  if (slot === null) {
    return refusal(
      'authenticationFailed',
      A.unauthorisedCommunicationAccess,
      `signed for the ${slotName} slot, which is empty`,
    );
  }
  let signer: OrganisationCertificate;
  try {
    signer = parseCertificate(slot.certificate);
  } catch (error) {
    return refusal(
      'authenticationFailed',
      A.trustedSourceAuthenticationFailure,
      `the ${slotName} slot holds an unusable certificate: ${(error as Error).message}`,
    );
  }
  const valid = verify(
    'sha256',
    check.signedData,
    { key: signer.publicKey, dsaEncoding: 'ieee-p1363' },
    check.signature,
  );
  if (!valid) {
    return refusal(
      'authenticationFailed',
      A.trustedSourceAuthenticationFailure,
      `signature does not verify with the ${slotName} slot's key (entity ${slot.entityId})`,
    );
  }
  const key = counterKey(check.signerRole, signer.entityId);
  const last = check.counters[key];
  if (last !== undefined && check.counter <= last) {
    return refusal(
      'authenticationFailed',
      A.unauthorisedCommunicationAccess,
      `replay: counter ${check.counter} from ${slotName} ${signer.entityId} is not above the last accepted, ${last}`,
    );
  }
  if (check.checkValidity && (check.now < signer.notBefore || check.now > signer.notAfter)) {
    return refusal(
      'authenticationFailed',
      A.trustedSourceAuthenticationFailure,
      `the ${slotName}'s own certificate is valid ${iso(signer.notBefore)} to ${iso(signer.notAfter)}, not at ${iso(check.now)}`,
    );
  }
  return { ok: true, counters: { ...check.counters, [key]: check.counter }, signer };
}
