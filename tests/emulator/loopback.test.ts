import { LoopbackEnd } from '../../emulator/links/loopback';
import { emulatorSuite } from './emulatorSuite';

emulatorSuite('the in-process loopback', async () => {
  const [emulator, harness] = LoopbackEnd.pair();
  return {
    emulator,
    harness,
    real: false,
    dispose: async () => void (await Promise.all([emulator.close(), harness.close()])),
  };
});
