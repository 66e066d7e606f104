/**
 * The emulator's behaviour over a link, written once and run unchanged per transport (loopback, mock serial pair,
 * socat pty with the real serialport binding, TCP): MQTT.js's abstract-suite idiom. Each transport file supplies
 * a function that makes a connected pair of byte links.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LinkError } from '../../protocols/linkLayer';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { BENCH_EUIS, makeBench, NOT_ON_BENCH_EUI, type Bench, type LinkPair } from './bench';
import { joinSuite } from './joinSuite';

const DAY = 86_400_000;

export function emulatorSuite(
  name: string,
  connect: (clock: VirtualClock) => Promise<LinkPair>,
  options: { slow?: boolean } = {},
): void {
  describe(`emulator over ${name}`, () => {
    let bench: Bench | undefined;
    afterEach(async () => {
      await bench?.dispose();
      bench = undefined;
    });

    const start = async (vendor: 'itron' | 'elster' = 'itron') => {
      const clock = new VirtualClock();
      return (bench = await makeBench(await connect(clock), { vendor, seed: 7, clock }));
    };

    it('answers readDeviceInfo from every device of the set, in its vendor dialect', async () => {
      const b = await start('elster');
      for (const [type, eui] of Object.entries(BENCH_EUIS)) {
        const response = await b.run(b.client.request(eui, { type: 'readDeviceInfo' }), `readDeviceInfo ${type}`);
        expect(response).toMatchObject({
          status: 'ok',
          message: 'readDeviceInfo',
          body: { deviceType: type, vendor: 'elster', migrationState: 'smso', commissioned: false },
        });
      }
    });

    it('whitelists a PPMID, delivers 0x8F12 once, and the PPMID powered on 250 s into a 255 s window joins', async () => {
      const b = await start('elster');
      const { CH, PPMID } = BENCH_EUIS;
      const installCode = '30313233343536373839414243444546'; // the RTDS template's, every emulated device's default
      const opened = b.clock.now();
      const added = await b.run(
        b.client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode, joinPeriod: 255 }),
        'hanLogAdd',
      );
      expect(added.status).toBe('ok');
      await b.until(() => b.alerts.some((a) => a.alert.code === 0x8f12), 'alert 0x8F12');
      await b.advance(opened + 250_000 - b.clock.now());
      expect((await b.run(b.client.request(PPMID!, { type: 'powerOn' }), 'powerOn')).status).toBe('ok');
      await b.until(() => b.alerts.some((a) => a.alert.code === 0x8f49), 'alert 0x8F49 join succeeded');
      const log = await b.run(b.client.request(CH, { type: 'readDeviceLog' }), 'readDeviceLog');
      expect(log.body).toEqual({ entries: expect.arrayContaining([{ deviceId: PPMID, joined: true }]) });
      expect(b.alerts.filter((a) => a.alert.code === 0x8f12 && a.source === CH)).toHaveLength(1);
      expect(b.alerts.filter((a) => a.alert.code === 0x8f49)).toHaveLength(1);
      expect(b.host.unacknowledgedAlerts).toHaveLength(0);
    });

    it('answers unknownDevice for an EUI that is not on the bench', async () => {
      const b = await start();
      const response = await b.run(b.client.request(NOT_ON_BENCH_EUI, { type: 'readDeviceLog' }), 'readDeviceLog');
      expect(response).toEqual({ type: 'response', message: 'readDeviceLog', requestId: 1, status: 'unknownDevice' });
    });

    it('refuses an undecodable command with NAK malformedPayload and keeps serving', async () => {
      const b = await start();
      const { ESME } = BENCH_EUIS;
      // setSupply (0x0205) with state 7: not one of enabled/disabled/armed.
      const sent = b.endpoint.link.send(
        { type: 'command', source: '00-00-00-00-00-00-00-01', destination: ESME, messageId: 0x0205 },
        Uint8Array.of(0x00, 0x01, 0x07),
      );
      await expect(b.run(sent, 'malformed setSupply')).rejects.toMatchObject({
        reason: 'nak',
        nakReason: 'malformedPayload',
      });
      expect(
        await b.run(
          sent.catch((e: LinkError) => e),
          'settled',
        ),
      ).toBeInstanceOf(LinkError);
      const info = await b.run(b.client.request(ESME, { type: 'readSupply' }), 'readSupply');
      expect(info.status).toBe('ok');
    });

    it('acknowledges a duplicated command again but executes it once', async () => {
      const b = await start();
      const { ESME } = BENCH_EUIS;
      const delivered: string[] = [];
      b.host.on('message', (envelope) => delivered.push(envelope.message.type));
      const frames: Uint8Array[] = [];
      b.endpoint.on('trace', (entry) => entry.direction === 'out' && frames.push(entry.bytes));
      await b.run(b.client.request(ESME, { type: 'setSupply', state: 'disabled' }), 'setSupply');
      // The same bytes again, as a retransmission after a lost ack would be.
      b.endpoint.link['options'].transmit(frames[0]);
      await b.advance(5_000);
      expect(delivered).toEqual(['setSupply']);
      expect(b.host.endpoint.link.stats.duplicates).toBe(1);
      expect(b.client.outstanding).toBe(0);
    });

    it(
      'carries 30 days of network data as one 34-frame segmented response',
      async () => {
        const b = await start();
        const { ESME } = BENCH_EUIS;
        const from = b.clock.now();
        await b.advance(30 * DAY);
        const segments = new Set<number>();
        b.host.on('trace', (entry) => {
          if (entry.direction === 'out' && entry.bytes[2] === 0x02)
            segments.add(entry.bytes[22] * 1000 + entry.bytes[23]);
        });
        const response = await b.run(
          b.client.request(ESME, { type: 'readNetworkData', from, to: b.clock.now() }),
          'readNetworkData',
        );
        expect(response.status).toBe('ok');
        const records = (response.body as { records: { at: number; averageRmsVoltage: number }[] }).records;
        expect(records).toHaveLength(1440);
        expect(records[0].at).toBe(from + 1_800_000);
        expect(records[1439].at).toBe(from + 30 * DAY);
        expect(segments.size).toBe(34);
      },
      options.slow ? 120_000 : 60_000,
    );
  });
  joinSuite(name, connect, options);
}
