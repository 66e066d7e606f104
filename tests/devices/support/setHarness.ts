/** Test support: a device set on a VirtualClock, everything it emits recorded, `command(to, type, fields)`. */
import { createActor } from 'xstate';
import type { DeviceSetEmitted, DeviceSetInput } from '../../../devices/set';
import { deviceSetMachine } from '../../../devices/set';
import { VirtualClock } from '../../../emulator/clock';
import { T0 } from './deviceHarness';

type Emitted<T extends DeviceSetEmitted['type']> = Extract<DeviceSetEmitted, { type: T }>;

let counter = 0;

export function startSet(input: DeviceSetInput, options: { snapshot?: unknown; clock?: VirtualClock } = {}) {
  const clock = options.clock ?? new VirtualClock(T0);
  const actor = createActor(deviceSetMachine, { input, clock, snapshot: options.snapshot as never });
  const responses: Emitted<'response'>[] = [];
  const alerts: Emitted<'alert'>[] = [];
  const han: Emitted<'han'>[] = [];
  actor.on('response', (event) => responses.push(event));
  actor.on('alert', (event) => alerts.push(event));
  actor.on('han', (event) => han.push(event));
  actor.start();
  return {
    clock,
    actor,
    responses,
    alerts,
    han,
    command(to: string, type: string, fields: object = {}) {
      const requestId = `set-${++counter}`;
      const before = responses.length;
      actor.send({ type: 'command', to, command: { type, requestId, ...fields } as never });
      const answered = responses.slice(before).filter((response) => response.requestId === requestId);
      if (answered.length !== 1)
        throw new Error(`${type} to ${to}: expected exactly one response, got ${answered.length}`);
      return answered[0];
    },
    /** The child actor with this EUI. */
    child(eui: string) {
      const child = actor.getSnapshot().children[eui];
      if (!child) throw new Error(`no child ${eui}`);
      return child as unknown as { getSnapshot(): { value: unknown; context: Record<string, unknown> } };
    },
    alertsFrom(source: string) {
      return alerts.filter((alert) => alert.source === source).map(({ code, at }) => ({ code, at }));
    },
  };
}
