#!/usr/bin/env node
// The `smets1` command. The project is TypeScript run through tsx (no build step), so register it first.
import { register } from 'tsx/esm/api';

register();
// `smets1 … | head` closes stdout early: that is the reader finishing, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// Whatever fails, the command ends with a one-line message and exit 1: never a stack trace, never a hang.
const die = (error) => {
  process.stderr.write(`smets1: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
const { main } = await import('../harness/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit now: a link, timer or child left behind by a failed start-up must not keep the process alive.
process.exit(code);
