/**
 * The certificates a migration moves between. The SMSO's are the bench's SMSO test PKI (`smso-<seed>`,
 * emulator/host/benchPki.ts), whose certificates fill every slot at start. The DCC's supplier and network operator
 * are new parties of the same PKI (the bench collapses the DCC's Z1 root and the SMSO's into one root, so a device
 * can validate them: docs/credentials.md), with the RTDS user ids and their own keys (key labels `migration/dcc/…`).
 * After the swap the S1SP signs for them, so a bench that migrates must give the S1SP their keys (DuisBench
 * `keyParties: dccParties(seed)`). In a split-supplier home the GSME's supplier is the gas supplier: its DCC-era party
 * is issued the same way for the gas supplier's entity id (key label `migration/dcc/supplier/<entity id>`), so each
 * meter's supplier slot ends up holding its own supplier (credentials are per device).
 */
import { boundedMemo } from '../../common/boundedMemo';
import { benchPki } from '../../emulator/host/benchPki';
import { issueTestCertificate, type TestParty } from '../../common/credentials/testPki';
import { RTDS_USERS } from '../dsp/registrationData';

/** The two slots a migration moves over DUIS: the S1SP carries 6.15.1 for these roles only (harness/s1sp). */
export type SwapRole = 2 | 3;
export const SWAP_ROLES: readonly SwapRole[] = [2, 3];

export interface MigrationParties {
  readonly smso: Readonly<Record<SwapRole, TestParty>>;
  readonly dcc: Readonly<Record<SwapRole, TestParty>>;
}

/**
 * The seed's parties, issued once while among the last PARTIES_REMEMBERED seeds: a script migrating many
 * installations asks for them per installation (migrate()'s default, dccParties' default), and issueTestCertificate's
 * own memo is reached only through its key, the issuer's public key written as hex among it, rebuilt every call.
 */
export function migrationParties(seed: number): MigrationParties {
  return partiesOfSeed(String(seed));
}

/** As many as the bench PKIs remembered (emulator/host/benchPki.ts): a run has one PKI seed, a test a few. */
const PARTIES_REMEMBERED = 64;

const partiesOfSeed = boundedMemo(PARTIES_REMEMBERED, (seed): MigrationParties => {
  const pki = benchPki(`smso-${seed}`);
  return Object.freeze({
    smso: Object.freeze({ 2: pki.parties[2], 3: pki.parties[3] }),
    dcc: Object.freeze({
      2: issueTestCertificate(pki, { role: 2, entityId: RTDS_USERS.supplier, keyLabel: 'migration/dcc/supplier' }),
      3: issueTestCertificate(pki, {
        role: 3,
        entityId: RTDS_USERS.networkOperator,
        keyLabel: 'migration/dcc/networkOperator',
      }),
    }),
  });
});

/**
 * The DCC-era supplier party for a meter whose registered supplier is `entityId`; `parties`, when the caller holds
 * the seed's already, saves looking them up again (issueTestCertificate issues each party once while it remembers it).
 */
export function dccSupplierParty(seed: number, entityId: string, parties?: MigrationParties): TestParty {
  if (entityId.toUpperCase() === RTDS_USERS.supplier) return (parties ?? migrationParties(seed)).dcc[2];
  return issueTestCertificate(benchPki(`smso-${seed}`), {
    role: 2,
    entityId: entityId.toUpperCase(),
    keyLabel: `migration/dcc/supplier/${entityId.toUpperCase()}`,
  });
}

/**
 * The DCC parties' keys for the S1SP (DuisBench `keyParties`); a split-supplier home's gas supplier's too. `parties`:
 * the seed's, when the caller holds them (it passes the same to migrate()).
 */
export function dccParties(
  seed: number,
  gasSupplier?: string,
  parties: MigrationParties = migrationParties(seed),
): TestParty[] {
  const { dcc } = parties;
  const split = gasSupplier !== undefined && gasSupplier.toUpperCase() !== RTDS_USERS.supplier;
  return [dcc[2], dcc[3], ...(split ? [dccSupplierParty(seed, gasSupplier)] : [])];
}

/**
 * A party of a PKI the devices' root does not sign, with the DCC's entity id for that slot: the certificate a swap
 * carries when a test or pack puts a certificate fault in the DCC's data. The device authenticates the request (its
 * signer is the slot's holder) and then refuses the certificate, part-way through its swap.
 */
export function untrustedParty(seed: number, role: SwapRole): TestParty {
  return issueTestCertificate(benchPki(`untrusted-${seed}`), {
    role,
    entityId: role === 2 ? RTDS_USERS.supplier : RTDS_USERS.networkOperator,
  });
}
