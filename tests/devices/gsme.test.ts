import { describe, expect, it } from 'vitest';
import { Alert } from '../../devices/common/alertCodes';
import { gsmeMachine } from '../../devices/gsme';
import type { GsmeInput } from '../../devices/gsme';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import type { VendorProfile } from '../../devices/profiles/types';
import { REMOTE_PARTY_ROLES as R } from '../../common/credentials/roles';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots, newParty, replacement } from './support/pki';

const GSME = '00-DB-12-34-56-78-90-A1';
const PPMID = '00-DB-12-34-56-78-90-A3';
const DAY = 24 * 3600 * 1000;
const gasFlow = { uncontrolledFlowRateThreshold: 4.5, averagingPeriod: 600 };

/** A reliable HAN unless a test wants losses: the loss model is tested on its own below. */
function startGsme(input: Partial<GsmeInput> = {}, lossless = true) {
  const gsme = startDevice(gsmeMachine, {
    eui: GSME,
    profile: itronProfile,
    credentials: initialSlots,
    seed: 3,
    ...input,
  });
  if (lossless) gsme.command('injectFault', { fault: 'hanFailureRate', value: 0 });
  return gsme;
}

describe('GSME gas flow configuration (SR 6.7)', () => {
  it('applies a valid configuration', () => {
    const gsme = startGsme();
    expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('ok');
    expect(gsme.actor.getSnapshot().context.gasFlow).toEqual(gasFlow);
  });

  it('refuses more than three decimals, a negative threshold and a non-integer period', () => {
    const gsme = startGsme();
    for (const fields of [
      { uncontrolledFlowRateThreshold: 4.5005, averagingPeriod: 600 },
      { uncontrolledFlowRateThreshold: -1, averagingPeriod: 600 },
      { uncontrolledFlowRateThreshold: 4.5, averagingPeriod: 0.5 },
    ]) {
      expect(gsme.command('gasFlowConfig', fields).status).toBe('invalidParameter');
    }
  });

  it('quirk 91333, Itron in DCC service: a second 6.7 the same UTC day is rateLimited and changes nothing', () => {
    const gsme = startGsme({ migrationState: 'dcc' });
    expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('ok');
    gsme.clock.advanceBySync(DAY - 1); // 23:59:59.999 the same day
    expect(gsme.command('gasFlowConfig', { uncontrolledFlowRateThreshold: 3, averagingPeriod: 60 }).status).toBe(
      'rateLimited',
    );
    expect(gsme.actor.getSnapshot().context.gasFlow).toEqual(gasFlow);
    gsme.clock.advanceBySync(1); // midnight: a new day
    expect(gsme.command('gasFlowConfig', { uncontrolledFlowRateThreshold: 3, averagingPeriod: 60 }).status).toBe('ok');
  });

  it('quirk 91333 follows the device, not a label: an Itron GSME on its SMSO is unrestricted, and limited from its migration on', () => {
    const gsme = startGsme(); // on its SMSO (a dormant installation awaiting migration)
    expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('ok');
    expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('ok');
    // migrated: the DCC swaps the supplier certificate and commissions the meter
    const dccSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0A');
    expect(
      gsme.command(
        'replaceCredentials',
        replacement(GSME, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
      ).status,
    ).toBe('ok');
    expect(gsme.command('commission', { currentTime: gsme.clock.now(), tolerancePeriod: 60 }).status).toBe('ok');
    expect(gsme.command('readDeviceInfo').body).toMatchObject({ migrationState: 'dcc' });
    gsme.clock.advanceBySync(DAY); // the next day
    expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('ok');
    expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('rateLimited');
  });

  it('without 91333 (Elster in DCC service, or switched off) every 6.7 is applied', () => {
    for (const input of [
      { profile: elsterProfile, migrationState: 'dcc' as const },
      { quirks: { '91333': false }, migrationState: 'dcc' as const },
    ]) {
      const gsme = startGsme(input);
      expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('ok');
      expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('ok');
    }
  });
});

describe('GSME lossy HAN', () => {
  it('loses everything at a failure rate of 1: busy, nothing applied', () => {
    const gsme = startGsme();
    gsme.command('injectFault', { fault: 'hanFailureRate', value: 1 });
    expect(gsme.command('gasFlowConfig', gasFlow).status).toBe('busy');
    expect(gsme.command('readDeviceInfo').status).toBe('busy');
    expect(gsme.actor.getSnapshot().context.gasFlow).not.toEqual(gasFlow);
  });

  it('the profile: an assumed 5 % per-try HAN loss and 3 tries; the public 77 % is the migration retry success rate', () => {
    expect(itronProfile.devices.GSME.hanFailureRate).toMatchObject({ value: 0.05, source: 'assumed' });
    expect(itronProfile.devices.GSME.hanMaxAttempts).toMatchObject({ value: 3, source: 'assumed' });
    expect(itronProfile.gsme.migrationRetrySuccessRate).toMatchObject({ value: 0.77, source: 'public' });
    expect(itronProfile.gsme.migrationRetrySuccessRate.note).toContain('OPSG_34');
  });

  it('one try per command at the profile rate loses about 5 %, the same commands for the same seed', () => {
    const oneTry: VendorProfile = {
      ...itronProfile,
      devices: {
        ...itronProfile.devices,
        GSME: { ...itronProfile.devices.GSME, hanMaxAttempts: { value: 1, source: 'assumed', note: 'test' } },
      },
    };
    const run = (seed: number) => {
      const gsme = startGsme({ seed, profile: oneTry }, false);
      return Array.from({ length: 2000 }, () => gsme.command('readDeviceInfo').status);
    };
    const first = run(11);
    expect(run(11)).toEqual(first);
    expect(run(12)).not.toEqual(first);
    const busy = first.filter((status) => status === 'busy').length;
    // expected 2000 × 0.05 = 100, standard deviation √(2000 × 0.05 × 0.95) ≈ 9.7: ±4σ
    expect(busy).toBeGreaterThan(61);
    expect(busy).toBeLessThan(139);
  });

  it('with three tries a command is busy only when all three are lost: at most 2 of 2,000 (expected 0.25)', () => {
    const gsme = startGsme({ seed: 11 }, false);
    const statuses = Array.from({ length: 2000 }, () => gsme.command('readDeviceInfo').status);
    expect(statuses.filter((status) => status === 'busy').length).toBeLessThanOrEqual(2);
  });
});

describe('GSME binding (8.7 join, 8.8 unjoin) and alert behaviour (6.22)', () => {
  it('cannot bind a device that is not on the HAN: invalidParameter and 0x8F48', () => {
    const gsme = startGsme();
    expect(gsme.command('join', { otherDeviceId: PPMID, critical: false }).status).toBe('invalidParameter');
    expect(gsme.alerts).toEqual([{ type: 'alert', code: Alert.joinFailed, at: T0, payload: '00db1234567890a3' }]);
  });

  it('binds a device on the HAN (0x8F49), unbinds it (0x8F4B), and a second unjoin fails (0x8F4A)', () => {
    const gsme = startGsme();
    gsme.actor.send({ type: 'han.peerJoined', deviceId: PPMID });
    expect(gsme.command('join', { otherDeviceId: PPMID, critical: false }).status).toBe('ok');
    expect(gsme.actor.getSnapshot().context.bindings).toEqual([PPMID]);
    expect(gsme.command('unjoin', { otherDeviceId: PPMID }).status).toBe('ok');
    expect(gsme.command('unjoin', { otherDeviceId: PPMID }).status).toBe('invalidParameter');
    expect(gsme.alertCodes()).toEqual([Alert.joinSucceeded, Alert.unjoinSucceeded, Alert.unjoinFailed]);
  });

  it('a device leaving the HAN loses its binding', () => {
    const gsme = startGsme();
    gsme.actor.send({ type: 'han.peerJoined', deviceId: PPMID });
    gsme.command('join', { otherDeviceId: PPMID, critical: true });
    gsme.actor.send({ type: 'han.peerLeft', deviceId: PPMID });
    expect(gsme.actor.getSnapshot().context).toMatchObject({ hanPeers: [], bindings: [] });
  });

  it('a disabled alert is logged but not emitted; only its owner may switch it', () => {
    const gsme = startGsme();
    expect(
      gsme.command('alertBehaviour', { owner: 'networkOperator', alerts: [{ code: Alert.joinFailed, enabled: false }] })
        .status,
    ).toBe('notAuthorised');
    expect(
      gsme.command('alertBehaviour', { owner: 'supplier', alerts: [{ code: 0x8f12, enabled: false }] }).status,
    ).toBe('invalidParameter');
    expect(
      gsme.command('alertBehaviour', { owner: 'supplier', alerts: [{ code: Alert.joinFailed, enabled: false }] })
        .status,
    ).toBe('ok');
    gsme.command('join', { otherDeviceId: PPMID, critical: false });
    expect(gsme.alerts).toEqual([]);
    expect(gsme.command('readEventLog', { log: 'event', from: T0, to: T0 }).body).toEqual({
      entries: [{ at: T0, code: Alert.joinFailed }],
    });
  });
});
