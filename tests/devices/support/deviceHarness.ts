/**
 * Test support: a device actor on a VirtualClock, with everything it emits recorded, and `command()` that sends a
 * contract command and returns its one response.
 */
import { createActor, type AnyActorLogic, type AnyActorRef, type InputFrom } from 'xstate';
import type { AlertEmitted, ResponseEmitted } from '../../../devices/common/types';
import { VirtualClock } from '../../../emulator/clock';

export const T0 = Date.UTC(2026, 0, 1);

export interface DeviceHarness<TLogic extends AnyActorLogic> {
  clock: VirtualClock;
  actor: AnyActorRef & { getSnapshot(): ReturnType<TLogic['getInitialSnapshot']> };
  responses: ResponseEmitted[];
  alerts: AlertEmitted[];
  command(type: string, fields?: object): ResponseEmitted;
  alertCodes(): number[];
}

let counter = 0;

export function startDevice<TLogic extends AnyActorLogic>(
  logic: TLogic,
  input: InputFrom<TLogic>,
  options: { clock?: VirtualClock; snapshot?: unknown } = {},
): DeviceHarness<TLogic> {
  const clock = options.clock ?? new VirtualClock(T0);
  const actor = createActor(logic, { input, clock, snapshot: options.snapshot as never });
  const responses: ResponseEmitted[] = [];
  const alerts: AlertEmitted[] = [];
  actor.on('response', (event: ResponseEmitted) => responses.push(event));
  actor.on('alert', (event: AlertEmitted) => alerts.push(event));
  actor.start();
  return {
    clock,
    actor: actor as DeviceHarness<TLogic>['actor'],
    responses,
    alerts,
    command(type, fields = {}) {
      const requestId = `req-${++counter}`;
      const before = responses.length;
      actor.send({ type, requestId, ...fields } as never);
      const answered = responses.slice(before).filter((response) => response.requestId === requestId);
      if (answered.length !== 1) throw new Error(`${type}: expected exactly one response, got ${answered.length}`);
      return answered[0];
    },
    alertCodes: () => alerts.map((alert) => alert.code),
  };
}

/**
 * Persists the device, stops it, sends the snapshot through JSON and restores it on a new clock at the same time:
 * what the emulator does across a restart.
 */
export function restartFromPersisted<TLogic extends AnyActorLogic>(
  device: DeviceHarness<TLogic>,
  logic: TLogic,
  input: InputFrom<TLogic>,
): DeviceHarness<TLogic> {
  const json = JSON.stringify(device.actor.getPersistedSnapshot());
  device.actor.stop();
  return startDevice(logic, input, { snapshot: JSON.parse(json), clock: new VirtualClock(device.clock.now()) });
}
