// Sessions, response ownership and answers that cannot be encoded, end to end: a DeviceHost on the virtual clock and
// harnesses (MessageEndpoint + BenchClient, or raw frames) that come and go over in-process links, as a harness that
// is restarted, or a second one, would (issue 8 items 1–3).
import { afterEach, describe, expect, it } from 'vitest';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { benchSets } from '../../emulator/host/benchConfig';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { BenchClient } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';
import { encodeFrame } from '../../protocols/frame';
import type { LinkDrop } from '../../protocols/linkLayer';
import type { ResponseMessage } from '../../protocols/messages';
import { payloadCodec } from '../../protocols/payloadCodec';

const ESME = '00-DB-12-34-56-78-90-A0';
const CH = '00-DB-12-34-56-78-90-A2';

interface Rig {
  clock: VirtualClock;
  host: DeviceHost;
  drops: LinkDrop[];
  /** A harness on a new connection (the host's previous one is dropped, as a replaced TCP client is). */
  connect(sessionId?: number): { client: BenchClient; endpoint: MessageEndpoint; link: LoopbackEnd; stale: unknown[] };
  /** A connection on which the test writes frames by hand and reads nothing back. */
  connectRaw(): LoopbackEnd;
  run<T>(promise: Promise<T>): Promise<T>;
}

let rig: Rig | undefined;
afterEach(() => {
  rig?.host.close();
  rig = undefined;
});

function makeRig(restore?: ConstructorParameters<typeof DeviceHost>[0]['restore']): Rig {
  const clock = new VirtualClock();
  const host = new DeviceHost({
    clock,
    sets: benchSets({ vendor: 'itron', seed: 7 }),
    restore,
    link: { sessionId: 0xe0 },
  });
  const drops: LinkDrop[] = [];
  host.on('drop', (d) => drops.push(d));
  const pairUp = () => {
    const [emulatorEnd, harnessEnd] = LoopbackEnd.pair();
    host.attach(emulatorEnd);
    return harnessEnd;
  };
  const run = async <T>(promise: Promise<T>): Promise<T> => {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let step = 0; step < 10_000 && !settled; step++) {
      await drainPendingJobs();
      if (settled) break;
      const next = clock.nextDueTime();
      if (next === undefined) throw new Error('stuck: nothing left to run');
      await clock.advanceTo(next);
    }
    return promise;
  };
  return (rig = {
    clock,
    host,
    drops,
    connect(sessionId) {
      const link = pairUp();
      const endpoint = new MessageEndpoint({
        side: 'harness',
        clock,
        localEui: HARNESS_EUI,
        transmit: (b) => link.write(b),
        dialectOf: () => 'itron',
        sessionId,
      });
      link.on('data', (b) => endpoint.receive(b));
      const client = new BenchClient({ endpoint, clock });
      const stale: unknown[] = [];
      client.on('stale', (e) => stale.push(e));
      return { client, endpoint, link, stale };
    },
    connectRaw: pairUp,
    run,
  });
}

const rawCommand = (sequence: number, destination: string, message: Record<string, unknown> & { type: string }) => {
  const { frameType, messageId, payload } = payloadCodec('itron').encode(message as never);
  return encodeFrame({
    type: frameType,
    sequence,
    source: HARNESS_EUI,
    destination,
    messageId,
    segmentIndex: 0,
    segmentCount: 1,
    payload,
  });
};

describe('a restarted harness (issue 8 item 1)', () => {
  for (const announced of [false, true]) {
    it(`its first command, byte-identical to the previous run's, is answered (${announced ? 'announcing a new session id' : 'announcing none'})`, async () => {
      const r = makeRig();
      for (let run = 1; run <= 3; run++) {
        const h = r.connect(announced ? run : undefined);
        const response = await r.run(h.client.request(ESME, { type: 'readDeviceInfo' }));
        expect(response).toMatchObject({
          type: 'response',
          message: 'readDeviceInfo',
          requestId: 1,
          status: 'ok',
          body: { deviceType: 'ESME' },
        });
        h.client.close();
        h.endpoint.close();
        await h.link.close();
      }
      expect(r.drops.filter((d) => d.reason === 'duplicate')).toEqual([]);
    });
  }
});

