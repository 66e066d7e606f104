/**
 * The S1SP's XML-signing identity on the bench: an organisation certificate from the bench PKI (emulator/host/
 * benchPki.ts, the seeded Z1-shaped test PKI), so tests and the emulator derive the same key from the same seed. Only
 * that PKI's issuer is derived (benchIssuer): the S1SP's seed names no other party.
 * The real S1SP's certificate, role and entity id are not public: the role (accessControlBroker, the DCC's own
 * remote-party role) and the entity id below are assumed, and both are parameters.
 */
import { issueTestCertificate, type TestParty } from '../../common/credentials/testPki';
import type { RemotePartyRole } from '../../common/credentials/roles';
import { benchIssuer } from '../../emulator/host/benchPki';
import { smets1SignedResponseTree, type SignedResponse, type Smets1Body, type Smets1Header } from './responses';
import { signTree } from './xmlSignature';
import { toDocument } from './xmlTree';

/** Assumed: an unused id next to the DCC's Z1 parties (…-00-00-02 is the ACB). */
const BENCH_S1SP_ENTITY_ID = '90-B3-D5-1F-30-00-00-03';
const BENCH_S1SP_ROLE: RemotePartyRole = 4;

export function benchS1spParty(
  seed: string,
  options: { readonly entityId?: string; readonly role?: RemotePartyRole } = {},
): TestParty {
  const entityId = options.entityId ?? BENCH_S1SP_ENTITY_ID;
  const role = options.role ?? BENCH_S1SP_ROLE;
  const key = `${seed}\u0000${entityId}\u0000${role}`;
  if (lastParty?.key === key) return lastParty.party;
  const party = issueTestCertificate(benchIssuer(seed), {
    role,
    entityId,
    commonName: 'S1SP',
    keyLabel: `s1sp/${entityId}`,
  });
  lastParty = { key, party };
  return party;
}

/**
 * The party asked for last: a fleet run starts a bench (and asks for its S1SP) per installation, all with one seed,
 * and issueTestCertificate's own memo, keyed by the issuer's key and every field of the certificate, cost some 70 µs
 * a look-up. One entry (an issued party is frozen, the same object either way).
 */
let lastParty: { readonly key: string; readonly party: TestParty } | undefined;

/**
 * Builds and signs an SMETS1SignedResponse, as the signed tree (its ds:Signature in place) and its text, written when
 * first read: what builtSmets1ResponseMessage embeds.
 */
export function signSmets1Response(
  header: Smets1Header,
  body: Smets1Body,
  signer: Pick<TestParty, 'privateKey' | 'certificate'>,
): SignedResponse {
  return signTree(toDocument(smets1SignedResponseTree(header, body)), signer);
}
