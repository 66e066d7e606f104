import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { parseLinkSpec } from '../../emulator/links/linkSpec';
import { openLink } from '../../emulator/links/openLink';
import { SerialLink } from '../../emulator/links/serialLink';
import { needsSocat } from '../support/socat';
import { eventUntil, Recorder } from './byteLinkSuite';

const until = eventUntil();
const haveSocat = needsSocat(
  'tests/links/openLink.test.ts: "openLink > pty: the emulator end, and a peer path a harness opens with the native binding"',
);

describe('openLink', () => {
  it('loopback: the link and its peer', async () => {
    const opened = await openLink('loopback', { clock: new VirtualClock() });
    if (opened.kind !== 'loopback') return expect.fail(`got ${opened.kind}`);
    const rp = new Recorder(opened.peer);
    opened.link.write(Uint8Array.of(5));
    await until(() => rp.received === 1, 'peer gets the byte', [opened.peer]);
    expect(rp.bytes()).toEqual(Uint8Array.of(5));
    await opened.link.close();
  });

  it('mock@9600: the device end, whose binding and path a host SerialLink opens, with the seed and knobs given', async () => {
    const clock = new VirtualClock();
    const opened = await openLink('mock@9600', { clock, seed: 3, mock: { maxChunkBytes: 4 } });
    if (opened.kind !== 'mock') return expect.fail(`got ${opened.kind}`);
    const pair = opened.link;
    expect(pair.describe()).toMatch(/^mock:\/dev\/mock-smets1-\d+@9600$/);
    expect(pair.conditions).toMatchObject({ baudRate: 9600, maxChunkBytes: 4 });
    const host = new SerialLink({ path: pair.path, baudRate: 9600, clock, binding: pair.binding, reconnect: false });
    await host.open();
    const rd = new Recorder(pair);
    host.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
    await clock.runUntilIdle();
    expect(rd.bytes()).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
    expect(Math.max(...rd.chunks.map((c) => c.length))).toBeLessThanOrEqual(4);
    await host.close();
    await pair.close();
  });

  it('tcp-listen:127.0.0.1:0 and tcp: a server on an ephemeral port and a client that reaches it', async () => {
    const clock = new VirtualClock();
    const server = await openLink('tcp-listen:127.0.0.1:0', { clock });
    if (server.kind !== 'tcp-listen') return expect.fail(`got ${server.kind}`);
    const client = await openLink(`tcp:127.0.0.1:${server.link.address().port}`, { clock, reconnect: false });
    const rs = new Recorder(server.link);
    client.link.write(Uint8Array.of(0x7e, 0x01));
    await until(() => rs.received === 2, 'server gets 2 bytes', [server.link]);
    expect(rs.bytes()).toEqual(Uint8Array.of(0x7e, 0x01));
    await client.link.close();
    await server.link.close();
  });

  it('serial: a nonexistent port rejects with the clear ENOENT error', async () => {
    await expect(openLink('serial:/dev/ttyNOPE0@9600', { clock: new VirtualClock() })).rejects.toMatchObject({
      code: 'ENOENT',
      where: 'serial:/dev/ttyNOPE0@9600',
      message: expect.stringMatching(/no such port/),
    });
  });

  it('takes a parsed spec as well as a string', async () => {
    const opened = await openLink(parseLinkSpec('loopback'), { clock: new VirtualClock() });
    expect(opened.kind).toBe('loopback');
    await opened.link.close();
  });

  it.skipIf(!haveSocat)('pty: the emulator end, and a peer path a harness opens with the native binding', async () => {
    const clock = new VirtualClock();
    const opened = await openLink('pty', { clock });
    if (opened.kind !== 'pty') return expect.fail(`got ${opened.kind}`);
    expect(opened.link.describe()).toMatch(/^pty:\/dev\/pts\/\d+ \(peer \/dev\/pts\/\d+\)$/);
    const harness = new SerialLink({ path: opened.link.peerPath, clock, reconnect: false });
    await harness.open();
    const [re, rh] = [new Recorder(opened.link), new Recorder(harness)];
    harness.write(Uint8Array.of(1, 2));
    opened.link.write(Uint8Array.of(3, 4, 5));
    await until(() => re.received === 2 && rh.received === 3, 'both ways', [opened.link, harness]);
    expect(re.bytes()).toEqual(Uint8Array.of(1, 2));
    expect(rh.bytes()).toEqual(Uint8Array.of(3, 4, 5));
    await harness.close();
    await opened.link.close();
  });
});
