// Persistence: round trip through the state files, per-set writes only on change, durability before any answer,
// a full disk that stops the bench instead of corrupting it, schema refusals naming the bad field, the lock and
// the start-up sweep of temporaries.
import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { benchSets, type DeviceSetConfig } from '../../emulator/host/benchConfig';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { LoopbackEnd } from '../../emulator/links/loopback';
import type { FileSystem } from '../../emulator/persistence/atomicFile';
import { HostPersistence } from '../../emulator/persistence/hostPersistence';
import { StateError, StateStore, STATE_FILE } from '../../emulator/persistence/stateStore';
import { BenchClient } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';

const dirs: string[] = [];
const stores: StateStore[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smets1-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openStore(dir: string, files?: FileSystem): StateStore {
  const store = new StateStore(dir, files);
  store.open();
  stores.push(store);
  return store;
}

/** A host persisted into `store` (base written), as `smets1 emulate --state` runs it. */
function persistedHost(
  store: StateStore,
  sets: DeviceSetConfig[],
  clock = new VirtualClock(),
  onFailure: (error: Error) => void = () => {},
) {
  const restored = store.load();
  const persistence = new HostPersistence(store, onFailure);
  const host = new DeviceHost({
    clock,
    sets: restored?.sets ?? sets,
    restore: restored,
    outbound: persistence.outbound,
  });
  persistence.start(host, restored?.sets ?? sets);
  return { host, persistence, clock };
}

/** A harness on a loopback link to `host`, with every event in `order`. */
function harnessFor(host: DeviceHost, clock: VirtualClock, order: string[]) {
  const [emulator, harness] = LoopbackEnd.pair();
  host.attach(emulator);
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    transmit: (bytes) => harness.write(bytes),
    dialectOf: (eui) => host.dialectOf(eui),
  });
  harness.on('data', (bytes) => endpoint.receive(bytes));
  endpoint.setConnected(true);
  const client = new BenchClient({ endpoint, clock });
  client.on('alert', (alert) => order.push(`alert ${alert.alert.code.toString(16)}`));
  return {
    client,
    close() {
      client.close();
      endpoint.close();
    },
  };
}

/** Real file system calls, renames logged; once `failAt` is set, the writeSync calls from that one (counting from 1) fail as `fail` says. */
type FaultyFiles = FileSystem & { writes: number; failAt: number };
function faultyFiles(log: string[], fail: 'ENOSPC' | 'short'): FaultyFiles {
  const files: FaultyFiles = {
    writes: 0,
    failAt: Infinity,
    openSync: fs.openSync,
    fsyncSync: fs.fsyncSync,
    fdatasyncSync: (fd: number) => {
      log.push('fdatasync');
      fs.fdatasyncSync(fd);
    },
    closeSync: fs.closeSync,
    unlinkSync: fs.unlinkSync,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      log.push(`rename ${String(to).split('/').pop()}`);
      fs.renameSync(from, to);
    },
    writeSync: ((fd: number, buffer: Buffer, offset: number, length: number, position?: number) => {
      files.writes++;
      if (files.writes >= files.failAt) {
        if (fail === 'ENOSPC')
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        // A short write, then nothing: what a full disk gives a write larger than the space left.
        return files.writes === files.failAt ? fs.writeSync(fd, buffer, offset, Math.min(length, 100), position) : 0;
      }
      return fs.writeSync(fd, buffer, offset, length, position);
    }) as typeof fs.writeSync,
  };
  return files;
}

