#!/usr/bin/env node
// The `smets1` command. The project is TypeScript run through tsx (no build step), so register it first.
import { register } from 'tsx/esm/api';

register();
// `smets1 … | head` closes stdout early: that is the reader finishing, not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
