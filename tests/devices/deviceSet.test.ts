import { describe, expect, it } from 'vitest';
import { Alert } from '../../devices/common/alertCodes';
import { checkInstallCodes, RTDS_EUIS } from '../../devices/set';
import { T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';
import { startSet } from './support/setHarness';

const { CH, ESME, GSME, PPMID } = RTDS_EUIS;
/** The PPMID's default install code: the DCC RTDS 8.11 template's, written out here. */
const PPMID_CODE = '30313233343536373839414243444546';
const S = 1000;

const elsterSet = (quirks = {}) =>
  startSet({ vendor: 'elster', ppmid: true, seed: 42, credentials: initialSlots, quirks });
const itronSet = () => startSet({ vendor: 'itron', ppmid: true, seed: 42, credentials: initialSlots });

describe('device set routing', () => {
  it('spawns CH, ESME, GSME and PPMID with their RTDS EUIs as ids', () => {
    const set = elsterSet();
    expect(Object.keys(set.actor.getSnapshot().children).sort()).toEqual([ESME, GSME, CH, PPMID].sort());
    expect(set.command(CH, 'readDeviceInfo')).toMatchObject({
      status: 'ok',
      source: CH,
      body: { deviceType: 'CH', vendor: 'elster' },
    });
    expect(set.command(ESME, 'readDeviceInfo').body).toMatchObject({ deviceType: 'ESME' });
  });

  it('a member answers through the set only: the set emits its response and alerts, the member emits nothing', () => {
    const set = elsterSet();
    const ch = set.actor.getSnapshot().children[CH]!;
    const fromMember: unknown[] = [];
    ch.on('*', (event: unknown) => fromMember.push(event));
    set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 60 });
    expect(set.responses.at(-1)).toMatchObject({ type: 'response', status: 'ok', source: CH });
    expect(set.alerts).toEqual([{ type: 'alert', code: Alert.deviceLogChanged, at: T0, source: CH }]);
    expect(fromMember).toEqual([]);
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
    expect(startSet({ vendor: 'itron' }).command(ESME, 'readPaymentMode').body).toEqual({
      mode: 'credit',
      creditBalance: 0,
    });
  });

  it('leaves the PPMID out unless asked', () => {
    const set = startSet({ vendor: 'itron' });
    expect(Object.keys(set.actor.getSnapshot().children).sort()).toEqual([ESME, GSME, CH].sort());
    expect(set.command(PPMID, 'powerOn').status).toBe('unknownDevice');
  });

  it('does not take a command with no EUI for the absent PPMID', () => {
    const set = startSet({ vendor: 'itron' });
    expect(set.command(undefined as never, 'readDeviceInfo')).toEqual({
      type: 'response',
      requestId: expect.any(String),
      status: 'unknownDevice',
      source: undefined,
    });
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
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 255 }).status).toBe(
      'ok',
    );
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

  it('the GSME binds and unbinds a joined PPMID across the lossy HAN: the binding messages reach the PPMID', () => {
    const set = itronSet();
    set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 60 });
    set.command(PPMID, 'powerOn');
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'joined' });
    // no HAN loss, so the answer below is the GSME's decision and not a lost message
    expect(set.command(GSME, 'injectFault', { fault: 'hanFailureRate', value: 0 }).status).toBe('ok');
    const before = set.han.length;

    expect(set.command(GSME, 'join', { otherDeviceId: PPMID, critical: false }).status).toBe('ok');
    expect(set.child(PPMID).getSnapshot().context.bindings).toEqual([GSME]);
    expect(set.command(GSME, 'unjoin', { otherDeviceId: PPMID }).status).toBe('ok');
    expect(set.child(PPMID).getSnapshot().context.bindings).toEqual([]);
    expect(set.han.slice(before).map(({ from, to, message }) => [from, to, message.type])).toEqual([
      [GSME, PPMID, 'han.bound'],
      [GSME, PPMID, 'han.unbound'],
    ]);
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
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 256 }).status).toBe(
      'invalidParameter',
    );
    set.command(PPMID, 'powerOn');
    expect(set.alertsFrom(CH).map((alert) => alert.code)).toEqual([Alert.joinFailed, Alert.joinFailed]);
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'notJoined' });
  });

  it('Elster without 91342: 3600 s is accepted but the window is 255 s (t0+254 s joins)', () => {
    const set = elsterSet({ '91342': false });
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 3600 }).status).toBe(
      'ok',
    );
    set.clock.advanceBySync(254 * S);
    set.command(PPMID, 'powerOn');
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'joined' });
  });

  it('Itron: a 3600 s window lets the PPMID in at t0+3599 s', () => {
    const set = itronSet();
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 3600 }).status).toBe(
      'ok',
    );
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

