// BenchClient and the device end's sessions: a request the device end acknowledged belongs to that session; when the
// device end begins a new one (an emulator restarted), the request fails at once, not at the response timeout.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { BenchClient } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint, type Envelope } from '../../protocols/endpoint';

const T0 = Date.UTC(2026, 0, 1);
const ESME = '00-DB-12-34-56-78-90-A0';

/** A harness (MessageEndpoint + BenchClient announcing session 0x51) facing a device end announcing `deviceSession`. */
function rig(deviceSession: number | undefined = 1) {
  const clock = new VirtualClock(T0);
  let device: MessageEndpoint | undefined;
  let harness: MessageEndpoint | undefined;
  const commands: Envelope[] = [];
  /** A device end (an emulator run) announcing `sessionId`; the previous one is gone. */
  const startDevice = (sessionId: number | undefined) => {
    device?.close('restarted');
    device = new MessageEndpoint({
      side: 'devices',
      clock,
      localEui: '00-00-00-00-00-00-00-02',
      dialectOf: () => 'itron',
      sessionId,
      transmit: (bytes) => clock.setTimeout(() => harness?.receive(bytes), 5),
    });
    device.on('message', (e) => commands.push(e));
    return device;
  };
  const first = startDevice(deviceSession);
  harness = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    dialectOf: () => 'itron',
    sessionId: 0x51,
    transmit: (bytes) => {
      const to = device;
      clock.setTimeout(() => to?.receive(bytes), 5);
    },
  });
  const client = new BenchClient({ endpoint: harness, clock });
  return { clock, client, commands, startDevice, first };
}

describe('BenchClient across sessions of the device end', () => {
  it('a request acknowledged by a device end that then restarts fails when the new session is announced, not 30 s later', async () => {
    const t = rig();
    const outcome: { at?: number; error?: unknown } = {};
    t.client
      .request(ESME, { type: 'readSupply' })
      .catch((error: unknown) => Object.assign(outcome, { at: t.clock.now() - T0, error }));
    await t.clock.advanceBy(100); // the device end acknowledges the command and never answers
    expect(t.commands.map((e) => e.message.type)).toEqual(['readSupply']);
    t.startDevice(2); // restarted: it announces its new session at 100, the harness has it at 105
    await t.clock.advanceBy(1000);
    expect(outcome.at).toBe(105);
    expect(outcome.error).toMatchObject({ name: 'RequestError', reason: 'disconnected' });
    expect(String((outcome.error as Error).message)).toBe(
      'readSupply to 00-DB-12-34-56-78-90-A0 (request 1): the device end began a new session (restarted?) before answering',
    );
    expect(t.client.outstanding).toBe(0);
  });

  it('a request answered in the session that was asked resolves with its response', async () => {
    const t = rig();
    const device = t.first;
    device.on('message', (e) => {
      if (e.message.type === 'readSupply')
        device.send(
          ESME,
          e.source,
          {
            type: 'response',
            message: 'readSupply',
            requestId: e.message.requestId as number,
            status: 'ok',
            body: { state: 'armed' },
          },
          { session: e.session },
        );
    });
    await t.clock.advanceBy(20);
    const pending = t.client.request(ESME, { type: 'readSupply' });
    await expect(pendingAfter(t.clock, pending)).resolves.toEqual({
      type: 'response',
      message: 'readSupply',
      requestId: 1,
      status: 'ok',
      body: { state: 'armed' },
    });
  });

  it('a device end that announces no session: its first answer after the ack is the answer (not taken for a restart)', async () => {
    const t = rig(undefined);
    const device = t.first;
    device.on('message', (e) => {
      if (e.message.type === 'readSupply')
        device.send(
          ESME,
          e.source,
          {
            type: 'response',
            message: 'readSupply',
            requestId: e.message.requestId as number,
            status: 'ok',
            body: { state: 'disabled' },
          },
          { session: e.session },
        );
    });
    const pending = t.client.request(ESME, { type: 'readSupply' });
    await expect(pendingAfter(t.clock, pending)).resolves.toEqual({
      type: 'response',
      message: 'readSupply',
      requestId: 1,
      status: 'ok',
      body: { state: 'disabled' },
    });
  });
});

async function pendingAfter<T>(clock: VirtualClock, promise: Promise<T>): Promise<T> {
  await clock.advanceBy(1000);
  return promise;
}

describe('BenchClient: the command sent', () => {
  it("carries the caller's fields and the client's request id, and leaves the caller's command as it was", async () => {
    const t = rig();
    const command = { type: 'setSupply', state: 'armed', requestId: 999 } as unknown as { type: 'setSupply' } & {
      state: 'armed';
    };
    const before = JSON.stringify(command);
    void t.client.request(ESME, command).catch(() => {});
    await t.clock.advanceBy(20);
    // the client's id wins over one the caller left in its object, as a spread with requestId last did
    expect(t.commands.map((e) => e.message)).toEqual([{ type: 'setSupply', requestId: 1, state: 'armed' }]);
    expect(JSON.stringify(command)).toBe(before);
    t.client.close();
  });

  it('each request gets its own id, the command object reused for both', async () => {
    const t = rig();
    const command = { type: 'readSupply' } as const;
    void t.client.request(ESME, command).catch(() => {});
    void t.client.request(ESME, command).catch(() => {});
    await t.clock.advanceBy(100);
    expect(t.commands.map((e) => e.message)).toEqual([
      { type: 'readSupply', requestId: 1 },
      { type: 'readSupply', requestId: 2 },
    ]);
    expect(command).toEqual({ type: 'readSupply' });
    t.client.close();
  });
});
