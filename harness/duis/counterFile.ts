/**
 * The gateway's RequestID counters kept in a bench state directory (`smets1 send --state DIR`), so that a request
 * replayed by a later run is refused as it would be by the DCC, whose counters outlive any one request:
 *
 *   DIR/request-counters.json   {"format":"smets1-request-counters/1","counters":{"<originator EUI>":"<last counter>"}}
 *   DIR/send.lock               held for the run: two runs at once cannot both accept the same counter
 *
 * Each accepted counter is written (whole file, fsync, rename, fsync of DIR) before its request is carried out.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../../emulator/persistence/atomicFile';
import { lockStateDirectory, type LockPurpose } from '../../emulator/persistence/stateLock';
import { RequestCounterTracker } from './counters';
import { normaliseEui, parseCounter } from './requestId';
import { makeDirectory } from '../../common/makeDirectory';

const COUNTERS_FILE = 'request-counters.json';
const FORMAT = 'smets1-request-counters/1';
/** One line per user of Registration Data: a file far larger than that is not ours (bounded memory). */
const MAX_FILE_BYTES = 1024 * 1024;

const SEND_LOCK: LockPurpose = {
  file: 'send.lock',
  holder: 'another smets1 send',
  remedy: 'wait for it to finish or use another --state directory',
};

class CounterFileError extends Error {
  override name = 'CounterFileError';
}

export interface CounterFile {
  readonly tracker: RequestCounterTracker;
  /** Releases DIR's lock. */
  close(): void;
}

function readCounters(path: string): Map<string, bigint> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new CounterFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (size > MAX_FILE_BYTES)
    throw new CounterFileError(`${path} is ${size} bytes; a counters file is at most ${MAX_FILE_BYTES}`);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CounterFileError(`${path}: not a counters file: ${(error as Error).message}`);
  }
  const record = document as { format?: unknown; counters?: unknown };
  if (typeof document !== 'object' || document === null || record.format !== FORMAT) {
    throw new CounterFileError(`${path}: format: expected "${FORMAT}"`);
  }
  if (typeof record.counters !== 'object' || record.counters === null || Array.isArray(record.counters)) {
    throw new CounterFileError(`${path}: counters: expected an object of originator EUI to counter`);
  }
  const counters = new Map<string, bigint>();
  for (const [originator, counter] of Object.entries(record.counters)) {
    const where = `${path}: counters["${originator}"]`;
    try {
      if (typeof counter !== 'string') throw new Error(`expected a decimal string, got ${JSON.stringify(counter)}`);
      counters.set(normaliseEui(originator, where), parseCounter(counter, where));
    } catch (error) {
      const message = (error as Error).message;
      throw new CounterFileError(message.startsWith(where) ? message : `${where}: ${message}`);
    }
  }
  return counters;
}

/** Opens (creating) the bench state directory `directory`, locks it and loads its counters. */
export function openCounterFile(directory: string): CounterFile {
  try {
    makeDirectory(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'it (or a folder above it) is a file, not a directory'
        : (error as Error).message;
    throw new CounterFileError(`cannot use state directory ${directory}: ${why}`);
  }
  const release = lockStateDirectory(directory, SEND_LOCK);
  const path = join(directory, COUNTERS_FILE);
  try {
    const journal = {
      save(counters: ReadonlyMap<string, bigint>) {
        const entries = Object.fromEntries(
          [...counters].map(([originator, counter]) => [originator, counter.toString()]),
        );
        replaceFile(path, [`${JSON.stringify({ format: FORMAT, counters: entries }, null, 1)}\n`]);
      },
    };
    return { tracker: new RequestCounterTracker(readCounters(path), journal), close: release };
  } catch (error) {
    release();
    throw error;
  }
}
