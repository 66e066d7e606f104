/**
 * EUI-64 device ids: `00-DB-12-34-56-78-90-A0` in the domain, 8 bytes (most significant first) on the wire.
 * A bench has a few dozen EUIs and a fleet simulation a few hundred thousand, and every frame carries two, so both
 * directions are cached: the decoder's hot path then costs two 32-bit reads and a memo look-up, not string work.
 */
import { HEX_BYTE } from './hex';

export class EuiError extends Error {
  override name = 'EuiError';
}

const EUI_PATTERN = /^[0-9A-F]{2}(-[0-9A-F]{2}){7}$/;

/**
 * How many EUI texts (and byte forms) are memoised, at most. The bound is what a hostile peer can make us hold by
 * sending frames from ever new source EUIs (issue 8 item 7): 65,536 entries are about 10 MB. A bench with more
 * devices than that still decodes correctly; the EUIs past the bound are formatted afresh each time.
 */
const EUI_CACHE_LIMIT = 1 << 16;
const textByHalves = new Map<number, Map<number, string>>();
const bytesByText = new Map<string, Uint8Array>();
let cached = 0;

export function isEui64(text: string): boolean {
  return EUI_PATTERN.test(text);
}

export function euiToBytes(text: string): Uint8Array {
  const hit = bytesByText.get(text);
  if (hit) return hit;
  if (!EUI_PATTERN.test(text)) throw new EuiError(`not an EUI-64: "${text}" (want e.g. 00-DB-12-34-56-78-90-A0)`);
  const bytes = new Uint8Array(8);
  for (let i = 0; i < 8; i++) bytes[i] = parseInt(text.slice(i * 3, i * 3 + 2), 16);
  remember(text, bytes);
  return bytes;
}

/** Reads 8 bytes at `offset` as an EUI string. */
export function readEui(bytes: Uint8Array, offset: number): string {
  const hi = (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
  const lo = (bytes[offset + 4] << 24) | (bytes[offset + 5] << 16) | (bytes[offset + 6] << 8) | bytes[offset + 7];
  return textOfHalves(hi, lo);
}

export function euiFromHalves(hi: number, lo: number): string {
  // The halves of an EUI are unsigned 32-bit integers; anything else takes the general path, as it always did.
  return hi >>> 0 === hi && lo >>> 0 === lo ? textOfHalves(hi | 0, lo | 0) : cachedText(hi, lo);
}

/**
 * A direct-mapped memo in front of the maps, keyed by the halves as signed 32-bit integers: half of every id is
 * above 2^30, so as a map key it is a heap number (allocated, then hashed as a double). A hit is two integer
 * compares; a miss (or a collision) falls through to the maps and takes the slot.
 */
const FAST_BITS = 12;
const fastHi = new Int32Array(1 << FAST_BITS);
const fastLo = new Int32Array(1 << FAST_BITS);
const fastText: (string | undefined)[] = new Array<string | undefined>(1 << FAST_BITS).fill(undefined);

/** `hi` and `lo` as signed 32-bit integers (`x | 0`). */
function textOfHalves(hi: number, lo: number): string {
  const slot = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) >>> (32 - FAST_BITS);
  const hit = fastText[slot];
  if (hit !== undefined && fastHi[slot] === hi && fastLo[slot] === lo) return hit;
  const text = cachedText(hi >>> 0, lo >>> 0);
  fastHi[slot] = hi;
  fastLo[slot] = lo;
  fastText[slot] = text;
  return text;
}

function cachedText(hi: number, lo: number): string {
  let inner = textByHalves.get(hi);
  const hit = inner?.get(lo);
  if (hit !== undefined) return hit;
  const H = HEX_BYTE;
  const text = (
    `${H[hi >>> 24]}-${H[(hi >>> 16) & 0xff]}-${H[(hi >>> 8) & 0xff]}-${H[hi & 0xff]}-` +
    `${H[lo >>> 24]}-${H[(lo >>> 16) & 0xff]}-${H[(lo >>> 8) & 0xff]}-${H[lo & 0xff]}`
  ).toUpperCase(); // once per new EUI: the result is cached
  if (cached < EUI_CACHE_LIMIT) {
    if (!inner) textByHalves.set(hi, (inner = new Map()));
    inner.set(lo, text);
    cached++;
  }
  return text;
}

/** Entries memoised so far (never above EUI_CACHE_LIMIT). */
export function euiCacheEntries(): number {
  return cached;
}

function remember(text: string, bytes: Uint8Array): void {
  if (cached >= EUI_CACHE_LIMIT) return;
  bytesByText.set(text, bytes);
  cached++;
}
