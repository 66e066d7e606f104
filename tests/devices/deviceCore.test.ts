import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { chMachine } from '../../devices/ch';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { gsmeMachine } from '../../devices/gsme';
import { ppmidMachine } from '../../devices/ppmid';
import { Alert } from '../../devices/common/alertCodes';
import { REMOTE_PARTY_ROLES as R } from '../../common/credentials/roles';
import { installCertificate } from '../../devices/credentials/slots';
import { issueTestCertificate, signClockSync } from '../../common/credentials/testPki';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import type { VendorProfile } from '../../devices/profiles/types';
import { startDevice, T0 } from './support/deviceHarness';
import { clockSync, initialSlots, newParty, pki, replacement } from './support/pki';

const CH = '00-DB-12-34-56-78-90-A2';
const PPMID = '00-DB-12-34-56-78-90-A3';
const INSTALL_CODE = '0011223344556677';

const startCh = (profile: VendorProfile = itronProfile, migrationState: 'smso' | 'dcc' = 'smso') =>
  startDevice(chMachine, { eui: CH, profile, credentials: initialSlots, migrationState });

const newSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-09');
const dccSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0A');

describe('readDeviceInfo and readCredentials', () => {
  it('reports type, vendor, firmware, migration state and commissioning', () => {
    expect(startCh(itronProfile).command('readDeviceInfo')).toMatchObject({
      status: 'ok',
      body: {
        deviceType: 'CH',
        vendor: 'itron',
        firmwareVersion: 'ITRON-CH-01.06.02',
        migrationState: 'smso',
        commissioned: false,
      },
    });
    expect(startCh(elsterProfile, 'dcc').command('readDeviceInfo').body).toMatchObject({
      vendor: 'elster',
      migrationState: 'dcc',
    });
  });

  it('reads each slot (0-6) and refuses role 7', () => {
    const ch = startCh();
    expect(ch.command('readCredentials', { role: 3 })).toMatchObject({
      status: 'ok',
      body: { role: 3, certificate: pki.parties[3].certificate },
    });
    expect(ch.command('readCredentials', { role: 7 }).status).toBe('invalidParameter');
  });
});

describe('replaceCredentials: a refusal changes nothing and raises the right alert', () => {
  it('supplierBySupplier signed by the supplier replaces slot 2 with 0x8F70 in the security log', () => {
    const ch = startCh();
    const response = ch.command(
      'replaceCredentials',
      replacement(CH, R.supplier, 'supplierBySupplier', newSupplier.certificate, R.supplier),
    );
    expect(response.status).toBe('ok');
    expect(ch.alerts).toEqual([{ type: 'alert', code: Alert.securityCredentialsUpdated, at: T0 }]);
    expect(ch.command('readCredentials', { role: 2 }).body).toEqual({ role: 2, certificate: newSupplier.certificate });
    expect(ch.command('readEventLog', { log: 'security', from: T0, to: T0 }).body).toEqual({
      entries: [{ at: T0, code: Alert.securityCredentialsUpdated }],
    });
  });

  it('forged (signed by the wrong key): authenticationFailed, 0x8F3D, every slot untouched', () => {
    const ch = startCh();
    const before = ch.actor.getSnapshot().context.credentials;
    const forged = replacement(CH, R.supplier, 'supplierBySupplier', newSupplier.certificate, R.networkOperator);
    expect(ch.command('replaceCredentials', forged).status).toBe('authenticationFailed');
    expect(ch.alertCodes()).toEqual([Alert.trustedSourceAuthenticationFailure]);
    expect(ch.actor.getSnapshot().context.credentials).toEqual(before);
  });

  it('wrong role (a supplier certificate into the network operator slot): notAuthorised, 0x8F30, untouched', () => {
    const ch = startCh();
    const before = ch.actor.getSnapshot().context.credentials;
    // NObyNO signed by the slot holder, but the certificate's OU says supplier
    const wrongRole = replacement(CH, R.networkOperator, 'NObyNO', newSupplier.certificate, R.networkOperator);
    expect(ch.command('replaceCredentials', wrongRole).status).toBe('notAuthorised');
    // supplierBySupplier aimed at slot 3: the mode has no authority there
    const wrongSlot = replacement(CH, R.networkOperator, 'supplierBySupplier', newSupplier.certificate, R.supplier);
    expect(ch.command('replaceCredentials', wrongSlot).status).toBe('notAuthorised');
    expect(ch.alertCodes()).toEqual([Alert.sourceNotAuthorised, Alert.sourceNotAuthorised]);
    expect(ch.actor.getSnapshot().context.credentials).toEqual(before);
  });
});

