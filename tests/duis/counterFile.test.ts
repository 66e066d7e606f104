// The gateway's RequestID counters kept in a bench state directory (harness/duis/counterFile.ts): what a later run
// finds, a bad file refused naming the file and the entry, one run at a time, and a counter that cannot be kept is
// not accepted.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCounterFile, type CounterFile } from '../../harness/duis/counterFile';
import { RequestCounterTracker } from '../../harness/duis/counters';

const USER = '90-B3-D5-1F-30-01-00-00';
const OTHER = '90-B3-D5-1F-30-02-00-00';
const dirs: string[] = [];
const open: CounterFile[] = [];
afterEach(() => {
  open.splice(0).forEach((file) => file.close());
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'smets1-counters-'));
  dirs.push(dir);
  return dir;
};
const openFile = (dir: string) => {
  const file = openCounterFile(dir);
  open.push(file);
  return file;
};

describe('counter file', () => {
  it('a later run refuses the counters an earlier run accepted, per originator, whatever the case of the EUI', () => {
    const dir = join(tempDir(), 'new', 'state');
    const first = openFile(dir);
    expect(first.tracker.accept(USER, 18446744073709551615n)).toEqual({ ok: true });
    expect(first.tracker.accept(OTHER.toLowerCase(), 7n)).toEqual({ ok: true });
    open.pop()!.close();
    expect(JSON.parse(readFileSync(join(dir, 'request-counters.json'), 'utf8'))).toEqual({
      format: 'smets1-request-counters/1',
      counters: { [USER]: '18446744073709551615', [OTHER]: '7' },
    });
    expect(readdirSync(dir).sort()).toEqual(['request-counters.json']); // lock released, no temporaries

    const second = openFile(dir);
    expect(second.tracker.accept(USER.toLowerCase(), 18446744073709551615n)).toEqual({
      ok: false,
      last: 18446744073709551615n,
    });
    expect(second.tracker.accept(OTHER, 7n)).toEqual({ ok: false, last: 7n });
    expect(second.tracker.accept(OTHER, 8n)).toEqual({ ok: true });
  });

  it('refuses a second run on the same directory while the first holds it', () => {
    const dir = tempDir();
    openFile(dir);
    expect(() => openCounterFile(dir)).toThrow(
      `state directory ${dir} is in use by another smets1 send (pid ${process.pid}, lock ${join(dir, 'send.lock')}); wait for it to finish or use another --state directory`,
    );
  });

  it.each([
    [
      '{"format":"smets1-request-counters/1","counters":{"90-B3-D5-1F-30-01-00-00":"12x"}}',
      'counters["90-B3-D5-1F-30-01-00-00"]: counter "12x" is not an integer in 0…2^64−1',
    ],
    [
      '{"format":"smets1-request-counters/1","counters":{"90-B3-D5-1F-30-01-00-00":"18446744073709551616"}}',
      'counters["90-B3-D5-1F-30-01-00-00"]: counter "18446744073709551616" is not an integer in 0…2^64−1',
    ],
    [
      '{"format":"smets1-request-counters/1","counters":{"alice":"12"}}',
      'counters["alice"]: "alice" is not an EUI-64 of the form XX-XX-XX-XX-XX-XX-XX-XX',
    ],
    [
      '{"format":"smets1-request-counters/1","counters":{"90-B3-D5-1F-30-01-00-00":12}}',
      'counters["90-B3-D5-1F-30-01-00-00"]: expected a decimal string, got 12',
    ],
    ['{"format":"other","counters":{}}', 'format: expected "smets1-request-counters/1"'],
    ['[1]', 'format: expected "smets1-request-counters/1"'],
    [
      '{"format":"smets1-request-counters/1","counters":[]}',
      'counters: expected an object of originator EUI to counter',
    ],
    ['{"format":', 'not a counters file: '],
  ])('refuses %s naming the file and the entry, and leaves it and the lock alone', (text, message) => {
    const dir = tempDir();
    const path = join(dir, 'request-counters.json');
    writeFileSync(path, text);
    expect(() => openCounterFile(dir)).toThrow(`${path}: ${message}`);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(existsSync(join(dir, 'send.lock'))).toBe(false);
  });

  it('refuses a file over 1 MiB unread, and a state directory that is a file', () => {
    const dir = tempDir();
    const path = join(dir, 'request-counters.json');
    writeFileSync(path, Buffer.alloc(1024 * 1024 + 1, 0x20));
    expect(() => openCounterFile(dir)).toThrow(`${path} is 1048577 bytes; a counters file is at most 1048576`);
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    expect(() => openCounterFile(join(file, 'state'))).toThrow(
      `cannot use state directory ${join(file, 'state')}: it (or a folder above it) is a file, not a directory`,
    );
  });

  it('a counter that cannot be kept is not accepted: the request is not admitted and the counter stays usable', () => {
    let failing = true;
    const saved: string[] = [];
    const tracker = new RequestCounterTracker(new Map([[USER, 5n]]), {
      save(counters) {
        if (failing) throw new Error('cannot write request-counters.json: ENOSPC');
        saved.push(`${counters.get(USER)}`);
      },
    });
    expect(() => tracker.accept(USER, 6n)).toThrow('cannot write request-counters.json: ENOSPC');
    expect(() => tracker.accept(OTHER, 1n)).toThrow('ENOSPC');
    expect(tracker.lastCounter(USER)).toBe(5n);
    expect(tracker.lastCounter(OTHER)).toBeUndefined();
    failing = false;
    expect(tracker.accept(USER, 6n)).toEqual({ ok: true });
    expect(saved).toEqual(['6']);
  });
});
