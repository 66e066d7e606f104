// Round-trip properties for every message of the command table, in both dialects: message → codec → segments →
// frames → bytes → cutter → frames → reassembly → codec equals the message. The arbitraries come from the table
// (arbitraries.ts), so a new message is covered without editing this file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandTable, type MessageSpec } from '../../protocols/commandTable';
import { DIALECTS, MAX_PAYLOAD, type Dialect, type FrameTypeName } from '../../protocols/constants';
import { DecodeError, EncodeError } from '../../protocols/errors';
import type { Message } from '../../protocols/messages';
import { PayloadCodec, payloadCodec } from '../../protocols/payloadCodec';
import {
  anyMessageArbitrary,
  failedResponseArbitrary,
  fieldsArbitrary,
  frameHeaderArb,
  messageName,
  NON_OK_STATUSES,
  okResponseArbitrary,
  requestArbitrary,
} from './arbitraries';
import { messageFrames, receiveMessages } from './wire';

const SEED = 20261122;
const tableNames = commandTable.map((spec) => spec.name);
const answered = commandTable.filter((spec) => spec.kind !== 'alert');

/** Encodes, frames, cuts, decodes; checks the frame headers and that the payload re-encodes to the same bytes. */
function roundTrip(
  dialect: Dialect,
  message: Message,
  header: { sequence: number; source: string; destination: string },
): void {
  const codec = payloadCodec(dialect);
  const { frameType, messageId, payload } = codec.encode(message);
  const frames = messageFrames(dialect, message, header);
  expect(frames.length).toBe(Math.max(1, Math.ceil(payload.length / MAX_PAYLOAD)));
  const received = receiveMessages(dialect, [Buffer.concat(frames)]);
  expect(received.messages).toEqual([message]);
  expect(
    received.frames.map((f) => [
      f.type,
      f.sequence,
      f.source,
      f.destination,
      f.messageId,
      f.segmentIndex,
      f.segmentCount,
    ]),
  ).toEqual(
    frames.map((_, i) => [
      frameType,
      (header.sequence + i) & 0xff,
      header.source,
      header.destination,
      messageId,
      i,
      frames.length,
    ]),
  );
  expect(received.stats).toMatchObject({
    frames: frames.length,
    discardedBytes: 0,
    badCrc: 0,
    truncated: 0,
    oversize: 0,
  });
  // Canonical: the decoded message encodes to the very same payload.
  expect(codec.encode(received.messages[0]).payload.equals(payload)).toBe(true);
}

