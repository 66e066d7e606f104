/**
 * TCP as a ByteLink (node:net), for benches where the harness and the emulator run on different machines.
 *
 * - `TcpServerLink` listens on host:port and serves ONE client at a time. A new client REPLACES the current one
 *   (which is dropped, and the link emits 'close' kind 'lost' "replaced by …", then 'open'). Refusing newcomers
 *   would lock a restarted harness out for as long as the kernel keeps the old, half-dead connection (a crashed
 *   harness machine sends no FIN); the newest client is almost always the one that matters.
 * - `TcpClientLink` connects to host:port; `open()` makes one attempt (a typo fails fast), and a connection lost
 *   later is re-established with backoff on the injected clock unless `reconnect: false`.
 * Both set TCP_NODELAY (frames are small and latency matters more than packet count) and on `close()` flush what was
 * written to the kernel before closing. Back-pressure is bounded, not waited for: a peer that does not read while
 * more than `maxUnsent` bytes (default 1 MiB) wait in this process is dropped ('close' kind 'lost', "not reading"),
 * so a client that never reads cannot make the emulator hold its output without limit.
 */
import net from 'node:net';
import type { EmulatorClock } from '../clock/clock';
import { ByteLinkError, LinkBase, notConnected, type CloseInfo } from './byteLink';
import { Reconnector, type ReconnectOptions } from './reconnector';

const hints: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused: nothing listens there (is the other side started with tcp-listen:HOST:PORT?)',
  ECONNRESET: 'connection reset by the peer',
  ETIMEDOUT: 'timed out: the host does not answer (firewall? wrong address?)',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'unknown host name',
  EADDRINUSE: 'the address is already in use: another program listens on that port',
  EADDRNOTAVAIL: 'the address is not one of this machine’s',
  EACCES: 'permission denied: ports below 1024 need privileges',
  EPIPE: 'the peer has gone (broken pipe)',
};

function tcpError(where: string, error: unknown, during: string): ByteLinkError {
  if (error instanceof ByteLinkError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const name = typeof code === 'string' ? code : 'EIO';
  const original = error instanceof Error ? error.message : String(error);
  const hint = hints[name];
  return new ByteLinkError(where, name, `${during} failed: ${hint ? `${hint} [${original}]` : original}`, {
    cause: error,
  });
}

/** `host:port`, bracketing IPv6 addresses so the result parses back. */
function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Wires one connected socket to a link: data in, and how it ended (peer FIN, error, or our own close). */
function attach(
  socket: net.Socket,
  where: () => string,
  isCurrent: () => boolean,
  emitData: (chunk: Uint8Array) => void,
  emitError: (error: ByteLinkError) => void,
  gone: (info: CloseInfo) => void,
): void {
  socket.setNoDelay(true);
  let peerEnded = false;
  let failure: ByteLinkError | undefined;
  socket.on('data', (chunk: Buffer) => {
    if (isCurrent()) emitData(chunk);
  });
  socket.on('end', () => {
    peerEnded = true;
  });
  socket.on('error', (error) => {
    failure = tcpError(where(), error, 'i/o');
    if (isCurrent()) emitError(failure);
  });
  socket.on('close', () => {
    if (!isCurrent()) return; // replaced or closed by us: whoever did that has reported it
    if (failure) gone({ kind: 'lost', detail: failure.message, error: failure });
    else
      gone({
        kind: peerEnded ? 'peer' : 'lost',
        detail: peerEnded ? 'the peer closed the connection' : 'connection closed',
      });
  });
}

/** Bytes a connection may hold unsent (written, not yet taken by the kernel) before the peer is dropped. */
const DEFAULT_MAX_UNSENT = 1024 * 1024;

/** Writes, unless that would hold more than maxUnsent bytes for a peer that is not reading: then false. */
function boundedWrite(socket: net.Socket, bytes: Uint8Array, maxUnsent: number): boolean {
  if (socket.writableLength + bytes.length > maxUnsent) return false;
  socket.write(Buffer.from(bytes));
  return true;
}

function notReading(socket: net.Socket, bytes: number, maxUnsent: number): string {
  return `the peer is not reading: ${socket.writableLength} bytes unsent and ${bytes} more written, over the bound of ${maxUnsent}; connection dropped`;
}

/** Ends a socket after flushing what was written, without waiting for the peer to answer the FIN. */
function endSocket(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.end(() => socket.destroy());
  });
}

export interface TcpServerLinkOptions {
  host: string;
  /** 0 picks a free port; read it back with `address()` once listening. */
  port: number;
  /** Output held for a client that does not read before it is dropped. Default DEFAULT_MAX_UNSENT. */
  maxUnsent?: number;
}

export class TcpServerLink extends LinkBase {
  readonly host: string;
  #port: number;
  #server: net.Server | null = null;
  #client: net.Socket | null = null;
  #closed = false;
  readonly #maxUnsent: number;

  constructor(options: TcpServerLinkOptions) {
    super();
    this.host = options.host;
    this.#port = options.port;
    this.#maxUnsent = options.maxUnsent ?? DEFAULT_MAX_UNSENT;
  }

  /** Open while a client is connected. */
  get isOpen(): boolean {
    return this.#client !== null;
  }

  describe(): string {
    return `tcp-listen:${formatHostPort(this.host, this.#port)}`;
  }

