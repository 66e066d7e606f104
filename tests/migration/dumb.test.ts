/**
 * Dumb mode from a migration (issue 15 item 10; the seeds: "1 device had failed to migrate and was operating as
 * 'dumb'", "not 'bricked', recoverable"). The fault is in the DCC's data: the certificate one swap request carries
 * is issued by a PKI the devices' root does not sign (built here, not by the code under test). The device
 * authenticates the request (its signer holds the slot) and refuses the certificate: after the first slot of its
 * swap that leaves it dumb, before it only fails the attempt. Expected device states are written out in support.ts.
 */
import { describe, expect, it } from 'vitest';
import { MemoryJournal } from '../../harness/migration/journal';
import { migrate } from '../../harness/migration/orchestrator';
import { benchPki } from '../../emulator/host/benchPki';
import { issueTestCertificate } from '../../common/credentials/testPki';
import { deviceStates, ESME, FULLY_MIGRATED, migrationBench, stepSummary, UNTOUCHED } from './support';

const foreign = benchPki('a-pki-no-device-trusts');
const untrusted = {
  2: issueTestCertificate(foreign, { role: 2, entityId: '90-B3-D5-1F-30-01-00-00' }).certificate,
  3: issueTestCertificate(foreign, { role: 3, entityId: '90-B3-D5-1F-30-02-00-00' }).certificate,
};
const SMSO = 'smso smso smso smso smso smso smso';

describe('a certificate the ESME cannot trust in its swap', () => {
  it('at slot 3 (after slot 2 was accepted): the ESME turns dumb, the orchestrator stops with `dumb`; recovery, then the next attempt migrates', async () => {
    const { bench, installation } = await migrationBench('itron', 'active');
    const journal = new MemoryJournal();
    const result = await migrate(bench, {
      installation,
      journal,
      swapCertificate: ({ attempt, device, role }) =>
        attempt === 1 && device === ESME && role === 3 ? untrusted[3] : undefined,
    });
    expect(result.outcome).toBe('dumb');
    expect(result.dumbDevices).toEqual([ESME]);
    expect([result.attempts, result.failedAttempts]).toEqual([2, 2]);
    // the DCC learns the ESME is dumb when it next talks to it: the second attempt's WAN pre-check
    expect(result.failures).toEqual([
      'credential swap: slot 3 of 00-DB-12-34-56-78-90-A0 failed (replaceCredentials answered authenticationFailed)',
      'WAN pre-check: 7.4 to the ESME failed (readSupply answered dumbMode)',
    ]);
    expect(stepSummary(result.steps)).toEqual([
      '0 eligibility ok',
      '1 wanPreCheck A0 ok',
      '1 hanPreCheck A2 ok',
      '1 credentialSwap A0 slot2 ok',
      '1 credentialSwap A0 slot3 failed',
      '1 rollback A0 slot3 ok',
      '1 rollback A0 slot2 ok',
      '1 retryWait ok',
      '2 wanPreCheck A0 failed',
    ]);
    // the rollback reached it (a dumb device still answers replaceCredentials): SMSO slots, but dumb
    expect(await deviceStates(bench)).toEqual({
      ...UNTOUCHED,
      ESME: { slots: SMSO, migrationState: 'dumb', smi: 'InstalledNotCommissioned' },
    });

    // not bricked: the DCC's recovery party re-installs the supplier slot; the ESME is back in its swap
    expect(await bench.recover(ESME)).toEqual({ sent: true, status: 'ok' });
    expect((await bench.command(ESME, { type: 'readDeviceInfo' })).body?.migrationState).toBe('smso');
    const again = await migrate(bench, { installation, journal });
    expect(again.outcome).toBe('migrated');
    expect([again.attempts, again.failedAttempts]).toEqual([3, 2]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  }, 60_000);

  it('at slot 2 (the first replacement of the swap): refused, nothing changed, not dumb; the retry migrates', async () => {
    const { bench, installation } = await migrationBench('itron', 'active');
    const result = await migrate(bench, {
      installation,
      swapCertificate: ({ attempt, device, role }) =>
        attempt === 1 && device === ESME && role === 2 ? untrusted[2] : undefined,
    });
    expect(result.outcome).toBe('migrated');
    expect([result.attempts, result.failedAttempts]).toEqual([2, 1]);
    expect(result.failures).toEqual([
      'credential swap: slot 2 of 00-DB-12-34-56-78-90-A0 failed (replaceCredentials answered authenticationFailed)',
    ]);
    expect(result.dumbDevices).toBeUndefined();
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  }, 60_000);

  it('recovery of a device that is not dumb changes no slot holder and leaves it in DCC service', async () => {
    const { bench, installation } = await migrationBench('itron', 'active');
    expect((await migrate(bench, { installation })).outcome).toBe('migrated');
    expect(await bench.recover(ESME)).toEqual({ sent: true, status: 'ok' });
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  }, 60_000);
});