describe('the arbitraries cover the command table', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: the union arbitrary generates every message of the table, its responses and alerts`, () => {
      const sample = fc.sample(anyMessageArbitrary(dialect), { seed: SEED, numRuns: 4000 });
      expect(new Set(sample.map(messageName))).toEqual(new Set(tableNames));
      const responded = new Set(sample.filter((m) => m.type === 'response').map(messageName));
      expect(responded).toEqual(new Set(answered.map((s) => s.name)));
      const statuses = new Set(
        sample.filter((m) => m.type === 'response').map((m) => (m as { status: string }).status),
      );
      expect(statuses).toEqual(new Set(['ok', ...NON_OK_STATUSES]));
    });
  }

  it('the per-message properties below run for every message in the table (25 today, none skipped)', () => {
    expect(tableNames.length).toBeGreaterThanOrEqual(25);
    expect(new Set(tableNames).size).toBe(tableNames.length);
    expect(commandTable.filter((s) => s.kind === 'alert').map((s) => s.name)).toEqual(['alert']);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: every message round-trips`, () => {
    it.each(commandTable.map((spec, i) => [spec.name, spec, i] as const))(
      '%s',
      (_name, spec: MessageSpec, i: number) => {
        const kindFrame = spec.kind === 'alert' ? 'alert' : spec.kind;
        fc.assert(
          fc.property(requestArbitrary(spec, dialect), frameHeaderArb, (message, header) => {
            expect(payloadCodec(dialect).encode(message).frameType).toBe(kindFrame);
            roundTrip(dialect, message, header);
          }),
          { seed: SEED + i, numRuns: 60 },
        );
      },
    );
  });

  describe(`${dialect}: every response round-trips`, () => {
    it.each(answered.map((spec, i) => [spec.name, spec, i] as const))(
      '%s: status ok (with its body)',
      (_name, spec: MessageSpec, i: number) => {
        fc.assert(
          fc.property(okResponseArbitrary(spec, dialect), frameHeaderArb, (message, header) => {
            expect(message.body === undefined).toBe(spec.response === undefined);
            roundTrip(dialect, message, header);
          }),
          { seed: SEED + 100 + i, numRuns: 40 },
        );
      },
    );

    it.each(answered.map((spec, i) => [spec.name, spec, i] as const))(
      '%s: every non-ok status, 3 bytes, no body',
      (_name, spec: MessageSpec, i: number) => {
        for (const status of NON_OK_STATUSES) {
          fc.assert(
            fc.property(failedResponseArbitrary(spec, status), frameHeaderArb, (message, header) => {
              expect(payloadCodec(dialect).encode(message).payload.length).toBe(3);
              roundTrip(dialect, message, header);
            }),
            { seed: SEED + 200 + i, numRuns: 8 },
          );
        }
      },
    );
  });

  it(`${dialect}: binary-parser's own parse and the fast compiled parsers decode every message alike`, () => {
    const slow = new PayloadCodec(dialect, { fastParsers: false });
    const fast = new PayloadCodec(dialect, { fastParsers: true });
    fc.assert(
      fc.property(anyMessageArbitrary(dialect), (message) => {
        const { frameType, messageId, payload } = fast.encode(message);
        expect(fast.decode(frameType, messageId, payload)).toEqual(message);
        expect(slow.decode(frameType, messageId, payload)).toEqual(message);
      }),
      { seed: SEED + 300, numRuns: 1500 },
    );
  });

  it(`${dialect}: the fast compiled parsers' objects are plain objects (their own constructor, Object's prototype)`, () => {
    const fast = new PayloadCodec(dialect, { fastParsers: true });
    const message = {
      type: 'response',
      message: 'readDeviceLog',
      requestId: 4,
      status: 'ok',
      body: { entries: [{ deviceId: '00-DB-12-34-56-78-90-A0', joined: true }] },
    } as Message;
    const { frameType, messageId, payload } = fast.encode(message);
    const decoded = fast.decode(frameType, messageId, payload) as {
      body: { entries: { deviceId: string; joined: boolean }[] };
    };
    for (const object of [decoded, decoded.body, decoded.body.entries[0]]) {
      expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
      expect(object.constructor).toBe(Object);
    }
    // toStrictEqual compares types too: a literal and the decoded message are alike
    expect(decoded).toStrictEqual({
      type: 'response',
      message: 'readDeviceLog',
      requestId: 4,
      status: 'ok',
      body: { entries: [{ deviceId: '00-DB-12-34-56-78-90-A0', joined: true }] },
    });
    const command = fast.encode({ type: 'setSupply', requestId: 9, state: 'armed' } as Message);
    const decodedCommand = fast.decode(command.frameType, command.messageId, command.payload);
    expect(Object.getPrototypeOf(decodedCommand)).toBe(Object.prototype);
    expect(decodedCommand).toStrictEqual({ requestId: 9, state: 'armed', type: 'setSupply' });
  });

  it(`${dialect}: the fast compiled parsers make no DataView per decode (binary-parser's own parse does)`, () => {
    const slow = new PayloadCodec(dialect, { fastParsers: false });
    const fast = new PayloadCodec(dialect, { fastParsers: true });
    const { frameType, messageId, payload } = fast.encode({
      type: 'setSupply',
      requestId: 9,
      state: 'armed',
    } as Message);
    const realDataView = globalThis.DataView;
    class NoDataView {
      constructor() {
        throw new Error('a DataView was made');
      }
    }
    globalThis.DataView = NoDataView as unknown as DataViewConstructor;
    try {
      expect(fast.decode(frameType, messageId, payload)).toEqual({ type: 'setSupply', requestId: 9, state: 'armed' });
      expect(() => slow.decode(frameType, messageId, payload)).toThrow('a DataView was made');
    } finally {
      globalThis.DataView = realDataView;
    }
  });

  it(`${dialect}: the fast compiled parsers refuse every truncated payload as binary-parser's own parse does`, () => {
    const slow = new PayloadCodec(dialect, { fastParsers: false });
    const fast = new PayloadCodec(dialect, { fastParsers: true });
    const refusal = (codec: PayloadCodec, frameType: FrameTypeName, messageId: number, payload: Uint8Array) => {
      try {
        return { decoded: codec.decode(frameType, messageId, payload) };
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        return { reason: (error as DecodeError).reason, message: (error as Error).message };
      }
    };
    fc.assert(
      fc.property(anyMessageArbitrary(dialect), (message) => {
        const { frameType, messageId, payload } = fast.encode(message);
        for (let length = 0; length < payload.length; length++) {
          // a copy of the prefix: a view would still have the rest of the bytes behind it
          const cut = Uint8Array.from(payload.subarray(0, length));
          const expected = refusal(slow, frameType, messageId, cut);
          expect(expected.decoded).toBeUndefined();
          expect(refusal(fast, frameType, messageId, cut)).toEqual(expected);
        }
      }),
      { seed: SEED + 400, numRuns: 400 },
    );
  });
}

