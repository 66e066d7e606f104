/**
 * Every machine's persisted snapshot is JSON and restores to a device that carries on exactly as the original:
 * same context, same generator draws, timers re-armed at their original due times.
 */
import { createActor, type AnyActorRef, type InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { chMachine } from '../../devices/ch';
import { createChContext } from '../../devices/ch/chContext';
import { createEsmeContext } from '../../devices/esme/esmeContext';
import { createGsmeContext } from '../../devices/gsme/gsmeContext';
import { createPpmidContext } from '../../devices/ppmid/ppmidContext';
import { Alert } from '../../devices/common/alertCodes';
import { gsmeMachine } from '../../devices/gsme';
import { ppmidMachine } from '../../devices/ppmid';
import { deviceSetMachine } from '../../devices/set';
import { itronProfile, elsterProfile } from '../../devices/profiles';
import { VirtualClock } from '../../emulator/clock';
import { restartFromPersisted, startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const CH = '00-DB-12-34-56-78-90-A2';
const GSME = '00-DB-12-34-56-78-90-A1';
const PPMID = '00-DB-12-34-56-78-90-A3';
const INSTALL_CODE = '0011223344556677';

describe('persisted snapshots', () => {
  it('CH: the device log, alerts log and an open join window survive; the window still closes at +255 s', () => {
    const input = { eui: CH, profile: elsterProfile, credentials: initialSlots };
    const ch = startDevice(chMachine, input);
    ch.command('hanLogAdd', { deviceId: PPMID, installCode: INSTALL_CODE, joinPeriod: 255 });
    ch.clock.advanceBySync(100_000);
    const context = ch.actor.getSnapshot().context;

    const restored = restartFromPersisted(ch, chMachine, input);
    expect(restored.actor.getSnapshot().context).toEqual(context);
    expect(restored.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinOpen' });
    restored.clock.advanceBySync(154_999);
    expect(restored.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinOpen' });
    restored.clock.advanceBySync(1);
    expect(restored.actor.getSnapshot().value).toMatchObject({ han: 'permitJoinClosed' });
    restored.actor.send({ type: 'han.joinRequest', deviceId: PPMID, installCode: INSTALL_CODE });
    expect(restored.alerts).toEqual([
      { type: 'alert', code: Alert.joinFailed, at: T0 + 255_000, payload: '00db1234567890a3' },
    ]);
  });

  it('GSME: a restored meter draws the same HAN losses as one that never stopped', () => {
    // a poor HAN (0.5 per try, 3 tries: 12.5 % busy) so losses show in 600 commands; the profile's 5 % would not
    const poorHan = {
      ...itronProfile,
      devices: {
        ...itronProfile.devices,
        GSME: {
          ...itronProfile.devices.GSME,
          hanFailureRate: { value: 0.5, source: 'assumed' as const, note: 'test' },
        },
      },
    };
    const input = { eui: GSME, profile: poorHan, credentials: initialSlots, seed: 5 };
    const statuses = (device: ReturnType<typeof startDevice<typeof gsmeMachine>>) =>
      Array.from({ length: 300 }, () => device.command('readDeviceInfo').status);

    const continuous = startDevice(gsmeMachine, input);
    const expected = [...statuses(continuous), ...statuses(continuous)];

    const first = startDevice(gsmeMachine, input);
    const before = statuses(first);
    const restored = restartFromPersisted(first, gsmeMachine, input);
    expect([...before, ...statuses(restored)]).toEqual(expected);
    expect(expected).toContain('busy');
  });

  it('PPMID: a join attempt in progress still times out at its original deadline', () => {
    const input = { eui: PPMID, profile: itronProfile, credentials: initialSlots, installCode: INSTALL_CODE };
    const ppmid = startDevice(ppmidMachine, input);
    ppmid.command('powerOn');
    ppmid.clock.advanceBySync(10_000);
    const restored = restartFromPersisted(ppmid, ppmidMachine, input);
    expect(restored.actor.getSnapshot().value).toMatchObject({ han: 'joining' });
    restored.clock.advanceBySync(19_999);
    expect(restored.actor.getSnapshot().value).toMatchObject({ han: 'joining' });
    restored.clock.advanceBySync(1);
    expect(restored.actor.getSnapshot().value).toMatchObject({ han: 'notJoined' });
  });

  it('only a restored device is told to re-arm its timers: none of a new set, each timed device of a restored one', () => {
    const resumptions: string[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && event.event.type.endsWith('.timersResumed')) {
        resumptions.push(`${(event.actorRef as AnyActorRef).id} ${event.event.type}`);
      }
    };
    const input = { vendor: 'itron' as const, ppmid: true, credentials: initialSlots };
    const fresh = createActor(deviceSetMachine, { input, clock: new VirtualClock(T0), inspect });
    fresh.start();
    expect(resumptions).toEqual([]);
    // a new set persists no helper actor: its devices' only children are none
    const persisted = JSON.parse(JSON.stringify(fresh.getPersistedSnapshot()));
    for (const device of Object.values(persisted.children) as { snapshot: { children: object } }[]) {
      expect(device.snapshot.children).toEqual({});
    }
    fresh.stop();

    createActor(deviceSetMachine, { input, snapshot: persisted, clock: new VirtualClock(T0), inspect }).start();
    // the CH, the ESME and the PPMID have timed states; the GSME has none
    expect(resumptions.sort()).toEqual([
      '00-DB-12-34-56-78-90-A0 esme.timersResumed',
      `${CH} core.timersResumed`,
      `${PPMID} core.timersResumed`,
    ]);
  });

  it('a persisted snapshot round-trips through JSON unchanged', () => {
    const actor = createActor(chMachine, {
      input: { eui: CH, profile: itronProfile, credentials: initialSlots },
      clock: new VirtualClock(T0),
    });
    actor.start();
    const persisted = actor.getPersistedSnapshot();
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(persisted);
  });
});

describe("a fresh context's fields, in the order a persisted snapshot writes them", () => {
  // Written out by hand: createDeviceCoreContext builds the contexts for V8 (the device's fields spread last, then
  // one copy), and a snapshot's JSON must still list the fields as when they were spread into one literal.
  const core = [
    'eui',
    'deviceType',
    'vendor',
    'firmwareVersion',
    'migrationState',
    'swapInProgress',
    'commissioned',
    'credentials',
    'originatorCounters',
    'logs',
    'logCapacity',
    'alertSettings',
    'supportedCommands',
    'hanFailureRate',
    'hanMaxAttempts',
    'random',
    'deviceClockOffset',
    'quirks',
  ];
  const keysOf = (context: object) => Object.keys(JSON.parse(JSON.stringify(context)));

  it('ESME: the core, the HAN bindings, then its own', () => {
    expect(keysOf(createEsmeContext({ eui: CH, profile: itronProfile }))).toEqual([
      ...core,
      'hanPeers',
      'bindings',
      'settings',
      'voltageConfig',
      'powerThresholds',
      'supply',
      'mainsVoltage',
      'demand',
      'ambientState',
      'outageStartedAt',
      'power',
      'averagingWindow',
      'lastAverageRmsVoltage',
      'networkDataWindow',
      'networkData',
      'paymentMode',
      'payment',
      'creditBalance',
      'creditSettledAt',
      'supplyCutForCredit',
      'polarityReversed',
      'deadlines',
      'detectors',
      'meteringSchedule',
    ]);
  });

  it('GSME, CH, PPMID: the core, then their own', () => {
    expect(keysOf(createGsmeContext({ eui: GSME, profile: elsterProfile }))).toEqual([
      ...core,
      'hanPeers',
      'bindings',
      'gasFlow',
      'lastGasFlowConfigDay',
    ]);
    expect(keysOf(createChContext({ eui: CH, profile: elsterProfile }))).toEqual([
      ...core,
      'deviceLog',
      'joinWindowMax',
      'permitJoinUntil',
    ]);
    expect(keysOf(createPpmidContext({ eui: PPMID, profile: itronProfile, installCode: INSTALL_CODE }))).toEqual([
      ...core,
      'installCode',
      'joinAttemptTimeout',
      'joinAttemptDeadline',
      'joinRetryInterval',
      'nextJoinAttemptAt',
      'bindings',
    ]);
  });
});
