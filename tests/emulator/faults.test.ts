// Faults on the mock serial line: a scripted session gives the same device outcomes on a faulty line as on a
// clean one, with no command executed twice; and a disconnect in the middle of a segmented response fails that
// request clearly, the emulator carries on, and after reconnecting the next request works and alerts arrive once.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import type { ResponseMessage } from '../../protocols/messages';
import { RequestError, type CommandInput } from '../../protocols/benchClient';
import { BENCH_EUIS, makeBench, type Bench } from './bench';
import { mockSerialPair } from './mockPair';

const HOUR = 3_600_000;

/** Times are left out: retransmissions on a faulty line shift when things happen, not what happens. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'at')
        .map(([key, v]) => [key, withoutTimes(v)]),
    );
  }
  return value;
}

async function scriptedSession(b: Bench) {
  const { CH, ESME, GSME, PPMID } = BENCH_EUIS;
  const responses: unknown[] = [];
  const ask = async (eui: string, command: CommandInput) => {
    const response: ResponseMessage = await b.run(b.client.request(eui, command), command.type);
    responses.push({ eui, message: response.message, status: response.status, body: withoutTimes(response.body) });
  };
  for (const eui of [CH, ESME, GSME, PPMID!]) await ask(eui, { type: 'readDeviceInfo' });
  await ask(CH, {
    type: 'hanLogAdd',
    deviceId: PPMID,
    installCode: '30313233343536373839414243444546',
    joinPeriod: 3600,
  });
  await ask(PPMID!, { type: 'powerOn' });
  await ask(ESME, { type: 'setSupply', state: 'disabled' });
  await ask(ESME, { type: 'readSupply' });
  await ask(ESME, { type: 'setSupply', state: 'enabled' });
  await ask(ESME, { type: 'mainsVoltage', voltage: 200 });
  await b.advance(120_000);
  await ask(ESME, { type: 'mainsVoltage', voltage: 230 });
  await b.advance(HOUR);
  await ask(CH, { type: 'readDeviceLog' });
  await ask(ESME, { type: 'readEventLog', log: 'event', from: 0, to: b.clock.now() });
  await ask(ESME, { type: 'readNetworkData', from: 0, to: b.clock.now() });
  await ask(GSME, { type: 'gasFlowConfig', uncontrolledFlowRateThreshold: 6, averagingPeriod: 300 });
  await b.advance(10_000);
  const alerts = b.alerts.map((a) => ({ source: a.source, code: a.alert.code }));
  return { responses, alerts };
}

describe('a faulty mock serial line', () => {
  it('gives exactly the clean line’s outcomes with 5% corrupted frames, 5% dropped frames and random chunking', async () => {
    const cleanClock = new VirtualClock();
    const clean = await makeBench(await mockSerialPair(cleanClock), { vendor: 'itron', seed: 3, clock: cleanClock });
    const expected = await scriptedSession(clean);
    await clean.dispose();

    const clock = new VirtualClock();
    const pair = await mockSerialPair(clock, {
      seed: 99,
      maxChunkBytes: 13,
      corruptWriteRate: 0.05,
      dropWriteRate: 0.05,
    });
    const faulty = await makeBench(pair, { vendor: 'itron', seed: 3, clock, maxTries: 10 });
    const executed: number[] = [];
    faulty.host.on('message', (envelope) => executed.push((envelope.message as { requestId: number }).requestId));
    const actual = await scriptedSession(faulty);

    expect(actual).toEqual(expected);
    expect(expected.alerts.map((a) => a.code)).toEqual(expect.arrayContaining([0x8f12, 0x802c, 0x8099, 0x8f49]));
    // Every request executed once, though the line lost and damaged frames both ways.
    expect(executed).toEqual([...new Set(executed)]);
    expect(executed).toHaveLength(expected.responses.length);
    const stats = pair.emulator.stats;
    expect(stats.hostToDevice.droppedWrites + stats.deviceToHost.droppedWrites).toBeGreaterThan(0);
    expect(stats.hostToDevice.corruptedWrites + stats.deviceToHost.corruptedWrites).toBeGreaterThan(0);
    expect(
      faulty.host.endpoint.link.stats.retransmissions + faulty.endpoint.link.stats.retransmissions,
    ).toBeGreaterThan(0);
    await faulty.dispose();
  }, 60_000);
});

describe('a disconnect in the middle of a segmented response', () => {
  it('fails that request clearly; the emulator carries on; after reconnecting requests work and alerts arrive once', async () => {
    const clock = new VirtualClock();
    const pair = await mockSerialPair(clock, { baudRate: 9600 }, { reconnect: true });
    const b = await makeBench(pair, { vendor: 'itron', seed: 4, clock, ackTimeout: 1000 });
    const { ESME } = BENCH_EUIS;
    await b.advance(30 * 24 * HOUR);
    let segmentsOut = 0;
    b.host.on('trace', (entry) => entry.direction === 'out' && entry.bytes[2] === 0x02 && segmentsOut++);

    const reading = b.client.request(ESME, { type: 'readNetworkData', from: 0, to: clock.now() });
    reading.catch(() => {});
    await b.until(() => segmentsOut >= 10, '10 segments of the response');
    pair.emulator.disconnect('cable pulled');
    const error = await b.run(
      reading.then(
        () => undefined,
        (e: unknown) => e,
      ),
      'the failed request',
    );
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).reason).toBe('disconnected');
    expect((error as Error).message).toMatch(
      /^readNetworkData to 00-DB-12-34-56-78-90-A0 \(request \d+\): link closed \(.*\) while waiting for the response$/,
    );

    // The emulator keeps running while the line is down: an outage and restore raise 0x8F35, held for later.
    expect((await b.host.command(ESME, { type: 'powerCut' })).status).toBe('ok');
    await b.advance(10_000);
    expect((await b.host.command(ESME, { type: 'powerRestore' })).status).toBe('ok');
    expect(b.host.unacknowledgedAlerts.map((a) => a.code)).toEqual([0x8f35]);

    pair.emulator.reconnect();
    await b.until(() => pair.harness.isOpen, 'the harness port to reopen');
    const info = await b.run(b.client.request(ESME, { type: 'readDeviceInfo' }), 'readDeviceInfo after reconnect');
    expect(info.status).toBe('ok');
    await b.until(() => b.host.unacknowledgedAlerts.length === 0, 'the queued alert to be acknowledged');
    await b.advance(10_000);
    expect(b.alerts.filter((a) => a.alert.code === 0x8f35)).toHaveLength(1);
    await b.dispose();
  }, 60_000);
});
