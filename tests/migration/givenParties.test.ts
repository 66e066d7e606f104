/**
 * migrate() takes the migration parties its caller already issued (the ones the bench's S1SP was given), rather
 * than issuing the seed's again: the certificates it swaps in are the given ones. The network operator given here is
 * another party of the same bench PKI (its own key label), so a device trusts it, and only a migration that used
 * the given parties can leave its certificate in the slot.
 */
import { describe, expect, it } from 'vitest';
import { issueTestCertificate } from '../../common/credentials/testPki';
import { benchPki } from '../../emulator/host/benchPki';
import { DuisBench } from '../../harness/bench/duisBench';
import { benchInstallation, migrationRegistrationData } from '../../harness/migration/installation';
import { migrate } from '../../harness/migration/orchestrator';
import { ESME, GSME } from './support';

const pki = benchPki('smso-1');
const supplier = issueTestCertificate(pki, {
  role: 2,
  entityId: '90-B3-D5-1F-30-01-00-00',
  keyLabel: 'migration/dcc/supplier',
});
const otherNetworkOperator = issueTestCertificate(pki, {
  role: 3,
  entityId: '90-B3-D5-1F-30-02-00-00',
  keyLabel: 'test/another-dcc-network-operator',
});

describe('migrate() with the parties given', () => {
  it("swaps in the given parties' certificates", async () => {
    const installation = benchInstallation({ vendor: 'itron', kind: 'active' });
    const bench = await DuisBench.start({
      vendor: 'itron',
      migrationState: 'smso',
      registration: migrationRegistrationData(installation),
      keyParties: [supplier, otherNetworkOperator],
      s1sp: { fixes: new Set(['response-code-always']) },
    });
    try {
      const parties = { smso: { 2: pki.parties[2], 3: pki.parties[3] }, dcc: { 2: supplier, 3: otherNetworkOperator } };
      const result = await migrate(bench, { installation, seed: 1, parties });
      expect(result.outcome).toBe('migrated');
      for (const meter of [ESME, GSME]) {
        const slot3 = await bench.command(meter, { type: 'readCredentials', role: 3 });
        expect(slot3.body?.certificate).toBe(otherNetworkOperator.certificate);
        const slot2 = await bench.command(meter, { type: 'readCredentials', role: 2 });
        expect(slot2.body?.certificate).toBe(supplier.certificate);
      }
    } finally {
      await bench.close();
    }
  });
});
