// The CH's HAN device log at its edges: the smallest join period, install code lengths and spelling, a device
// listed twice, removing one of two, and a join at the very instant its window opens. Written to kill the
// mutants `npm run mutation:devices -- --mutate 'devices/ch/*.ts'` found alive (README, "Mutation testing").
// Alert codes are the primer's: 0x8F12 device log changed, 0x8F49 join succeeded, 0x8183 device joined SMHAN,
// 0x8F48 join failed.
import { describe, expect, it } from 'vitest';
import { chMachine } from '../../devices/ch';
import { itronProfile } from '../../devices/profiles';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const CH = '00-DB-12-34-56-78-90-A2';
const PPMID = '00-DB-12-34-56-78-90-A3';
const OTHER = '00-DB-12-34-56-78-90-B3';
const CODE = '0011223344556677';

const startCh = () => startDevice(chMachine, { eui: CH, profile: itronProfile, credentials: initialSlots, seed: 7 });
const add = (ch: ReturnType<typeof startCh>, fields: object) =>
  ch.command('hanLogAdd', { deviceId: PPMID, installCode: CODE, joinPeriod: 60, ...fields }).status;

describe('CH device log edges', () => {
  it('accepts the smallest join period (1 s) and install codes of 6 and 16 bytes', () => {
    const ch = startCh();
    expect([
      add(ch, { joinPeriod: 1 }),
      add(ch, { installCode: '001122334455' }),
      add(ch, { installCode: '00112233445566778899aabbccddeeff' }),
    ]).toEqual(['ok', 'ok', 'ok']);
  });

  it('refuses install codes of 5 or 17 bytes, an odd number of digits, or non-hex around valid hex', () => {
    const ch = startCh();
    const codes = [
      '0011223344',
      '00112233445566778899aabbccddeeff00',
      '0011223344556',
      'x001122334455',
      '001122334455x',
      '00112233445g',
    ];
    expect(codes.map((installCode) => add(ch, { installCode }))).toEqual(codes.map(() => 'invalidParameter'));
    expect(ch.alerts).toEqual([]);
  });

  it('listing a device again keeps one entry and leaves the others; removing one device keeps the other', () => {
    const ch = startCh();
    add(ch, {});
    add(ch, { deviceId: OTHER });
    add(ch, { installCode: '8899aabbccddeeff' });
    expect(ch.command('readDeviceLog').body).toEqual({
      entries: [
        { deviceId: PPMID, joined: false },
        { deviceId: OTHER, joined: false },
      ],
    });
    expect(ch.command('hanLogRemove', { deviceId: PPMID }).status).toBe('ok');
    expect(ch.command('readDeviceLog').body).toEqual({ entries: [{ deviceId: OTHER, joined: false }] });
  });

  it('a join marks only the device that joined', () => {
    const ch = startCh();
    add(ch, {});
    add(ch, { deviceId: OTHER });
    ch.actor.send({ type: 'han.joinRequest', deviceId: PPMID, installCode: CODE });
    expect(ch.command('readDeviceLog').body).toEqual({
      entries: [
        { deviceId: PPMID, joined: true },
        { deviceId: OTHER, joined: false },
      ],
    });
  });

  it('refuses to remove a malformed EUI with invalidParameter, changing nothing', () => {
    const ch = startCh();
    add(ch, {});
    ch.alerts.length = 0;
    expect(ch.command('hanLogRemove', { deviceId: '00DB1234567890A3' }).status).toBe('invalidParameter');
    expect(ch.alerts).toEqual([]);
    expect(ch.command('readDeviceLog').body).toEqual({ entries: [{ deviceId: PPMID, joined: false }] });
  });

  it('lets a device in at the instant its window opens, whatever the case of its install code on either side', () => {
    for (const [listed, presented] of [
      ['aabbccddeeff0011', 'AABBCCDDEEFF0011'],
      ['AABBCCDDEEFF0011', 'aabbccddeeff0011'],
    ]) {
      const ch = startCh();
      add(ch, { installCode: listed });
      ch.actor.send({ type: 'han.joinRequest', deviceId: PPMID, installCode: presented });
      expect(ch.alerts.map((a) => [a.code, a.at, a.payload])).toEqual([
        [0x8f12, T0, undefined],
        [0x8f49, T0, '00db1234567890a3'],
        [0x8183, T0, '00db1234567890a3'],
      ]);
      expect(ch.command('readDeviceLog').body).toEqual({ entries: [{ deviceId: PPMID, joined: true }] });
    }
  });

  it('listing a device again re-opens the window from now: open until 60 s after the second add, a join at 50 s into it is let in', () => {
    const ch = startCh();
    add(ch, {});
    ch.clock.advanceBySync(40_000);
    add(ch, {});
    ch.clock.advanceBySync(50_000); // 90 s after the first add: outside the first window, inside the second
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinOpen' });
    ch.actor.send({ type: 'han.joinRequest', deviceId: PPMID, installCode: CODE });
    expect(ch.alerts.map((a) => a.code)).toEqual([0x8f12, 0x8f12, 0x8f49, 0x8183]);
    ch.clock.advanceBySync(9_999);
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinOpen' });
    ch.clock.advanceBySync(1); // 100 s: the second window's end
    expect(ch.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinClosed' });
  });
});