describe('migration: smso → dcc, and dumb mode after a failed credential swap', () => {
  it('an authenticated step refused part-way makes the device dumb (assumed trigger); recovery brings it back; commissioning completes it', () => {
    const ch = startCh();
    expect(
      ch.command(
        'replaceCredentials',
        replacement(CH, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
      ).status,
    ).toBe('ok');
    expect(ch.actor.getSnapshot().context).toMatchObject({ migrationState: 'smso', swapInProgress: true });

    // the network operator authenticates, then sends a certificate that is not for its slot: refused part-way
    const refusedPartWay = replacement(CH, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator);
    expect(ch.command('replaceCredentials', refusedPartWay).status).toBe('notAuthorised');
    expect(ch.actor.getSnapshot().context).toMatchObject({ migrationState: 'dumb', swapInProgress: false });

    // smart functions stop...
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 60 }).status).toBe(
      'dumbMode',
    );
    expect(ch.command('readDeviceLog').status).toBe('dumbMode');
    expect(ch.command('commission', { currentTime: T0, tolerancePeriod: 60 }).status).toBe('dumbMode');
    expect(ch.command('clockSync', clockSync(CH, T0)).status).toBe('dumbMode');
    // ...but it is not bricked: identity, credentials and logs still answer
    expect(ch.command('readDeviceInfo').body).toMatchObject({ migrationState: 'dumb' });
    expect(ch.command('readCredentials', { role: 2 }).body).toEqual({ role: 2, certificate: dccSupplier.certificate });
    expect(ch.command('readEventLog', { log: 'security', from: T0, to: T0 }).body).toEqual({
      entries: [
        { at: T0, code: Alert.securityCredentialsUpdated },
        { at: T0, code: Alert.sourceNotAuthorised },
      ],
    });
    // a replacement by anyone but recovery does not revive it
    const another = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0B');
    expect(
      ch.command(
        'replaceCredentials',
        replacement(CH, R.supplier, 'supplierBySupplier', another.certificate, R.supplier),
      ).status,
    ).toBe('authenticationFailed');
    expect(ch.actor.getSnapshot().context).toMatchObject({ migrationState: 'dumb', swapInProgress: false });

    const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');
    const recovery = replacement(
      CH,
      R.networkOperator,
      'anyExceptAbnormalRootByRecovery',
      dccNetworkOperator.certificate,
      R.recovery,
    );
    expect(ch.command('replaceCredentials', recovery).status).toBe('ok');
    expect(ch.actor.getSnapshot().context).toMatchObject({ migrationState: 'smso', swapInProgress: true });
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 60 }).status).toBe('ok');

    expect(ch.command('commission', { currentTime: T0, tolerancePeriod: 60 }).status).toBe('ok');
    expect(ch.command('readDeviceInfo').body).toMatchObject({ migrationState: 'dcc', commissioned: true });
  });

  it('mid-swap, forged, garbage, replayed, misdirected and malformed requests are refused and change nothing', () => {
    const ch = startCh();
    // the first step of the swap, by a party whose key stays trusted after it (so a replay still verifies)
    const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');
    const accepted = replacement(
      CH,
      R.networkOperator,
      'anyExceptAbnormalRootByRecovery',
      dccNetworkOperator.certificate,
      R.recovery,
    );
    expect(ch.command('replaceCredentials', accepted).status).toBe('ok');
    const before = ch.actor.getSnapshot().context;
    ch.alerts.length = 0;

    const nextSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0C');
    const forged = replacement(CH, R.networkOperator, 'NObyNO', pki.parties[3].certificate, R.supplier); // wrong key
    const garbage = {
      ...replacement(CH, R.supplier, 'supplierBySupplier', nextSupplier.certificate, R.supplier),
      signature: 'ab'.repeat(64),
    };
    const forAnotherDevice = replacement(PPMID, R.supplier, 'supplierBySupplier', nextSupplier.certificate, R.supplier);
    expect(ch.command('replaceCredentials', forged).status).toBe('authenticationFailed');
    expect(ch.command('replaceCredentials', garbage).status).toBe('authenticationFailed');
    expect(ch.command('replaceCredentials', forAnotherDevice).status).toBe('authenticationFailed');
    expect(ch.command('replaceCredentials', accepted).status).toBe('authenticationFailed'); // replayed
    expect(ch.command('replaceCredentials', { ...accepted, signature: 'zz' }).status).toBe('invalidParameter');
    expect(
      ch.command('clockSync', { currentTime: T0 + 1_000_000, counter: 99, signature: '00'.repeat(64) }).status,
    ).toBe('authenticationFailed');

    expect(ch.alertCodes()).toEqual([
      Alert.trustedSourceAuthenticationFailure,
      Alert.trustedSourceAuthenticationFailure,
      Alert.trustedSourceAuthenticationFailure,
      Alert.unauthorisedCommunicationAccess,
      Alert.trustedSourceAuthenticationFailure,
      Alert.trustedSourceAuthenticationFailure,
    ]);
    const after = ch.actor.getSnapshot();
    expect(after.context).toMatchObject({ migrationState: 'smso', swapInProgress: true });
    expect(after.context.credentials).toEqual(before.credentials);
    expect(after.context.originatorCounters).toEqual(before.originatorCounters);
    expect(after.context.deviceClockOffset).toBe(0);
  });

  it('a refusal before any replacement was accepted leaves the device on its SMSO', () => {
    const ch = startCh();
    ch.command(
      'replaceCredentials',
      replacement(CH, R.supplier, 'supplierBySupplier', newSupplier.certificate, R.networkOperator),
    );
    expect(ch.actor.getSnapshot().context).toMatchObject({ migrationState: 'smso', swapInProgress: false });
  });

  it('in the DCC a refusal is just a refusal', () => {
    const ch = startCh(itronProfile, 'dcc');
    ch.command(
      'replaceCredentials',
      replacement(CH, R.supplier, 'supplierBySupplier', newSupplier.certificate, R.networkOperator),
    );
    expect(ch.actor.getSnapshot().context).toMatchObject({ migrationState: 'dcc', swapInProgress: false });
  });
});

