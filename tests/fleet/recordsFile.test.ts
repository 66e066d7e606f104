/**
 * installations.jsonl: records written in several appends, past the writer's 1 MiB chunk, read back as written,
 * in order, each once; nothing under the name until the commit.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InstallationRecord } from '../../harness/fleet/installationRun';
import { readRecords, RecordsWriter } from '../../harness/fleet/recordsFile';

const dir = mkdtempSync(join(tmpdir(), 'smets1-fleet-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A record of about 1.3 KB (forty alerts). */
function record(index: number): InstallationRecord {
  return {
    index,
    vendor: index % 2 === 0 ? 'itron' : 'elster',
    kind: 'dormant',
    outcome: 'migrated',
    attempts: [{ startMs: 0, endMs: 7_200_000 + index, result: 'migrated', gas: false }],
    alerts: Array.from({ length: 40 }, (_, k) => ({ code: '8F70', atMs: k * 1000 })),
    endMs: 7_200_000 + index,
  };
}

describe('the records file', () => {
  it('holds 3,000 records (about 4 MB) appended in two calls, in order, each once', () => {
    const path = join(dir, 'installations.jsonl');
    const writer = new RecordsWriter(path);
    writer.append(Array.from({ length: 1000 }, (_, i) => record(i)));
    writer.append(Array.from({ length: 2000 }, (_, i) => record(1000 + i)));
    expect(existsSync(path)).toBe(false);
    writer.commit();
    const back = readRecords(dir);
    expect(back.length).toBe(3000);
    expect(back.map((r) => r.index)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(back[2999]).toEqual(record(2999));
  });
});
