import { describe } from 'vitest';
import { PtyLink } from '../../emulator/links/ptyLink';
import { SerialLink } from '../../emulator/links/serialLink';
import { needsSocat } from '../support/socat';
import { emulatorSuite } from './emulatorSuite';

const haveSocat = needsSocat(
  'tests/emulator/pty.test.ts: "socat pty > emulator over a socat pty pair with the native serialport binding" (the whole emulator suite)',
);

// A kernel pty pair made by socat, with serialport's native binding on both ends: the same path a lab bench's
// USB serial adapter takes. CI installs socat (.ci/run), so there this suite always runs.
describe.skipIf(!haveSocat)('socat pty', () => {
  emulatorSuite(
    'a socat pty pair with the native serialport binding',
    async (clock) => {
      const emulator = await PtyLink.open({ clock });
      const harness = new SerialLink({ path: emulator.peerPath, clock, reconnect: false });
      await harness.open();
      return {
        emulator,
        harness,
        real: true,
        dispose: async () => void (await Promise.all([harness.close(), emulator.close()])),
      };
    },
    { slow: true },
  );
});