describe('exact encodings', () => {
  it('an alert has no request id and its own frame type', () => {
    const alert = { type: 'alert', code: 0x8006, at: 1_767_225_600_000, payload: '08fc' } as Message;
    const encoded = payloadCodec('itron').encode(alert);
    expect(encoded.frameType).toBe('alert');
    expect(encoded.messageId).toBe(0x0601);
    // code 80 06, at 69 55 B9 00 (2026-01-01T00:00:00Z), payload: 2 bytes 08 FC
    expect(encoded.payload.toString('hex')).toBe('80066955b9000208fc');
  });

  it('time travels as whole seconds: milliseconds are truncated to the second', () => {
    const codec = payloadCodec('elster');
    const signature = 'ab'.repeat(64);
    const encoded = codec.encode({
      type: 'clockSync',
      requestId: 1,
      currentTime: 1_767_225_600_999,
      counter: 7,
      signature,
    } as Message);
    // request id 00 01, time 69 55 B9 00, counter 00 00 00 07, signature: length 40 then 64 bytes
    expect(encoded.payload.toString('hex')).toBe(`00016955b90000000007${'40'}${signature}`);
    expect(codec.decode(encoded.frameType, encoded.messageId, encoded.payload)).toEqual({
      type: 'clockSync',
      requestId: 1,
      currentTime: 1_767_225_600_000,
      counter: 7,
      signature,
    });
  });

  it('a scaled value is rounded to its unit: 230.0 V is 08 FC, 230.04 V too', () => {
    const codec = payloadCodec('itron');
    for (const voltage of [230, 230.04]) {
      expect(codec.encode({ type: 'mainsVoltage', requestId: 0, voltage } as Message).payload.toString('hex')).toBe(
        '000008fc',
      );
    }
  });

  it('a 30-day readNetworkData response (1,440 records) is 8,645 bytes in 34 frames and round-trips', () => {
    const start = 1_767_225_600_000;
    const records = Array.from({ length: 1440 }, (_, i) => ({
      at: start + (i + 1) * 1_800_000,
      averageRmsVoltage: 230 + (i % 100) / 10,
    }));
    const message = {
      type: 'response',
      message: 'readNetworkData',
      requestId: 77,
      status: 'ok',
      body: { records },
    } as Message;
    expect(payloadCodec('itron').encode(message).payload.length).toBe(8645);
    const frames = messageFrames('itron', message, {
      sequence: 250,
      source: '00-DB-12-34-56-78-90-A0',
      destination: '00-00-00-00-00-00-00-01',
    });
    expect(frames.length).toBe(34);
    expect(frames.map((f) => f.length)).toEqual([...Array(33).fill(28 + 256), 28 + (8645 - 33 * 256)]);
    const received = receiveMessages('itron', [Buffer.concat(frames)]);
    expect(received.messages).toEqual([message]);
    expect(received.frames.map((f) => f.sequence).slice(0, 8)).toEqual([250, 251, 252, 253, 254, 255, 0, 1]);
  });
});

