/**
 * Credentials end to end over the in-process loopback: the bench's own PKI, the wire's counter and signature fields,
 * the device's checks. Risk 9 in each DSP mode's device-side path (docs/credentials.md), signatures bound to one
 * device, a signed clockSync, and a split-supplier home (ESME and GSME with different suppliers).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { benchPki } from '../../emulator/host/benchPki';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { issueTestCertificate, signClockSync, signReplacement, type TestParty } from '../../common/credentials/testPki';
import type { ReplacementModeName } from '../../common/credentials/replacementModes';
import type { RemotePartyRole } from '../../common/credentials/roles';
import { makeBench, type Bench } from './bench';
import type { CommandInput } from '../../protocols/benchClient';
import { benchSets, toSetInput, type BenchOptions } from '../../emulator/host/benchConfig';

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.dispose();
  bench = undefined;
});

const SEED = 7;
const pki = benchPki(`smso-${SEED}`); // the bench's PKI: benchSets uses `smso-<seed>`
const wrongDno = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-0B-00-00' });
const GSME_SUPPLIER = '90-B3-D5-1F-30-01-00-02';

async function start(options: Partial<BenchOptions> = {}): Promise<Bench> {
  const [emulator, harness] = LoopbackEnd.pair();
  const pair = {
    emulator,
    harness,
    real: false,
    dispose: async () => void (await Promise.all([emulator.close(), harness.close()])),
  };
  return (bench = await makeBench(pair, { vendor: 'itron', seed: SEED, clock: new VirtualClock(), ...options }));
}

function replace(
  eui: string,
  role: RemotePartyRole,
  mode: ReplacementModeName,
  certificate: string,
  signer: TestParty,
  counter: number,
): CommandInput<'replaceCredentials'> {
  const fields = { role, mode, certificate, counter };
  return { type: 'replaceCredentials', ...fields, signature: signReplacement(fields, eui, signer.privateKey) };
}

const codesFrom = (b: Bench, eui: string) => b.alerts.filter((a) => a.source === eui).map((a) => a.alert.code);

describe('risk 9 over the wire', () => {
  it('a wrong DNO in the ESME’s slot 3: the production path is refused (0x8F3D), the fixed path NObyACB replaces it (0x8F70)', async () => {
    const b = await start();
    const { ESME } = b.sets[0].euis;
    // the DCC puts the wrong DNO's certificate in the slot (recovery party, a mistake in Registration Data)
    const mistake = replace(ESME, 3, 'anyExceptAbnormalRootByRecovery', wrongDno.certificate, pki.parties[1], 1);
    expect((await b.run(b.client.request(ESME, mistake), 'misprovision')).status).toBe('ok');

    // slot-certificate (production): the right DNO's own NObyNO
    const production = replace(ESME, 3, 'NObyNO', pki.parties[3].certificate, pki.parties[3], 1);
    expect((await b.run(b.client.request(ESME, production), 'NObyNO by the right DNO')).status).toBe(
      'authenticationFailed',
    );
    const stillWrong = await b.run(b.client.request(ESME, { type: 'readCredentials', role: 3 }), 'read slot 3');
    expect(stillWrong.body).toEqual({ role: 3, certificate: wrongDno.certificate });

    // registered-network-operator (the fix): the DCC as ACB
    const fixed = replace(ESME, 3, 'NObyACB', pki.parties[3].certificate, pki.parties[4], 1);
    expect((await b.run(b.client.request(ESME, fixed), 'NObyACB')).status).toBe('ok');
    const corrected = await b.run(b.client.request(ESME, { type: 'readCredentials', role: 3 }), 'read slot 3');
    expect(corrected.body).toEqual({ role: 3, certificate: pki.parties[3].certificate });

    await b.until(() => codesFrom(b, ESME).length === 3, 'three alerts from the ESME');
    expect(codesFrom(b, ESME)).toEqual([0x8f70, 0x8f3d, 0x8f70]);
    // the unauthenticated NObyNO mid-swap did not make the meter dumb
    const info = await b.run(b.client.request(ESME, { type: 'readDeviceInfo' }), 'readDeviceInfo');
    expect(info.body).toMatchObject({ migrationState: 'smso' });
  });
});

describe('a signed request is bound to its device and counter', () => {
  it('the ESME it was signed for accepts it once; a replay (0x8F3E), the GSME and another set’s ESME (0x8F3D) refuse it', async () => {
    const b = await start({ sets: 2 });
    const [home, neighbour] = b.sets.map((set) => set.euis);
    const dno = issueTestCertificate(pki, { role: 3, entityId: '90-B3-D5-1F-30-02-00-0A' });
    const request = replace(home.ESME, 3, 'anyExceptAbnormalRootByRecovery', dno.certificate, pki.parties[1], 1);
    expect((await b.run(b.client.request(home.ESME, request), 'first')).status).toBe('ok');
    expect((await b.run(b.client.request(home.ESME, request), 'replay')).status).toBe('authenticationFailed');
    expect((await b.run(b.client.request(home.GSME, request), 'to the GSME')).status).toBe('authenticationFailed');
    expect((await b.run(b.client.request(neighbour.ESME, request), 'to set 1')).status).toBe('authenticationFailed');
    await b.until(() => b.alerts.length === 4, 'four alerts');
    expect(b.alerts.map((a) => [a.source, a.alert.code])).toEqual([
      [home.ESME, 0x8f70],
      [home.ESME, 0x8f3e],
      [home.GSME, 0x8f3d],
      [neighbour.ESME, 0x8f3d],
    ]);
  });

  it('clockSync travels with its counter and signature; unsigned or wrongly signed it changes nothing', async () => {
    const b = await start();
    const { CH } = b.sets[0].euis;
    const fields = { currentTime: b.clock.now() + 3_600_000, counter: 1 };
    const byNetworkOperator = {
      type: 'clockSync' as const,
      ...fields,
      signature: signClockSync(fields, CH, pki.parties[3].privateKey),
    };
    expect((await b.run(b.client.request(CH, byNetworkOperator), 'clockSync by the DNO')).status).toBe(
      'authenticationFailed',
    );
    const bySupplier = {
      type: 'clockSync' as const,
      ...fields,
      signature: signClockSync(fields, CH, pki.parties[2].privateKey),
    };
    expect((await b.run(b.client.request(CH, bySupplier), 'clockSync by the supplier')).status).toBe('ok');
    // commissioning checks device time: it now runs an hour ahead of the bench clock
    const commission: CommandInput<'commission'> = {
      type: 'commission',
      currentTime: b.clock.now() + 3_600_000,
      tolerancePeriod: 5,
    };
    expect((await b.run(b.client.request(CH, commission), 'commission')).status).toBe('ok');
  });
});

describe('split supplier: an ESME and a GSME with different suppliers', () => {
  it('each member holds its own supplier; each supplier signs for its own meter only', async () => {
    const b = await start({ suppliers: { GSME: GSME_SUPPLIER } });
    const { ESME, GSME } = b.sets[0].euis;
    const gasSupplier = issueTestCertificate(pki, { role: 2, entityId: GSME_SUPPLIER });
    const slot2 = async (eui: string) =>
      (await b.run(b.client.request(eui, { type: 'readCredentials', role: 2 }), 'read slot 2')).body;
    expect(await slot2(ESME)).toEqual({ role: 2, certificate: pki.parties[2].certificate });
    expect(await slot2(GSME)).toEqual({ role: 2, certificate: gasSupplier.certificate });

    const time = b.clock.now();
    const clockSyncFor = (eui: string, signer: TestParty): CommandInput<'clockSync'> => {
      const fields = { currentTime: time, counter: 1 };
      return { type: 'clockSync', ...fields, signature: signClockSync(fields, eui, signer.privateKey) };
    };
    expect(
      (await b.run(b.client.request(GSME, clockSyncFor(GSME, pki.parties[2])), 'electricity supplier → GSME')).status,
    ).toBe('authenticationFailed');
    expect((await b.run(b.client.request(GSME, clockSyncFor(GSME, gasSupplier)), 'gas supplier → GSME')).status).toBe(
      'ok',
    );
    expect((await b.run(b.client.request(ESME, clockSyncFor(ESME, gasSupplier)), 'gas supplier → ESME')).status).toBe(
      'authenticationFailed',
    );
    expect(
      (await b.run(b.client.request(ESME, clockSyncFor(ESME, pki.parties[2])), 'electricity supplier → ESME')).status,
    ).toBe('ok');
  });
});

describe('bench config: suppliers per member', () => {
  it('keeps the default (no suppliers: every member from the bench PKI, no per-member slots)', () => {
    const [config] = benchSets({ vendor: 'elster', seed: SEED });
    expect(config.suppliers).toBeUndefined();
    expect(toSetInput(config).memberCredentials).toBeUndefined();
    expect(toSetInput(config).credentials?.[2]?.entityId).toBe('90-B3-D5-1F-30-01-00-00');
  });

  it('gives the named member its own supplier and changes nothing else in its slots', () => {
    const [config] = benchSets({ vendor: 'elster', seed: SEED, suppliers: { GSME: GSME_SUPPLIER } });
    const input = toSetInput(config);
    expect(Object.keys(input.memberCredentials ?? {})).toEqual(['GSME']);
    expect(input.memberCredentials?.GSME?.[2]?.entityId).toBe(GSME_SUPPLIER);
    expect({ ...input.memberCredentials?.GSME, 2: null }).toEqual({ ...input.credentials, 2: null });
  });

  it('gives a member another network operator, alone or with its own supplier, and changes nothing else', () => {
    const [config] = benchSets({ vendor: 'elster', seed: SEED });
    const input = toSetInput({
      ...config,
      networkOperators: { ESME: '90-B3-D5-1F-30-0B-00-00', GSME: '90-B3-D5-1F-30-02-00-05' },
      suppliers: { GSME: GSME_SUPPLIER },
    });
    expect(Object.keys(input.memberCredentials ?? {})).toEqual(['GSME', 'ESME']);
    expect(input.memberCredentials?.ESME?.[3]).toEqual({
      role: 3,
      entityId: '90-B3-D5-1F-30-0B-00-00',
      certificate: wrongDno.certificate,
    });
    expect({ ...input.memberCredentials?.ESME, 3: null }).toEqual({ ...input.credentials, 3: null });
    expect([input.memberCredentials?.GSME?.[2]?.entityId, input.memberCredentials?.GSME?.[3]?.entityId]).toEqual([
      GSME_SUPPLIER,
      '90-B3-D5-1F-30-02-00-05',
    ]);
    expect({ ...input.memberCredentials?.GSME, 2: null, 3: null }).toEqual({ ...input.credentials, 2: null, 3: null });
    expect(() =>
      toSetInput({ ...config, pkiSeed: undefined, networkOperators: { ESME: '90-B3-D5-1F-30-0B-00-00' } }),
    ).toThrow('bench config: network operators per device need a pkiSeed to issue their certificates');
  });

  it('refuses suppliers without a PKI seed, and a malformed entity id, naming them', () => {
    const [config] = benchSets({ vendor: 'elster', seed: SEED, suppliers: { GSME: GSME_SUPPLIER } });
    expect(() => toSetInput({ ...config, pkiSeed: undefined })).toThrow(
      'bench config: suppliers per device need a pkiSeed to issue their certificates',
    );
    expect(() => toSetInput({ ...config, suppliers: { ESME: 'supplier-b' } })).toThrow(
      'entity id "supplier-b" is not 8 upper-case hex bytes joined by dashes',
    );
  });
});
