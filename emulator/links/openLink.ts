/**
 * Opens the link a spec describes (see linkSpec.ts), for the CLI and for tests that take a transport as a
 * parameter. The result is tagged with its kind because some links come with something the caller needs next:
 * the loopback's other end, the mock line's binding and path (for the harness's SerialPortStream), the pty path
 * to give the harness, the port a `tcp-listen:HOST:0` got.
 */
import type { EmulatorClock } from '../clock/clock';
import type { ByteLink } from './byteLink';
import { parseLinkSpec, type LinkSpec } from './linkSpec';
import { LoopbackEnd } from './loopback';
import { MockSerialPair, type LineConditions } from './mockSerialPair';
import { PtyLink } from './ptyLink';
import type { ReconnectOptions } from './reconnector';
import { SerialLink } from './serialLink';
import { TcpClientLink, TcpServerLink } from './tcpLink';

export interface OpenLinkOptions {
  clock: EmulatorClock;
  /** Serial and TCP client: reconnect after a loss (default on). */
  reconnect?: ReconnectOptions | false;
  /** Serial: how long open keeps trying a port another program holds (SerialLink's `lockWaitMs`; default 0). */
  lockWaitMs?: number;
  /** Mock line: the fault seed and initial knobs. */
  seed?: number;
  mock?: Partial<Omit<LineConditions, 'baudRate'>>;
}

export type OpenedLink = { link: ByteLink } & (
  | { kind: 'serial'; link: SerialLink }
  | { kind: 'tcp'; link: TcpClientLink }
  | { kind: 'tcp-listen'; link: TcpServerLink }
  | { kind: 'pty'; link: PtyLink }
  | { kind: 'mock'; link: MockSerialPair }
  | { kind: 'loopback'; link: LoopbackEnd; peer: LoopbackEnd }
);

/** Resolves once the link is usable (a `tcp-listen` link is listening; its client connects later: 'open'). */
export async function openLink(spec: string | LinkSpec, options: OpenLinkOptions): Promise<OpenedLink> {
  const parsed = typeof spec === 'string' ? parseLinkSpec(spec) : spec;
  const { clock, reconnect } = options;
  const again = reconnect === undefined ? {} : { reconnect };
  switch (parsed.kind) {
    case 'serial': {
      const link = new SerialLink({
        path: parsed.path,
        baudRate: parsed.baudRate,
        ...(parsed.settings !== undefined ? { settings: parsed.settings } : {}),
        clock,
        ...again,
        ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
      });
      await link.open();
      return { kind: 'serial', link };
    }
    case 'tcp': {
      const link = new TcpClientLink({ host: parsed.host, port: parsed.port, clock, ...again });
      await link.open();
      return { kind: 'tcp', link };
    }
    case 'tcp-listen': {
      const link = new TcpServerLink({ host: parsed.host, port: parsed.port });
      await link.open();
      return { kind: 'tcp-listen', link };
    }
    case 'pty':
      return { kind: 'pty', link: await PtyLink.open({ clock }) };
    case 'mock': {
      const seed = options.seed === undefined ? {} : { seed: options.seed };
      return { kind: 'mock', link: new MockSerialPair({ clock, baudRate: parsed.baudRate, ...seed, ...options.mock }) };
    }
    case 'loopback': {
      const [link, peer] = LoopbackEnd.pair();
      return { kind: 'loopback', link, peer };
    }
  }
}
