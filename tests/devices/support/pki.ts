/** One test PKI for all device tests (deterministic: same seed, same certificates). */
import {
  generateTestPki,
  issueTestCertificate,
  signClockSync,
  signReplacement,
} from '../../../common/credentials/testPki';
import { credentialSlotsFromPki } from '../../../devices/credentials/slots';
import type { ReplacementModeName } from '../../../common/credentials/replacementModes';
import type { RemotePartyRole } from '../../../common/credentials/roles';
import { T0 } from './deviceHarness';

const YEAR = 365 * 24 * 3600 * 1000;

export const pki = generateTestPki({ seed: 'devices-tests', notBefore: T0 - YEAR, notAfter: T0 + 10 * YEAR });
export const initialSlots = credentialSlotsFromPki(pki);

/** A second party for a role (a new supplier, a DCC replacement), issued by the same CA. */
export function newParty(role: RemotePartyRole, entityId: string) {
  return issueTestCertificate(pki, { role, entityId });
}

// Every signed request gets a counter no earlier request had, unless the test gives one (a replay test does).
let lastCounter = 0;
const freshCounter = () => (lastCounter += 1);

/**
 * replaceCredentials fields for a new certificate, for the device `targetEui`, signed by the key of the given party
 * role of the test PKI with a fresh originator counter (or the one given).
 */
export function replacement(
  targetEui: string,
  role: RemotePartyRole,
  mode: ReplacementModeName,
  certificate: string,
  signerRole: RemotePartyRole,
  counter: number = freshCounter(),
): { role: RemotePartyRole; mode: ReplacementModeName; certificate: string; counter: number; signature: string } {
  const signature = signReplacement(
    { role, mode, certificate, counter },
    targetEui,
    pki.parties[signerRole].privateKey,
  );
  return { role, mode, certificate, counter, signature };
}

/** clockSync fields for the device `targetEui`, signed by the test PKI's supplier (or the given role's key). */
export function clockSync(
  targetEui: string,
  currentTime: number,
  options: { counter?: number; signerRole?: RemotePartyRole } = {},
): { currentTime: number; counter: number; signature: string } {
  const counter = options.counter ?? freshCounter();
  const signature = signClockSync({ currentTime, counter }, targetEui, pki.parties[options.signerRole ?? 2].privateKey);
  return { currentTime, counter, signature };
}
