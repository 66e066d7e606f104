/**
 * The real SerialLink (emulator/links/serialLink.ts) on serialport's own MockBinding (@serialport/binding-mock):
 * open, write, read, close, the errors a user meets (no such port, a port another program holds, a permission
 * problem), and reconnection after the adapter is unplugged and plugged back, with no hardware and on a virtual
 * clock for the reconnect backoff.
 *
 * MockBinding has no way to unplug a port, so `Unpluggable` wraps each port it opens: `unplug()` fails the read in
 * progress the way a Linux tty does when its adapter goes ("EIO: i/o error, read") and removes the port from the
 * mock (a reopen then finds nothing, as on a real box); `plugIn()` creates it again.
 */
import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import type { ByteLinkError } from '../../emulator/links/byteLink';
import { SerialLink } from '../../emulator/links/serialLink';
import type { BindingInterface, BindingPortInterface, OpenOptions } from '../../emulator/links/serialportTypes';
import { Recorder, virtualUntil } from './byteLinkSuite';

const PATH = '/dev/ttyMOCK0';
const WHERE = 'serial:/dev/ttyMOCK0@9600';

/** MockBinding, counting opens and keeping every port it opened, each of them unpluggable. */
class Unpluggable {
  readonly opened: UnpluggablePort[] = [];
  openCalls = 0;
  /** While set, every port's close waits for it (holdCloses). */
  closeGate: Promise<void> | undefined;
  closeStarted: (() => void) | undefined;
  readonly binding = {
    list: () => MockBinding.list(),
    open: async (options: OpenOptions): Promise<BindingPortInterface> => {
      this.openCalls++;
      const port = new UnpluggablePort(await MockBinding.open(options), this);
      this.opened.push(port);
      return port;
    },
  } as unknown as BindingInterface;

  get last(): UnpluggablePort {
    const port = this.opened.at(-1);
    if (!port) throw new Error('no port was opened');
    return port;
  }

  /** The adapter goes: the open port's read fails with the error a Linux tty gives, and the path disappears. */
  unplug(): void {
    MockBinding.reset();
    this.last.fail(new Error('EIO: i/o error, read'));
  }

  plugIn(): void {
    MockBinding.createPort(PATH, { record: true });
  }

  /**
   * From now on a port's close takes until `release()`, as bindings-cpp's close(2) in the thread pool takes a while
   * (MockBinding's is done at once); `started` resolves when a close begins.
   */
  holdCloses(): { started: Promise<void>; release(): void; fail(error: Error): void } {
    let release!: () => void;
    let fail!: (error: Error) => void;
    this.closeGate = new Promise<void>((resolve, reject) => ((release = resolve), (fail = reject)));
    this.closeGate.catch(() => {}); // observed through close only
    const started = new Promise<void>((resolve) => (this.closeStarted = resolve));
    return { started, release, fail };
  }
}

class UnpluggablePort implements BindingPortInterface {
  #fail!: (error: Error) => void;
  readonly #gone = new Promise<never>((_, reject) => (this.#fail = reject));

  constructor(
    readonly mock: MockPortBinding,
    private readonly owner: Unpluggable,
  ) {
    this.#gone.catch(() => {}); // observed through read/write only
  }

