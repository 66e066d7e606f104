/**
 * The harness's port on a device line whose cut the far end plays (a pack's `linkFault` over TCP or serial to
 * `smets1 emulate`: the linkFault control, docs/bench.md "Link faults at a far end"). Over the mock line a cut closes
 * the harness's port under it: its commands wait unsent (no try counted) until its SerialLink reopens the port, on
 * the bench clock with its backoff. Over a link that is not cut the harness plays that part itself: between `close`
 * and the reopening, a request to a device waits here, unsent, and goes once the port is back; the bench's own
 * controls (to the emulator's address) pass, as they pass the far end's cut: they are not on the device line.
 *
 * The one BenchClient of the bench: held requests are not yet the client's, so lockstep (lockstep.ts), which stands
 * virtual time while requests are on the wire, runs time on to the reopening instead of waiting for them.
 */
import type { EmulatorClock, TimerId } from '../../emulator/clock/clock';
import { BenchClient, type CommandInput } from '../../protocols/benchClient';
import { EMULATOR_EUI } from '../../protocols/constants';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName } from '../../protocols/messageTypes.generated';

export class FarEndPortClient extends BenchClient {
  #reopen: { clock: EmulatorClock; timer: TimerId } | undefined;
  #held: (() => void)[] = [];

  /** Whether the port is closed (a cut the far end plays, not yet reopened). */
  get portClosed(): boolean {
    return this.#reopen !== undefined;
  }

  override request<N extends RequestName>(destination: string, command: CommandInput<N>): Promise<ResponseMessage<N>> {
    if (this.#reopen === undefined || destination === EMULATOR_EUI) return super.request(destination, command);
    return new Promise<void>((resolve) => this.#held.push(resolve)).then(() => this.request(destination, command));
  }

  /** Closes the port for `ms` of `clock` (the harness's: in lockstep its virtual time); reopening sends what waited. */
  closeFor(ms: number, clock: EmulatorClock): void {
    if (this.#reopen !== undefined) this.#reopen.clock.clearTimeout(this.#reopen.timer);
    const timer = clock.setTimeout(() => this.#reopened(), ms);
    this.#reopen = { clock, timer };
  }

  override close(): void {
    if (this.#reopen !== undefined) this.#reopen.clock.clearTimeout(this.#reopen.timer);
    this.#reopen = undefined;
    // what waited is refused by the closed client, as a request made after it closed would be
    this.#release();
    super.close();
  }

  #reopened(): void {
    this.#reopen = undefined;
    this.#release();
  }

  #release(): void {
    const held = this.#held;
    this.#held = [];
    for (const resolve of held) resolve();
  }
}
