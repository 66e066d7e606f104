/**
 * The one-string description of a link the CLI takes (`--link serial:/dev/ttyUSB0@9600`), parsed into a typed
 * value. Errors name the part that is wrong and show the accepted forms.
 *
 *   serial:PATH[@BAUD[,SETTING…]]
 *                          a real serial port (BAUD defaults to 115200); PATH may be COM3 on Windows. Settings after
 *                          the baud rate, as serialport offers them: the frame DATA PARITY STOP (8N1 default, 7E1,
 *                          8O2, 8N1.5; parity N, E or O), `rtscts` (hardware flow control) or `xonxoff` (software)
 *   tcp:HOST:PORT          connect to HOST:PORT
 *   tcp-listen:HOST:PORT   listen on HOST:PORT (PORT 0: any free port) for one client at a time
 *   pty                    a fresh socat pty pair; the other end's path is printed for the harness
 *   mock[@BAUD]            the in-process mock serial line (BAUD defaults to 115200)
 *   loopback               an in-process pair, no wire at all
 * IPv6 hosts are bracketed: tcp:[::1]:7000.
 */

const defaultBaudRate = 115_200;

/** Serial line settings beyond the baud rate: present on a spec only when it gives some (then all filled in). */
export interface SerialSettings {
  readonly dataBits: 5 | 6 | 7 | 8;
  readonly parity: 'none' | 'even' | 'odd';
  readonly stopBits: 1 | 1.5 | 2;
  /** Hardware flow control (RTS/CTS). */
  readonly rtscts: boolean;
  /** Software flow control (XON/XOFF both ways). */
  readonly xonxoff: boolean;
}

export type LinkSpec =
  | { kind: 'serial'; path: string; baudRate: number; settings?: SerialSettings }
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
      if (rest === undefined || rest === '')
        throw new LinkSpecError(spec, spec, 'serial needs a path: serial:PATH[@BAUD]');
      const at = rest.lastIndexOf('@');
      const path = at < 0 ? rest : rest.slice(0, at);
      if (path === '') throw new LinkSpecError(spec, rest, 'serial needs a path before @BAUD');
      if (at < 0) return { kind, path, baudRate: defaultBaudRate };
      const [baudText, ...settings] = rest.slice(at + 1).split(',');
      const baudRate = baud(spec, baudText!);
      return settings.length === 0
        ? { kind, path, baudRate }
        : { kind, path, baudRate, settings: serialSettings(spec, settings) };
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
      if (rest !== undefined)
        throw new LinkSpecError(spec, spec.slice(kind.length), 'mock takes only @BAUD: mock[@BAUD]');
      return { kind, baudRate: at === undefined ? defaultBaudRate : baud(spec, at) };
    default:
      throw new LinkSpecError(
        spec,
        kind,
        kind === ''
          ? `no link type; expected one of ${linkSpecForms}`
          : `unknown link type "${kind}"; expected one of ${linkSpecForms}`,
      );
  }
}

const SETTINGS_EXPECTED =
  'the frame DATA PARITY STOP like 8N1 or 7E1 (data bits 5-8, parity N, E or O, stop bits 1, 1.5 or 2), rtscts or xonxoff';
const PARITY = { N: 'none', E: 'even', O: 'odd' } as const;

/** The settings after `@BAUD,`: each named once, every wrong one refused naming it. */
function serialSettings(spec: string, parts: readonly string[]): SerialSettings {
  let frame: Pick<SerialSettings, 'dataBits' | 'parity' | 'stopBits'> | undefined;
  const flow = { rtscts: false, xonxoff: false };
  for (const part of parts) {
    if (part === 'rtscts' || part === 'xonxoff') {
      if (flow[part]) throw new LinkSpecError(spec, part, `${part} is given twice`);
      flow[part] = true;
      continue;
    }
    if (/^rs-?485$/i.test(part)) {
      throw new LinkSpecError(
        spec,
        part,
        'serialport has no RS-485 mode to switch on: use an RS-485 adapter that turns its transceiver round by itself (most USB ones do) and give its RS-232 settings',
      );
    }
    const match = /^(\d)([A-Za-z])(1\.5|\d)$/.exec(part);
    if (match === null)
      throw new LinkSpecError(spec, part, `unknown serial setting "${part}"; expected ${SETTINGS_EXPECTED}`);
    const [, data, parity, stop] = match as unknown as [string, string, string, string];
    if (!['5', '6', '7', '8'].includes(data))
      throw new LinkSpecError(spec, part, `data bits ${data} in "${part}": serialport takes 5, 6, 7 or 8`);
    if (!(parity in PARITY)) {
      const why = 'MS'.includes(parity)
        ? "mark and space parity are only in serialport's Windows binding"
        : `expected N, E or O`;
      throw new LinkSpecError(spec, part, `parity ${parity} in "${part}": ${why}`);
    }
    if (!['1', '1.5', '2'].includes(stop))
      throw new LinkSpecError(spec, part, `stop bits ${stop} in "${part}": serialport takes 1, 1.5 or 2`);
    if (frame !== undefined)
      throw new LinkSpecError(spec, part, `a second frame "${part}": give DATA PARITY STOP once`);
    frame = {
      dataBits: Number(data) as SerialSettings['dataBits'],
      parity: PARITY[parity as keyof typeof PARITY],
      stopBits: Number(stop) as SerialSettings['stopBits'],
    };
  }
  if (flow.rtscts && flow.xonxoff)
    throw new LinkSpecError(spec, 'xonxoff', 'rtscts and xonxoff are two kinds of flow control: give one');
  return { ...(frame ?? { dataBits: 8, parity: 'none', stopBits: 1 }), ...flow };
}

/** The settings as a spec writes them (`8E1,rtscts`), for describing a link. */
export function serialSettingsText(settings: SerialSettings): string {
  const parity = Object.entries(PARITY).find(([, name]) => name === settings.parity)![0];
  return [
    `${settings.dataBits}${parity}${settings.stopBits}`,
    ...(settings.rtscts ? ['rtscts'] : []),
    ...(settings.xonxoff ? ['xonxoff'] : []),
  ].join(',');
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
  if (rest === undefined || rest === '')
    throw new LinkSpecError(spec, spec, `${kind} needs a host and a port: ${form}`);
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
