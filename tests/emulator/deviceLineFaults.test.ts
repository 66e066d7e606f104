/**
 * The emulator's side of the device line under the linkFault control (emulator/host/deviceLineFaults.ts): which
 * frames are the devices' (the bench's own controls never faulted), damage to a copy (the link layer resends its
 * frame), and seeded draws (the same seed and frames, the same faults). Frames are built with encodeFrame; the
 * expectations are written from the frame layout (docs/protocol.md "Frame"), not asked of the faults.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { DeviceLineFaults, type LinkFaultControl } from '../../emulator/host/deviceLineFaults';
import { encodeFrame } from '../../protocols/frame';

const EMULATOR = '00-00-00-00-00-00-00-02';
const HARNESS = '00-00-00-00-00-00-00-01';
const CH = '00-DB-12-34-56-78-90-A2';

const frame = (source: string, destination: string, sequence: number) =>
  new Uint8Array(
    encodeFrame({
      type: 'response',
      source,
      destination,
      messageId: 0x0103,
      sequence,
      segmentIndex: 0,
      segmentCount: 1,
      payload: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
    }),
  );
const control = (fields: Partial<LinkFaultControl>): LinkFaultControl => ({
  disconnect: 0,
  dropWriteRate: 0,
  corruptWriteRate: 0,
  corruptByteRate: 0,
  seed: 1,
  ...fields,
});
const hex = (bytes: Uint8Array | undefined) => (bytes === undefined ? 'lost' : Buffer.from(bytes).toString('hex'));

describe('the device line faults at the emulator', () => {
  it("the bench's own frames pass untouched at every rate, both ways; the devices' are all lost at a drop rate of 1", () => {
    const faults = new DeviceLineFaults(new VirtualClock());
    expect(faults.apply(control({ dropWriteRate: 1, corruptWriteRate: 1, corruptByteRate: 1 }))).toBeUndefined();
    const answer = frame(EMULATOR, HARNESS, 1);
    expect(faults.outbound(answer)).toBe(answer);
    expect(faults.outbound(frame(CH, HARNESS, 2))).toBeUndefined();
    const delivered: string[] = [];
    const fromHarness = [
      frame(HARNESS, EMULATOR, 3),
      frame(HARNESS, CH, 4),
      frame(HARNESS, 'FF-FF-FF-FF-FF-FF-FF-FF', 5),
    ];
    faults.inbound(Buffer.concat(fromHarness), (bytes) => delivered.push(hex(bytes)));
    // the control and the session announcement (broadcast) arrive; the command to the CH does not
    expect(delivered).toEqual([hex(fromHarness[0]), hex(fromHarness[2])]);
  });

  it('damage goes to a copy, one byte of each device frame at a corruptWriteRate of 1', () => {
    const faults = new DeviceLineFaults(new VirtualClock());
    faults.apply(control({ corruptWriteRate: 1 }));
    const original = frame(CH, HARNESS, 7);
    const kept = hex(original);
    const damaged = faults.outbound(original)!;
    expect(hex(original)).toBe(kept);
    expect([...damaged].filter((byte, i) => byte !== original[i])).toHaveLength(1);
  });

  it('the same seed and frames give the same faults; another seed others', () => {
    const run = (seed: number) => {
      const faults = new DeviceLineFaults(new VirtualClock());
      faults.apply(control({ dropWriteRate: 0.3, corruptWriteRate: 0.3, seed }));
      return Array.from({ length: 40 }, (_, k) => hex(faults.outbound(frame(CH, HARNESS, k))));
    };
    const first = run(5);
    expect(run(5)).toEqual(first);
    expect(run(6)).not.toEqual(first);
    // some lost, some damaged, some whole: the rates are drawn, not all-or-nothing
    const whole = Array.from({ length: 40 }, (_, k) => hex(frame(CH, HARNESS, k)));
    expect(first.filter((f) => f === 'lost').length).toBeGreaterThan(0);
    expect(first.filter((f, k) => f !== 'lost' && f !== whole[k]).length).toBeGreaterThan(0);
    expect(first.filter((f, k) => f === whole[k]).length).toBeGreaterThan(0);
  });

  it("a cut ends after its time on the devices' clock; a rate over 1 or a negative cut is refused, named", async () => {
    const clock = new VirtualClock(0);
    const faults = new DeviceLineFaults(clock);
    faults.apply(control({ disconnect: 30_000 }));
    expect(faults.outbound(frame(CH, HARNESS, 1))).toBeUndefined();
    await clock.advanceTo(29_999);
    expect(faults.cut).toBe(true);
    await clock.advanceTo(30_000);
    expect(faults.cut).toBe(false);
    const back = frame(CH, HARNESS, 2);
    expect(faults.outbound(back)).toBe(back);
    expect(faults.apply(control({ dropWriteRate: 1.5 }))).toBe('dropWriteRate must be in [0, 1], got 1.5');
    expect(faults.apply(control({ disconnect: -1 }))).toBe('disconnect must be a whole number of ms, got -1');
  });
});
