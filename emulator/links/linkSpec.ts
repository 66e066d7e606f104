/**
 * The one-string description of a link the CLI takes (`--link serial:/dev/ttyUSB0@9600`), parsed into a typed
 * value. Errors name the part that is wrong and show the accepted forms.
 *
 *   serial:PATH[@BAUD]     a real serial port (BAUD defaults to 115200); PATH may be COM3 on Windows
 *   tcp:HOST:PORT          connect to HOST:PORT
 *   tcp-listen:HOST:PORT   listen on HOST:PORT (PORT 0: any free port) for one client at a time
 *   pty                    a fresh socat pty pair; the other end's path is printed for the harness
 *   mock[@BAUD]            the in-process mock serial line (BAUD defaults to 115200)
 *   loopback               an in-process pair, no wire at all
 * IPv6 hosts are bracketed: tcp:[::1]:7000.
 */

const defaultBaudRate = 115_200;

export type LinkSpec =
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'tcp-listen'; host: string; port: number }
  | { kind: 'pty' }
  | { kind: 'mock'; baudRate: number }
  | { kind: 'loopback' };

export const linkSpecForms = 'serial:PATH[@BAUD], tcp:HOST:PORT, tcp-listen:HOST:PORT, pty, mock[@BAUD], loopback';

export class LinkSpecError extends Error {
  override readonly name = 'LinkSpecError';
  constructor(
    readonly spec: string,
    /** The offending part of the spec (the whole spec when the type itself is unknown). */
    readonly part: string,
    reason: string,
  ) {
    super(`bad link "${spec}": ${reason}`);
  }
}

export function parseLinkSpec(spec: string): LinkSpec {
  const colon = spec.indexOf(':');
  const head = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? undefined : spec.slice(colon + 1);
  const [kind, at] = head.includes('@') && rest === undefined ? splitAt(head) : [head, undefined];
  switch (kind) {
    case 'serial': {
      if (rest === undefined || rest === '') throw new LinkSpecError(spec, spec, 'serial needs a path: serial:PATH[@BAUD]');
      const at = rest.lastIndexOf('@');
      const path = at < 0 ? rest : rest.slice(0, at);
      if (path === '') throw new LinkSpecError(spec, rest, 'serial needs a path before @BAUD');
      return { kind, path, baudRate: at < 0 ? defaultBaudRate : baud(spec, rest.slice(at + 1)) };
    }
    case 'tcp':
    case 'tcp-listen': {
      const { host, port } = hostPort(spec, kind, rest);
      if (port === 0 && kind === 'tcp') throw new LinkSpecError(spec, '0', 'port 0 only makes sense for tcp-listen');
      return { kind, host, port };
    }
    case 'pty':
    case 'loopback':
      if (rest !== undefined || at !== undefined) {
        throw new LinkSpecError(spec, spec.slice(kind.length), `${kind} takes no parameters`);
      }
      return { kind };
    case 'mock':
      if (rest !== undefined) throw new LinkSpecError(spec, spec.slice(kind.length), 'mock takes only @BAUD: mock[@BAUD]');
      return { kind, baudRate: at === undefined ? defaultBaudRate : baud(spec, at) };
    default:
      throw new LinkSpecError(
        spec,
        kind,
        kind === '' ? `no link type; expected one of ${linkSpecForms}` : `unknown link type "${kind}"; expected one of ${linkSpecForms}`,
      );
  }
}

function splitAt(head: string): [string, string] {
  const at = head.indexOf('@');
  return [head.slice(0, at), head.slice(at + 1)];
}

function baud(spec: string, text: string): number {
  const value = /^[1-9]\d*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new LinkSpecError(spec, text, `baud rate "${text}" is not a positive whole number`);
  }
  return value;
}

function hostPort(spec: string, kind: string, rest: string | undefined): { host: string; port: number } {
  const form = `${kind}:HOST:PORT`;
  if (rest === undefined || rest === '') throw new LinkSpecError(spec, spec, `${kind} needs a host and a port: ${form}`);
  // [v6]:port, or host:port split at the last colon.
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  const colon = rest.lastIndexOf(':');
  const [host, portText] = bracketed
    ? [bracketed[1]!, bracketed[2]!]
    : colon < 0
      ? [rest, undefined]
      : [rest.slice(0, colon), rest.slice(colon + 1)];
  if (portText === undefined) throw new LinkSpecError(spec, rest, `missing port: ${form}`);
  if (host === '') throw new LinkSpecError(spec, rest, `missing host: ${form}`);
  if (!bracketed && host.includes(':')) throw new LinkSpecError(spec, host, 'an IPv6 host must be bracketed: [::1]');
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65_535)) throw new LinkSpecError(spec, portText, `port "${portText}" is not in 0-65535`);
  return { host, port };
}
