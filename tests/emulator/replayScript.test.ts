/**
 * What a replay serves, read from a recording written here frame by frame (docs/bench.md "Replay"): parts begin at
 * `# scenario` lines; a retransmission is read once; segments are joined; a response goes to the request with its
 * request id; an alert is timed from the request before it (or from the part's first frame); the emulator's clock
 * controls, acks and session frames are not replayed.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_EUI, HARNESS_EUI } from '../../protocols/constants';
import { encodeFrame, type Frame } from '../../protocols/frame';
import { parseReplayScript } from '../../emulator/recording/replayScript';
import { frameLine, TRACE_MAGIC } from '../../emulator/recording/traceFormat';

const CH = '00-DB-12-34-56-78-90-A2';
const ESME = '00-DB-12-34-56-78-90-A0';
const T0 = Date.parse('2026-03-02T09:00:00.000Z');

let sequence = 0;
function frame(
  fields: Partial<Frame> & Pick<Frame, 'type' | 'source' | 'destination' | 'messageId'>,
  hex: string,
): Buffer {
  return encodeFrame({
    sequence: sequence++ & 0xff,
    segmentIndex: 0,
    segmentCount: 1,
    payload: Buffer.from(hex, 'hex'),
    ...fields,
  });
}
const line = (ms: number, direction: 'in' | 'out', bytes: Buffer) => frameLine(T0 + ms, direction, bytes);

describe('parseReplayScript', () => {
  const command = frame({ type: 'command', source: HARNESS_EUI, destination: CH, messageId: 0x0101 }, '0001AABB');
  const text = [
    `${TRACE_MAGIC}\n`,
    `# device ${CH} CH elster\n`,
    '# scenario p#one\n',
    line(
      0,
      'in',
      frame({ type: 'session', source: HARNESS_EUI, destination: 'FF-FF-FF-FF-FF-FF-FF-FF', messageId: 0 }, '00000001'),
    ),
    line(1000, 'in', command),
    line(1000, 'out', frame({ type: 'ack', source: CH, destination: HARNESS_EUI, messageId: 0x0101 }, '')),
    line(2000, 'in', command), // its retransmission
    line(2010, 'out', frame({ type: 'response', source: CH, destination: HARNESS_EUI, messageId: 0x0101 }, '000100CC')),
    line(2500, 'out', frame({ type: 'alert', source: CH, destination: HARNESS_EUI, messageId: 0x0301 }, 'DEAD')),
    line(
      2600,
      'in',
      frame({ type: 'control', source: HARNESS_EUI, destination: EMULATOR_EUI, messageId: 0x0f10 }, '0002FFFF'),
    ),
    line(
      3000,
      'in',
      frame(
        {
          type: 'command',
          source: HARNESS_EUI,
          destination: ESME,
          messageId: 0x0102,
          segmentIndex: 0,
          segmentCount: 2,
        },
        '000311',
      ),
    ),
    line(
      3001,
      'in',
      frame(
        {
          type: 'command',
          source: HARNESS_EUI,
          destination: ESME,
          messageId: 0x0102,
          segmentIndex: 1,
          segmentCount: 2,
        },
        '22',
      ),
    ),
    line(3005, 'out', frame({ type: 'response', source: ESME, destination: HARNESS_EUI, messageId: 0x0102 }, '000301')),
    line(4000, 'out', frame({ type: 'alert', source: ESME, destination: HARNESS_EUI, messageId: 0x0302 }, 'CAFE')),
    '# scenario p#two\n',
    line(
      8000,
      'in',
      frame({ type: 'session', source: HARNESS_EUI, destination: 'FF-FF-FF-FF-FF-FF-FF-FF', messageId: 0 }, '00000002'),
    ),
    line(9000, 'out', frame({ type: 'alert', source: CH, destination: HARNESS_EUI, messageId: 0x0301 }, 'BEEF')),
  ].join('');

  it('reads the parts, requests with their responses, and alerts with their offsets', () => {
    const script = parseReplayScript(text, 'bench.trace');
    expect(script.devices).toEqual([{ eui: CH, type: 'CH', vendor: 'elster' }]);
    expect(script.parts.map((p) => p.name)).toEqual(['scenario p#one', 'scenario p#two']);
    const [one, two] = script.parts;
    expect(one!.leadingAlerts).toEqual([]);
    expect(
      one!.exchanges.map((e) => ({
        ...e,
        response: e.response && Buffer.from(e.response).toString('hex'),
        alerts: e.alerts.map((a) => ({ ...a, payload: Buffer.from(a.payload).toString('hex') })),
      })),
    ).toEqual([
      // the retransmission at 2000 ms is the same request: the alert is 1500 ms after the first sending
      {
        type: 'command',
        destination: CH,
        messageId: 0x0101,
        body: 'aabb',
        response: '00cc',
        alerts: [{ source: CH, messageId: 0x0301, payload: 'dead', offsetMs: 1500 }],
      },
      // the two segments joined, the request whole at its last (3001 ms): the alert at 4000 ms is 999 ms after it.
      // The clock control at 2600 ms is not a request the replay answers from the recording
      {
        type: 'command',
        destination: ESME,
        messageId: 0x0102,
        body: '1122',
        response: '01',
        alerts: [{ source: ESME, messageId: 0x0302, payload: 'cafe', offsetMs: 999 }],
      },
    ]);
    expect(two!.exchanges).toEqual([]);
    expect(two!.leadingAlerts.map((a) => ({ ...a, payload: Buffer.from(a.payload).toString('hex') }))).toEqual([
      { source: CH, messageId: 0x0301, payload: 'beef', offsetMs: 1000 },
    ]);
  });

  it('a damaged line is refused naming the file and the line', () => {
    expect(() => parseReplayScript(`${TRACE_MAGIC}\n2026-01-01T00:00:00.000Z in  A5ZZ\n`, 'bad.trace')).toThrow(
      'bad.trace: line 2: frame is not whole hex bytes',
    );
  });

  it('a recording with nothing to replay is refused', () => {
    expect(() => parseReplayScript(`${TRACE_MAGIC}\n# scenario p#one\n`, 'empty.trace')).toThrow(
      'empty.trace: no command, response or alert to replay',
    );
  });
});