// ── Encoder refusals, derived from the table: every field of every message, in both dialects ─────────────────

interface Bad {
  value: unknown;
  why: string;
  /** Further words the error must contain (the dialect, for integer ranges). */
  mentions?: string[];
}

function badValues(spec: { type: MessageSpec['fields'][number]['type'] }, dialect: Dialect): Bad[] {
  const t = spec.type;
  switch (t.kind) {
    case 'u8':
    case 'u16':
    case 'u32': {
      const bits = t.kind === 'u8' ? 8 : t.kind === 'u16' ? 16 : 32;
      return [
        { value: 2 ** bits, why: 'one over the maximum', mentions: [dialect, `0–${2 ** bits - 1}`] },
        { value: -1, why: 'negative', mentions: [dialect] },
        { value: 1.5, why: 'not an integer' },
        { value: '1', why: 'a string' },
      ];
    }
    case 'time':
      return [
        { value: 2 ** 32 * 1000, why: 'past 2106 (2^32 s)', mentions: [dialect] },
        { value: -1000, why: 'before 1970' },
        { value: Number.NaN, why: 'NaN' },
      ];
    case 'timeMs':
      return [
        { value: 2 ** 48, why: 'past the u48 maximum', mentions: [dialect, 'u48'] },
        { value: -1, why: 'before 1970' },
        { value: 1.5, why: 'not whole ms' },
        { value: Number.NaN, why: 'NaN' },
      ];
    case 'scaled': {
      const bits = t.bytes * 8;
      return [
        { value: 2 ** bits / t.scale, why: 'one unit over the maximum', mentions: [dialect] },
        { value: -1 / t.scale, why: 'negative' },
        { value: 'x', why: 'not a number' },
      ];
    }
    case 'bool':
      return [{ value: 1, why: 'a number' }];
    case 'eui64':
      return [
        { value: '00-DB-12-34-56-78-90', why: 'seven bytes' },
        { value: '00-db-12-34-56-78-90-a0', why: 'lower case' },
      ];
    case 'enum':
      return [
        { value: 'notAName', why: 'not one of the names' },
        { value: 0, why: 'an index' },
      ];
    case 'bytes': {
      const max = t.lengthBytes === 1 ? 255 : 65535;
      return [
        { value: 'abc', why: 'half a byte' },
        { value: 'zz', why: 'not hex' },
        { value: '00'.repeat(max + 1), why: 'one byte over its length prefix', mentions: [`at most ${max} bytes`] },
      ];
    }
    case 'text':
      return [
        { value: 'x'.repeat(256), why: '256 characters' },
        { value: 'tab\there', why: 'a control character' },
        { value: 'café', why: 'not ASCII' },
      ];
    case 'list': {
      const max = t.countBytes === 1 ? 255 : 65535;
      return [
        { value: 'x', why: 'not a list' },
        { value: Array(max + 1).fill({}), why: 'one item over its count', mentions: [`at most ${max} items`] },
      ];
    }
    default:
      throw new Error(`no bad values for ${(t as { kind: string }).kind}`);
  }
}

interface Case {
  label: string;
  message: Message;
  path: string;
  bad: Bad;
}

