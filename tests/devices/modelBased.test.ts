/**
 * Model-based tests: xstate/graph explores each machine under a timer-free event model and every explored edge is
 * replayed on a real actor; the test fails listing any state or transition no path exercised.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chMachine } from '../../devices/ch';
import { gsmeMachine } from '../../devices/gsme';
import { ppmidMachine } from '../../devices/ppmid';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import { T0 } from './support/deviceHarness';
import { delayedEventTypes, exploreModel } from './support/modelCoverage';
import { command, coreCommands, EUI, INSTALL_CODE, withLosslessHan, withNothingSupported } from './support/models';
import { initialSlots } from './support/pki';

// The traversal runs transitions without a clock: the devices fall back to Date.now(), frozen here at T0.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterAll(() => vi.useRealTimers());

const timerEvents = (types: string[]) => [...types.map((type) => ({ type })), { type: 'core.timersResumed' }];

describe('model-based coverage', () => {
  it('CH: every state and transition', () => {
    const base = { eui: EUI.CH, credentials: initialSlots };
    const report = exploreModel(
      chMachine,
      [
        { ...base, profile: elsterProfile },
        { ...base, profile: itronProfile, migrationState: 'dcc' as const },
        { ...base, profile: withNothingSupported(itronProfile, 'CH') },
      ],
      () => [
        ...coreCommands(EUI.CH),
        command('hanLogAdd', { deviceId: EUI.PPMID, installCode: INSTALL_CODE, joinPeriod: 60 }),
        command('hanLogRemove', { deviceId: EUI.PPMID }),
        command('readDeviceLog'),
        { type: 'han.joinRequest', deviceId: EUI.PPMID, installCode: INSTALL_CODE },
        ...timerEvents(delayedEventTypes(chMachine)),
      ],
    );
    expect(report.uncoveredStates).toEqual([]);
    expect(report.uncoveredTransitions).toEqual([]);
    expect(report.allTransitions.length).toBeGreaterThan(20);
  });

  it('GSME: every state and transition', () => {
    const base = { eui: EUI.GSME, credentials: initialSlots };
    const lossless = withLosslessHan(itronProfile, 'GSME');
    const report = exploreModel(
      gsmeMachine,
      [
        { ...base, profile: lossless },
        { ...base, profile: lossless, migrationState: 'dcc' as const },
        { ...base, profile: withNothingSupported(lossless, 'GSME') },
      ],
      () => [
        ...coreCommands(EUI.GSME),
        command('gasFlowConfig', { uncontrolledFlowRateThreshold: 4.5, averagingPeriod: 600 }),
        command('alertBehaviour', { owner: 'supplier', alerts: [{ code: 0x8f48, enabled: false }] }),
        command('join', { otherDeviceId: EUI.PPMID, critical: false }),
        command('unjoin', { otherDeviceId: EUI.PPMID }),
        { type: 'han.peerJoined', deviceId: EUI.PPMID },
        { type: 'han.peerLeft', deviceId: EUI.PPMID },
      ],
    );
    expect(report.uncoveredStates).toEqual([]);
    expect(report.uncoveredTransitions).toEqual([]);
  });

  it('PPMID: every state and transition', () => {
    const base = { eui: EUI.PPMID, credentials: initialSlots, installCode: INSTALL_CODE };
    const report = exploreModel(
      ppmidMachine,
      [
        { ...base, profile: elsterProfile },
        { ...base, profile: elsterProfile, migrationState: 'dcc' as const },
        { ...base, profile: withNothingSupported(elsterProfile, 'PPMID') },
      ],
      () => [
        ...coreCommands(EUI.PPMID),
        command('powerOn'),
        { type: 'han.joinResult', joined: true },
        { type: 'han.joinResult', joined: false },
        { type: 'han.bound', meterId: EUI.ESME },
        { type: 'han.unbound', meterId: EUI.ESME },
        { type: 'han.peerLeft', deviceId: EUI.PPMID },
        ...timerEvents(delayedEventTypes(ppmidMachine)),
      ],
    );
    expect(report.uncoveredStates).toEqual([]);
    expect(report.uncoveredTransitions).toEqual([]);
  });

  it('the check notices what a model leaves out (no hanLogAdd: the permit-join never opens)', () => {
    const report = exploreModel(chMachine, [{ eui: EUI.CH, credentials: initialSlots, profile: elsterProfile }], () => [
      command('readDeviceLog'),
    ]);
    expect(report.uncoveredStates).toContain('ch.han.permitJoinOpen');
    expect(report.uncoveredTransitions).toContain('ch.han.permitJoinClosed --ch.permitJoinOpened#0--> ch.han.permitJoinOpen');
  });
});
