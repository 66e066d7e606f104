/**
 * protocols/messageTypes.generated.ts and devices/common/contractFields.generated.ts are written from the command
 * table by `npm run types:protocol`: rendered again here, each must be the committed file, so a table change without the regenerated types fails the suite (and what the
 * types say is checked by tsc in messageTypes.test-d.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderContractFieldNames, renderMessageTypes } from '../../scripts/messageTypes';

describe('message types', () => {
  it('protocols/messageTypes.generated.ts is up to date with the command table (npm run types:protocol)', () => {
    const committed = readFileSync(new URL('../../protocols/messageTypes.generated.ts', import.meta.url), 'utf8');
    expect(renderMessageTypes()).toBe(committed);
  });

  it('devices/common/contractFields.generated.ts is up to date with the command table (npm run types:protocol)', () => {
    const committed = readFileSync(
      new URL('../../devices/common/contractFields.generated.ts', import.meta.url),
      'utf8',
    );
    expect(renderContractFieldNames()).toBe(committed);
  });
});
