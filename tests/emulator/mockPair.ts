import { MockSerialPair } from '../../emulator/links/mockSerialPair';
import type { VirtualClock } from '../../emulator/clock/virtualClock';
import { SerialLink } from '../../emulator/links/serialLink';
import type { LinkPair } from './bench';

type Knobs = Partial<ConstructorParameters<typeof MockSerialPair>[0]>;

/**
 * The harness end is a real SerialPortStream (through SerialLink) on the mock binding; bytes take wire time at
 * 115,200 baud on the virtual clock and arrive in random chunks of up to 17 bytes.
 */
export async function mockSerialPair(
  clock: VirtualClock,
  knobs: Knobs = {},
  options: { reconnect?: boolean } = {},
): Promise<LinkPair & { emulator: MockSerialPair }> {
  const emulator = new MockSerialPair({ clock, baudRate: 115_200, maxChunkBytes: 17, seed: 11, ...knobs });
  const harness = new SerialLink({
    path: emulator.path,
    baudRate: emulator.conditions.baudRate,
    binding: emulator.binding,
    clock,
    reconnect: options.reconnect ? {} : false,
  });
  await harness.open();
  return {
    emulator,
    harness,
    real: false,
    dispose: async () => void (await Promise.all([harness.close(), emulator.close()])),
  };
}
