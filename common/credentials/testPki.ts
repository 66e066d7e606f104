import type { KeyObject } from 'node:crypto';
import { buildOrganisationCertificate } from './certificateBuilder';
import { boundedMemo } from '../boundedMemo';
import {
  scalarFromSeed,
  signDeterministic,
  subjectPublicKeyInfo,
  withP256Key,
  type SigningKey,
} from './deterministicEcdsa';
import { CredentialError } from './errors';
import { bytesToHex } from './hex';
import { clockSyncSignedData, replacementSignedData, type ClockSyncFields, type ReplacementFields } from './signedData';
import { ALL_ROLES, type RemotePartyRole } from './roles';

/**
 * A test PKI of the same shape as the DCC's Z1: one issuing CA (issuer name OU 07) and, for every remote party
 * role, an ECDSA P-256 key pair with an organisation certificate. The issuing CA's key is the root party's own
 * (role 0): the root certificate is self-signed and every other certificate is signed by the root, so a device
 * validates a new certificate against its root slot in one step (chain.ts; assumed simplification of the DCC's
 * root CA → organisation CA → party chain). Unlike Z1 it comes with private keys, so tests and the emulator
 * can sign replacement requests. Everything is derived from the seed: the same seed and options give the same keys
 * and the same certificate bytes (deterministic ECDSA), so scenarios and persisted device state reproduce exactly.
 */
export interface TestParty {
  readonly role: RemotePartyRole;
  readonly entityId: string;
  readonly commonName: string | null;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER, lower-case hex. */
  readonly certificate: string;
}

