/**
 * The DUIS request file of an `sr: { file }` step, read once at load: it must lie in the pack's tree (the directory
 * holding the pack file, and below, also after following symbolic links), be no larger than the gateway's document
 * limit, and be a DUIS request document. The text read here is the one the step sends and the reports copy, so a file
 * changed after loading is not what runs.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { notARequestDocument } from '../duis/requestDocument';
import { MAX_DOCUMENT_BYTES } from '../duis/validator';

export type RequestFile =
  { readonly path: string; readonly xml: string } | { readonly problem: string; readonly expected: string };

const EXPECTED = "a DUIS request file in the pack's directory or below it, relative to the pack file";

/** `written` is the `file:` value as written in the pack `packFile`. */
export function readRequestFile(packFile: string, written: string): RequestFile {
  const tree = resolve(dirname(packFile));
  const path = resolve(tree, written);
  if (!inside(tree, path)) return { problem: `${path} is outside the pack's directory ${tree}`, expected: EXPECTED };
  let real: string;
  let realTree: string;
  try {
    real = realpathSync(path);
    realTree = realpathSync(tree);
  } catch {
    return { problem: `no such file: ${path}`, expected: EXPECTED };
  }
  if (!inside(realTree, real))
    return {
      problem: `${path} is a symbolic link to ${real}, outside the pack's directory ${realTree}`,
      expected: EXPECTED,
    };
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // The checks are made on the file opened, the one read; non-blocking, so a FIFO is refused, not waited on.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: `${path} is not a file`, expected: EXPECTED };
    if (stat.size > MAX_DOCUMENT_BYTES)
      return {
        problem: `${path} is ${stat.size} bytes`,
        expected: `a DUIS request of at most ${MAX_DOCUMENT_BYTES} bytes (the gateway's document limit)`,
      };
    // One byte more than the file's size: a file that grows while it is read is refused, not read on and on.
    bytes = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < bytes.length; length += read)
      read = readSync(fd, bytes, length, bytes.length - length, null);
    if (length > stat.size) return { problem: `${path} grew while it was read`, expected: EXPECTED };
    bytes = bytes.subarray(0, length);
  } catch (error) {
    return {
      problem: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      expected: EXPECTED,
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      problem: `${path} is not a DUIS request: it is not UTF-8 text`,
      expected: 'a DUIS request document (sr:Request in UTF-8 XML)',
    };
  }
  const why = notARequestDocument(xml);
  if (why !== undefined)
    return {
      problem: `${path} is not a DUIS request: ${why}`,
      expected: 'a DUIS request document (sr:Request in UTF-8 XML)',
    };
  return { path, xml };
}

/** `path` is `dir` or below it. */
function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}
