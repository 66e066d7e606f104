// Rewrites protocols/messageTypes.generated.ts and devices/common/contractFields.generated.ts from protocols/commandTable.ts.
import { writeFileSync } from 'node:fs';
import { renderContractFieldNames, renderMessageTypes } from './messageTypes';

writeFileSync(new URL('../protocols/messageTypes.generated.ts', import.meta.url), renderMessageTypes());
writeFileSync(new URL('../devices/common/contractFields.generated.ts', import.meta.url), renderContractFieldNames());
console.log('protocols/messageTypes.generated.ts, devices/common/contractFields.generated.ts: rewritten');