export interface TestPki {
  readonly seed: string;
  readonly issuer: { readonly name: string; readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly notBefore: number;
  readonly notAfter: number;
  readonly parties: Readonly<Record<RemotePartyRole, TestParty>>;
}

export interface TestPkiOptions {
  readonly seed: string;
  /** Validity of every certificate, ms since the epoch (whole seconds are encoded). */
  readonly notBefore: number;
  readonly notAfter: number;
  /** CN of the issuing CA; printable characters only. Default `TEST`. */
  readonly issuerName?: string;
  /** Entity ids per role; default Z1_ENTITY_IDS. */
  readonly entityIds?: Partial<Record<RemotePartyRole, string>>;
  readonly commonNames?: Partial<Record<RemotePartyRole, string>>;
}

/**
 * The entity ids of the DCC's Z1 test parties (tests/fixtures/pki/README.md), the ids DCC RTDS templates use.
 * Root (0) has no certificate in tests/fixtures/pki: its id is assumed.
 */
export const Z1_ENTITY_IDS: Readonly<Record<RemotePartyRole, string>> = {
  0: '90-B3-D5-1F-30-00-00-00', // assumed
  1: '90-B3-D5-1F-30-00-00-01',
  2: '90-B3-D5-1F-30-01-00-00',
  3: '90-B3-D5-1F-30-02-00-00',
  4: '90-B3-D5-1F-30-00-00-02',
  5: '90-B3-D5-1F-30-00-00-04',
  6: '90-B3-D5-1F-30-00-00-07',
};

export function generateTestPki(options: TestPkiOptions): TestPki {
  const base = testPkiIssuer(options);
  const parties = Object.fromEntries(
    ALL_ROLES.map((role) => [
      role,
      issueTestCertificate(base, {
        role,
        entityId: options.entityIds?.[role] ?? Z1_ENTITY_IDS[role],
        commonName: options.commonNames?.[role],
      }),
    ]),
  ) as Record<RemotePartyRole, TestParty>;
  return { ...base, parties };
}

/**
 * The issuing CA of generateTestPki(options) without its parties: enough to issue a party from (issueTestCertificate)
 * when the PKI's own certificates are not wanted, for one key derivation instead of seven certificates.
 */
export function testPkiIssuer(options: TestPkiOptions): Omit<TestPki, 'parties'> {
  if (!(options.notBefore <= options.notAfter))
    throw new CredentialError('test PKI validity: notBefore is after notAfter');
  const rootEntityId = options.entityIds?.[0] ?? Z1_ENTITY_IDS[0];
  const issuer = withP256Key(
    { name: options.issuerName ?? 'TEST' },
    partyScalar(options.seed, defaultKeyLabel(0, rootEntityId)),
  );
  return { seed: options.seed, issuer, notBefore: options.notBefore, notAfter: options.notAfter };
}

export interface TestCertificateRequest {
  readonly role: RemotePartyRole;
  readonly entityId: string;
  readonly commonName?: string;
  /** Distinguishes key pairs; default `<role>/<entityId>`, so a second party of the same role gets its own key. */
  readonly keyLabel?: string;
  readonly notBefore?: number;
  readonly notAfter?: number;
}

/**
 * Issues one more party from the PKI's CA: a replacement certificate, a second supplier, or the wrong network
 * operator of risk 9. Its key is derived from the PKI seed and the key label. The same PKI and request give the same
 * party (frozen, so it can be shared), issued once while it is among the last PARTIES_REMEMBERED.
 */
export function issueTestCertificate(pki: Omit<TestPki, 'parties'>, request: TestCertificateRequest): TestParty {
  const keyLabel = request.keyLabel ?? defaultKeyLabel(request.role, request.entityId);
  const notBefore = request.notBefore ?? pki.notBefore;
  const notAfter = request.notAfter ?? pki.notAfter;
  // everything the certificate's bytes and the party's key depend on; the issuer's key by its public half
  const key = JSON.stringify([
    pki.seed,
    pki.issuer.name,
    subjectPublicKeyInfo(pki.issuer).toString('hex'),
    request.role,
    request.entityId,
    request.commonName ?? null,
    keyLabel,
    notBefore,
    notAfter,
  ]);
  return issuedParties(key, pki, { ...request, keyLabel, notBefore, notAfter });
}

/**
 * Parties kept at most. What a fleet run or a bench issues depends on its PKI seed alone (the DCC-era supplier and
 * network operator, the S1SP's signing identity, a split home's gas supplier; no certificate is a device's own), and
 * a fleet run has one PKI seed, so each is issued once a run rather than once an installation.
 */
const PARTIES_REMEMBERED = 256;

const issuedParties = boundedMemo(
  PARTIES_REMEMBERED,
  (
    _key,
    pki: Omit<TestPki, 'parties'>,
    request: TestCertificateRequest & {
      readonly keyLabel: string;
      readonly notBefore: number;
      readonly notAfter: number;
    },
  ) => {
    const scalar = partyScalar(pki.seed, request.keyLabel);
    // the party is its own key holder, so neither the certificate nor a signature later makes it import its key
    const party = withP256Key(
      { role: request.role, entityId: request.entityId, commonName: request.commonName ?? null, certificate: '' },
      scalar,
    );
    party.certificate = buildOrganisationCertificate(
      {
        role: request.role,
        entityId: request.entityId,
        commonName: request.commonName,
        subjectPublicKey: party,
        notBefore: request.notBefore,
        notAfter: request.notAfter,
      },
      pki.issuer,
    );
    return Object.freeze(party) as TestParty;
  },
);

const defaultKeyLabel = (role: RemotePartyRole, entityId: string) => `${role}/${entityId}`;
const partyScalar = (seed: string, keyLabel: string) => scalarFromSeed(seed, `party/${keyLabel}`);

/**
 * The signature a replacement request for the device `targetEui` carries: r‖s hex over
 * replacementSignedData(request, targetEui) (deterministic).
 */
export function signReplacement(request: ReplacementFields, targetEui: string, privateKey: SigningKey): string {
  return bytesToHex(signDeterministic(replacementSignedData(request, targetEui), privateKey));
}

/** The signature a clockSync for the device `targetEui` carries (signed by the supplier: CLOCK_SYNC_SIGNER). */
export function signClockSync(request: ClockSyncFields, targetEui: string, privateKey: SigningKey): string {
  return bytesToHex(signDeterministic(clockSyncSignedData(request, targetEui), privateKey));
}
