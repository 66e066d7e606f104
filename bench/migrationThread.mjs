// A bench:migration worker thread's entry (bench/migrationThread.ts): a worker thread starts with no loader, so tsx
// is registered here before the thread's TypeScript is loaded (as harness/fleet/migrationThread.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./migrationThread.ts');
