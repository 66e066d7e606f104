import { TcpClientLink, TcpServerLink } from '../../emulator/links/tcpLink';
import { emulatorSuite } from './emulatorSuite';

// The emulator listens on an ephemeral loopback port (127.0.0.1 only) and the harness connects to it.
emulatorSuite(
  'TCP on 127.0.0.1',
  async (clock) => {
    const emulator = new TcpServerLink({ host: '127.0.0.1', port: 0 });
    await emulator.open();
    const opened = new Promise<void>((resolve) => emulator.on('open', () => resolve()));
    const harness = new TcpClientLink({ host: '127.0.0.1', port: emulator.address().port, clock, reconnect: false });
    await harness.open();
    await opened;
    return {
      emulator,
      harness,
      real: true,
      dispose: async () => void (await Promise.all([harness.close(), emulator.close()])),
    };
  },
  { slow: true },
);
