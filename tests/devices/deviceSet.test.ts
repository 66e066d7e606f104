import { describe, expect, it } from 'vitest';
import { Alert } from '../../devices/common/alertCodes';
import { RTDS_EUIS } from '../../devices/set';
import { T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';
import { startSet } from './support/setHarness';

const { CH, ESME, GSME, PPMID } = RTDS_EUIS;
/** The PPMID's default install code: its EUI bytes. */
const PPMID_CODE = '00db1234567890a3';
const S = 1000;

const elsterSet = (quirks = {}) => startSet({ vendor: 'elster', ppmid: true, seed: 42, credentials: initialSlots, quirks });
const itronSet = () => startSet({ vendor: 'itron', ppmid: true, seed: 42, credentials: initialSlots });

describe('device set routing', () => {
  it('spawns CH, ESME, GSME and PPMID with their RTDS EUIs as ids', () => {
    const set = elsterSet();
    expect(Object.keys(set.actor.getSnapshot().children).sort()).toEqual([ESME, GSME, CH, PPMID].sort());
    expect(set.command(CH, 'readDeviceInfo')).toMatchObject({ status: 'ok', source: CH, body: { deviceType: 'CH', vendor: 'elster' } });
    expect(set.command(ESME, 'readDeviceInfo').body).toMatchObject({ deviceType: 'ESME' });
  });

  it('answers unknownDevice for an EUI outside the set', () => {
    const set = elsterSet();
    expect(set.command('00-DB-12-34-56-78-90-FF', 'readDeviceInfo')).toMatchObject({
      status: 'unknownDevice',
      source: '00-DB-12-34-56-78-90-FF',
    });
  });

  it('starts the ESME in the payment mode the set names (an active installation in prepayment)', () => {
    const set = startSet({ vendor: 'itron', payment: { mode: 'prepayment', creditBalance: 250 } });
    expect(set.command(ESME, 'readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 250 });
    expect(startSet({ vendor: 'itron' }).command(ESME, 'readPaymentMode').body).toEqual({ mode: 'credit', creditBalance: 0 });
  });

  it('leaves the PPMID out unless asked', () => {
    const set = startSet({ vendor: 'itron' });
    expect(Object.keys(set.actor.getSnapshot().children).sort()).toEqual([ESME, GSME, CH].sort());
    expect(set.command(PPMID, 'powerOn').status).toBe('unknownDevice');
  });

  it('starts the CH with both meters joined', () => {
    expect(elsterSet().command(CH, 'readDeviceLog').body).toEqual({
      entries: [
        { deviceId: ESME, joined: true },
        { deviceId: GSME, joined: true },
      ],
    });
  });
});

describe('PPMID join timeline against the CH window', () => {
  it('Elster, 255 s window opened at t0: the PPMID powered at t0+250 s joins, the ESME binds it', () => {
    const set = elsterSet();
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 255 }).status).toBe('ok');
    set.clock.advanceBySync(250 * S);
    expect(set.command(PPMID, 'powerOn').status).toBe('ok');

    expect(set.alertsFrom(CH)).toEqual([
      { code: Alert.deviceLogChanged, at: T0 },
      { code: Alert.joinSucceeded, at: T0 + 250 * S },
      { code: Alert.deviceJoinedSmhan, at: T0 + 250 * S },
    ]);
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'joined' });
    expect(set.han.map(({ from, to, message }) => [from, to, message.type])).toEqual([
      [PPMID, CH, 'han.joinRequest'],
      [CH, PPMID, 'han.joinResult'],
      [CH, ESME, 'han.peerJoined'],
      [CH, GSME, 'han.peerJoined'],
    ]);

    expect(set.command(ESME, 'join', { otherDeviceId: PPMID, critical: false }).status).toBe('ok');
    expect(set.alertsFrom(ESME)).toEqual([{ code: Alert.joinSucceeded, at: T0 + 250 * S }]);
    expect(set.child(PPMID).getSnapshot().context.bindings).toEqual([ESME]);
  });

  it('Elster, 255 s window opened at t0: the PPMID powered at t0+260 s does not join, and cannot be bound', () => {
    const set = elsterSet();
    set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 255 });
    set.clock.advanceBySync(260 * S);
    set.command(PPMID, 'powerOn');

    expect(set.alertsFrom(CH)).toEqual([
      { code: Alert.deviceLogChanged, at: T0 },
      { code: Alert.joinFailed, at: T0 + 260 * S },
    ]);
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'notJoined' });
    expect(set.command(ESME, 'join', { otherDeviceId: PPMID, critical: false }).status).toBe('invalidParameter');
    expect(set.alertsFrom(ESME)).toEqual([{ code: Alert.joinFailed, at: T0 + 260 * S }]);
  });

  it('Elster with quirk 91342: a 256 s join period is refused, so the PPMID never gets in', () => {
    const set = elsterSet();
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 256 }).status).toBe('invalidParameter');
    set.command(PPMID, 'powerOn');
    expect(set.alertsFrom(CH).map((alert) => alert.code)).toEqual([Alert.joinFailed, Alert.joinFailed]);
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'notJoined' });
  });

  it('Elster without 91342: 3600 s is accepted but the window is 255 s (t0+254 s joins)', () => {
    const set = elsterSet({ '91342': false });
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 3600 }).status).toBe('ok');
    set.clock.advanceBySync(254 * S);
    set.command(PPMID, 'powerOn');
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'joined' });
  });

  it('Itron: a 3600 s window lets the PPMID in at t0+3599 s', () => {
    const set = itronSet();
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 3600 }).status).toBe('ok');
    set.clock.advanceBySync(3599 * S);
    set.command(PPMID, 'powerOn');
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'joined' });
  });

  it('removing a joined PPMID from the device log takes it off the HAN and out of the meters', () => {
    const set = itronSet();
    set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 60 });
    set.command(PPMID, 'powerOn');
    set.command(ESME, 'join', { otherDeviceId: PPMID, critical: true });
    expect(set.command(CH, 'hanLogRemove', { deviceId: PPMID }).status).toBe('ok');
    expect(set.child(PPMID).getSnapshot()).toMatchObject({ value: { han: 'notJoined' }, context: { bindings: [] } });
    expect(set.child(ESME).getSnapshot().context).toMatchObject({ hanPeers: [], bindings: [] });
  });
});

