/**
 * The emulator's end of a fresh socat pty pair, as a ByteLink: a SerialLink on the first pty (through the native
 * serialport binding, as on a real port), with the second pty's path published for the harness. Closing the link
 * kills socat. Events come from the SerialLink, so errors name the pty as `serial:/dev/pts/N@BAUD`. No reconnect: once socat has gone the pty paths are gone too.
 */
import type { EmulatorClock } from '../clock/clock';
import type { ByteLink, ByteLinkEvent, ByteLinkEvents } from './byteLink';
import { spawnPtyPair, type PtyPair } from './ptyPair';
import { SerialLink } from './serialLink';

export interface PtyLinkOptions {
  clock: EmulatorClock;
  /** Ptys ignore the rate, but the serial code sets it as on a real port. Default 115200. */
  baudRate?: number;
  socatPath?: string;
}

export class PtyLink implements ByteLink {
  private constructor(
    private readonly serial: SerialLink,
    private readonly pair: PtyPair,
  ) {}

  /** Spawns socat and opens the first pty; rejects (and cleans up) if either fails. */
  static async open(options: PtyLinkOptions): Promise<PtyLink> {
    const pair = await spawnPtyPair({ ...(options.socatPath ? { socatPath: options.socatPath } : {}) });
    const serial = new SerialLink({
      path: pair.paths[0],
      baudRate: options.baudRate ?? 115_200,
      clock: options.clock,
      reconnect: false,
    });
    try {
      await serial.open();
    } catch (error) {
      await pair.close();
      throw error;
    }
    return new PtyLink(serial, pair);
  }

  /** The path the harness (or any serial tool) opens to talk to this link. */
  get peerPath(): string {
    return this.pair.paths[1];
  }

  get isOpen(): boolean {
    return this.serial.isOpen;
  }

  describe(): string {
    return `pty:${this.pair.paths[0]} (peer ${this.peerPath})`;
  }

  on<E extends ByteLinkEvent>(event: E, listener: ByteLinkEvents[E]): () => void {
    return this.serial.on(event, listener);
  }

  write(bytes: Uint8Array): void {
    this.serial.write(bytes);
  }

  async close(): Promise<void> {
    await this.serial.close();
    await this.pair.close();
  }
}