  /** The address listened on (the real port when 0 was asked for). */
  address(): { host: string; port: number } {
    return { host: this.host, port: this.#port };
  }

  /** Starts listening; rejects with a ByteLinkError (EADDRINUSE, EACCES, …). Clients connect later: see 'open'. */
  async open(): Promise<void> {
    if (this.#closed) throw new ByteLinkError(this.describe(), 'EBADF', 'open after close');
    if (this.#server) return;
    const server = net.createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(tcpError(this.describe(), error, 'listen'));
      server.once('error', failed);
      server.listen(this.#port, this.host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    this.#port = (server.address() as net.AddressInfo).port;
    server.on('error', (error) => this.emit('error', tcpError(this.describe(), error, 'accept')));
    this.#server = server;
  }

  write(bytes: Uint8Array): void {
    const client = this.#client;
    if (!client) {
      this.emit('error', notConnected(this.describe(), bytes.length, 'no client is connected'));
      return;
    }
    if (bytes.length === 0 || boundedWrite(client, bytes, this.#maxUnsent)) return;
    const detail = notReading(client, bytes.length, this.#maxUnsent);
    this.#client = null;
    client.destroy();
    this.emit('close', { kind: 'lost', detail });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const server = this.#server;
    const client = this.#client;
    this.#client = null;
    this.#server = null;
    const stopped = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    if (client) {
      await endSocket(client);
      this.emit('close', { kind: 'local', detail: 'closed' });
    }
    await stopped;
  }

  #accept(socket: net.Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    const who = formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const previous = this.#client;
    if (previous) {
      this.#client = null;
      previous.destroy();
      this.emit('close', { kind: 'lost', detail: `replaced by a new client from ${who}` });
    }
    this.#client = socket;
    attach(
      socket,
      () => this.describe(),
      () => this.#client === socket,
      (chunk) => this.emit('data', chunk),
      (error) => this.emit('error', error),
      (info) => {
        this.#client = null;
        this.emit('close', info);
      },
    );
    this.emit('open');
  }
}

export interface TcpClientLinkOptions {
  host: string;
  port: number;
  clock: EmulatorClock;
  /** Reconnect after a lost connection; false to stay closed. Default on, with `defaultReconnect` timings. */
  reconnect?: ReconnectOptions | false;
  /** Output held for a server that does not read before the connection is dropped. Default DEFAULT_MAX_UNSENT. */
  maxUnsent?: number;
}

export class TcpClientLink extends LinkBase {
  readonly host: string;
  readonly port: number;
  readonly #reconnector: Reconnector | null;
  #socket: net.Socket | null = null;
  /** The connection attempt in progress, shared by concurrent callers. */
  #connecting: Promise<void> | null = null;
  #closed = false;
  readonly #maxUnsent: number;

  constructor(options: TcpClientLinkOptions) {
    super();
    const { host, port, clock, reconnect = {} } = options;
    this.#maxUnsent = options.maxUnsent ?? DEFAULT_MAX_UNSENT;
    this.host = host;
    this.port = port;
    this.#reconnector =
      reconnect === false
        ? null
        : new Reconnector(
            clock,
            reconnect,
            () => this.#connect(),
            (error, nextDelayMs) =>
              this.emit('error', tcpError(this.describe(), error, `reconnect (next try in ${nextDelayMs} ms)`)),
          );
  }

  get isOpen(): boolean {
    return this.#socket !== null;
  }

  describe(): string {
    return `tcp:${formatHostPort(this.host, this.port)}`;
  }

  /** One attempt at connecting; rejects with a ByteLinkError (ECONNREFUSED, ENOTFOUND, …). */
  async open(): Promise<void> {
    if (this.#closed) throw new ByteLinkError(this.describe(), 'EBADF', 'open after close');
    try {
      await this.#connect();
    } catch (error) {
      throw tcpError(this.describe(), error, 'connect');
    }
  }

  write(bytes: Uint8Array): void {
    const socket = this.#socket;
    if (!socket) {
      this.emit('error', notConnected(this.describe(), bytes.length));
      return;
    }
    if (bytes.length === 0 || boundedWrite(socket, bytes, this.#maxUnsent)) return;
    const detail = notReading(socket, bytes.length, this.#maxUnsent);
    this.#socket = null;
    socket.destroy();
    this.emit('close', { kind: 'lost', detail });
    this.#reconnector?.start();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#reconnector?.stop();
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = null;
    await endSocket(socket);
    this.emit('close', { kind: 'local', detail: 'closed' });
  }

  /** Connects unless connected (a reconnect timer may fire after an explicit open); joins an attempt in progress. */
  #connect(): Promise<void> {
    if (this.#socket) return Promise.resolve();
    this.#connecting ??= this.#attempt().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  #attempt(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      const failed = (error: Error): void => {
        socket.destroy();
        reject(error);
      };
      socket.once('error', failed);
      socket.once('connect', () => {
        socket.off('error', failed);
        if (this.#closed) {
          socket.destroy();
          reject(new ByteLinkError(this.describe(), 'ECANCELED', 'closed while connecting'));
          return;
        }
        this.#socket = socket;
        attach(
          socket,
          () => this.describe(),
          () => this.#socket === socket,
          (chunk) => this.emit('data', chunk),
          (error) => this.emit('error', error),
          (info) => {
            this.#socket = null;
            this.emit('close', info);
            this.#reconnector?.start();
          },
        );
        this.emit('open');
        resolve();
      });
    });
  }
}