/** Every field (and list-item field) of every request and ok-response body, each bad value in turn. */
function refusalCases(dialect: Dialect): Case[] {
  const cases: Case[] = [];
  commandTable.forEach((spec, i) => {
    const variants: {
      message: Message;
      fields: MessageSpec['fields'];
      target: (m: Message) => Record<string, unknown>;
      prefix: string;
    }[] = [
      {
        message: fc.sample(requestArbitrary(spec, dialect), { seed: SEED + i, numRuns: 1 })[0],
        fields: spec.fields,
        target: (m) => m as unknown as Record<string, unknown>,
        prefix: spec.name,
      },
    ];
    if (spec.response) {
      variants.push({
        message: fc.sample(okResponseArbitrary(spec, dialect), { seed: SEED + i, numRuns: 1 })[0],
        fields: spec.response,
        target: (m) => (m as { body: Record<string, unknown> }).body,
        prefix: `${spec.name} response`,
      });
    }
    for (const { message, fields, target, prefix } of variants) {
      for (const field of fields) {
        for (const bad of badValues(field, dialect)) {
          const copy = structuredClone(message);
          target(copy)[field.name] = bad.value;
          cases.push({
            label: `${prefix}.${field.name} ${bad.why}`,
            message: copy,
            path: `${prefix}.${field.name}`,
            bad,
          });
        }
        if (field.type.kind === 'list') {
          const valid = fc.sample(requestArbitrary({ ...spec, kind: 'alert', fields: field.type.of }, dialect), {
            seed: SEED,
            numRuns: 1,
          })[0] as unknown as Record<string, unknown>;
          delete valid.type;
          for (const sub of field.type.of) {
            for (const bad of badValues(sub, dialect)) {
              const copy = structuredClone(message);
              target(copy)[field.name] = [{ ...valid }, { ...valid, [sub.name]: bad.value }];
              cases.push({
                label: `${prefix}.${field.name}[].${sub.name} ${bad.why}`,
                message: copy,
                path: `${prefix}.${field.name}[].${sub.name}`,
                bad,
              });
            }
          }
        }
      }
    }
    if (spec.kind !== 'alert') {
      for (const [message, prefix] of [
        [variants[0].message, spec.name],
        [{ type: 'response', message: spec.name, requestId: 0, status: 'busy' } as Message, `${spec.name} response`],
      ] as const) {
        const copy = structuredClone(message) as unknown as Record<string, unknown>;
        copy.requestId = 65536;
        cases.push({
          label: `${prefix}.requestId over 16 bits`,
          message: copy as unknown as Message,
          path: `${prefix}.requestId`,
          bad: { value: 65536, why: '', mentions: [dialect] },
        });
      }
    }
  });
  return cases;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the encoder refuses what the wire cannot carry, naming message.field`, () => {
    const cases = refusalCases(dialect);

    it('derives refusal cases for every field of every message', () => {
      const fieldCount = commandTable.reduce((n, s) => n + s.fields.length + (s.response?.length ?? 0), 0);
      expect(new Set(cases.map((c) => c.path.replace(/\[\]\..*/, ''))).size).toBe(
        fieldCount + 2 * answered.length, // + requestId of each request and of each response
      );
    });

    it.each(cases.map((c) => [c.label, c] as const))('%s', (_label, c: Case) => {
      let error: unknown;
      try {
        payloadCodec(dialect).encode(c.message);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EncodeError);
      const text = (error as Error).message;
      expect(text.slice(0, c.path.length + 2)).toBe(`${c.path}: `);
      for (const word of c.bad.mentions ?? []) expect(text).toContain(word);
    });
  });
}

describe('malformed messages are refused with an EncodeError, never another error', () => {
  it('a list item that is not an object names the item field (was a TypeError)', () => {
    for (const item of [null, undefined, 5]) {
      expect(() =>
        payloadCodec('itron').encode({
          type: 'alertBehaviour',
          requestId: 1,
          owner: 'supplier',
          alerts: [item],
        } as unknown as Message),
      ).toThrowError(
        new EncodeError(`alertBehaviour.alerts[].code: undefined is not an integer 0–65535 (u16, itron dialect)`),
      );
    }
  });

  it('an unknown message, a response to an alert, an unknown status', () => {
    const codec = payloadCodec('elster');
    expect(() => codec.encode({ type: 'selfDestruct', requestId: 1 } as unknown as Message)).toThrowError(
      new EncodeError('unknown message "selfDestruct" (not in the command table)'),
    );
    expect(() =>
      codec.encode({ type: 'response', message: 'alert', requestId: 1, status: 'ok' } as unknown as Message),
    ).toThrowError(EncodeError);
    expect(() =>
      codec.encode({ type: 'response', message: 'join', requestId: 1, status: 'fine' } as unknown as Message),
    ).toThrowError(new EncodeError('join response.status: "fine" is not a response status'));
  });
});

describe('hanLogAdd.joinPeriod is a big-endian u16 in both dialects (defect 91342 reaches the CH)', () => {
  const base = {
    type: 'hanLogAdd',
    requestId: 7,
    deviceId: '00-DB-12-34-56-78-90-A3',
    installCode: '0011223344556677',
  };
  // requestId 00 07, deviceId, length 08 and the install code, then the join period: written out by hand.
  const head = '0007' + '00db1234567890a3' + '08' + '0011223344556677';

  for (const dialect of ['elster', 'itron'] as const) {
    it(`${dialect}: 255, 256, 300 and 3600 travel as 00ff, 0100, 012c and 0e10, and decode back`, () => {
      const codec = payloadCodec(dialect);
      for (const [joinPeriod, hex] of [
        [255, '00ff'],
        [256, '0100'],
        [300, '012c'],
        [3600, '0e10'],
      ] as const) {
        const encoded = codec.encode({ ...base, joinPeriod } as Message);
        expect(Buffer.from(encoded.payload).toString('hex')).toBe(head + hex);
        expect(codec.decode(encoded.frameType, encoded.messageId, Buffer.from(head + hex, 'hex'))).toEqual({
          ...base,
          joinPeriod,
        });
      }
    });

    it(`${dialect}: refuses 65536, naming the field and the dialect; a one-byte join period is a short payload`, () => {
      const codec = payloadCodec(dialect);
      expect(() => codec.encode({ ...base, joinPeriod: 65536 } as Message)).toThrowError(
        `hanLogAdd.joinPeriod: 65536 is not an integer 0–65535 (u16, ${dialect} dialect)`,
      );
      expect(() => codec.decode('command', 0x0101, Buffer.from(head + 'ff', 'hex'))).toThrowError(DecodeError);
    });
  }
});

describe('length limits are exact', () => {
  const codec = payloadCodec('itron');
  it('a u8-length byte string carries 255 bytes; a u8-count list 255 items; text 255 characters', () => {
    const alert = { type: 'alert', code: 1, at: 0, payload: 'ab'.repeat(255) } as Message;
    expect(codec.encode(alert).payload.length).toBe(2 + 4 + 1 + 255);
    const entries = Array.from({ length: 255 }, (_, i) => ({
      deviceId: `00-00-00-00-00-00-00-${(i & 0xff).toString(16).toUpperCase().padStart(2, '0')}`,
      joined: i % 2 === 0,
    }));
    const log = {
      type: 'response',
      message: 'readDeviceLog',
      requestId: 1,
      status: 'ok',
      body: { entries },
    } as Message;
    expect(codec.encode(log).payload.length).toBe(3 + 1 + 255 * 9);
    expect(
      receiveMessages(
        'itron',
        messageFrames('itron', log, {
          sequence: 0,
          source: '00-00-00-00-00-00-00-02',
          destination: '00-00-00-00-00-00-00-01',
        }),
      ).messages,
    ).toEqual([log]);
    const body = fc.sample(fieldsArbitrary(codec.spec('readDeviceInfo')!.response!, 'itron'), {
      seed: SEED,
      numRuns: 1,
    })[0];
    const info = {
      type: 'response',
      message: 'readDeviceInfo',
      requestId: 1,
      status: 'ok',
      body: { ...body, firmwareVersion: '~'.repeat(255) },
    } as Message;
    const encoded = codec.encode(info);
    expect(codec.decode(encoded.frameType, encoded.messageId, encoded.payload)).toEqual(info);
  });

  it('a message over 255 segments cannot be sent', () => {
    const records = Array.from({ length: 10_900 }, () => ({ at: 0, averageRmsVoltage: 230 }));
    const message = {
      type: 'response',
      message: 'readNetworkData',
      requestId: 1,
      status: 'ok',
      body: { records },
    } as Message;
    expect(codec.encode(message).payload.length).toBe(5 + 10_900 * 6); // 65,405 bytes: 256 segments
    expect(() =>
      messageFrames('itron', message, {
        sequence: 0,
        source: '00-00-00-00-00-00-00-02',
        destination: '00-00-00-00-00-00-00-01',
      }),
    ).toThrowError('message of 65405 bytes needs 256 segments; at most 255 (65280 bytes)');
  });
});
