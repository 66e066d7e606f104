/**
 * Model-based coverage: xstate/graph explores each machine under a timer-free event model and every explored edge is
 * replayed on a real actor; the test fails listing any state or transition no path exercised. Coverage alone says
 * nothing about behaviour (the replay runs the machine's own transitions), so the replays' responses and alerts are
 * also checked against expectations written here from docs/protocol.md ("Response status") and the primer's alert
 * table: what each command answers from the initial state, and `unsupported` for everything when the profile
 * supports nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chMachine } from '../../devices/ch';
import { gsmeMachine } from '../../devices/gsme';
import { ppmidMachine } from '../../devices/ppmid';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import { T0 } from './support/deviceHarness';
import { delayedEventTypes, exploreModel, type CoverageReport } from './support/modelCoverage';
import { command, coreCommands, EUI, INSTALL_CODE, withLosslessHan, withNothingSupported } from './support/models';
import { initialSlots } from './support/pki';

// The traversal runs transitions without a clock: the devices fall back to Date.now(), frozen here at T0.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterAll(() => vi.useRealTimers());

interface Outcome {
  statuses: string[];
  alerts: number[];
}
const ok: Outcome = { statuses: ['ok'], alerts: [] };

/**
 * What any device answers from its initial state to the core commands of support/models.ts, written from the
 * documents, not read from the machines: 0x8F70 credentials updated, 0x8F3D authentication failure, 0x8F69
 * commissioned (primer's alert table); a forged signature is `authenticationFailed`, a message of another device
 * type `unsupported` (docs/protocol.md, "Response status").
 */
const CORE_FROM_START: Record<string, Outcome> = {
  'model:readDeviceInfo': ok,
  'model:readCredentials': ok,
  'model:replaceCredentials': { statuses: ['ok'], alerts: [0x8f70] },
  'model:forged': { statuses: ['authenticationFailed'], alerts: [0x8f3d] },
  'model:recovery': { statuses: ['ok'], alerts: [0x8f70] },
  'model:readEventLog': ok,
  'model:commission': { statuses: ['ok'], alerts: [0x8f69] },
  'model:clockSync': ok,
  'model:injectFault': ok,
  'model:readNetworkData': { statuses: ['unsupported'], alerts: [] },
};

/** The outcome of every command sent to input `input` in its initial state, by request id. */
function fromStart(report: CoverageReport, input: number): Record<string, Outcome> {
  const start = report.outcomes.filter(
    (o) => o.input === input && o.pathLength === 0 && typeof o.event.requestId === 'string',
  );
  return Object.fromEntries(
    start.map((o) => [o.event.requestId as string, { statuses: o.statuses, alerts: o.alerts }]),
  );
}

/** Commands whose replay (from any state) answered anything but exactly one `unsupported` with no alert. */
function notUnsupported(report: CoverageReport, input: number): string[] {
  const commands = report.outcomes.filter((o) => o.input === input && typeof o.event.requestId === 'string');
  if (commands.length < 10) throw new Error(`only ${commands.length} commands replayed for input ${input}`);
  return commands
    .filter((o) => JSON.stringify(o.statuses) !== '["unsupported"]' || o.alerts.length > 0)
    .map((o) => `${o.event.requestId}: ${o.statuses.join(',')} ${o.alerts.join(',')}`);
}

const timerEvents = (types: string[]) => [...types.map((type) => ({ type })), { type: 'core.timersResumed' }];

describe('model-based coverage, with outcomes checked against written expectations', () => {
  it('CH: every state and transition is taken; commands from the start and with nothing supported answer as documented', () => {
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
    expect(fromStart(report, 0)).toMatchObject({
      ...CORE_FROM_START,
      // 0x8F12: CHF device log changed (primer)
      'model:hanLogAdd': { statuses: ['ok'], alerts: [0x8f12] },
      'model:readDeviceLog': ok,
    });
    expect(notUnsupported(report, 2)).toEqual([]);
  });

  it('GSME: every state and transition is taken; commands from the start and with nothing supported answer as documented', () => {
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
    expect(fromStart(report, 0)).toMatchObject({
      ...CORE_FROM_START,
      'model:gasFlowConfig': ok,
      'model:alertBehaviour': ok,
    });
    expect(notUnsupported(report, 2)).toEqual([]);
  });

  it('PPMID: every state and transition is taken; commands from the start and with nothing supported answer as documented', () => {
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
    expect(fromStart(report, 0)).toMatchObject({ ...CORE_FROM_START, 'model:powerOn': ok });
    expect(notUnsupported(report, 2)).toEqual([]);
  });

  it('the check notices what a model leaves out (no hanLogAdd: the permit-join never opens)', () => {
    const report = exploreModel(chMachine, [{ eui: EUI.CH, credentials: initialSlots, profile: elsterProfile }], () => [
      command('readDeviceLog'),
    ]);
    expect(report.uncoveredStates).toContain('ch.han.permitJoinOpen');
    expect(report.uncoveredTransitions).toContain(
      'ch.han.permitJoinClosed --ch.permitJoinOpened#0--> ch.han.permitJoinOpen',
    );
  });
});
