import { describe, expect, it } from 'vitest';
import { LinkSpecError, parseLinkSpec, type LinkSpec } from '../../emulator/links/linkSpec';

describe('parseLinkSpec', () => {
  it.each<[string, LinkSpec]>([
    ['serial:/dev/ttyUSB0', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115_200 }],
    ['serial:/dev/ttyUSB0@9600', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }],
    ['serial:COM3@19200', { kind: 'serial', path: 'COM3', baudRate: 19_200 }],
    [
      'serial:/dev/serial/by-id/usb-FTDI_FT232R-if00-port0@57600',
      { kind: 'serial', path: '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0', baudRate: 57_600 },
    ],
    ['tcp:127.0.0.1:7000', { kind: 'tcp', host: '127.0.0.1', port: 7000 }],
    ['tcp:bench-pc.local:65535', { kind: 'tcp', host: 'bench-pc.local', port: 65_535 }],
    ['tcp:[::1]:7000', { kind: 'tcp', host: '::1', port: 7000 }],
    ['tcp-listen:0.0.0.0:7000', { kind: 'tcp-listen', host: '0.0.0.0', port: 7000 }],
    ['tcp-listen:127.0.0.1:0', { kind: 'tcp-listen', host: '127.0.0.1', port: 0 }],
    ['pty', { kind: 'pty' }],
    ['mock', { kind: 'mock', baudRate: 115_200 }],
    ['mock@9600', { kind: 'mock', baudRate: 9600 }],
    ['loopback', { kind: 'loopback' }],
    // serial settings after the baud rate: given ones as written, the rest serialport's defaults (8N1, no flow control)
    [
      'serial:/dev/ttyUSB0@9600,7E1',
      {
        kind: 'serial',
        path: '/dev/ttyUSB0',
        baudRate: 9600,
        settings: { dataBits: 7, parity: 'even', stopBits: 1, rtscts: false, xonxoff: false },
      },
    ],
    [
      'serial:/dev/ttyUSB0@19200,8O2,rtscts',
      {
        kind: 'serial',
        path: '/dev/ttyUSB0',
        baudRate: 19_200,
        settings: { dataBits: 8, parity: 'odd', stopBits: 2, rtscts: true, xonxoff: false },
      },
    ],
    [
      'serial:COM4@2400,rtscts',
      {
        kind: 'serial',
        path: 'COM4',
        baudRate: 2400,
        settings: { dataBits: 8, parity: 'none', stopBits: 1, rtscts: true, xonxoff: false },
      },
    ],
    [
      'serial:/dev/ttyS1@4800,xonxoff,5N1.5',
      {
        kind: 'serial',
        path: '/dev/ttyS1',
        baudRate: 4800,
        settings: { dataBits: 5, parity: 'none', stopBits: 1.5, rtscts: false, xonxoff: true },
      },
    ],
    [
      'serial:/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0@9600,8N1',
      {
        kind: 'serial',
        path: '/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0',
        baudRate: 9600,
        settings: { dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xonxoff: false },
      },
    ],
  ])('%s', (spec, expected) => {
    expect(parseLinkSpec(spec)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['', '', /no link type; expected one of serial:PATH\[@BAUD\], tcp:HOST:PORT/],
    ['udp:1.2.3.4:5', 'udp', /unknown link type "udp"/],
    ['Serial:/dev/ttyS0', 'Serial', /unknown link type "Serial"/],
    ['serial', 'serial', /serial needs a path/],
    ['serial:', 'serial:', /serial needs a path/],
    ['serial:@9600', '@9600', /serial needs a path before @BAUD/],
    ['serial:/dev/ttyS0@', '', /baud rate "" is not a positive whole number/],
    ['serial:/dev/ttyS0@fast', 'fast', /baud rate "fast"/],
    ['serial:/dev/ttyS0@0', '0', /baud rate "0"/],
    ['serial:/dev/ttyS0@96.5', '96.5', /baud rate "96.5"/],
    ['tcp', 'tcp', /tcp needs a host and a port: tcp:HOST:PORT/],
    ['tcp:localhost', 'localhost', /missing port: tcp:HOST:PORT/],
    ['tcp::7000', ':7000', /missing host/],
    ['tcp:localhost:http', 'http', /port "http" is not in 0-65535/],
    ['tcp:localhost:65536', '65536', /port "65536"/],
    ['tcp:localhost:0', '0', /port 0 only makes sense for tcp-listen/],
    ['tcp:::1:7000', '::1', /IPv6 host must be bracketed/],
    ['tcp-listen:127.0.0.1:-1', '-1', /port "-1"/],
    ['pty:/dev/pts/3', ':/dev/pts/3', /pty takes no parameters/],
    ['loopback@9600', '@9600', /loopback takes no parameters/],
    ['mock:x', ':x', /mock takes only @BAUD/],
    ['mock@', '', /baud rate ""/],
    ['serial:/dev/ttyS0@9600,9N1', '9N1', /data bits 9 in "9N1": serialport takes 5, 6, 7 or 8/],
    ['serial:/dev/ttyS0@9600,4N1', '4N1', /data bits 4 in "4N1"/],
    ['serial:/dev/ttyS0@9600,8X1', '8X1', /parity X in "8X1": expected N, E or O/],
    [
      'serial:/dev/ttyS0@9600,8M1',
      '8M1',
      /parity M in "8M1": mark and space parity are only in serialport's Windows binding/,
    ],
    ['serial:/dev/ttyS0@9600,8e1', '8e1', /parity e in "8e1": expected N, E or O/],
    ['serial:/dev/ttyS0@9600,8N3', '8N3', /stop bits 3 in "8N3": serialport takes 1, 1.5 or 2/],
    ['serial:/dev/ttyS0@9600,8N1,7E1', '7E1', /a second frame "7E1": give DATA PARITY STOP once/],
    ['serial:/dev/ttyS0@9600,rtscts,rtscts', 'rtscts', /rtscts is given twice/],
    ['serial:/dev/ttyS0@9600,rtscts,xonxoff', 'xonxoff', /rtscts and xonxoff are two kinds of flow control: give one/],
    ['serial:/dev/ttyS0@9600,rs485', 'rs485', /serialport has no RS-485 mode/],
    ['serial:/dev/ttyS0@9600,RS-485', 'RS-485', /serialport has no RS-485 mode/],
    [
      'serial:/dev/ttyS0@9600,even',
      'even',
      /unknown serial setting "even"; expected the frame DATA PARITY STOP like 8N1 or 7E1/,
    ],
    ['serial:/dev/ttyS0@9600,', '', /unknown serial setting ""/],
    ['serial:/dev/ttyS0@,8N1', '', /baud rate "" is not a positive whole number/],
  ])('%j is refused, naming %j', (spec, part, reason) => {
    let error: unknown;
    try {
      parseLinkSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LinkSpecError);
    expect(error).toMatchObject({ spec, part });
    expect((error as Error).message).toMatch(new RegExp(`^bad link "${spec.replace(/[[\]().*+?^$|\\]/g, '\\$&')}": `));
    expect((error as Error).message).toMatch(reason);
  });
});
