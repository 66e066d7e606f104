/**
 * A state file written by the emulator while every device machine carried the core's `migration` region (state
 * version 5, made by `smets1 emulate --state --sets 4 --seed 1` (Itron) at commit dca7966 on the wall clock, then
 * over the bench protocol: set 0 left as started (the region's `resuming` had entered smso.awaitingSwap); set 1's
 * CH, ESME and GSME each accepted a supplierBySupplier replacement (smso.swapInProgress); set 2's four devices
 * commissioned (dcc, the state `resuming` enters for a device started in the DCC); set 3's CH, ESME and GSME made
 * dumb (a supplierBySupplier replacement, then an NObyNO one refused part-way) and its PPMID refused an NObyNO
 * replacement while awaiting the swap (still smso); then stopped: tests/fixtures/state-v5-migration) restores each
 * device in the same migration state: the same answers to the commands below, which the old region decided.
 * The responses were those of the code that wrote the file (dca7966), written here by hand.
 */
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { benchPki } from '../../emulator/host/benchPki';
import type { RemotePartyRole } from '../../common/credentials/roles';
import { issueTestCertificate, signReplacement } from '../../common/credentials/testPki';
import { chMachine } from '../../devices/ch';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { gsmeMachine } from '../../devices/gsme';
import { ppmidMachine } from '../../devices/ppmid';
import { itronProfile } from '../../devices/profiles';
import { VirtualClock } from '../../emulator/clock';
import { startDevice } from '../devices/support/deviceHarness';
import { initialSlots } from '../devices/support/pki';
import { loadFixtureCopy, loadFixtureDevice } from './stateFixture';

const FIXTURE = join(__dirname, '../fixtures/state-v5-migration');
/** The file's savedAt (2026-12-05T14:02:29.893Z) in ms, plus a minute: every device restored then. */
const AT = 1796479349893 + 60_000;

const machines: Record<string, AnyStateMachine> = {
  ch: chMachine,
  esme: esmeMachine,
  gsme: gsmeMachine,
  ppmid: ppmidMachine,
};
/** Each set's EUIs (emulator/host/benchConfig.ts setEuis: set i's ESME at A0 + 0x10·i, GSME +1, CH +2, PPMID +3). */
const eui = (set: number, member: 'ESME' | 'GSME' | 'CH' | 'PPMID') =>
  `00-DB-12-34-56-78-90-${(0xa0 + 0x10 * set + { ESME: 0, GSME: 1, CH: 2, PPMID: 3 }[member]).toString(16).toUpperCase()}`;

/** The fixture's PKI: the emulator's own for seed 1 (emulator/host/benchConfig.ts). */
const pki = benchPki('smso-1');
const nextSupplier = issueTestCertificate(pki, { role: 2, entityId: '90-B3-D5-1F-30-03-00-09', keyLabel: 'supplier9' });
/** The supplier whose certificate sets 1 and 3 took when the file was made: the holder of their supplier slot. */
const fixtureSupplier = issueTestCertificate(pki, {
  role: 2,
  entityId: '90-B3-D5-1F-30-03-00-00',
  keyLabel: 'supplier2',
});
// Above every counter the fixture's devices have seen (at most 7).
let counter = 1000;

function replacement(target: string, role: number, mode: string, certificate: string, signer: number | KeyObject) {
  const fields = { role, mode, certificate, counter: ++counter };
  const key = typeof signer === 'number' ? pki.parties[signer as RemotePartyRole].privateKey : signer;
  return { ...fields, signature: signReplacement(fields as never, target, key) };
}
/** An accepted supplier replacement, signed by the slot's holder (the fixture's own on sets 1 and 3). */
const supplierSwap = (target: string, holder: number | KeyObject = 2) =>
  replacement(target, 2, 'supplierBySupplier', nextSupplier.certificate, holder);
/** The network operator authenticates, then sends a supplier's certificate for its slot: refused part-way. */
const refusedPartWay = (target: string) => replacement(target, 3, 'NObyNO', nextSupplier.certificate, 3);
/** The DCC's recovery party replaces the network operator's slot (with its own certificate). */
const recovery = (target: string) =>
  replacement(target, 3, 'anyExceptAbnormalRootByRecovery', pki.parties[3].certificate, 1);