  get openOptions() {
    return this.mock.openOptions;
  }
  get isOpen() {
    return this.mock.isOpen;
  }
  fail(error: Error): void {
    this.#fail(error);
  }
  read(buffer: Buffer, offset: number, length: number) {
    return Promise.race([this.mock.read(buffer, offset, length), this.#gone]);
  }
  write(buffer: Buffer) {
    return Promise.race([this.mock.write(buffer), this.#gone]);
  }
  async close() {
    this.owner.closeStarted?.();
    await this.owner.closeGate;
    return this.mock.close();
  }
  update(options: { baudRate: number }) {
    return this.mock.update(options);
  }
  set(options: object) {
    return this.mock.set(options);
  }
  get() {
    return this.mock.get();
  }
  getBaudRate() {
    return this.mock.getBaudRate();
  }
  flush() {
    return this.mock.flush();
  }
  drain() {
    return this.mock.drain();
  }
}

/** Lets the binding's work settle: MockBinding and the stream answer on process.nextTick and promises only. */
const settle = drainPendingJobs;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

let mock: Unpluggable;
let clock: VirtualClock;
const links: SerialLink[] = [];
const serialLink = (options: Partial<ConstructorParameters<typeof SerialLink>[0]> = {}): SerialLink => {
  const link = new SerialLink({ path: PATH, baudRate: 9600, clock, binding: mock.binding, ...options });
  links.push(link);
  return link;
};

/** The port is free: a new link opens it at once (no lock left behind by the one closed before). */
const expectOpensAgain = async () => {
  const next = serialLink();
  await next.open();
  expect(next.isOpen).toBe(true);
};

beforeEach(() => {
  MockBinding.reset();
  mock = new Unpluggable();
  mock.plugIn();
  clock = new VirtualClock();
});

afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
  MockBinding.reset();
});

describe('SerialLink on @serialport/binding-mock: open, write, read, close', () => {
  it('opens the port at the given baud rate and says so once', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await link.open();
    expect(link.isOpen).toBe(true);
    expect(link.describe()).toBe(WHERE);
    expect(r.events).toEqual(['open']);
    expect(mock.openCalls).toBe(1);
    expect(mock.last.openOptions).toMatchObject({ path: PATH, baudRate: 9600, lock: true });
    expect(await mock.last.getBaudRate()).toEqual({ baudRate: 9600 });
  });

  it('opens the port with the frame and flow control of the link spec, and describes itself with them', async () => {
    const link = serialLink({ settings: { dataBits: 7, parity: 'even', stopBits: 2, rtscts: true, xonxoff: false } });
    await link.open();
    expect(link.describe()).toBe(`${WHERE},7E2,rtscts`);
    expect(mock.last.openOptions).toMatchObject({
      path: PATH,
      baudRate: 9600,
      dataBits: 7,
      parity: 'even',
      stopBits: 2,
      rtscts: true,
      xon: false,
      xoff: false,
    });
  });

  it('xonxoff is software flow control both ways', async () => {
    const link = serialLink({ settings: { dataBits: 8, parity: 'odd', stopBits: 1, rtscts: false, xonxoff: true } });
    await link.open();
    expect(link.describe()).toBe(`${WHERE},8O1,xonxoff`);
    expect(mock.last.openOptions).toMatchObject({
      dataBits: 8,
      parity: 'odd',
      stopBits: 1,
      rtscts: false,
      xon: true,
      xoff: true,
    });
  });

  it('defaults to 115200 baud', async () => {
    const link = serialLink({ baudRate: undefined });
    await link.open();
    expect(link.describe()).toBe('serial:/dev/ttyMOCK0@115200');
    expect(mock.last.openOptions.baudRate).toBe(115_200);
  });

  it('writes reach the port in order, copied: the caller may reuse its buffer at once', async () => {
    const link = serialLink();
    await link.open();
    const reused = Uint8Array.of(0xa5, 0x01, 0x02);
    link.write(reused);
    reused.set([0xff, 0xff, 0xff]);
    link.write(Uint8Array.of(0x03, 0x04));
    link.write(new Uint8Array(0)); // nothing to send: nothing is sent
    await settle();
    expect(hex(mock.last.mock.recording)).toBe('a501020304');
  });

  it('bytes the port receives come out as data, in order', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await link.open();
    mock.last.mock.emitData(Buffer.from([0xa5, 0x10]));
    mock.last.mock.emitData(Buffer.from([0x20, 0x30, 0x40]));
    await settle();
    expect(hex(r.bytes())).toBe('a510203040');
    expect(r.errors).toEqual([]);
  });

  it('close() releases the port (another link may open it), says close once, and is idempotent', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await link.open();
    const port = mock.last;
    await link.close();
    await link.close();
    expect(port.isOpen).toBe(false);
    expect(link.isOpen).toBe(false);
    expect(r.events).toEqual(['open', 'close:local']);
    expect(r.closes).toEqual([{ kind: 'local', detail: 'closed' }]);
    await expectOpensAgain();
  });