describe('commission and clockSync', () => {
  it('commissions when currentTime is within the tolerance of device time: 0x8F69', () => {
    const ch = startCh();
    expect(ch.command('commission', { currentTime: T0 + 60_000, tolerancePeriod: 60 }).status).toBe('ok');
    expect(ch.alerts).toEqual([{ type: 'alert', code: Alert.deviceCommissioned, at: T0 }]);
    expect(ch.command('readDeviceInfo').body).toMatchObject({ commissioned: true, migrationState: 'dcc' });
  });

  it('refuses a currentTime 61 s off with a 60 s tolerance', () => {
    const ch = startCh();
    expect(ch.command('commission', { currentTime: T0 + 61_000, tolerancePeriod: 60 }).status).toBe('invalidParameter');
    expect(ch.alerts).toEqual([]);
  });

  it('checks the tolerance against device time, which clockSync sets', () => {
    const ch = startCh();
    expect(ch.command('clockSync', clockSync(CH, T0 + 3_600_000)).status).toBe('ok');
    expect(ch.command('commission', { currentTime: T0, tolerancePeriod: 60 }).status).toBe('invalidParameter');
    expect(ch.command('commission', { currentTime: T0 + 3_600_000, tolerancePeriod: 0 }).status).toBe('ok');
  });
});