describe('PPMID join retries against the CH (defect 91342)', () => {
  const MIN = 60 * S;
  const failedAt = (...times: number[]) => times.map((at) => ({ code: Alert.joinFailed, at: T0 + at }));

  it('Elster, quirk on: powered first, then 8.11 of 256 and 300 refused; an hour of attempts every 60 s all fail', () => {
    const set = elsterSet();
    set.command(PPMID, 'powerOn');
    set.clock.advanceBySync(90 * S);
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 256 }).status).toBe(
      'invalidParameter',
    );
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 300 }).status).toBe(
      'invalidParameter',
    );
    set.clock.advanceBySync(3600 * S - 90 * S);
    // attempts at +0, +60 s, … +3600 s (61), and the two refusals at +90 s, each 0x8F48 from the CH
    const attempts = Array.from({ length: 61 }, (_, i) => i * MIN);
    const expected = [...failedAt(0, MIN), ...failedAt(90 * S, 90 * S), ...failedAt(...attempts.slice(2))];
    expect(set.alertsFrom(CH)).toEqual(expected);
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'notJoined' });
    expect(set.command(CH, 'readDeviceLog').body).toEqual({
      entries: [
        { deviceId: ESME, joined: true },
        { deviceId: GSME, joined: true },
      ],
    });
  });

  it('Elster, quirk on: a later 255 is accepted and the powered PPMID joins at its next attempt, without a power cycle', () => {
    const set = elsterSet();
    set.command(PPMID, 'powerOn');
    set.clock.advanceBySync(90 * S);
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 300 }).status).toBe(
      'invalidParameter',
    );
    set.clock.advanceBySync(10 * S);
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 255 }).status).toBe(
      'ok',
    );
    set.clock.advanceBySync(30 * S);
    expect(set.alertsFrom(CH)).toEqual([
      ...failedAt(0, MIN, 90 * S),
      { code: Alert.deviceLogChanged, at: T0 + 100 * S },
      { code: Alert.joinSucceeded, at: T0 + 120 * S },
      { code: Alert.deviceJoinedSmhan, at: T0 + 120 * S },
    ]);
    expect(set.child(PPMID).getSnapshot().value).toMatchObject({ han: 'joined' });
  });

  it('Elster, quirk off: 300 is accepted and the PPMID joins at its next attempt', () => {
    const set = elsterSet({ '91342': false });
    set.command(PPMID, 'powerOn');
    set.clock.advanceBySync(90 * S);
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 300 }).status).toBe(
      'ok',
    );
    set.clock.advanceBySync(30 * S);
    expect(set.alertsFrom(CH)).toEqual([
      ...failedAt(0, MIN),
      { code: Alert.deviceLogChanged, at: T0 + 90 * S },
      { code: Alert.joinSucceeded, at: T0 + 120 * S },
      { code: Alert.deviceJoinedSmhan, at: T0 + 120 * S },
    ]);
  });

  it('Itron: 3600 is accepted and the PPMID joins at its next attempt', () => {
    const set = itronSet();
    set.command(PPMID, 'powerOn');
    set.clock.advanceBySync(90 * S);
    expect(set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 3600 }).status).toBe(
      'ok',
    );
    set.clock.advanceBySync(30 * S);
    expect(set.alertsFrom(CH).slice(-2)).toEqual([
      { code: Alert.joinSucceeded, at: T0 + 120 * S },
      { code: Alert.deviceJoinedSmhan, at: T0 + 120 * S },
    ]);
  });
});

describe('install codes', () => {
  it('default to the RTDS template code for the ESME, GSME and PPMID: the CH log holds the meters with it', () => {
    const set = elsterSet();
    const log = (set.child(CH).getSnapshot().context as { deviceLog: { installCode: string }[] }).deviceLog;
    expect(log.map((entry) => entry.installCode)).toEqual([
      '30313233343536373839414243444546',
      '30313233343536373839414243444546',
    ]);
    expect(set.child(PPMID).getSnapshot().context.installCode).toBe('30313233343536373839414243444546');
  });

  it('a bench sets its own: the PPMID then joins only when the 8.11 carries that code', () => {
    const set = startSet({
      vendor: 'itron',
      ppmid: true,
      seed: 42,
      credentials: initialSlots,
      installCodes: { PPMID: 'A1B2C3D4E5F6' },
    });
    set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: PPMID_CODE, joinPeriod: 3600 });
    set.command(PPMID, 'powerOn');
    expect(set.alertsFrom(CH).map((alert) => alert.code)).toEqual([Alert.deviceLogChanged, Alert.joinFailed]);
    set.command(CH, 'hanLogAdd', { deviceId: PPMID, installCode: 'a1b2c3d4e5f6', joinPeriod: 3600 });
    set.clock.advanceBySync(60 * S);
    expect(set.alertsFrom(CH).slice(-2)).toEqual([
      { code: Alert.joinSucceeded, at: T0 + 60 * S },
      { code: Alert.deviceJoinedSmhan, at: T0 + 60 * S },
    ]);
  });

  it('refuses a bad one, naming the device', () => {
    expect(checkInstallCodes({ PPMID: 'A1B2C3D4E5F6' })).toEqual({ PPMID: 'a1b2c3d4e5f6' });
    expect(() => checkInstallCodes({ PPMID: '0011' })).toThrowError(
      'device set: PPMID install code "0011" is not 6–16 bytes of hex',
    );
    expect(() => checkInstallCodes({ ESME: '00'.repeat(17) }, 'bench')).toThrowError(
      /^bench: ESME install code "0{34}" is not 6–16 bytes of hex$/,
    );
    expect(() => checkInstallCodes({ CH: '001122334455' } as never)).toThrowError(
      'device set: no install code for CH: only ESME, GSME, PPMID join a HAN',
    );
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