describe('device set persistence and determinism', () => {
  it('restores every child from one persisted snapshot and carries on', () => {
    const set = elsterSet();
    set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 255 });
    set.command(PPMID, 'powerOn');
    set.command(ESME, 'join', { otherDeviceId: PPMID, critical: false });
    const json = JSON.stringify(set.actor.getPersistedSnapshot());
    set.actor.stop();

    const restored = startSet({ vendor: 'elster', ppmid: true, seed: 42 }, { snapshot: JSON.parse(json) });
    expect(restored.command(CH, 'readDeviceLog').body).toEqual({
      entries: [
        { deviceId: ESME, joined: true },
        { deviceId: GSME, joined: true },
        { deviceId: PPMID, joined: true },
      ],
    });
    expect(restored.child(PPMID).getSnapshot().context.bindings).toEqual([ESME]);
    // the restored set still carries HAN traffic: unbinding reaches the PPMID
    expect(restored.command(ESME, 'unjoin', { otherDeviceId: PPMID }).status).toBe('ok');
    expect(restored.child(PPMID).getSnapshot().context.bindings).toEqual([]);
  });

  it('the GSME loses the same commands for the same seed', () => {
    const run = (seed: number) => {
      const set = startSet({ vendor: 'itron', seed });
      // a poor HAN (0.5 per try, 3 tries: 12.5 % busy), so losses show in 500 commands
      expect(set.command(GSME, 'injectFault', { fault: 'hanFailureRate', value: 0.5 }).status).toBe('ok');
      return Array.from({ length: 500 }, () => set.command(GSME, 'readDeviceInfo').status);
    };
    const statuses = run(9);
    expect(run(9)).toEqual(statuses);
    expect(run(10)).not.toEqual(statuses);
    const busy = statuses.filter((status) => status === 'busy').length;
    // expected 62.5, standard deviation ≈ 7.4: ±4σ
    expect(busy).toBeGreaterThan(33);
    expect(busy).toBeLessThan(92);
  });
});
