// Codec throughput as the project really runs (tsx, native ES modules): `npx tsx bench/codec-throughput.ts`.
// The same workloads as bench/codec.bench.ts. vitest's module runner turns every imported binding into a property
// getter on a module object (the protocol hot paths copy the ones they use into module-local constants, so this now
// costs little), so its figures are a lower bound; these are the ones a bench or emulator process sees. Profile with:
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/codec-throughput.ts
import type { Dialect } from '../protocols/constants';
import { scriptArgs } from '../scripts/scriptArgs';
import { encodeItems, Receiver, sessionItems, smallFrames, streamOf, type Item } from './codecWorkloads';

// No options (CODEC_BENCH_SECONDS sets each workload's time); a word given is a mistake, refused before the minute of work.
scriptArgs<Record<never, never>>({
  script: 'codec-throughput',
  invocation: 'npx tsx bench/codec-throughput.ts',
  summary:
    "codec throughput under tsx (the workloads of bench/codec.bench.ts); CODEC_BENCH_SECONDS: each one's time (default 1.5)",
  options: {},
});

const SECONDS = Number(process.env.CODEC_BENCH_SECONDS ?? 1.5);

function measure(run: () => void): number {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) run();
  let ops = 0;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 10; i++) run();
    ops += 10;
  }
  return ops / ((performance.now() - start) / 1000);
}

function report(name: string, bytesPerOp: number, framesPerOp: number, hz: number): void {
  const mbs = (bytesPerOp * hz) / 1e6;
  const ns = 1e9 / (hz * framesPerOp);
  console.log(`${name.padEnd(56)} ${mbs.toFixed(1).padStart(7)} MB/s  ${ns.toFixed(0).padStart(6)} ns/frame`);
}

function decode(name: string, dialect: Dialect, items: Item[], copies: number, chunkSize = 4096): void {
  const stream = streamOf(dialect, items, copies);
  const receiver = new Receiver(dialect);
  const hz = measure(() => receiver.receive(stream, chunkSize));
  if (receiver.stats.discardedBytes !== 0) throw new Error(`${name}: bytes discarded`);
  report(`decode ${name}`, stream.length, receiver.stats.frames / (receiver.stats.bytesIn / stream.length), hz);
}

function encode(name: string, dialect: Dialect, items: Item[]): void {
  const frames: Buffer[] = [];
  const bytes = encodeItems(dialect, items, frames);
  const hz = measure(() => encodeItems(dialect, items));
  report(`encode ${name}`, bytes, frames.length, hz);
}

const small = Object.values(smallFrames);
const session = sessionItems();
console.log(`node ${process.version}, ${SECONDS} s per workload`);
decode('alert (37 B frames)', 'itron', [smallFrames.alert], 1000);
decode('ack (28 B frames)', 'elster', [smallFrames.ack], 1000);
decode('hanLogAdd command, elster (49 B frames)', 'elster', [smallFrames.hanLogAdd], 1000);
decode('status-only response (31 B frames)', 'itron', [smallFrames.statusResponse], 1000);
decode('small mix', 'elster', small, 250);
decode('small mix, 64-byte reads', 'elster', small, 250, 64);
decode('session (30 days of network data)', 'itron', session, 1);
encode('small mix', 'elster', small);
encode('session', 'itron', session);
