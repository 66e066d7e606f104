// Rewrites the generated message tables in docs/protocol.md from protocols/commandTable.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { withMessageTables } from './protocolTables';

const path = new URL('../docs/protocol.md', import.meta.url);
writeFileSync(path, withMessageTables(readFileSync(path, 'utf8')));
console.log('docs/protocol.md: message tables rewritten');
