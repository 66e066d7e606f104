/**
 * Flood soak (issue 8 items 6–8, "Done means"): a real `smets1 emulate --link tcp-listen:127.0.0.1:0`, three
 * hostile clients one after the other, the emulator's peak RSS (VmHWM) after each, and a well-behaved harness's
 * round trip at the end. Loopback only; bounded in bytes, frames and time (each flood stops at its count or after
 * --seconds, default 60). Not a test: it prints figures. README gives the bound it shows.
 *
 *   npm run soak:floods                                  # 64 MB, 500,000 sources, 100,000 commands
 *   npm run soak:floods -- --mb 16 --sources 100000 --commands 20000 --seconds 30
 *
 *   never reads   a client writes --mb MB of `A5 01 01` (every start byte an oversize frame, each NAKed) and
 *                 never reads a byte of what comes back; then it closes.                              (item 6)
 *   segments      segment 0 of 2 of a command from --sources distinct source EUIs, never the second. (item 7)
 *   unacked       --commands complete commands from as many fake sources, whose responses are never
 *                 acknowledged; then one real harness asks for readDeviceInfo and times its answer.  (item 8)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { WallClock } from '../emulator/clock/wallClock';
import { setEuis } from '../emulator/host/benchConfig';
import { TcpClientLink } from '../emulator/links/tcpLink';
import { BenchClient } from '../protocols/benchClient';
import { HARNESS_EUI } from '../protocols/constants';
import { MessageEndpoint } from '../protocols/endpoint';
import { encodeFrame } from '../protocols/frame';
import { payloadCodec } from '../protocols/payloadCodec';
import { integer } from '../harness/cli/optionTable';
import { scriptArgs } from './scriptArgs';

const { options } = scriptArgs<{ mb: number; sources: number; commands: number; seconds: number }>({
  script: 'soak:floods',
  summary: "three hostile clients against a real smets1 emulate on loopback, the emulator's peak RSS after each",
  options: {
    mb: {
      flags: '--mb <n>',
      description: 'megabytes the never-reading client writes',
      parse: integer(0, 100_000),
      default: 64,
    },
    sources: {
      flags: '--sources <n>',
      description: 'source EUIs sending segment 0 of 2',
      parse: integer(0, 100_000_000),
      default: 500_000,
    },
    commands: {
      flags: '--commands <n>',
      description: 'commands whose responses are never acknowledged',
      parse: integer(0, 100_000_000),
      default: 100_000,
    },
    seconds: {
      flags: '--seconds <n>',
      description: 'each flood stops after this if not at its count',
      parse: integer(0, 86_400),
      default: 60,
    },
  },
  examples: ['npm run soak:floods -- --mb 16 --sources 100000 --commands 20000 --seconds 30'],
});
const { mb: MB, sources: SOURCES, commands: COMMANDS, seconds: SECONDS } = options;
const BIN = new URL('../bin/smets1.mjs', import.meta.url).pathname;
const { CH, ESME } = setEuis(0, true);

const child = spawn(process.execPath, [BIN, 'emulate', '--link', 'tcp-listen:127.0.0.1:0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const found = /^listening: tcp-listen:127\.0\.0\.1:(\d+)$/m.exec(text);
    if (found && /^ready$/m.test(text)) resolve(Number(found[1]));
  });
  child.once('exit', (code) => reject(new Error(`emulate exited (${code})`)));
});
const memory = () => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return `RSS ${(kb('VmRSS') / 1024).toFixed(0)} MB, peak ${(kb('VmHWM') / 1024).toFixed(0)} MB`;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function socket(): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  s.on('error', () => {});
  await new Promise((resolve) => s.once('connect', resolve));
  return s;
}

/** Writes `frames()` until it ends or time runs out, waiting for drain (bounded by the OS buffers, not ours). */
async function pour(s: Socket, chunks: Iterable<Buffer>): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let bytes = 0;
  for (const chunk of chunks) {
    if (Date.now() > deadline || s.destroyed) break;
    bytes += chunk.length;
    if (!s.write(chunk)) {
      const drained = await Promise.race([
        new Promise((resolve) => s.once('drain', () => resolve(true))),
        sleep(Math.max(0, deadline - Date.now())).then(() => false),
      ]);
      if (!drained) break;
    }
  }
  return bytes;
}

