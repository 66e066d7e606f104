// Codec throughput: `npm run bench:codec` (vitest bench --run bench/codec.bench.ts).
// Each op processes a known number of bytes; after each benchmark a line prints MB/s = bytes × hz / 1e6.
// Decoding is the receive path of a link: FrameCutter → decodeFrame → reassembly → PayloadCodec.decode, fed in
// 4,096-byte reads (a socket or pty read) unless the name says otherwise. Encoding is PayloadCodec.encode →
// segmentPayload → encodeFrame.
import { bench, describe } from 'vitest';
import type { Dialect } from '../protocols/constants';
import { encodeItems, Receiver, sessionItems, smallFrames, streamOf, type Item } from './codecWorkloads';

const OPTIONS = { time: 1000, warmupTime: 200 };
const READ = 4096;

interface TaskLike {
  name: string;
  result?: { hz?: number; rme?: number };
  addEventListener(type: 'complete', listener: () => void, options?: { once: boolean }): void;
}

/** Bench options that print MB/s for `bytesPerOp` once the measured run completes. */
function throughput(bytesPerOp: number, check: () => void) {
  return {
    ...OPTIONS,
    teardown(task: TaskLike, mode: 'run' | 'warmup') {
      check();
      if (mode !== 'run') return;
      task.addEventListener(
        'complete',
        () => {
          const hz = task.result?.hz ?? 0;
          console.log(
            `MB/s  ${task.name.padEnd(58)} ${((bytesPerOp * hz) / 1e6).toFixed(1).padStart(7)} MB/s  ` +
              `(${bytesPerOp} B/op × ${hz.toFixed(0)} op/s ±${(task.result?.rme ?? 0).toFixed(1)}%)`,
          );
        },
        { once: true },
      );
    },
  } as never;
}

function decodeBench(name: string, dialect: Dialect, items: Item[], copies: number, chunkSize = READ) {
  const stream = streamOf(dialect, items, copies);
  const receiver = new Receiver(dialect);
  const perCopy = {
    messages: items.filter((i) => i.kind === 'message').length,
    controls: items.filter((i) => i.kind === 'ack').length,
  };
  let ops = 0;
  bench(
    name,
    () => {
      receiver.receive(stream, chunkSize);
      ops++;
    },
    throughput(stream.length, () => {
      // Every op decoded every frame: nothing dropped, nothing optimised away.
      if (
        receiver.messages !== ops * copies * perCopy.messages ||
        receiver.controls !== ops * copies * perCopy.controls ||
        receiver.stats.discardedBytes !== 0
      ) {
        throw new Error(`${name}: decoded ${receiver.messages} messages and ${receiver.controls} acks in ${ops} ops`);
      }
    }),
  );
}

function encodeBench(name: string, dialect: Dialect, items: Item[]) {
  const bytes = encodeItems(dialect, items);
  let total = 0;
  let ops = 0;
  bench(
    name,
    () => {
      total += encodeItems(dialect, items);
      ops++;
    },
    throughput(bytes, () => {
      if (total !== ops * bytes) throw new Error(`${name}: encoded ${total} bytes in ${ops} ops`);
    }),
  );
}

const session = sessionItems();
const small = Object.values(smallFrames);

describe('decode: small typical frames (1,000 frames per op)', () => {
  decodeBench('alert (37 B frames)', 'itron', [smallFrames.alert], 1000);
  decodeBench('ack (28 B frames)', 'elster', [smallFrames.ack], 1000);
  decodeBench('hanLogAdd command, elster (49 B frames)', 'elster', [smallFrames.hanLogAdd], 1000);
  decodeBench('status-only response (31 B frames)', 'itron', [smallFrames.statusResponse], 1000);
  decodeBench('small mix: alert, ack, hanLogAdd, status response', 'elster', small, 250);
  decodeBench('small mix, 64-byte reads (frames cross chunk edges)', 'elster', small, 250, 64);
});

describe('decode: a bench session (commands, acks, responses, alerts, 30 days of network data)', () => {
  decodeBench('session, 4,096-byte reads', 'itron', session, 1);
  decodeBench('session, whole stream in one push', 'itron', session, 1, Number.MAX_SAFE_INTEGER);
});

describe('encode: codec.encode + segmentation + encodeFrame', () => {
  encodeBench('encode small mix', 'elster', small);
  encodeBench('encode session', 'itron', session);
});