  it('after close: a write is reported as lost (ENOTCONN), and open() is refused (EBADF)', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await link.open();
    await link.close();
    link.write(Uint8Array.of(1, 2, 3));
    expect(r.errors.map((e) => [e.code, e.message])).toEqual([
      ['ENOTCONN', `${WHERE}: 3 byte(s) written while link is not open were lost (ENOTCONN)`],
    ]);
    await expect(link.open()).rejects.toMatchObject({ code: 'EBADF', message: `${WHERE}: open after close (EBADF)` });
  });

  it('two open() calls at once make one attempt and both resolve', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await Promise.all([link.open(), link.open()]);
    expect(mock.openCalls).toBe(1);
    expect(r.events).toEqual(['open']);
  });

  it('close() while the port is opening gives the port back: open() rejects ECANCELED and the port is free', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    const opening = link.open();
    const closing = link.close();
    await expect(opening).rejects.toMatchObject({
      code: 'ECANCELED',
      message: `${WHERE}: closed while opening (ECANCELED)`,
    });
    await closing;
    await settle();
    expect(mock.last.isOpen).toBe(false);
    expect(r.events).toEqual([]);
    await expectOpensAgain();
  });

  // A harness closes its port and opens it again at once (scenario after scenario): after close() resolves, the port
  // must be free, or the next open meets the closed link's own lock (EBUSY).
  it('close() while the port is opening resolves only once the port is given back: it opens again at once', async () => {
    const closes = mock.holdCloses();
    const link = serialLink();
    const opening = link.open();
    let closed = false;
    const closing = link.close().then(() => (closed = true));
    await closes.started; // the open took the port, saw the close, and is giving it back
    await settle();
    expect(closed).toBe(false);
    closes.release();
    await closing;
    expect(mock.last.isOpen).toBe(false);
    await expectOpensAgain();
    await expect(opening).rejects.toMatchObject({ code: 'ECANCELED' });
  });

  it('close() while the port is being lost resolves only once the stream has closed it: it opens again at once', async () => {
    const link = serialLink();
    await link.open();
    const port = mock.last;
    const closes = mock.holdCloses();
    port.fail(new Error('EIO: i/o error, read')); // lost; the port stays on the mock, so it can be opened again
    await closes.started; // the stream is closing the port itself
    let closed = false;
    const closing = link.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    closes.release();
    await closing;
    expect(port.isOpen).toBe(false);
    await expectOpensAgain();
  });

  it('close() while the port is being lost and its close fails: close() still resolves, never waiting for a close that cannot finish', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await link.open();
    const closes = mock.holdCloses();
    mock.last.fail(new Error('EIO: i/o error, read'));
    await closes.started;
    const closing = link.close();
    closes.fail(new Error('EBADF: bad file descriptor, close'));
    await closing;
    expect(link.isOpen).toBe(false);
    expect(r.closes.map((c) => c.kind)).toEqual(['local']);
  });
});

