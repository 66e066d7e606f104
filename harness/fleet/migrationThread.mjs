// A migration worker thread's entry (migrationPool.ts): the project is TypeScript run through tsx with no build
// step, and a worker thread starts with no loader, so register tsx here before the thread's code is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./migrationThread.ts');
