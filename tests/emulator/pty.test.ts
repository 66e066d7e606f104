import { execFileSync } from 'node:child_process';
import { describe } from 'vitest';
import { PtyLink } from '../../emulator/links/ptyLink';
import { SerialLink } from '../../emulator/links/serialLink';
import { emulatorSuite } from './emulatorSuite';

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// A kernel pty pair made by socat, with serialport's native binding on both ends: the same path a lab bench's
// USB serial adapter takes. CI installs socat (.ci/run), so there this suite always runs; without socat every test
// of the suite is reported as skipped, by name.
describe.skipIf(!hasSocat())('needs socat', () => {
  emulatorSuite(
    'a socat pty pair with the native serialport binding',
    async (clock) => {
      const emulator = await PtyLink.open({ clock });
      const harness = new SerialLink({ path: emulator.peerPath, clock, reconnect: false });
      await harness.open();
      return { emulator, harness, real: true, dispose: async () => void (await Promise.all([harness.close(), emulator.close()])) };
    },
    { slow: true },
  );
});
