import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import type { ByteLink } from '../../emulator/links/byteLink';
import { TcpClientLink, TcpServerLink } from '../../emulator/links/tcpLink';
import { byteLinkSuite, eventUntil, Recorder } from './byteLinkSuite';

const until = eventUntil();

/** A listening server on an ephemeral loopback port. */
async function listen(port = 0, maxUnsent?: number): Promise<TcpServerLink> {
  const server = new TcpServerLink({ host: '127.0.0.1', port, maxUnsent });
  await server.open();
  return server;
}

async function connectTo(
  server: TcpServerLink,
  clock: VirtualClock,
  reconnect: false | { initialDelayMs: number } = false,
  maxUnsent?: number,
) {
  const client = new TcpClientLink({ host: '127.0.0.1', port: server.address().port, clock, reconnect, maxUnsent });
  await client.open();
  return client;
}

byteLinkSuite({
  name: 'TCP over 127.0.0.1 (a: client, b: server)',
  async connect() {
    // The bulk tests write 8 MiB in one go on purpose: room for it, over the 1 MiB default for a peer not reading.
    const server = await listen(0, 32 * 1024 * 1024);
    const client = await connectTo(server, new VirtualClock(), false, 32 * 1024 * 1024);
    await until(() => server.isOpen, 'the server accepts the client', [server]);
    return { a: client, b: server, dispose: async () => void (await Promise.all([client.close(), server.close()])) };
  },
  until,
  peerSeesClose: { whenAcloses: 'peer', whenBcloses: 'peer' },
  describes: { a: /^tcp:127\.0\.0\.1:\d+$/, b: /^tcp-listen:127\.0\.0\.1:\d+$/ },
  // Big enough that the kernel cannot take a write at once (loopback socket buffers grow to a few MiB).
  bulkBytes: 8 * 1024 * 1024,
});

describe('TCP links', () => {
  const toClose: ByteLink[] = [];
  afterEach(async () => {
    for (const link of toClose.splice(0)) await link.close();
  });

  it('port 0 listens on an ephemeral port, and describe() shows the real one', async () => {
    const server = await listen();
    toClose.push(server);
    expect(server.address().port).toBeGreaterThan(0);
    expect(server.describe()).toBe(`tcp-listen:127.0.0.1:${server.address().port}`);
    expect(server.isOpen).toBe(false); // no client yet
    server.write(Uint8Array.of(1));
  });

  it('a client that never reads is dropped once more than 1 MiB (the default bound) would wait unsent', async () => {
    const server = await listen();
    toClose.push(server);
    const rs = new Recorder(server);
    const reader = net.connect({ host: '127.0.0.1', port: server.address().port });
    reader.pause(); // connected, never reads: the kernel's buffers fill, then ours would
    await until(() => server.isOpen, 'the server accepts the client', [server]);
    const chunk = new Uint8Array(64 * 1024);
    let written = 0;
    for (let i = 0; i < 4096 && server.isOpen; i++) {
      server.write(chunk);
      written += chunk.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    reader.destroy();
    expect(server.isOpen).toBe(false);
    expect(rs.closes).toHaveLength(1);
    expect(rs.closes[0].kind).toBe('lost');
    const match =
      /not reading: (\d+) bytes unsent and 65536 more written, over the bound of 1048576; connection dropped/.exec(
        rs.closes[0].detail,
      );
    expect(match, rs.closes[0].detail).not.toBeNull();
    const unsent = Number(match![1]);
    expect(unsent).toBeLessThanOrEqual(1048576);
    expect(unsent + 65536).toBeGreaterThan(1048576);
    expect(written).toBeGreaterThan(1048576);
  });

  it('a new client replaces the current one, which is dropped', async () => {
    const clock = new VirtualClock();
    const server = await listen();
    const rs = new Recorder(server);
    const first = await connectTo(server, clock);
    const r1 = new Recorder(first);
    await until(() => server.isOpen, 'first client accepted', [server]);
    const second = await connectTo(server, clock);
    const r2 = new Recorder(second);
    toClose.push(first, second, server);
    await until(() => rs.events.length >= 3 && r1.closes.length > 0, 'replacement seen on both', [server, first]);
    expect(rs.events).toEqual(['open', 'close:lost', 'open']);
    expect(rs.closes[0]!.detail).toMatch(/^replaced by a new client from 127\.0\.0\.1:\d+$/);
    expect(r1.closes.map((c) => c.kind)).toEqual(['peer']);

    server.write(Uint8Array.of(7));
    second.write(Uint8Array.of(8));
    await until(() => r2.received === 1 && rs.received === 1, 'bytes via the new client', [server, second]);
    expect(r2.bytes()).toEqual(Uint8Array.of(7));
    expect(rs.bytes()).toEqual(Uint8Array.of(8));
  });

  it('a client refused gets ECONNREFUSED with a hint, naming host:port', async () => {
    const server = await listen();
    const { port } = server.address();
    await server.close();
    const client = new TcpClientLink({ host: '127.0.0.1', port, clock: new VirtualClock() });
    const error = await client.open().then(
      () => expect.fail('connected to a closed port'),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ECONNREFUSED', where: `tcp:127.0.0.1:${port}`, errno: 111 });
    expect((error as Error).message).toMatch(/connection refused: nothing listens there/);
  });

  it('a second server on a port in use fails with EADDRINUSE', async () => {
    const server = await listen();
    toClose.push(server);
    const clash = new TcpServerLink({ host: '127.0.0.1', port: server.address().port });
    await expect(clash.open()).rejects.toMatchObject({
      code: 'EADDRINUSE',
      message: expect.stringMatching(/already in use/),
    });
  });

  it('the client reconnects with backoff on the injected clock after the server goes away', async () => {
    const clock = new VirtualClock();
    const server = await listen();
    const { port } = server.address();
    const client = await connectTo(server, clock, { initialDelayMs: 100 });
    const rc = new Recorder(client);
    toClose.push(client);
    await until(() => server.isOpen, 'accepted', [server]);
    await server.close();
    await until(() => rc.closes.length === 1, 'client sees the server go', [client]);
    expect(rc.closes[0]!.kind).toBe('peer');

    // The first retry is due 100 ms of clock time later; nothing is attempted until the clock gets there.
    await clock.advanceBy(99);
    expect(rc.errors).toEqual([]);
    await clock.advanceBy(1);
    await until(() => rc.errors.length === 1, 'first retry refused', [client]);
    expect(rc.errors[0]).toMatchObject({ code: 'ECONNREFUSED' });
    expect(rc.errors[0]!.message).toMatch(/next try in 200 ms/);

    const again = await listen(port);
    toClose.push(again);
    await clock.advanceBy(200);
    await until(() => client.isOpen && again.isOpen, 'reconnected', [client, again]);
    const ra = new Recorder(again);
    client.write(Uint8Array.of(1, 2, 3));
    await until(() => ra.received === 3, 'bytes after reconnecting', [again]);
    expect(ra.bytes()).toEqual(Uint8Array.of(1, 2, 3));
    expect(rc.events).toEqual(['close:peer', 'error:ECONNREFUSED', 'open']);
  });
});
