/**
 * Workloads for bench/device-sets.ts: the bench's device sets (half Itron, half Elster, each with a PPMID), the
 * command sequence a migration-like session sends to one set, a counting VirtualClock, and a "bare" set (the same
 * actor topology as a device set with no device behaviour) to separate XState's per-actor cost from device state.
 */
import { createActor, setup, type AnyActorRef } from 'xstate';
import { createDeviceSetActor, deviceSetMachine } from '../devices/set';
import { VirtualClock } from '../emulator/clock/virtualClock';
import { benchSets, toSetInput, type DeviceSetConfig } from '../emulator/host/benchConfig';
import type { CommandInput } from '../protocols/benchClient';

/** N sets from benchSets (unique EUIs, seed 1 + i), even ones Itron and odd ones Elster, all with a PPMID. */
export function mixedSets(count: number): DeviceSetConfig[] {
  return benchSets({ vendor: 'itron', sets: count, ppmid: true }).map((config, i) =>
    i % 2 === 1 ? { ...config, vendor: 'elster' as const } : config,
  );
}

/**
 * A started set. `hostActor`: the DeviceSetActor DeviceHost makes (emulator/host/deviceHost.ts createSet), which
 * acts on a member's output without the set's macrostep; otherwise XState's own Actor of the machine.
 */
export function startSet(
  config: DeviceSetConfig,
  clock: VirtualClock,
  options: { inspect?: (event: { type: string }) => void; hostActor?: boolean } = {},
) {
  const actorOptions = { input: toSetInput(config), clock, ...(options.inspect ? { inspect: options.inspect } : {}) };
  const actor = options.hostActor ? createDeviceSetActor(actorOptions) : createActor(deviceSetMachine, actorOptions);
  actor.start();
  return actor;
}

export interface WorkloadCommand {
  to: string;
  command: CommandInput;
}

/**
 * One set's session, every command answered synchronously by the set: device info from all four devices, a
 * supply off / read / on cycle, a swell-level voltage that arms the swell detector and a return that disarms it,
 * whitelisting the PPMID on the CH (alert 0x8F12), powering the PPMID on (HAN join through the set: join request,
 * join result, "device joined" to both meters, alerts) and reading the device log back.
 */
export function setCommands(euis: DeviceSetConfig['euis']): WorkloadCommand[] {
  const { CH, ESME, GSME, PPMID } = euis;
  if (!PPMID) throw new Error('the workload needs a PPMID');
  return [
    ...[CH, ESME, GSME, PPMID].map((to): WorkloadCommand => ({ to, command: { type: 'readDeviceInfo' } })),
    { to: ESME, command: { type: 'setSupply', state: 'disabled' } },
    { to: ESME, command: { type: 'readSupply' } },
    { to: ESME, command: { type: 'setSupply', state: 'enabled' } },
    { to: ESME, command: { type: 'mainsVoltage', voltage: 260 } },
    { to: ESME, command: { type: 'mainsVoltage', voltage: 240 } },
    {
      to: CH,
      command: { type: 'hanLogAdd', deviceId: PPMID, installCode: '30313233343536373839414243444546', joinPeriod: 255 },
    },
    { to: PPMID, command: { type: 'powerOn' } },
    { to: CH, command: { type: 'readDeviceLog' } },
  ];
}

/** Commands per set in setCommands. */
export const COMMANDS_PER_SET = 12;

/** A VirtualClock that counts the timers it fires. */
export class CountingClock extends VirtualClock {
  fired = 0;

  override setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number) {
    return super.setTimeout(() => {
      this.fired++;
      fn();
    }, timeoutMs);
  }
}

// ── the bare set ───────────────────────────────────────────────────────────────────────────────────────────────

/** A device with no context and one state (a device set's devices invoke no child: common/timersResumption.ts). */
const bareDevice = setup({}).createMachine({});

/** A parent spawning four children keyed by the set's EUIs: 5 actors with a PPMID, as a device set. */
const bareSetMachine = setup({
  types: { input: {} as DeviceSetConfig['euis'], context: {} as { members: DeviceSetConfig['euis'] } },
  actors: { device: bareDevice },
}).createMachine({
  context: ({ input, spawn }) => {
    spawn('device', { id: input.CH });
    spawn('device', { id: input.ESME });
    spawn('device', { id: input.GSME });
    if (input.PPMID) spawn('device', { id: input.PPMID });
    return { members: input };
  },
});

export function startBareSet(config: DeviceSetConfig, clock: VirtualClock): AnyActorRef {
  const actor = createActor(bareSetMachine, { input: config.euis, clock });
  actor.start();
  return actor;
}

/** Every actor in a set's system, the set included. */
export function actorsOf(root: AnyActorRef): number {
  let count = 1;
  for (const child of Object.values(
    (root.getSnapshot() as { children?: Record<string, AnyActorRef> }).children ?? {},
  )) {
    if (child) count += actorsOf(child);
  }
  return count;
}
