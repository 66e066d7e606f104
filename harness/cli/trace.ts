/** `smets1 trace FILE`: print a recording decoded (emulator/recording). */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { decodeTrace } from '../../emulator/recording/traceDecoder';

export function traceCommand(out: (line: string) => void): Command {
  return new Command('trace')
    .description('print a recording made with `smets1 emulate --record FILE`, every frame decoded')
    .argument('<file>', 'the recording')
    .option('--hex', 'also print each frame as hex')
    .action((file: string, options: { hex?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`cannot read recording ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      for (const line of decodeTrace(text, options)) out(line);
    });
}