describe('responses belong to the session that asked (issue 8 item 2)', () => {
  it("a new harness never receives the previous one's response to the same request id", async () => {
    const r = makeRig();
    // The first harness asks readSupply (request 1) and vanishes without acknowledging the answer ("enabled").
    const raw = r.connectRaw();
    raw.write(rawCommand(0, ESME, { type: 'readSupply', requestId: 1 }));
    await drainPendingJobs();
    await r.clock.advanceBy(500);
    // The supply changes, then a new harness asks the same of the same device, also as request 1.
    expect(await r.run(r.host.command(ESME, { type: 'setSupply', state: 'disabled' }))).toEqual({ status: 'ok' });
    const h = r.connect();
    const response = await r.run(h.client.request(ESME, { type: 'readSupply' }));
    expect(response).toEqual({
      type: 'response',
      message: 'readSupply',
      requestId: 1,
      status: 'ok',
      body: { state: 'disabled' },
    });
    expect(h.stale).toEqual([]);
    expect(
      r.drops.some(
        (d) =>
          d.reason === 'malformed' &&
          /response readSupply 1 .* dropped: a peer that announced no session began/.test(d.detail),
      ),
    ).toBe(true);
    expect(r.host.endpoint.link.pendingSends).toBe(0);
  });
});

describe('the HAN device log and answers that cannot be encoded (issue 8 item 3)', () => {
  const PPMID_BASE = 0x00db_0000_0000_0000n;
  const eui = (i: number) =>
    (PPMID_BASE + BigInt(i)).toString(16).padStart(16, '0').toUpperCase().match(/../g)!.join('-');

  it('holds 16 devices (assumed capacity): the 17th add is refused with `full`, an update of a listed one still goes', async () => {
    const r = makeRig();
    const h = r.connect(1);
    const add = (i: number) =>
      r.run(
        h.client.request(CH, {
          type: 'hanLogAdd',
          deviceId: eui(i),
          installCode: '30313233343536373839414243444546',
          joinPeriod: 60,
        }),
      );
    const before = (await r.run(h.client.request(CH, { type: 'readDeviceLog' }))).body as { entries: unknown[] };
    const room = 16 - before.entries.length; // the set's own meters are listed from the start
    expect(room).toBeGreaterThan(0);
    for (let i = 1; i <= room; i++) expect((await add(i)).status).toBe('ok');
    expect(await add(room + 1)).toEqual({
      type: 'response',
      message: 'hanLogAdd',
      requestId: room + 2,
      status: 'full',
    });
    expect((await add(1)).status).toBe('ok');
    const log = (await r.run(h.client.request(CH, { type: 'readDeviceLog' }))) as ResponseMessage;
    expect((log.body as { entries: unknown[] }).entries).toHaveLength(16);
  });

  it('a device log of 300 entries (restored) cannot be counted in one byte: readDeviceLog is answered internalError, not silence', async () => {
    const first = makeRig();
    const state = structuredClone(first.host.state);
    first.host.close();
    const ch = (state.snapshots[0] as { children: Record<string, { snapshot: { context: { deviceLog: unknown[] } } }> })
      .children[CH];
    ch.snapshot.context.deviceLog = Array.from({ length: 300 }, (_, i) => ({
      deviceId: eui(i + 1),
      installCode: '30313233343536373839414243444546',
      joinWindowOpenedAt: 0,
      joinWindowClosesAt: 0,
      joined: false,
    }));
    const r = makeRig(state);
    const h = r.connect(1);
    const response = await r.run(h.client.request(CH, { type: 'readDeviceLog' }));
    expect(response).toEqual({ type: 'response', message: 'readDeviceLog', requestId: 1, status: 'internalError' });
    expect(
      r.drops.some(
        (d) =>
          d.reason === 'malformed' && /readDeviceLog 1 .* cannot be encoded .*answered internalError/.test(d.detail),
      ),
    ).toBe(true);
  });
});
