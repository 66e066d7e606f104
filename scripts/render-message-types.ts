// Rewrites protocols/messageTypes.generated.ts from protocols/commandTable.ts.
import { writeFileSync } from 'node:fs';
import { renderMessageTypes } from './messageTypes';

writeFileSync(new URL('../protocols/messageTypes.generated.ts', import.meta.url), renderMessageTypes());
console.log('protocols/messageTypes.generated.ts: rewritten');
