import { CREDENTIAL_ALERTS as A, refusal, type Refusal } from './alerts';
import { authenticateSigner, type OriginatorCounters } from './authentication';
import { REMOTE_PARTY_ROLES, type RemotePartyRole } from '../../common/credentials/roles';
import { clockSyncSignedData, type ClockSyncFields } from '../../common/credentials/signedData';
import type { CredentialSlots } from './slots';

/**
 * The party whose signature a clockSync must carry: the supplier (assumed: GBCS gives the supplier the clock
 * commands of a meter, and SMETS1 has no public rule; the DCC's S1SP would sign for the supplier it acts for).
 * Fixed, so the wire carries no role: a clockSync signed by anyone else fails authentication (0x8F3D).
 */
const CLOCK_SYNC_SIGNER: RemotePartyRole = REMOTE_PARTY_ROLES.supplier;

export interface ClockSyncRequest extends ClockSyncFields {
  /** r‖s over clockSyncSignedData(request, target EUI), lower-case hex. */
  readonly signature: string;
}

type ClockSyncOutcome =
  { readonly ok: true; readonly counters: OriginatorCounters } | (Refusal & { readonly counters: OriginatorCounters });

const SIGNATURE = /^[0-9a-fA-F]{128}$/;

/**
 * Authenticates a clockSync (issue 8 item 18): bound to the device and the supplier's counter like a credential
 * replacement. A refusal changes nothing (the same counters object comes back); `now` is device time, at which
 * the supplier's certificate must be valid.
 */
export function authoriseClockSync(
  slots: CredentialSlots,
  counters: OriginatorCounters,
  request: ClockSyncRequest,
  options: { readonly now: number; readonly checkValidity: boolean; readonly targetEui: string },
): ClockSyncOutcome {
  let signedData: Buffer;
  try {
    signedData = clockSyncSignedData(request, options.targetEui);
  } catch (error) {
    return { ...refusal('invalidParameter', A.trustedSourceAuthenticationFailure, (error as Error).message), counters };
  }
  if (typeof request.signature !== 'string' || !SIGNATURE.test(request.signature)) {
    return {
      ...refusal('invalidParameter', A.trustedSourceAuthenticationFailure, 'signature is not 64 bytes (r‖s) of hex'),
      counters,
    };
  }
  const signer = authenticateSigner({
    slots,
    counters,
    signerRole: CLOCK_SYNC_SIGNER,
    signedData,
    signature: Buffer.from(request.signature, 'hex'),
    counter: request.counter,
    now: options.now,
    checkValidity: options.checkValidity,
  });
  if (!signer.ok) return { ...signer, reason: `clockSync: ${signer.reason}`, counters };
  return { ok: true, counters: signer.counters };
}