describe('SerialLink on @serialport/binding-mock: errors', () => {
  it('a port that does not exist: ENOENT, saying where and what to check; nothing emitted', async () => {
    const link = serialLink({ path: '/dev/ttyMOCK9' });
    const r = new Recorder(link);
    const error = (await link.open().then(
      () => expect.fail('opened a port that does not exist'),
      (e: unknown) => e,
    )) as ByteLinkError;
    expect(error).toMatchObject({
      name: 'ByteLinkError',
      code: 'ENOENT',
      errno: 2,
      where: 'serial:/dev/ttyMOCK9@9600',
    });
    expect(error.message).toBe(
      'serial:/dev/ttyMOCK9@9600: open failed: no such port: check the path (ls /dev/serial/by-id/) and that the ' +
        "adapter is plugged in [Port does not exist - please call MockBinding.createPort('/dev/ttyMOCK9') first] (ENOENT)",
    );
    expect(link.isOpen).toBe(false);
    expect(r.events).toEqual([]);
  });

  it('a port another program holds (locked): EBUSY, and the holder keeps it', async () => {
    const holder = serialLink();
    await holder.open();
    const link = serialLink();
    await expect(link.open()).rejects.toMatchObject({
      code: 'EBUSY',
      errno: 16,
      message: `${WHERE}: open failed: the port is in use by another program (it holds the lock) [Port is locked cannot open] (EBUSY)`,
    });
    expect(link.isOpen).toBe(false);
    expect(holder.isOpen).toBe(true);
  });

  // lockWaitMs waits on real time (the lock is the OS's): these wait for what they need to see, never a set time.
  it('with lockWaitMs, a port held for a moment: open keeps trying and gets it once the holder lets go', async () => {
    const holder = serialLink();
    await holder.open();
    const link = serialLink({ lockWaitMs: 2_000 });
    const opening = link.open();
    // the holder's open, the link's first try and one more: it tried again while held (the test's timeout bounds it)
    while (mock.openCalls < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await holder.close();
    await opening;
    expect(link.isOpen).toBe(true);
  });

  it('with lockWaitMs, a port held throughout: EBUSY once the wait is over, saying how long it tried', async () => {
    const holder = serialLink();
    await holder.open();
    const link = serialLink({ lockWaitMs: 150 });
    const error = (await link.open().catch((e: unknown) => e)) as ByteLinkError;
    expect(error.code).toBe('EBUSY');
    expect(error.message).toMatch(
      /^serial:\/dev\/ttyMOCK0@9600: open, tried for (\d+) ms, failed: the port is in use by another program \(it holds the lock\) \[Port is locked cannot open\] \(EBUSY\)$/,
    );
    expect(Number(/tried for (\d+) ms/.exec(error.message)![1])).toBeGreaterThanOrEqual(150);
    expect(holder.isOpen).toBe(true);
  });

  it('with lockWaitMs, close() while it waits for a locked port: no try after the close, open() rejects ECANCELED', async () => {
    const holder = serialLink();
    await holder.open();
    const link = serialLink({ lockWaitMs: 2_000 });
    const opening = link.open();
    while (mock.openCalls < 2) await settle(); // its first try
    await settle(); // met the lock: it waits to try again
    await link.close();
    const triesBeforeClose = mock.openCalls;
    await holder.close(); // the port is free now: a try after the close would take it
    await expect(opening).rejects.toMatchObject({ code: 'ECANCELED' });
    expect(mock.openCalls).toBe(triesBeforeClose);
  });

  it('with lockWaitMs, a port that is not there is refused at the first try: only a lock is waited for', async () => {
    MockBinding.reset();
    const link = serialLink({ lockWaitMs: 2_000 });
    await expect(link.open()).rejects.toMatchObject({ code: 'ENOENT' });
    expect(mock.openCalls).toBe(1);
  });

  it("an open the OS refuses (the native binding's permission message): EACCES with the dialout fix", async () => {
    const refusing = {
      list: () => MockBinding.list(),
      open: () => Promise.reject(new Error('Error: Permission denied, cannot open /dev/ttyMOCK0')),
    } as unknown as BindingInterface;
    const link = serialLink({ binding: refusing });
    await expect(link.open()).rejects.toMatchObject({
      code: 'EACCES',
      errno: 13,
      message:
        `${WHERE}: open failed: permission denied: add the user to the dialout group (usermod -aG dialout $USER) and ` +
        'log in again [Error: Permission denied, cannot open /dev/ttyMOCK0] (EACCES)',
    });
  });
});

describe('SerialLink on @serialport/binding-mock: unplugged and plugged back', () => {
  const LOST = `${WHERE}: i/o failed: input/output error: the device was unplugged or its driver failed [EIO: i/o error, read] (EIO)`;
  const NO_PORT = "[Port does not exist - please call MockBinding.createPort('/dev/ttyMOCK0') first] (ENOENT)";
  const reopenFailed = (nextMs: number) =>
    `${WHERE}: reopen (next try in ${nextMs} ms) failed: no such port: check the path (ls /dev/serial/by-id/) and that ` +
    `the adapter is plugged in ${NO_PORT}`;

  /** Records each event with the virtual time (ms after `t0`) it came at. */
  function timeline(link: SerialLink, t0: number): string[] {
    const seen: string[] = [];
    link.on('open', () => seen.push(`${clock.now() - t0} open`));
    link.on('close', (info) => seen.push(`${clock.now() - t0} close:${info.kind} ${info.detail}`));
    link.on('error', (e) => seen.push(`${clock.now() - t0} error:${e.code} ${e.message}`));
    return seen;
  }

  /** Fires the clock's timers one by one until `done()`. */
  const runUntil = (done: () => boolean, what: string) => virtualUntil(clock)(done, what, []);

  it('loses the port with the reason, retries with backoff (250, 500, 1000 ms) and reopens once it is back', async () => {
    const link = serialLink();
    await link.open();
    const t0 = clock.now();
    const seen = timeline(link, t0);

    mock.unplug();
    await settle();
    expect(seen).toEqual([`0 close:lost ${LOST}`]);
    expect(link.isOpen).toBe(false);
    expect(clock.nextDueTime()).toBe(t0 + 250);

    await runUntil(() => seen.length === 3, 'two failed reopens');
    expect(seen.slice(1)).toEqual([`250 error:ENOENT ${reopenFailed(500)}`, `750 error:ENOENT ${reopenFailed(1000)}`]);
    expect(clock.nextDueTime()).toBe(t0 + 1750);

    mock.plugIn();
    await runUntil(() => link.isOpen, 'the reopen');
    expect(seen.slice(3)).toEqual(['1750 open']);
    expect(mock.openCalls).toBe(4); // the first open, two failed tries, the reopen
    expect(clock.nextDueTime()).toBeUndefined();
  });

  it('bytes written while the port is gone are reported and dropped, never replayed to the new port', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await link.open();
    mock.unplug();
    await settle();
    mock.plugIn();
    link.write(Uint8Array.of(0xde, 0xad));
    expect(r.errors.at(-1)?.message).toBe(`${WHERE}: 2 byte(s) written while link is not open were lost (ENOTCONN)`);
    await runUntil(() => link.isOpen, 'the reopen');
    link.write(Uint8Array.of(0x01));
    mock.last.mock.emitData(Buffer.from([0x7e]));
    await settle();
    expect(hex(mock.last.mock.recording)).toBe('01');
    expect(hex(r.bytes())).toBe('7e');
    expect(mock.opened).toHaveLength(2);
  });

  it('a loss after a reconnect starts again from the short wait', async () => {
    const link = serialLink();
    await link.open();
    mock.unplug();
    await runUntil(() => clock.nextDueTime() !== undefined, 'the first try scheduled');
    await clock.advanceTo(clock.nextDueTime()!); // fails: the port is gone; next wait 500 ms
    await settle();
    mock.plugIn();
    await runUntil(() => link.isOpen, 'the reopen');
    const t1 = clock.now();
    mock.unplug();
    await settle();
    expect(clock.nextDueTime()).toBe(t1 + 250);
  });

  it('with reconnect off, a lost port stays closed: no retries are scheduled', async () => {
    const link = serialLink({ reconnect: false });
    const r = new Recorder(link);
    await link.open();
    mock.unplug();
    await settle();
    expect(r.events).toEqual(['open', 'close:lost']);
    expect(r.closes[0]).toMatchObject({ kind: 'lost', detail: LOST, error: { code: 'EIO' } });
    expect(clock.nextDueTime()).toBeUndefined();
  });

  it('close() during the backoff stops the retries and says nothing more', async () => {
    const link = serialLink();
    const r = new Recorder(link);
    await link.open();
    mock.unplug();
    await settle();
    expect(clock.nextDueTime()).toBeDefined();
    await link.close();
    expect(clock.nextDueTime()).toBeUndefined();
    mock.plugIn();
    await clock.advanceBy(60_000);
    await settle();
    expect(r.events).toEqual(['open', 'close:lost']);
    expect(mock.openCalls).toBe(1);
  });
});