describe('clockSync needs the supplier’s signature for this device and a fresh counter (issue 8 item 18)', () => {
  const HOUR = 3_600_000;
  const deviceOffset = (ch: ReturnType<typeof startCh>) => ch.actor.getSnapshot().context.deviceClockOffset;

  it('refuses an unsigned clockSync (today’s wire shape): invalidParameter, 0x8F3D, clock unchanged', () => {
    const ch = startCh();
    expect(ch.command('clockSync', { currentTime: T0 + HOUR }).status).toBe('invalidParameter');
    expect(ch.alertCodes()).toEqual([Alert.trustedSourceAuthenticationFailure]);
    expect(deviceOffset(ch)).toBe(0);
  });

  it('refuses one signed by the network operator, or made for another device: 0x8F3D, clock unchanged', () => {
    const ch = startCh();
    expect(ch.command('clockSync', clockSync(CH, T0 + HOUR, { signerRole: R.networkOperator })).status).toBe(
      'authenticationFailed',
    );
    expect(ch.command('clockSync', clockSync(PPMID, T0 + HOUR)).status).toBe('authenticationFailed');
    expect(ch.alertCodes()).toEqual([
      Alert.trustedSourceAuthenticationFailure,
      Alert.trustedSourceAuthenticationFailure,
    ]);
    expect(deviceOffset(ch)).toBe(0);
  });

  it('refuses a replay with 0x8F3E: the clock keeps the later setting', () => {
    const ch = startCh();
    const first = clockSync(CH, T0 + HOUR);
    expect(ch.command('clockSync', first).status).toBe('ok');
    expect(ch.command('clockSync', clockSync(CH, T0 + 2 * HOUR)).status).toBe('ok');
    expect(ch.command('clockSync', first).status).toBe('authenticationFailed');
    expect(ch.alertCodes()).toEqual([Alert.unauthorisedCommunicationAccess]);
    expect(deviceOffset(ch)).toBe(2 * HOUR);
  });

  it('refuses one signed by a supplier whose certificate has expired at device time: 0x8F3D', () => {
    const expired = issueTestCertificate(pki, {
      role: R.supplier,
      entityId: '90-B3-D5-1F-30-01-00-0E',
      notBefore: T0 - 2 * 365 * 24 * HOUR,
      notAfter: T0 - 1000,
    });
    const ch = startDevice(chMachine, {
      eui: CH,
      profile: itronProfile,
      credentials: installCertificate(initialSlots, expired.certificate),
    });
    const fields = { currentTime: T0 + HOUR, counter: 1 };
    const signature = signClockSync(fields, CH, expired.privateKey);
    expect(ch.command('clockSync', { ...fields, signature }).status).toBe('authenticationFailed');
    expect(ch.alertCodes()).toEqual([Alert.trustedSourceAuthenticationFailure]);
    expect(deviceOffset(ch)).toBe(0);
  });
});

describe('0x8F3E: a request no trusted party could have sent', () => {
  it('a device with no slots (no provisioning) refuses a signed replacement and clockSync with 0x8F3E and stays as it was', () => {
    const ch = startDevice(chMachine, { eui: CH, profile: itronProfile });
    const before = ch.actor.getSnapshot().context;
    expect(
      ch.command(
        'replaceCredentials',
        replacement(CH, R.supplier, 'supplierBySupplier', newSupplier.certificate, R.supplier),
      ).status,
    ).toBe('authenticationFailed');
    expect(ch.command('clockSync', clockSync(CH, T0 + 60_000)).status).toBe('authenticationFailed');
    expect(ch.alertCodes()).toEqual([Alert.unauthorisedCommunicationAccess, Alert.unauthorisedCommunicationAccess]);
    expect(ch.actor.getSnapshot().context.credentials).toEqual(before.credentials);
    expect(ch.actor.getSnapshot().context.deviceClockOffset).toBe(0);
    expect(ch.command('readEventLog', { log: 'security', from: T0, to: T0 }).body).toEqual({
      entries: [
        { at: T0, code: Alert.unauthorisedCommunicationAccess },
        { at: T0, code: Alert.unauthorisedCommunicationAccess },
      ],
    });
  });
});

describe('a snapshot persisted before originator counters existed', () => {
  it('restores, accepts a signed replacement, records its counter and refuses its replay', () => {
    const ch = startCh(itronProfile, 'dcc');
    const persisted = JSON.parse(JSON.stringify(ch.actor.getPersistedSnapshot()));
    delete persisted.context.originatorCounters; // the shape before this field was added
    ch.actor.stop();
    const restored = startDevice(
      chMachine,
      { eui: CH, profile: itronProfile, credentials: initialSlots },
      { snapshot: persisted },
    );
    expect(restored.actor.getSnapshot().context.originatorCounters).toBeUndefined();

    const request = replacement(
      CH,
      R.supplier,
      'supplierBySupplier',
      pki.parties[R.supplier].certificate,
      R.supplier,
      5,
    );
    expect(restored.command('replaceCredentials', request).status).toBe('ok');
    expect(restored.actor.getSnapshot().context.originatorCounters).toEqual({ '2/90-B3-D5-1F-30-01-00-00': 5 });
    expect(restored.command('replaceCredentials', request).status).toBe('authenticationFailed');
    expect(restored.alertCodes()).toEqual([Alert.securityCredentialsUpdated, Alert.unauthorisedCommunicationAccess]);
  });
});

