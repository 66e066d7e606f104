/**
 * Ctrl-C (SIGINT) or a CI job's cancel (SIGTERM) during `smets1 run`: the first asks the run to stop, so that the
 * scenarios that finished are still reported; a second ends the process at once, as a user pressing Ctrl-C
 * twice expects. The exit code is the shell's for the signal: 128 + its number.
 */
const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNALS;

export interface Interruption {
  /** Resolves with the signal's name when the first one arrives. */
  readonly stopped: Promise<StopSignal>;
  /** The signal received, if any. */
  signal(): StopSignal | undefined;
  /** The exit code for the signal received (130 for SIGINT). */
  exitCode(): number;
  /** Stops listening: the signals' default behaviour is back. */
  dispose(): void;
}

export function watchInterruption(onFirst: (signal: StopSignal) => void): Interruption {
  let received: StopSignal | undefined;
  let resolve!: (signal: StopSignal) => void;
  const stopped = new Promise<StopSignal>((r) => (resolve = r));
  const handlers = (Object.keys(SIGNALS) as StopSignal[]).map((name) => {
    const handler = () => {
      if (received !== undefined) process.exit(128 + SIGNALS[name]);
      received = name;
      onFirst(name);
      resolve(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    stopped,
    signal: () => received,
    exitCode: () => (received === undefined ? 0 : 128 + SIGNALS[received]),
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