describe('StateStore', () => {
  it('restores a host exactly: device state, timers and the unacknowledged alert queue', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const clock = new VirtualClock();
    const sets = benchSets({ vendor: 'elster', seed: 2 });
    const { host } = persistedHost(store, sets, clock);
    const { CH, PPMID, ESME } = sets[0].euis;
    expect(
      (
        await host.command(CH, {
          type: 'hanLogAdd',
          deviceId: PPMID!,
          installCode: '00112233445566778899aabbccddeeff',
          joinPeriod: 200,
        })
      ).status,
    ).toBe('ok');
    expect((await host.command(ESME, { type: 'mainsVoltage', voltage: 200 })).status).toBe('ok');
    await clock.advanceBy(30_000); // half way through the 60 s sag period
    await drainPendingJobs();
    host.close();
    store.close();

    const again = openStore(dir);
    const saved = again.load()!;
    expect(saved.pendingAlerts.map((a) => a.code)).toEqual([0x8f12]); // no link attached: nothing acknowledged
    // A new host on a clock at the same time carries on: the sag alert fires at exactly +60 s, not +90 s.
    const clock2 = new VirtualClock(clock.now());
    const restored = new DeviceHost({ clock: clock2, sets: saved.sets, restore: saved });
    expect(restored.unacknowledgedAlerts.map((a) => a.code)).toEqual([0x8f12]);
    const raised: { code: number; at: number }[] = [];
    restored.on('alert', (a) => raised.push({ code: a.code, at: a.at }));
    await clock2.advanceBy(40_000);
    expect(raised).toEqual([{ code: 0x802c, at: clock.now() + 30_000 }]);
    const log = await restored.command(CH, { type: 'readDeviceLog' });
    expect(log.body).toEqual({ entries: expect.arrayContaining([{ deviceId: PPMID, joined: false }]) });
    restored.close();
  });

  it('writes only the set that changed, once per turn, and nothing for a read', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const sets = benchSets({ vendor: 'itron', sets: 3 });
    const { host } = persistedHost(store, sets);
    expect(store.writeCount).toBe(1); // the base
    expect(readdirSync(dir).sort()).toEqual(['emulator-state.0.slots', 'emulator-state.json', 'emulator.lock']);

    const { CH, PPMID } = sets[1].euis;
    await host.command(CH, {
      type: 'hanLogAdd',
      deviceId: PPMID!,
      installCode: '00112233445566778899aabbccddeeff',
      joinPeriod: 200,
    });
    await drainPendingJobs();
    expect(store.writeCount).toBe(2);
    // Set 1's first slot holds the change; sets 0 and 2 have nothing beyond the base.
    const slots = readFileSync(join(dir, 'emulator-state.0.slots'));
    const size = slots.length / 6;
    expect([0, 1, 2, 3, 4, 5].map((slot) => slots.subarray(slot * size, slot * size + 2).toString('latin1'))).toEqual([
      '\0\0',
      '\0\0',
      '\0\0',
      '1 ',
      '\0\0',
      '\0\0',
    ]);

    for (let i = 0; i < 5; i++) await host.command(CH, { type: 'readDeviceLog' });
    await host.command(sets[2].euis.ESME, { type: 'readDeviceInfo' });
    await drainPendingJobs();
    expect(store.writeCount).toBe(2);
    host.close();
  });

  it('answers a change only once it is on disk', async () => {
    const dir = tempDir();
    const order: string[] = [];
    const store = openStore(dir, faultyFiles(order, 'ENOSPC'));
    const sets = benchSets({ vendor: 'itron' });
    const { host, clock } = persistedHost(store, sets);
    const harness = harnessFor(host, clock, order);
    order.length = 0;
    const { CH, PPMID } = sets[0].euis;
    const answered = harness.client
      .request(CH, {
        type: 'hanLogAdd',
        deviceId: PPMID!,
        installCode: '00112233445566778899aabbccddeeff',
        joinPeriod: 200,
      })
      .then((r) => order.push(`response ${r.status}`));
    await clock.advanceBy(100);
    await answered;
    await drainPendingJobs();
    // The write of set 0's slot, flushed, comes before the response; and so for each change after it.
    expect(order.slice(0, 2)).toEqual(['fdatasync', 'response ok']);
    for (const type of ['hanLogRemove', 'hanLogAdd'] as const) {
      order.length = 0;
      const command =
        type === 'hanLogAdd'
          ? { type, deviceId: PPMID!, installCode: '00112233445566778899aabbccddeeff', joinPeriod: 200 }
          : { type, deviceId: PPMID! };
      const done = harness.client.request(CH, command).then((r) => order.push(`response ${r.status}`));
      await clock.advanceBy(100);
      await done;
      expect(order.filter((e) => !e.startsWith('alert'))).toEqual(['fdatasync', 'response ok']);
    }
    harness.close();
    host.close();
  });

  for (const fault of ['ENOSPC', 'short'] as const) {
    it(`a full disk (${fault === 'short' ? 'a short write' : 'ENOSPC'}) keeps the last good file and stops answering`, async () => {
      const dir = tempDir();
      const order: string[] = [];
      const files = faultyFiles(order, fault);
      const store = openStore(dir, files);
      const sets = benchSets({ vendor: 'itron' });
      const failures: Error[] = [];
      const { host, clock, persistence } = persistedHost(store, sets, new VirtualClock(), (error) =>
        failures.push(error),
      );
      const harness = harnessFor(host, clock, order);
      const { CH, PPMID } = sets[0].euis;
      const add = (device: string) =>
        harness.client.request(CH, {
          type: 'hanLogAdd',
          deviceId: device,
          installCode: '00112233445566778899aabbccddeeff',
          joinPeriod: 200,
        });
      // Two changes: both slots of set 0 hold a record (sequences 1 and 2); the next write overwrites the older.
      await Promise.all([add(PPMID!), clock.advanceBy(100)]);
      await Promise.all([add('00-DB-12-34-56-78-90-B1'), clock.advanceBy(100)]);
      await drainPendingJobs();
      const good = readFileSync(join(dir, 'emulator-state.0.slots'));
      const slotSize = good.length / 2;

      files.failAt = files.writes + 1; // the disk is full from the next write on
      const statuses: string[] = [];
      const second = add('00-DB-12-34-56-78-90-B3').then(
        (r) => statuses.push(r.status),
        (e: Error) => statuses.push(`error: ${e.message}`),
      );
      await clock.advanceBy(1000);
      await drainPendingJobs();
      expect(failures.map((e) => e.message)).toEqual([
        expect.stringMatching(
          fault === 'short'
            ? /^cannot write .*emulator-state\.0\.slots \(set 0\): short write: 100 of \d+ bytes, then none \(disk full\?\)$/
            : /^cannot write .*emulator-state\.0\.slots \(set 0\): ENOSPC: no space left on device, write$/,
        ),
      ]);
      expect(persistence.failed).toBe(failures[0]);
      // The last good record is intact, no temporary is left, and the change was never answered.
      // (Sequence n goes to slot n mod 2: the newest intact record, 2, is in the first slot; the failed write, 3, went to the second.)
      expect(readFileSync(join(dir, 'emulator-state.0.slots')).subarray(0, slotSize)).toEqual(
        good.subarray(0, slotSize),
      );
      expect(readdirSync(dir).sort()).toEqual(['emulator-state.0.slots', 'emulator-state.json', 'emulator.lock']);
      expect(statuses).toEqual([]);
      // Nothing more is sent once a write has failed, and the failure is reported once.
      await host.command(CH, {
        type: 'hanLogAdd',
        deviceId: '00-DB-12-34-56-78-90-C3',
        installCode: '00112233445566778899aabbccddeeff',
        joinPeriod: 200,
      });
      await drainPendingJobs();
      expect(failures).toHaveLength(1);
      harness.close();
      host.close();
      void second;
      // The directory still loads, with the first change and without the one that was not made durable.
      store.close();
      const log = openStore(dir).load()!;
      const chContext = (
        log.snapshots[0] as {
          children: Record<string, { snapshot: { context: { deviceLog: { deviceId: string }[] } } }>;
        }
      ).children[CH].snapshot.context;
      // (After a short write the second slot is torn: its checksum fails and the first, the newest intact one, is used.)
      expect(chContext.deviceLog.map((entry) => entry.deviceId)).toEqual(
        expect.arrayContaining([PPMID, '00-DB-12-34-56-78-90-B1']),
      );
      expect(chContext.deviceLog.map((entry) => entry.deviceId)).not.toContain('00-DB-12-34-56-78-90-B3');
    });
  }

  const refusals: [string, string, RegExp][] = [
    [
      'truncated JSON',
      '{"format":"smets1-emulator-state","vers',
      /is corrupt \(line 1: .*JSON.*\); refusing to start\. It was not changed: move .* aside to start afresh\.$/,
    ],
    [
      'another program’s file',
      JSON.stringify({ format: 'something-else', version: 1 }),
      /is not an emulator state file \(format "something-else", expected "smets1-emulator-state"\)/,
    ],
    [
      'a newer version',
      JSON.stringify({ format: 'smets1-emulator-state', version: 9 }),
      /has state version 9; this emulator reads versions 2, 3, 4, 5 and 6/,
    ],
    ['a non-object', '42', /is not an emulator state file \(its first line is not a JSON object\)/],
  ];
  for (const [what, content, message] of refusals) {
    it(`refuses ${what} with a message naming the file, and leaves it untouched`, () => {
      const dir = tempDir();
      const path = join(dir, STATE_FILE);
      writeFileSync(path, content);
      const load = () => new StateStore(dir).load();
      expect(load).toThrow(StateError);
      expect(load).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `));
      expect(load).toThrow(message);
      expect(readFileSync(path, 'utf8')).toBe(content);
    });
  }

  describe('refuses a state that parses but is wrong, naming the bad field', () => {
    /** A valid one-set base, with `edit` applied to the set's record (line 2). */
    function baseWith(edit: (record: any) => void): string {
      const dir = tempDir();
      const store = openStore(dir);
      const { host } = persistedHost(store, benchSets({ vendor: 'itron' }));
      host.close();
      store.close();
      const path = join(dir, STATE_FILE);
      const [header, record] = readFileSync(path, 'utf8').trimEnd().split('\n');
      const parsed = JSON.parse(record);
      edit(parsed);
      writeFileSync(path, `${header}\n${JSON.stringify(parsed)}\n`);
      return dir;
    }
    const CH = '00-DB-12-34-56-78-90-A2';
    const ESME = '00-DB-12-34-56-78-90-A0';
    const alert = { id: 1, source: ESME, destination: '00-00-00-00-00-00-00-01', code: 0x8f35, at: 0, payload: '' };
    const cases: [string, (record: any) => void, string][] = [
      [
        'a pending alert addressed to "x"',
        (r) => (r.pendingAlerts = [{ ...alert, destination: 'x' }]),
        'at /pendingAlerts/0/destination: must match pattern',
      ],
      [
        'a pending alert from a device of another set',
        (r) => (r.pendingAlerts = [{ ...alert, source: '00-DB-12-34-56-78-90-B0' }]),
        'at /pendingAlerts/0/source: 00-DB-12-34-56-78-90-B0 is not a device of this set',
      ],
      // Issue 14 item 11: alerts the wire cannot carry (`at` a u32 of whole seconds, a payload of u8 length).
      [
        'a pending alert at 2106-02-07T06:28:16Z',
        (r) => (r.pendingAlerts = [{ ...alert, at: Date.UTC(2106, 1, 7, 6, 28, 16) }]),
        'at /pendingAlerts/0/at: must be <= 4294967295999',
      ],
      [
        'a pending alert at -1',
        (r) => (r.pendingAlerts = [{ ...alert, at: -1 }]),
        'at /pendingAlerts/0/at: must be >= 0',
      ],
      [
        'a pending alert with a 256-byte payload',
        (r) => (r.pendingAlerts = [{ ...alert, payload: 'ab'.repeat(256) }]),
        'at /pendingAlerts/0/payload: must NOT have more than 510 characters',
      ],
      [
        'a pending alert with a 300-byte payload',
        (r) => (r.pendingAlerts = [{ ...alert, payload: '00'.repeat(300) }]),
        'at /pendingAlerts/0/payload: must NOT have more than 510 characters',
      ],
      [
        'a child src of "constructor"',
        (r) => (r.snapshot.children[CH].src = 'constructor'),
        `at /snapshot/children/${CH}/src: must be equal to one of the allowed values (ch, esme, gsme, ppmid)`,
      ],
      [
        'a helper actor of src "constructor" under the CH',
        (r) =>
          (r.snapshot.children[CH].snapshot.children.timersResumption = {
            snapshot: { status: 'active' },
            src: 'constructor',
          }),
        `at /snapshot/children/${CH}/snapshot/children: must NOT have more than 0 properties`,
      ],
      [
        'a set context {}',
        (r) => (r.snapshot.context = {}),
        "at /snapshot/context: must have required property 'vendor'",
      ],
      [
        'a device context {}',
        (r) => (r.snapshot.children[ESME].snapshot.context = {}),
        `at /snapshot/children/${ESME}/snapshot/context: must have required property 'eui'`,
      ],
      [
        'an ESME EUI "hello"',
        (r) => (r.snapshot.context.members.ESME = 'hello'),
        'at /snapshot/context/members/ESME: must match pattern',
      ],
      [
        'a child under an EUI of no device',
        (r) => (r.snapshot.children['00-DB-12-34-56-78-90-FF'] = r.snapshot.children[CH]),
        'at /snapshot/children/00-DB-12-34-56-78-90-FF: not a device of this set',
      ],
      [
        'a CH context in an "esme" actor',
        (r) => (r.snapshot.children[ESME].snapshot.context.deviceType = 'CH'),
        `at /snapshot/children/${ESME}: a CH context in a "esme" actor`,
      ],
      [
        'a device log entry with a bad EUI',
        (r) => (r.snapshot.children[CH].snapshot.context.deviceLog[0].deviceId = 'hello'),
        `at /snapshot/children/${CH}/snapshot/context/deviceLog/0/deviceId: must match pattern`,
      ],
    ];
    it('a record written with the timers-resumption children of older code loads without them and restores', async () => {
      const legacyChild = (src: string) => ({ snapshot: { status: 'active' }, src, syncSnapshot: false });
      const dir = baseWith((r) => {
        r.snapshot.children[CH].snapshot.children.timersResumption = legacyChild('core.timersResumption');
        r.snapshot.children[ESME].snapshot.children.timersResumption = legacyChild('esme.timersResumption');
      });
      const loaded = new StateStore(dir).load()!;
      const devices = (loaded.snapshots[0] as { children: Record<string, { snapshot: { children: object } }> })
        .children;
      expect(Object.keys(devices).length).toBeGreaterThan(2);
      for (const device of Object.values(devices)) expect(device.snapshot.children).toEqual({});
      const host = new DeviceHost({ clock: new VirtualClock(), sets: loaded.sets, restore: loaded });
      expect((await host.command(ESME, { type: 'mainsVoltage', voltage: 200 })).status).toBe('ok');
      host.close();
    });

    for (const [what, edit, message] of cases) {
      it(what, () => {
        const dir = baseWith(edit);
        const load = () => new StateStore(dir).load();
        expect(load).toThrow(StateError);
        expect(load).toThrow(`${join(dir, STATE_FILE)} line 2 is wrong ${message}`);
      });
    }
  });

  it('a restart compacts into a new generation; slots of an older generation are ignored', async () => {
    const dir = tempDir();
    const sets = benchSets({ vendor: 'itron' });
    const store = openStore(dir);
    const { host } = persistedHost(store, sets);
    const { CH, PPMID } = sets[0].euis;
    await host.command(CH, {
      type: 'hanLogAdd',
      deviceId: PPMID!,
      installCode: '00112233445566778899aabbccddeeff',
      joinPeriod: 200,
    });
    await drainPendingJobs();
    host.close();
    const stale = readFileSync(join(dir, 'emulator-state.0.slots'));
    store.close();

    // Restart: the base is rewritten (generation 1) with the change, and generation 0's slots are removed.
    const second = openStore(dir);
    const { host: host2 } = persistedHost(second, sets);
    expect(readdirSync(dir).sort()).toEqual(['emulator-state.1.slots', 'emulator-state.json', 'emulator.lock']);
    await host2.command(CH, { type: 'hanLogRemove', deviceId: PPMID! });
    await drainPendingJobs();
    host2.close();
    second.close();
    // Generation 0's slots put back (as a crash between base rename and clean-up could leave them) are ignored.
    writeFileSync(join(dir, 'emulator-state.0.slots'), stale);
    const loaded = openStore(dir).load()!;
    const log = (loaded.snapshots[0] as any).children[CH].snapshot.context.deviceLog.map(
      (e: { deviceId: string }) => e.deviceId,
    );
    expect(log).not.toContain(PPMID);
  });

  it('a record too long for its slot rewrites the base with larger slots (a new generation)', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const sets = benchSets({ vendor: 'itron' });
    const { host } = persistedHost(store, sets);
    const slotSize = readFileSync(join(dir, 'emulator-state.0.slots')).length / 2;
    const { CH, PPMID } = sets[0].euis;
    await host.command(CH, {
      type: 'hanLogAdd',
      deviceId: PPMID!,
      installCode: '00112233445566778899aabbccddeeff',
      joinPeriod: 200,
    });
    await drainPendingJobs();
    // A record as long as a whole slot cannot go in one: the store lays the files out afresh.
    store.writeSet(0, store.recordText(0, { ...host.setState(0), pendingAlerts: [] }).padEnd(slotSize, ' '));
    expect(readdirSync(dir).sort()).toEqual(['emulator-state.1.slots', 'emulator-state.json', 'emulator.lock']);
    host.close();
    store.close();
    const loaded = openStore(dir).load()!;
    expect(loaded.generation).toBe(1);
    expect(
      (loaded.snapshots[0] as any).children[CH].snapshot.context.deviceLog.map((e: { deviceId: string }) => e.deviceId),
    ).toContain(PPMID);
  });

  it('a torn newest slot falls back to the set’s other slot; two unusable slots are refused', async () => {
    const dir = tempDir();
    const sets = benchSets({ vendor: 'itron' });
    const store = openStore(dir);
    const { host } = persistedHost(store, sets);
    const { CH, PPMID } = sets[0].euis;
    await host.command(CH, {
      type: 'hanLogAdd',
      deviceId: PPMID!,
      installCode: '00112233445566778899aabbccddeeff',
      joinPeriod: 200,
    });
    await drainPendingJobs();
    await host.command(CH, { type: 'hanLogRemove', deviceId: PPMID! });
    await drainPendingJobs();
    host.close();
    store.close();
    const entries = (state: any) =>
      state.snapshots[0].children[CH].snapshot.context.deviceLog.map((e: { deviceId: string }) => e.deviceId);
    expect(entries(new StateStore(dir).load())).not.toContain(PPMID); // sequence 2 (first slot): removed again

    // Tear the newest slot in the middle, as a power cut mid-write could: the other slot (the add) is used.
    const path = join(dir, 'emulator-state.0.slots');
    const slots = readFileSync(path);
    const size = slots.length / 2;
    slots.fill(0x78, 5000, 5100);
    writeFileSync(path, slots);
    expect(entries(new StateStore(dir).load())).toContain(PPMID);

    slots.fill(0x78, size + 5000, size + 5100);
    writeFileSync(path, slots);
    expect(() => new StateStore(dir).load()).toThrow(
      `${path} has both slots of set 0 unusable: ${path} slot 1 of set 0 fails its checksum (a write torn by a crash); ${path} slot 2 of set 0 fails its checksum (a write torn by a crash)`,
    );
  });

  it('a slots file of the wrong length, or one that cannot be read, is refused, never read as "no change"', async () => {
    const dir = tempDir();
    const sets = benchSets({ vendor: 'itron' });
    const store = openStore(dir);
    const { host } = persistedHost(store, sets);
    const { CH, PPMID } = sets[0].euis;
    await host.command(CH, {
      type: 'hanLogAdd',
      deviceId: PPMID!,
      installCode: '00112233445566778899aabbccddeeff',
      joinPeriod: 200,
    });
    await drainPendingJobs();
    host.close();
    store.close();
    const path = join(dir, 'emulator-state.0.slots');
    const size = readFileSync(path).length;

    writeFileSync(path, 'garbage'); // replaced: 7 bytes
    expect(() => new StateStore(dir).load()).toThrow(
      `${path} is 7 bytes where 1 set(s) of two ${size / 2}-byte slots take ${size}`,
    );
    writeFileSync(path, Buffer.alloc(size - 1)); // truncated by one byte
    expect(() => new StateStore(dir).load()).toThrow(`${path} is ${size - 1} bytes where`);
    rmSync(path);
    mkdirSync(path); // not a file at all
    expect(() => new StateStore(dir).load()).toThrow(`${path} cannot be read: EISDIR`);
  });

  it('removes temporaries left by a killed write on open, and nothing else', () => {
    const dir = tempDir();
    openStore(dir).close();
    writeFileSync(join(dir, 'emulator-state.json.4242.tmp'), '{"format":');
    writeFileSync(join(dir, 'emulator-state.3.slots.77.tmp'), '{');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const store = new StateStore(dir);
    expect(store.open().sort()).toEqual(['emulator-state.3.slots.77.tmp', 'emulator-state.json.4242.tmp']);
    stores.push(store);
    expect(readdirSync(dir).sort()).toEqual(['emulator.lock', 'notes.txt']);
  });

  it('a second store on a locked directory is refused, naming the holder; a dead holder’s lock is taken over', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    expect(() => new StateStore(dir).open()).toThrow(
      `state directory ${dir} is in use by another emulator (pid ${process.pid}, lock ${join(dir, 'emulator.lock')})`,
    );
    store.close();
    expect(existsSync(join(dir, 'emulator.lock'))).toBe(false);

    // A lock left by a process that no longer exists.
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(join(dir, 'emulator.lock'), `${deadPid}\n`);
    openStore(dir);
    expect(readFileSync(join(dir, 'emulator.lock'), 'utf8')).toMatch(
      new RegExp(`^${process.pid} \\d+ ${process.pid}-\\d+-\\d+\\n$`),
    );
  });
});
