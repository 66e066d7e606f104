// Tests against real hardware run only when SMETS1_TEST_PORT names a port (a bench adapter, or `smets1 emulate`
// serving on the other end of a cable or pty); otherwise they are skipped with the reason printed.
//   SMETS1_TEST_PORT=/dev/ttyUSB0 SMETS1_TEST_BAUD=115200 SMETS1_TEST_VENDOR=elster npx vitest run tests/hardware
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WallClock } from '../../emulator/clock/wallClock';
import { SerialLink } from '../../emulator/links/serialLink';
import { setEuis } from '../../emulator/host/benchConfig';
import { BenchClient } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';

const port = process.env.SMETS1_TEST_PORT;
const baudRate = Number(process.env.SMETS1_TEST_BAUD ?? 115_200);
const vendor = process.env.SMETS1_TEST_VENDOR === 'elster' ? 'elster' : 'itron';
const euis = setEuis(0, true);

if (!port) console.info('tests/hardware: skipped: SMETS1_TEST_PORT is not set (e.g. SMETS1_TEST_PORT=/dev/ttyUSB0)');

describe.skipIf(!port)(`a real device set on ${port ?? 'SMETS1_TEST_PORT'}`, () => {
  const clock = new WallClock();
  let link: SerialLink;
  let client: BenchClient;
  beforeAll(async () => {
    link = new SerialLink({ path: port!, baudRate, clock, reconnect: false });
    const endpoint = new MessageEndpoint({
      side: 'harness',
      clock,
      localEui: HARNESS_EUI,
      transmit: (b) => link.write(b),
      dialectOf: () => vendor,
    });
    link.on('data', (bytes) => endpoint.receive(bytes));
    await link.open();
    client = new BenchClient({ endpoint, clock, responseTimeout: 10_000 });
  });
  afterAll(async () => {
    client?.close();
    await link?.close();
  });

  it('every device answers readDeviceInfo with its type and vendor', async () => {
    for (const [type, eui] of Object.entries(euis)) {
      const response = await client.request(eui, { type: 'readDeviceInfo' });
      expect(response.status).toBe('ok');
      expect(response.body).toMatchObject({ deviceType: type, vendor });
    }
  }, 60_000);

  it('the CH answers readDeviceLog', async () => {
    const response = await client.request(euis.CH, { type: 'readDeviceLog' });
    expect(response.status).toBe('ok');
  }, 20_000);
});
