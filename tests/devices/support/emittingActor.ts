// An ESME actor (the machine or the frozen legacy one) started with what it emits collected in order, as the
// differential tests compare the two.
import { createActor, type AnyActorLogic } from 'xstate';
import type { AlertEmitted, ResponseEmitted } from '../../../devices/common/types';
import type { EsmeInput } from '../../../devices/esme/esmeContext';
import type { VirtualClock } from '../../../emulator/clock';

export function startActor(
  logic: AnyActorLogic,
  input: EsmeInput,
  clock: VirtualClock,
  emitted: unknown[],
  snapshot?: unknown,
) {
  const actor = createActor(logic, { input, clock, snapshot: snapshot as never });
  actor.on('response', (event: ResponseEmitted) => emitted.push(event));
  actor.on('alert', (event: AlertEmitted) => emitted.push(event));
  actor.start();
  return actor;
}
