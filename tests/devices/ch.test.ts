import { describe, expect, it } from 'vitest';
import { chMachine } from '../../devices/ch';
import { Alert } from '../../devices/common/alertCodes';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const CH = '00-DB-12-34-56-78-90-A2';
const PPMID = '00-DB-12-34-56-78-90-A3';
const INSTALL_CODE = '0011223344556677';

function startCh(profile = elsterProfile, quirks = {}) {
  return startDevice(chMachine, { eui: CH, profile, credentials: initialSlots, seed: 7, quirks });
}

const joinRequest = (installCode = INSTALL_CODE) => ({
  type: 'han.joinRequest' as const,
  deviceId: PPMID,
  installCode,
});

describe('CH HAN device log (SR 8.11, 8.9)', () => {
  it('adds a device, raises 0x8F12 and lists it not yet joined', () => {
    const ch = startCh();
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 255 }).status).toBe('ok');
    expect(ch.alertCodes()).toEqual([Alert.deviceLogChanged]);
    expect(ch.command('readDeviceLog').body).toEqual({ entries: [{ deviceId: PPMID, joined: false }] });
  });

  it('refuses malformed adds without touching the log', () => {
    const ch = startCh(itronProfile);
    for (const fields of [
      { deviceId: 'not-an-eui', installCode: INSTALL_CODE, joinPeriod: 60 },
      { deviceId: PPMID, installCode: '0011', joinPeriod: 60 }, // 2 bytes: below 6
      { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 0 },
      { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 3601 },
      { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 12.5 },
    ]) {
      expect(ch.command('hanLogAdd', fields).status).toBe('invalidParameter');
    }
    expect(ch.alerts).toEqual([]);
    expect(ch.command('readDeviceLog').body).toEqual({ entries: [] });
  });

  it('removes a device with 0x8F12; removing an unknown device is invalidParameter', () => {
    const ch = startCh();
    ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 60 });
    expect(ch.command('hanLogRemove', { deviceId: PPMID }).status).toBe('ok');
    expect(ch.command('hanLogRemove', { deviceId: PPMID }).status).toBe('invalidParameter');
    expect(ch.alertCodes()).toEqual([Alert.deviceLogChanged, Alert.deviceLogChanged]);
    expect(ch.command('readDeviceLog').body).toEqual({ entries: [] });
  });

  it('holds 16 devices (assumed capacity): a 17th is refused with `full`, no alert, log unchanged; a listed one still updates', () => {
    const ch = startCh(itronProfile);
    const device = (i: number) => `00-DB-00-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
    for (let i = 1; i <= 16; i++)
      expect(ch.command('hanLogAdd', { deviceId: device(i), installCode: INSTALL_CODE, joinPeriod: 60 }).status).toBe(
        'ok',
      );
    expect(ch.command('hanLogAdd', { deviceId: device(17), installCode: INSTALL_CODE, joinPeriod: 60 }).status).toBe(
      'full',
    );
    expect(ch.alertCodes()).toEqual(Array(16).fill(Alert.deviceLogChanged));
    expect(ch.command('hanLogAdd', { deviceId: device(5), installCode: INSTALL_CODE, joinPeriod: 120 }).status).toBe(
      'ok',
    );
    const entries = (ch.command('readDeviceLog').body as { entries: { deviceId: string }[] }).entries;
    expect(entries.map((e) => e.deviceId)).toEqual(Array.from({ length: 16 }, (_, i) => device(i + 1)));
  });

  it('answers unsupported to a command of another device type', () => {
    const ch = startCh();
    expect(ch.command('gasFlowConfig', { uncontrolledFlowRateThreshold: 6, averagingPeriod: 300 }).status).toBe(
      'unsupported',
    );
  });
});

describe('CH join window', () => {
  it('Elster with quirk 91342 accepts a 255 s window and refuses 256 (invalidParameter, 0x8F48, log unchanged)', () => {
    const ch = startCh(elsterProfile);
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 255 }).status).toBe('ok');
    ch.command('hanLogRemove', { deviceId: PPMID });
    ch.alerts.length = 0;
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 256 }).status).toBe(
      'invalidParameter',
    );
    expect(ch.alerts).toEqual([{ type: 'alert', code: Alert.joinFailed, at: T0, payload: '00db1234567890a3' }]);
    expect(ch.command('readDeviceLog').body).toEqual({ entries: [] });
  });

  it('Elster with quirk 91342 refuses 300 and 3600 alike: invalidParameter and 0x8F48 naming the device, no 0x8F12', () => {
    for (const joinPeriod of [300, 3600]) {
      const ch = startCh(elsterProfile);
      expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod }).status).toBe(
        'invalidParameter',
      );
      expect(ch.alerts).toEqual([{ type: 'alert', code: 0x8f48, at: T0, payload: '00db1234567890a3' }]);
      expect(ch.command('readDeviceLog').body).toEqual({ entries: [] });
      expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinClosed' });
    }
  });

  it('Elster with quirk 91342: a refused 300 leaves an earlier 255 s window as it was', () => {
    const ch = startCh(elsterProfile);
    ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 255 });
    ch.clock.advanceBySync(100_000);
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 300 }).status).toBe(
      'invalidParameter',
    );
    ch.clock.advanceBySync(154_999);
    ch.actor.send(joinRequest());
    expect(ch.alertCodes()).toEqual([0x8f12, 0x8f48, 0x8f49, 0x8183]);
  });

  it('Elster with 91342 off accepts 300 (0x8F12) and opens a 255 s window', () => {
    const ch = startCh(elsterProfile, { '91342': false });
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 300 }).status).toBe('ok');
    expect(ch.alerts).toEqual([{ type: 'alert', code: 0x8f12, at: T0 }]);
    ch.clock.advanceBySync(254_999);
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinOpen' });
    ch.clock.advanceBySync(1);
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinClosed' });
  });

  it('Elster with 91342 off accepts 3600 and caps the window at 255 s', () => {
    const ch = startCh(elsterProfile, { '91342': false });
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 3600 }).status).toBe('ok');
    ch.clock.advanceBySync(254_999);
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinOpen' });
    ch.clock.advanceBySync(1);
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinClosed' });
  });

  it('Itron accepts 3600 and keeps the window open for exactly 3600 s', () => {
    const ch = startCh(itronProfile);
    expect(ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 3600 }).status).toBe('ok');
    ch.clock.advanceBySync(3_599_999);
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinOpen' });
    ch.clock.advanceBySync(1);
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinClosed' });
  });

  it('lets the device in at 250 s of a 255 s window: 0x8F49 and 0x8183, logged joined', () => {
    const ch = startCh();
    ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 255 });
    ch.clock.advanceBySync(250_000);
    ch.actor.send(joinRequest());
    expect(ch.alerts.slice(1)).toEqual([
      { type: 'alert', code: Alert.joinSucceeded, at: T0 + 250_000, payload: '00db1234567890a3' },
      { type: 'alert', code: Alert.deviceJoinedSmhan, at: T0 + 250_000, payload: '00db1234567890a3' },
    ]);
    expect(ch.command('readDeviceLog').body).toEqual({ entries: [{ deviceId: PPMID, joined: true }] });
  });

  it('refuses the device at 260 s of a 255 s window (and at exactly 255 s) with 0x8F48', () => {
    for (const at of [255_000, 260_000]) {
      const ch = startCh();
      ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 255 });
      ch.clock.advanceBySync(at);
      ch.actor.send(joinRequest());
      expect(ch.alerts.slice(1)).toEqual([
        { type: 'alert', code: Alert.joinFailed, at: T0 + at, payload: '00db1234567890a3' },
      ]);
      expect(ch.command('readDeviceLog').body).toEqual({ entries: [{ deviceId: PPMID, joined: false }] });
    }
  });

  it('refuses a wrong install code and an unlisted device inside the window', () => {
    const ch = startCh();
    ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 255 });
    ch.actor.send(joinRequest('ffffffffffffffff'));
    ch.actor.send({ type: 'han.joinRequest', deviceId: '00-DB-12-34-56-78-90-A9', installCode: INSTALL_CODE });
    expect(ch.alertCodes().slice(1)).toEqual([Alert.joinFailed, Alert.joinFailed]);
  });
});
