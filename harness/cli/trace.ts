/** `smets1 trace FILE`: print a recording decoded (emulator/recording). */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { decodeTrace } from '../../emulator/recording/traceDecoder';
import { TRACE_MAGIC } from '../../emulator/recording/traceFormat';

export function traceCommand(out: (line: string) => void): Command {
  return new Command('trace')
    .description(
      'print a recording made with `smets1 emulate --record FILE` or `smets1 run --record FILE`, every frame decoded',
    )
    .argument('<file>', 'the recording')
    .option('--hex', 'also print each frame as hex')
    .action((file: string, options: { hex?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(
          `cannot read recording ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      // Another file (a DUIS document, a log) would otherwise print a complaint for every line and exit 0.
      if (!text.startsWith(`${TRACE_MAGIC}\n`))
        throw new Error(
          `${file} is not a recording: its first line is not "${TRACE_MAGIC}" (make one with smets1 emulate --record FILE)`,
        );
      for (const line of decodeTrace(text, options)) out(line);
    });
}
