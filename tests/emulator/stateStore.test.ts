// Persistence: round trip through the state file, atomic writes, and clear refusals of corrupt or foreign files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { benchSets } from '../../emulator/host/benchConfig';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { StateError, StateStore, STATE_FILE } from '../../emulator/persistence/stateStore';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smets1-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('StateStore', () => {
  it('restores a host exactly: device state, timers and the unacknowledged alert queue', async () => {
    const dir = tempDir();
    const store = new StateStore(dir);
    const clock = new VirtualClock();
    const sets = benchSets({ vendor: 'elster', seed: 2 });
    const host = new DeviceHost({ clock, sets });
    host.on('change', () => store.scheduleSave(() => host.state));
    const { CH, PPMID, ESME } = sets[0].euis;
    expect((await host.command(CH, { type: 'hanLogAdd', deviceId: PPMID!, installCode: '00112233445566778899aabbccddeeff', joinPeriod: 200 })).status).toBe('ok');
    expect((await host.command(ESME, { type: 'mainsVoltage', voltage: 200 })).status).toBe('ok');
    await clock.advanceBy(30_000); // half way through the 60 s sag period
    await Promise.resolve();
    const saved = store.load()!;
    expect(saved.pendingAlerts.map((a) => a.code)).toEqual([0x8f12]); // no link attached: nothing acknowledged
    host.close();

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

  it('writes through a temporary file and leaves only the state file behind', () => {
    const dir = tempDir();
    const store = new StateStore(dir);
    const host = new DeviceHost({ clock: new VirtualClock(), sets: benchSets({ vendor: 'itron' }) });
    store.save(host.state);
    store.save(host.state);
    expect(readdirSync(dir)).toEqual([STATE_FILE]);
    expect(store.writeCount).toBe(2);
    host.close();
  });

  it('coalesces the changes of one turn into one write', async () => {
    const dir = tempDir();
    const store = new StateStore(dir);
    const host = new DeviceHost({ clock: new VirtualClock(), sets: benchSets({ vendor: 'itron' }) });
    for (let i = 0; i < 5; i++) store.scheduleSave(() => host.state);
    await Promise.resolve();
    expect(store.writeCount).toBe(1);
    host.close();
  });

  const refusals: [string, string, RegExp][] = [
    ['truncated JSON', '{"format":"smets1-emulator-state","vers', /is corrupt \(.*JSON.*\); refusing to start\. It was not changed: move it aside to start afresh\.$/],
    ['another program’s file', JSON.stringify({ format: 'something-else', version: 1 }), /is not an emulator state file \(format "something-else", expected "smets1-emulator-state"\)/],
    ['a newer version', JSON.stringify({ format: 'smets1-emulator-state', version: 9 }), /has state version 9; this emulator reads version 1/],
    ['a non-object', '42', /is not a JSON object/],
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

  it('refuses a state whose snapshots do not match its sets', () => {
    const dir = tempDir();
    const store = new StateStore(dir);
    const host = new DeviceHost({ clock: new VirtualClock(), sets: benchSets({ vendor: 'itron' }) });
    store.save({ ...host.state, snapshots: [] });
    expect(() => store.load()).toThrow(/snapshot count that does not match its device sets/);
    host.close();
  });
});
