// makeDirectory: `mkdir -p` that fails with a message where Node's recursive mkdir spins for ever (a path under
// /proc), and otherwise does what the recursive form did.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../common/makeDirectory';

const root = mkdtempSync(join(tmpdir(), 'smets1-mkdir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('makeDirectory', () => {
  it('makes every missing folder down to the path, and is content when it exists', () => {
    const path = join(root, 'a', 'b', 'c');
    makeDirectory(path);
    expect(statSync(path).isDirectory()).toBe(true);
    makeDirectory(path);
    makeDirectory(join(root, 'a'));
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('takes a relative path from the working directory', () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      makeDirectory(join('rel', 'x'));
    } finally {
      process.chdir(cwd);
    }
    expect(statSync(join(root, 'rel', 'x')).isDirectory()).toBe(true);
  });

  it('refuses a file in the way, at the path or above it', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    expect(() => makeDirectory(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => makeDirectory(join(file, 'below'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it.runIf(existsSync('/proc/self'))(
    "fails at once, naming the folder, under /proc (where Node's recursive mkdir loops)",
    () => {
      // in a child with a time limit: a regression is a hang, and the test must say so rather than hang
      const script = `import('${join(process.cwd(), 'common/makeDirectory.ts')}').then(({ makeDirectory }) => {
      try { makeDirectory('/proc/smets1-no-such/reports'); console.log('made'); }
      catch (error) { console.log(error.code + ' ' + error.message); }
    })`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(child.signal).toBeNull();
      expect(child.stdout).toBe("ENOENT ENOENT: no such file or directory, mkdir '/proc/smets1-no-such'\n");
    },
  );
});
