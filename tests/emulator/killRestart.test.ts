// `kill -9` of a real `smets1 emulate --state DIR` process, then a restart: every slot, log entry and pending
// alert must still be there, and the pending alert must be delivered exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { StateStore } from '../../emulator/persistence/stateStore';
import { setEuis } from '../../emulator/host/benchConfig';
import { issueTestCertificate, signReplacement } from '../../common/credentials/testPki';
import { HARNESS_EUI } from '../../protocols/constants';
import { encodeFrame } from '../../protocols/frame';
import { payloadCodec } from '../../protocols/payloadCodec';
import { connectHarness, startEmulator, waitFor, type Child } from './childEmulator';

const SEED = 5;
const { CH, ESME, PPMID } = setEuis(0, true);

function rawFrame(destination: string, sequence: number, message: Record<string, unknown> & { type: string }): Buffer {
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
}

describe('emulate --state survives kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smets1-state-'));
  const children: Child[] = [];
  afterAll(() => {
    for (const child of children) child.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores slots, log entries and the unacknowledged alert, and delivers the alert once', async () => {
    const args = ['--vendor', 'itron', '--seed', String(SEED), '--state', dir];
    const first = await startEmulator(args);
    children.push(first);

    // Phase 1, a well-behaved harness: a HAN log entry and a credential replacement (supplier slot).
    const harness = await connectHarness(first.port);
    expect(
      (
        await harness.client.request(CH, {
          type: 'hanLogAdd',
          deviceId: PPMID!,
          installCode: '00112233445566778899aabbccddeeff',
          joinPeriod: 3600,
        })
      ).status,
    ).toBe('ok');
    const pki = benchPki(`smso-${SEED}`);
    const newSupplier = issueTestCertificate(pki, {
      role: 2,
      entityId: '90-B3-D5-1F-30-03-00-00',
      keyLabel: 'supplier2',
    });
    const certificate = newSupplier.certificate;
    const unsigned = { role: 2, mode: 'supplierBySupplier', certificate, counter: 1 } as const;
    const signature = signReplacement(unsigned, ESME, pki.parties[2].privateKey);
    expect((await harness.client.request(ESME, { type: 'replaceCredentials', ...unsigned, signature })).status).toBe(
      'ok',
    );
    await waitFor(() => harness.alerts.some((a) => a.alert.code === 0x8f70), 'alert 0x8F70');
    await harness.close();

    // Phase 2, a harness that never acknowledges: an outage and a restore raise 0x8F35, which stays queued.
    const socket = connect(first.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(rawFrame(ESME, 200, { type: 'powerCut', requestId: 900 }));
    socket.write(rawFrame(ESME, 201, { type: 'powerRestore', requestId: 901 }));
    const pendingCodes = () => new StateStore(dir).load()?.pendingAlerts.map((a) => a.code) ?? [];
    await waitFor(() => pendingCodes().includes(0x8f35), 'alert 0x8F35 in the state file');
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    socket.destroy();

    // Restart on the same state directory.
    const second = await startEmulator(args);
    children.push(second);
    expect(second.output).toContain(`restored 1 device set(s) and 1 unacknowledged alert(s) from ${dir}`);
    const again = await connectHarness(second.port);
    await waitFor(() => again.alerts.some((a) => a.alert.code === 0x8f35), 'the queued 0x8F35 after restart');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // time for a duplicate to show, if there were one
    expect(again.alerts.filter((a) => a.alert.code === 0x8f35).map((a) => a.source)).toEqual([ESME]);

    const log = await again.client.request(CH, { type: 'readDeviceLog' });
    expect(log.body).toEqual({ entries: expect.arrayContaining([{ deviceId: PPMID, joined: false }]) });
    const slot = await again.client.request(ESME, { type: 'readCredentials', role: 2 });
    expect(slot.body).toEqual({ role: 2, certificate });
    const events = await again.client.request(ESME, {
      type: 'readEventLog',
      log: 'security',
      from: 0,
      to: 4_102_444_800_000,
    });
    expect((events.body as { entries: { code: number }[] }).entries.map((e) => e.code)).toContain(0x8f70);
    await again.close();
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
