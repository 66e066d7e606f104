/**
 * Runs `smets1 emulate` as a real child process (for kill -9 and CLI tests) and a harness that talks to it over
 * TCP on 127.0.0.1 on the wall clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { WallClock } from '../../emulator/clock/wallClock';
import { TcpClientLink } from '../../emulator/links/tcpLink';
import { BenchClient, type DeviceAlert } from '../../protocols/benchClient';
import { HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';
import { SMETS1_BIN } from '../support/smets1Bin';

export interface Child {
  process: ChildProcess;
  output: string[];
  /** The TCP port it listens on (0 on a pty). */
  port: number;
  /** Its harness end on a pty (`serial:` this); empty on TCP. */
  ptyPath: string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** `smets1 emulate` listening on TCP 127.0.0.1 (a free port), with `args`; resolves once it prints `ready`. */
export function startEmulator(args: string[], timeoutMs = 20_000): Promise<Child> {
  return startChild(['--link', 'tcp-listen:127.0.0.1:0', ...args], timeoutMs);
}

/** `smets1 emulate --link pty` (socat) with `args`; resolves with its harness end once it prints `ready`. */
export function startPtyEmulator(args: string[], timeoutMs = 20_000): Promise<Child> {
  return startChild(['--link', 'pty', ...args], timeoutMs);
}

async function startChild(args: string[], timeoutMs: number): Promise<Child> {
  const child = spawn(process.execPath, [SMETS1_BIN, 'emulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const found = await new Promise<{ port: number; ptyPath: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`emulate did not get ready in ${timeoutMs} ms:\n${output.join('\n')}`)),
      timeoutMs,
    );
    let buffered = '';
    const take = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        if (line === 'ready') {
          const listening = output.map((l) => /^listening: tcp-listen:127\.0\.0\.1:(\d+)$/.exec(l)).find(Boolean);
          const pty = output.map((l) => /^harness end: (\S+)$/.exec(l)).find(Boolean);
          clearTimeout(timer);
          if (listening) resolve({ port: Number(listening[1]), ptyPath: '' });
          else if (pty) resolve({ port: 0, ptyPath: pty[1]! });
          else reject(new Error(`no listening or harness end line:\n${output.join('\n')}`));
        }
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', (chunk: Buffer) => output.push(`stderr: ${chunk.toString().trimEnd()}`));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`emulate exited (${code}) before it was ready:\n${output.join('\n')}`));
    });
  });
  return { process: child, output, ...found, exited };
}

export interface TcpHarness {
  client: BenchClient;
  endpoint: MessageEndpoint;
  alerts: DeviceAlert[];
  close(): Promise<void>;
}

export async function connectHarness(port: number, dialect: 'itron' | 'elster' = 'itron'): Promise<TcpHarness> {
  const clock = new WallClock();
  const link = new TcpClientLink({ host: '127.0.0.1', port, clock, reconnect: false });
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    transmit: (bytes) => link.write(bytes),
    dialectOf: () => dialect,
    ackTimeout: 500,
  });
  link.on('data', (bytes) => endpoint.receive(bytes));
  await link.open();
  const client = new BenchClient({ endpoint, clock, responseTimeout: 10_000 });
  const alerts: DeviceAlert[] = [];
  client.on('alert', (alert) => alerts.push(alert));
  return {
    client,
    endpoint,
    alerts,
    async close() {
      client.close();
      endpoint.close();
      await link.close();
    },
  };
}

export async function waitFor(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