function restore(set: number, member: 'ESME' | 'GSME' | 'CH' | 'PPMID') {
  const id = eui(set, member);
  const child = loadFixtureDevice(FIXTURE, set, id);
  return startDevice(
    machines[child.src],
    { eui: id, profile: itronProfile, credentials: initialSlots, seed: 1 } as never,
    { clock: new VirtualClock(AT), snapshot: child.snapshot },
  );
}

type Device = ReturnType<typeof restore>;
const migrationState = (device: Device) =>
  (device.command('readDeviceInfo').body as { migrationState: string }).migrationState;
const codes = (device: Device) => device.alerts.map(({ code }) => code);

describe('a version-5 state file (the migration an XState region in every device)', () => {
  it('loads with the migration in context and no migration region in the state value', () => {
    const loaded = loadFixtureCopy(FIXTURE);
    const awaiting = { migrationState: 'smso', swapInProgress: false };
    const swapping = { migrationState: 'smso', swapInProgress: true };
    const dcc = { migrationState: 'dcc', swapInProgress: false };
    const dumb = { migrationState: 'dumb', swapInProgress: false };
    const ch = { han: 'permitJoinClosed' };
    const ppmid = { han: 'off' };
    // per set: CH, ESME, GSME, PPMID, each [state value, migration]
    const expected: [object, object][][] = [
      [
        [ch, awaiting],
        [{}, awaiting],
        [{}, awaiting],
        [ppmid, awaiting],
      ],
      [
        [ch, swapping],
        [{}, swapping],
        [{}, swapping],
        [ppmid, awaiting],
      ],
      [
        [ch, dcc],
        [{}, dcc],
        [{}, dcc],
        [ppmid, dcc],
      ],
      [
        [ch, dumb],
        [{}, dumb],
        [{}, dumb],
        [ppmid, awaiting],
      ],
    ];
    for (const [set, members] of expected.entries()) {
      const { children } = loaded.snapshots[set] as { children: Record<string, { snapshot: Record<string, any> }> };
      for (const [i, member] of (['CH', 'ESME', 'GSME', 'PPMID'] as const).entries()) {
        const { value, context } = children[eui(set, member)].snapshot;
        const [expectedValue, migration] = members[i];
        expect([set, member, value], 'state value').toEqual([set, member, expectedValue]);
        expect({ set, member, ...context }).toMatchObject({ set, member, ...migration });
      }
    }
  });

  it('restores every device in the migration state it was saved in', () => {
    const expected: [number, 'ESME' | 'GSME' | 'CH' | 'PPMID', string, boolean][] = [
      [0, 'ESME', 'smso', false],
      [0, 'GSME', 'smso', false],
      [0, 'PPMID', 'smso', false],
      [1, 'CH', 'smso', false],
      [1, 'ESME', 'smso', false],
      [1, 'GSME', 'smso', false],
      [2, 'CH', 'dcc', true],
      [2, 'ESME', 'dcc', true],
      [2, 'GSME', 'dcc', true],
      [2, 'PPMID', 'dcc', true],
      [3, 'CH', 'dumb', false],
      [3, 'ESME', 'dumb', false],
      [3, 'GSME', 'dumb', false],
      [3, 'PPMID', 'smso', false],
    ];
    for (const [set, member, state, commissioned] of expected) {
      expect(restore(set, member).command('readDeviceInfo').body, `set ${set} ${member}`).toMatchObject({
        migrationState: state,
        commissioned,
      });
    }
  });

  it('a device awaiting the swap is not made dumb by a refusal; it is once a replacement has started the swap', () => {
    const esme = restore(0, 'ESME');
    expect(esme.command('replaceCredentials', refusedPartWay(eui(0, 'ESME'))).status).toBe('notAuthorised');
    expect(esme.command('readSupply')).toMatchObject({ status: 'ok', body: { state: 'enabled' } });
    expect(esme.command('replaceCredentials', supplierSwap(eui(0, 'ESME'))).status).toBe('ok');
    expect(esme.command('replaceCredentials', refusedPartWay(eui(0, 'ESME'))).status).toBe('notAuthorised');
    expect(esme.command('readSupply').status).toBe('dumbMode');
    expect(migrationState(esme)).toBe('dumb');
    expect(codes(esme)).toEqual([0x8f30, 0x8f70, 0x8f30]);

    // set 3's PPMID refused one while awaiting: one more refusal still leaves it smart
    const ppmid = restore(3, 'PPMID');
    expect(ppmid.command('replaceCredentials', refusedPartWay(eui(3, 'PPMID'))).status).toBe('notAuthorised');
    expect(migrationState(ppmid)).toBe('smso');
  });

  it('a device restored in the middle of the swap turns dumb on a refusal, or completes the swap on commissioning', () => {
    const ch = restore(1, 'CH');
    expect(ch.command('replaceCredentials', refusedPartWay(eui(1, 'CH'))).status).toBe('notAuthorised');
    expect(ch.command('readDeviceLog').status).toBe('dumbMode');
    expect(migrationState(ch)).toBe('dumb');

    // a second accepted replacement keeps it in the swap (a refusal after it still makes it dumb)
    const gsme = restore(1, 'GSME');
    expect(gsme.command('replaceCredentials', supplierSwap(eui(1, 'GSME'), fixtureSupplier.privateKey)).status).toBe(
      'ok',
    );
    expect(gsme.command('replaceCredentials', refusedPartWay(eui(1, 'GSME'))).status).toBe('notAuthorised');
    expect(migrationState(gsme)).toBe('dumb');

    const esme = restore(1, 'ESME');
    expect(esme.command('commission', { currentTime: AT, tolerancePeriod: 60 }).status).toBe('ok');
    expect(esme.command('replaceCredentials', refusedPartWay(eui(1, 'ESME'))).status).toBe('notAuthorised');
    expect(esme.command('readDeviceInfo').body).toMatchObject({ migrationState: 'dcc', commissioned: true });
    expect(codes(esme)).toEqual([0x8f69, 0x8f30]);
  });

  it('a device in the DCC stays there: neither a swap nor a refusal nor recovery moves it', () => {
    const esme = restore(2, 'ESME');
    expect(esme.command('replaceCredentials', supplierSwap(eui(2, 'ESME'))).status).toBe('ok');
    expect(esme.command('replaceCredentials', refusedPartWay(eui(2, 'ESME'))).status).toBe('notAuthorised');
    expect(esme.command('replaceCredentials', recovery(eui(2, 'ESME'))).status).toBe('ok');
    expect(esme.command('readSupply')).toMatchObject({ status: 'ok', body: { state: 'enabled' } });
    expect(migrationState(esme)).toBe('dcc');
    const ch = restore(2, 'CH');
    expect(ch.command('commission', { currentTime: AT, tolerancePeriod: 60 }).status).toBe('ok');
    expect(migrationState(ch)).toBe('dcc');
  });

  it('a dumb device answers dumbMode until recovery brings it back into the swap, which commissioning completes', () => {
    const esme = restore(3, 'ESME');
    expect(esme.command('readSupply').status).toBe('dumbMode');
    // a supplier's replacement is accepted (the slots change) but does not revive it
    expect(esme.command('replaceCredentials', supplierSwap(eui(3, 'ESME'), fixtureSupplier.privateKey)).status).toBe(
      'ok',
    );
    expect(esme.command('readSupply').status).toBe('dumbMode');
    expect(esme.command('commission', { currentTime: AT, tolerancePeriod: 60 }).status).toBe('dumbMode');
    expect(esme.command('replaceCredentials', recovery(eui(3, 'ESME'))).status).toBe('ok');
    expect(migrationState(esme)).toBe('smso');
    expect(esme.command('readSupply')).toMatchObject({ status: 'ok', body: { state: 'enabled' } });
    expect(esme.command('commission', { currentTime: AT, tolerancePeriod: 60 }).status).toBe('ok');
    expect(esme.command('readDeviceInfo').body).toMatchObject({ migrationState: 'dcc', commissioned: true });

    // back in the swap after recovery: a refusal makes it dumb again
    const ch = restore(3, 'CH');
    expect(ch.command('replaceCredentials', recovery(eui(3, 'CH'))).status).toBe('ok');
    expect(ch.command('readDeviceLog')).toEqual(expect.objectContaining({ status: 'ok' }));
    expect(ch.command('replaceCredentials', refusedPartWay(eui(3, 'CH'))).status).toBe('notAuthorised');
    expect(ch.command('readDeviceLog').status).toBe('dumbMode');
    expect(codes(ch)).toEqual([0x8f70, 0x8f30]);
  });
});
