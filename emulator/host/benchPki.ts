/**
 * The credentials a bench's devices start with: a test PKI of the DCC Z1 shape (common/credentials/testPki.ts),
 * derived entirely from a seed string. The emulator installs its certificates in every device's slots (what the
 * SMSO provisioned); a harness that knows the same seed derives the same private keys and can sign credential
 * replacements as any remote party. Generated once per seed: eight P-256 keys and certificates take milliseconds.
 */
import { boundedMemo } from '../../common/boundedMemo';
import { REMOTE_PARTY_ROLES, type RemotePartyRole } from '../../common/credentials/roles';
import {
  generateTestPki,
  issueTestCertificate,
  testPkiIssuer,
  type TestParty,
  type TestPki,
} from '../../common/credentials/testPki';
import { credentialSlotsFromPki, installCertificate, type CredentialSlots } from '../../devices/credentials';

/** Valid from 2025 to 2036, so a bench clock anywhere in the migration years accepts them. */
const BENCH_PKI_VALIDITY = { notBefore: Date.UTC(2025, 0, 1), notAfter: Date.UTC(2036, 0, 1) };

/**
 * PKIs kept at most: a peer's benchConfigure names any seed it likes, so the cache keeps the most recently used and
 * regenerates the rest when asked again (milliseconds) rather than grow with every seed a peer sends.
 */
const MAX_CACHED_PKIS = 64;

/** The slots are read from the certificates (seven parses) only when a device is given them. */
const cache = new Map<string, { pki: TestPki; slots?: CredentialSlots }>();

export function benchPki(seed: string): TestPki {
  return entry(seed).pki;
}

export function benchCredentials(seed: string): CredentialSlots {
  const hit = entry(seed);
  return (hit.slots ??= credentialSlotsFromPki(hit.pki));
}

/**
 * The issuing CA of benchPki(seed), to issue a party from (issueTestCertificate): the PKI's when it is at hand, else
 * derived alone. A PKI whose only use is to issue one party (the S1SP's signing identity) is never generated whole.
 */
export function benchIssuer(seed: string): Omit<TestPki, 'parties'> {
  return cache.get(seed)?.pki ?? issuers(seed);
}

/**
 * Issuers derived alone, for the seeds used last: the S1SP's seed is one a fleet run (`s1sp-<PKI seed>`), whose
 * issuer each installation's bench asks for; its key's point, which issueTestCertificate's memo reads, is computed
 * once a run.
 */
const issuers = boundedMemo(MAX_CACHED_PKIS, (seed) => testPkiIssuer({ seed, ...BENCH_PKI_VALIDITY }));

/**
 * A party other than the bench's own whose certificate the bench PKI issues for that role and entity id (with
 * issueTestCertificate's default key label): a split-supplier home's gas supplier, risk 9's wrong DNO, a new
 * supplier of a 6.23. The slots below install it; a harness signs as it.
 */
export function benchParty(seed: string, role: RemotePartyRole, entityId: string): TestParty {
  return issueTestCertificate(benchPki(seed), { role, entityId });
}

/**
 * The bench's slots with other parties in the supplier and/or network-operator slot (a split-supplier GSME; the
 * wrong DNO of risk 9), each issued by the bench PKI with issueTestCertificate's default key label.
 */
export function benchCredentialsWith(
  seed: string,
  holders: { readonly supplier?: string; readonly networkOperator?: string },
): CredentialSlots {
  let slots = benchCredentials(seed);
  for (const [role, entityId] of [
    [REMOTE_PARTY_ROLES.supplier, holders.supplier],
    [REMOTE_PARTY_ROLES.networkOperator, holders.networkOperator],
  ] as const) {
    if (entityId !== undefined) slots = installCertificate(slots, benchParty(seed, role, entityId).certificate);
  }
  return slots;
}

function entry(seed: string) {
  let hit = cache.get(seed);
  if (hit) {
    cache.delete(seed); // most recently used last
  } else {
    hit = { pki: generateTestPki({ seed, ...BENCH_PKI_VALIDITY }) };
    if (cache.size >= MAX_CACHED_PKIS) cache.delete(cache.keys().next().value!);
  }
  cache.set(seed, hit);
  return hit;
}
