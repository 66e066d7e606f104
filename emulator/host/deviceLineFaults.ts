/**
 * Faults on the emulator's side of the device line, asked for by the `linkFault` bench control (docs/protocol.md
 * "Bench controls"): what a pack's `linkFault` step does to the mock line in the harness's process, done here for a
 * harness that reaches this emulator over a real link (TCP, serial) it cannot cut or damage itself.
 *
 * The link carries two things: the device line (frames to and from the devices' EUIs) and the bench's out-of-band
 * channel (frames to and from the emulator's own address: the clock controls, benchInfo/Reset/Configure, this
 * control). Only the first is faulted: in lockstep the clock controls move the devices' time, and a cut that stopped
 * them would stop that time with it. A frame is the device line's when the emulator is neither its source (what the
 * emulator writes: its devices' responses, alerts and acks) nor its destination (what it reads: commands to devices,
 * acks of their alerts); the session announcements (to the broadcast address) belong to the link, not to a device.
 *
 * While a fault is on, what arrives is cut into frames here (protocols/frameCutter.ts) so each can be judged; bytes
 * that make no frame are lost here rather than NAKed by the link layer, as noise on a damaged line may be. With no
 * fault on, bytes pass untouched. Loss and damage are drawn as the mock line draws them (mockWire.ts WriteFaults), from
 * the control's seed: the same seed and the same frames lose and damage the same bytes.
 */
import { BROADCAST_EUI, EMULATOR_EUI } from '../../protocols/constants';
import { euiToBytes } from '../../protocols/eui64';
import { FrameCutter } from '../../protocols/frameCutter';
import type { EmulatorClock, TimerId } from '../clock/clock';
import { WriteFaults, checkLineConditions, noFaults, type FaultRates, type WireStats } from '../links/mockWire';

/** The linkFault control's fields (protocols/commandTable.ts). */
export interface LinkFaultControl extends FaultRates {
  /** ms of the devices' clock the device line stays cut from now; 0: not cut. */
  readonly disconnect: number;
  readonly seed: number;
}

export type DeviceLineStats = Pick<WireStats, 'droppedWrites' | 'corruptedWrites' | 'corruptedBytes' | 'bytesLost'> & {
  /** Device frames dropped unread (either way) because the line was cut. */
  framesCut: number;
};

/** Header offsets (protocols/frame.ts): source and destination EUI-64s. */
const SOURCE = 4;
const DESTINATION = 12;
const EUI_BYTES = 8;
const EMULATOR = euiToBytes(EMULATOR_EUI);
const BROADCAST = euiToBytes(BROADCAST_EUI);

function euiAt(frame: Uint8Array, offset: number, eui: Uint8Array): boolean {
  if (frame.length < offset + EUI_BYTES) return false;
  for (let i = 0; i < EUI_BYTES; i++) if (frame[offset + i] !== eui[i]) return false;
  return true;
}

export class DeviceLineFaults {
  readonly stats: DeviceLineStats = {
    droppedWrites: 0,
    corruptedWrites: 0,
    corruptedBytes: 0,
    bytesLost: 0,
    framesCut: 0,
  };
  #rates: Readonly<FaultRates> = noFaults;
  #cutTimer: TimerId | undefined;
  /** The draws of the two directions (0 toward the devices, 1 toward the harness, as the mock line numbers them). */
  #draws: { seed: number; toDevices: WriteFaults; toHarness: WriteFaults } | undefined;
  /** Frames what arrives while a fault is on; handed each whole frame to `#deliverFrame`. */
  #cutter: FrameCutter | undefined;
  #deliver: (bytes: Uint8Array) => void = () => {};

  /** `clock`: the devices' (a cut lasts for their time: in lockstep, the harness's virtual time). */
  constructor(private readonly clock: EmulatorClock) {}

  get cut(): boolean {
    return this.#cutTimer !== undefined;
  }

  get active(): boolean {
    return (
      this.cut || this.#rates.dropWriteRate > 0 || this.#rates.corruptWriteRate > 0 || this.#rates.corruptByteRate > 0
    );
  }

  /** Applies a linkFault control; the reason it cannot, or undefined once done. */
  apply(control: LinkFaultControl): string | undefined {
    const rates: FaultRates = {
      dropWriteRate: control.dropWriteRate,
      corruptWriteRate: control.corruptWriteRate,
      corruptByteRate: control.corruptByteRate,
    };
    try {
      checkLineConditions(rates);
    } catch (error) {
      return (error as Error).message;
    }
    if (!Number.isInteger(control.disconnect) || control.disconnect < 0)
      return `disconnect must be a whole number of ms, got ${control.disconnect}`;
    this.#rates = rates;
    // the draws go on across controls of one seed (a scenario's), as the mock line's do across its configure()s
    if (this.#draws?.seed !== control.seed)
      this.#draws = {
        seed: control.seed,
        toDevices: new WriteFaults(control.seed, 0),
        toHarness: new WriteFaults(control.seed, 1),
      };
    this.#stopCut();
    if (control.disconnect > 0) {
      this.#cutTimer = this.clock.setTimeout(() => {
        this.#cutTimer = undefined;
        this.#settle();
      }, control.disconnect);
    }
    this.#settle();
    return undefined;
  }

  /** Every fault off and the draws forgotten (benchReset, benchConfigure): the next scenario starts on a sound line. */
  clear(): void {
    this.#stopCut();
    this.#rates = noFaults;
    this.#draws = undefined;
    this.#settle();
  }

  /**
   * A frame the emulator is about to write (its link layer writes one frame a write): the bytes to write, or
   * undefined when the line loses them. Damage goes to a copy: the link layer keeps the frame to send it again.
   */
  outbound(frame: Uint8Array): Uint8Array | undefined {
    if (!this.active || euiAt(frame, SOURCE, EMULATOR)) return frame;
    if (this.cut) {
      this.stats.framesCut++;
      this.stats.bytesLost += frame.length;
      return undefined;
    }
    return this.#drawn(frame, this.#draws!.toHarness);
  }

  /** Bytes from the link, for the link layer (`deliver`): untouched with no fault on, else frame by frame. */
  inbound(bytes: Uint8Array, deliver: (bytes: Uint8Array) => void): void {
    if (this.#cutter === undefined) {
      deliver(bytes);
      return;
    }
    this.#deliver = deliver;
    this.#cutter.push(bytes);
  }

  #deliverFrame(frame: Uint8Array): void {
    if (euiAt(frame, DESTINATION, EMULATOR) || euiAt(frame, DESTINATION, BROADCAST)) {
      this.#deliver(frame);
      return;
    }
    if (this.cut) {
      this.stats.framesCut++;
      this.stats.bytesLost += frame.length;
      return;
    }
    const kept = this.#drawn(frame, this.#draws!.toDevices);
    if (kept !== undefined) this.#deliver(kept);
  }

  #drawn(frame: Uint8Array, draws: WriteFaults): Uint8Array | undefined {
    const copy = new Uint8Array(frame);
    if (draws.lost(copy, this.#rates, this.stats)) return undefined;
    draws.corruptBytes(copy, this.#rates.corruptByteRate, this.stats);
    return copy;
  }

  #stopCut(): void {
    if (this.#cutTimer !== undefined) this.clock.clearTimeout(this.#cutTimer);
    this.#cutTimer = undefined;
  }

  /** Frames what arrives only while a fault is on; a partial frame held when the last fault ends is lost with it. */
  #settle(): void {
    if (this.active) {
      this.#cutter ??= new FrameCutter(
        (frame) => this.#deliverFrame(frame),
        () => {},
      );
    } else {
      this.#cutter = undefined;
    }
  }
}
