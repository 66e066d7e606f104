/**
 * Records the device commands the S1SP sends through a bench's BenchClient (and the status each was answered
 * with), so a migration step can list the device frames it caused. The client's `request` is wrapped once per
 * client; what it records goes to whichever sink is open. It also keeps the last signed command (one carrying a
 * `signature`) each device was sent, whatever sink is open: what an eavesdropper on the line could capture and
 * replay (a pack's `replay` stimulus).
 */
import type { BenchClient, CommandInput } from '../../protocols/benchClient';
import type { DeviceFrame } from './log';

interface Tap {
  sink: DeviceFrame[] | undefined;
  /** By device EUI: the last command with a signature it was sent. */
  readonly lastSigned: Map<string, CommandInput>;
}

const taps = new WeakMap<BenchClient, Tap>();

export function frameTap(client: BenchClient, now: () => number): Tap {
  let tap = taps.get(client);
  if (tap !== undefined) return tap;
  const created: Tap = { sink: undefined, lastSigned: new Map() };
  const original = client.request.bind(client);
  client.request = async (destination, command) => {
    if ('signature' in command && command.signature !== undefined) created.lastSigned.set(destination, command);
    try {
      const response = await original(destination, command);
      created.sink?.push({ at: now(), device: destination, command: command.type, status: response.status });
      return response;
    } catch (error) {
      created.sink?.push({
        at: now(),
        device: destination,
        command: command.type,
        status: `no response (${(error as Error).message})`,
      });
      throw error;
    }
  };
  taps.set(client, created);
  tap = created;
  return tap;
}