const codec = payloadCodec('itron');
const eui = (n: number) =>
  `00-00-${((n >>> 24) & 0xff).toString(16).padStart(2, '0')}-${((n >>> 16) & 0xff).toString(16).padStart(2, '0')}-${((n >>> 8) & 0xff).toString(16).padStart(2, '0')}-${(n & 0xff).toString(16).padStart(2, '0')}-77-77`.toUpperCase();
function frame(
  source: string,
  destination: string,
  sequence: number,
  message: Record<string, unknown> & { type: string },
  segments?: { index: number; count: number },
): Buffer {
  const { frameType, messageId, payload } = codec.encode(message as never);
  return encodeFrame({
    type: frameType,
    sequence: sequence & 0xff,
    source,
    destination,
    messageId,
    segmentIndex: segments?.index ?? 0,
    segmentCount: segments?.count ?? 1,
    payload,
  });
}

console.log(`soak: emulator pid ${child.pid}, ${memory()} at start`);

// Item 6: never reads.
{
  const s = await socket();
  s.pause();
  const block = Buffer.alloc(64 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = [0xa5, 0x01, 0x01][i % 3];
  const blocks = function* () {
    for (let sent = 0; sent < MB * 1024 * 1024; sent += block.length) yield block;
  };
  const bytes = await pour(s, blocks());
  console.log(`never reads: ${(bytes / 1024 / 1024).toFixed(1)} MB of A5 01 01 written; ${memory()}`);
  s.destroy();
  await sleep(1000);
  console.log(`never reads: 1 s after the client closed; ${memory()}`);
}

// Item 7: segment 0 of 2 from many sources.
{
  const s = await socket();
  s.on('data', () => {}); // read and discard the acks
  const frames = function* () {
    let batch: Buffer[] = [];
    for (let i = 0; i < SOURCES; i++) {
      batch.push(
        frame(
          eui(i + 1),
          CH,
          i,
          {
            type: 'hanLogAdd',
            requestId: 1,
            deviceId: '00-DB-12-34-56-78-90-A3',
            installCode: '00112233445566778899aabbccddeeff',
            joinPeriod: 200,
          },
          { index: 0, count: 2 },
        ),
      );
      if (batch.length === 256) {
        yield Buffer.concat(batch);
        batch = [];
      }
    }
    if (batch.length > 0) yield Buffer.concat(batch);
  };
  const bytes = await pour(s, frames());
  await sleep(1000);
  console.log(
    `segments: ${(bytes / 1024 / 1024).toFixed(1)} MB of first segments from up to ${SOURCES} sources; ${memory()}`,
  );
  s.destroy();
}

// Item 8: commands whose responses are never acknowledged, then a real harness.
{
  const s = await socket();
  s.on('data', () => {}); // read, never acknowledge
  const frames = function* () {
    let batch: Buffer[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      batch.push(frame(eui(0x01000000 + i), ESME, i, { type: 'readDeviceInfo', requestId: (i % 65535) + 1 }));
      if (batch.length === 256) {
        yield Buffer.concat(batch);
        batch = [];
      }
    }
    if (batch.length > 0) yield Buffer.concat(batch);
  };
  const bytes = await pour(s, frames());
  await sleep(1000);
  console.log(
    `unacked: ${(bytes / 1024 / 1024).toFixed(1)} MB of commands from up to ${COMMANDS} fake sources; ${memory()}`,
  );

  const clock = new WallClock();
  const link = new TcpClientLink({ host: '127.0.0.1', port, clock, reconnect: false });
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    transmit: (b) => link.write(b),
    dialectOf: () => 'itron',
    ackTimeout: 1000,
  });
  link.on('data', (b) => endpoint.receive(b));
  await link.open();
  const client = new BenchClient({ endpoint, clock, responseTimeout: 30_000 });
  const started = performance.now();
  const answer = await client.request(ESME, { type: 'readDeviceInfo' }).then(
    (r) => `answered ${r.status} in ${(performance.now() - started).toFixed(0)} ms`,
    (e: Error) => `not answered: ${e.message}`,
  );
  console.log(`unacked: a real harness meanwhile: ${answer}`);
  client.close();
  endpoint.close();
  await link.close();
  s.destroy();
}

await sleep(500);
console.log(`soak done: ${memory()}`);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