describe('event log and bench controls', () => {
  it('keeps at most the profile capacity (100, assumed), dropping the oldest', () => {
    const ch = startCh();
    for (let i = 0; i < 101; i += 1) {
      ch.clock.advanceBySync(1000);
      ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 60 });
    }
    const body = ch.command('readEventLog', { log: 'event', from: 0, to: T0 + 1e9 }).body as {
      entries: { at: number }[];
    };
    expect(body.entries).toHaveLength(100);
    expect(body.entries[0].at).toBe(T0 + 2000);
    expect(body.entries[99].at).toBe(T0 + 101_000);
  });

  it('reads a time range and refuses a malformed one', () => {
    const ch = startCh();
    ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 60 });
    ch.clock.advanceBySync(10_000);
    ch.command('hanLogRemove', { deviceId: PPMID });
    expect(ch.command('readEventLog', { log: 'event', from: T0 + 1, to: T0 + 10_000 }).body).toEqual({
      entries: [{ at: T0 + 10_000, code: Alert.deviceLogChanged }],
    });
    expect(ch.command('readEventLog', { log: 'audit', from: 0, to: 1 }).status).toBe('invalidParameter');
    expect(ch.command('readEventLog', { log: 'event', from: 2, to: 1 }).status).toBe('invalidParameter');
  });

  it('injectFault sets the HAN failure rate within 0..1 only', () => {
    const ch = startCh();
    expect(ch.command('injectFault', { fault: 'hanFailureRate', value: 0.5 }).status).toBe('ok');
    expect(ch.actor.getSnapshot().context.hanFailureRate).toBe(0.5);
    expect(ch.command('injectFault', { fault: 'hanFailureRate', value: 1.5 }).status).toBe('invalidParameter');
    expect(ch.command('injectFault', { fault: 'latency', value: 0.5 }).status).toBe('invalidParameter');
  });

  it('answers unsupported when the profile does not list a command', () => {
    const reduced: VendorProfile = {
      ...itronProfile,
      devices: {
        ...itronProfile.devices,
        CH: {
          ...itronProfile.devices.CH,
          supportedCommands: {
            ...itronProfile.devices.CH.supportedCommands,
            value: itronProfile.devices.CH.supportedCommands.value.filter((name) => name !== 'readDeviceLog'),
          },
        },
      },
    };
    const ch = startCh(reduced);
    expect(ch.command('readDeviceLog').status).toBe('unsupported');
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 60 }).status).toBe('ok');
  });
});

describe('the migration (migrationState, swapInProgress) on every device, from its start and through every move', () => {
  const where = (context: { migrationState: string; swapInProgress: boolean }) => [
    context.migrationState,
    context.swapInProgress,
  ];
  const EUI = '00-DB-12-34-56-78-90-B1';
  const devices = [
    ['CH', chMachine, {}],
    ['ESME', esmeMachine, {}],
    ['GSME', gsmeMachine, {}],
    ['PPMID', ppmidMachine, { installCode: INSTALL_CODE }],
  ] as const;

  for (const [name, machine, own] of devices) {
    it(`${name}: smso → swap → dumb → swap (recovery) → dcc, and a start in dcc`, () => {
      const start = (migrationState: unknown) =>
        startDevice(machine as AnyStateMachine, {
          eui: EUI,
          profile: itronProfile,
          credentials: initialSlots,
          migrationState,
          ...own,
        });
      const device = start('smso');
      // the GSME's commands cross a lossy HAN first: none lost here
      expect(device.command('injectFault', { fault: 'hanFailureRate', value: 0 }).status).toBe('ok');
      const mirror = () => where(device.actor.getSnapshot().context);
      expect(mirror()).toEqual(['smso', false]);
      expect(
        device.command(
          'replaceCredentials',
          replacement(EUI, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
        ).status,
      ).toBe('ok');
      expect(mirror()).toEqual(['smso', true]);
      const refusedPartWay = replacement(EUI, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator);
      expect(device.command('replaceCredentials', refusedPartWay).status).toBe('notAuthorised');
      expect(mirror()).toEqual(['dumb', false]);
      const recovery = replacement(
        EUI,
        R.networkOperator,
        'anyExceptAbnormalRootByRecovery',
        newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09').certificate,
        R.recovery,
      );
      expect(device.command('replaceCredentials', recovery).status).toBe('ok');
      expect(mirror()).toEqual(['smso', true]);
      expect(device.command('commission', { currentTime: T0, tolerancePeriod: 60 }).status).toBe('ok');
      expect(mirror()).toEqual(['dcc', false]);

      expect(where(start('dcc').actor.getSnapshot().context)).toEqual(['dcc', false]);
      // an input naming no state a device starts in starts on the SMSO, and says so
      expect(where(start('dumb').actor.getSnapshot().context)).toEqual(['smso', false]);
    });
  }
});
