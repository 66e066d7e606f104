#!/usr/bin/env node
// The `smets1` command. The project is TypeScript run through tsx (no build step), so register it first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
