/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain JavaScript, for what deterministic ECDSA hashes
 * (deterministicEcdsa.ts, rfc6979.ts): a signed message of a few hundred bytes, and the nonce derivation's five HMACs
 * a signature, of 33 to 97 bytes under 32-byte keys, each key used at most twice.
 *
 * node:crypto's createHmac and createHash cost some 1–3.5 µs a call whatever the length (more in a busy process),
 * nearly all of it the call into OpenSSL and the objects it makes, where these messages are a few SHA-256 blocks of
 * a fraction of a µs each. A key's inner and outer states (the hash after its ipad and opad block) are worked out
 * once, so an HMAC under a known key is its message's blocks and one outer block. (Round thirteen, loaded box: a
 * signed message of 300–530 bytes hashes in 1.1–1.5 µs by createHash against 1.8–3.1 here, but that is under 1 µs a
 * signature, 4.5 signatures a migration: left, not worth a second SHA-256 beside the HMACs'.)
 */

/** A key as the hash states after its padded block: K ⊕ ipad, K ⊕ opad. */
interface HmacSha256Key {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

const BLOCK = 64;
const IPAD = 0x36;
const OPAD = 0x5c;

/** The initial hash value H(0), FIPS 180-4 5.3.3. */
const INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The round constants K(0..63), FIPS 180-4 4.2.2. */
const ROUND = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/**
 * The message schedule, the running state and a message's padded last blocks (at most two), reused: one hash runs at
 * a time (nothing here calls out while hashing).
 */
const schedule = new Int32Array(64);
const running = new Int32Array(8);
const tail = new Uint8Array(2 * BLOCK);
/**
 * The block an HMAC's outer hash ends with: the inner digest (written in at each HMAC), 0x80, zeros, and the length
 * in bits of the opad block and the digest (96 bytes: 768 bits).
 */
const outerBlock = new Uint8Array(BLOCK);
outerBlock[32] = 0x80;
outerBlock[62] = (96 * 8) >>> 8;
outerBlock[63] = (96 * 8) & 0xff;

/** The SHA-256 compression function: `state` ← state + compress(state, the 64 bytes of `bytes` at `at`). */
function compress(state: Int32Array, bytes: Uint8Array, at: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++, at += 4) {
    w[i] = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + ROUND[i] + w[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/**
 * SHA-256 of (what took `from` to its state, `before` bytes: a whole number of blocks) ‖ message, written as 32
 * bytes into `out` at `at`; `from` is left as it was.
 */
function digestInto(from: Int32Array, before: number, message: Uint8Array, out: Uint8Array, at: number): void {
  const state = running;
  state.set(from);
  const length = message.length;
  const whole = length - (length % BLOCK);
  for (let offset = 0; offset < whole; offset += BLOCK) compress(state, message, offset);
  // the rest, 0x80, zeros, and the length in bits as a 64-bit big-endian number: one block or two
  const rest = length - whole;
  const end = rest + 9 <= BLOCK ? BLOCK : 2 * BLOCK;
  for (let i = 0; i < rest; i++) tail[i] = message[whole + i];
  tail[rest] = 0x80;
  tail.fill(0, rest + 1, end - 8);
  const bits = (before + length) * 8;
  const high = Math.floor(bits / 2 ** 32);
  for (let i = 0; i < 4; i++) {
    tail[end - 8 + i] = high >>> (24 - 8 * i);
    tail[end - 4 + i] = bits >>> (24 - 8 * i);
  }
  compress(state, tail, 0);
  if (end > BLOCK) compress(state, tail, BLOCK);
  writeState(state, out, at);
}

function writeState(state: Int32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++, at += 4) {
    const word = state[i];
    out[at] = word >>> 24;
    out[at + 1] = word >>> 16;
    out[at + 2] = word >>> 8;
    out[at + 3] = word;
  }
}

/** The hash state after one block of the key, zero-padded, XORed with `pad`. */
function padState(key: Uint8Array, pad: number): Int32Array {
  const block = new Uint8Array(BLOCK).fill(pad);
  for (let i = 0; i < key.length; i++) block[i] ^= key[i];
  const state = INITIAL.slice();
  compress(state, block, 0);
  return state;
}

/** A key ready to HMAC with; a key longer than a block is its SHA-256, as RFC 2104 has it. */
export function hmacSha256Key(key: Uint8Array): HmacSha256Key {
  let short = key;
  if (key.length > BLOCK) digestInto(INITIAL, 0, key, (short = new Uint8Array(32)), 0);
  return { inner: padState(short, IPAD), outer: padState(short, OPAD) };
}

/** SHA-256(message), 32 bytes. */
export function sha256(message: Uint8Array): Buffer {
  const digest = Buffer.allocUnsafe(32);
  digestInto(INITIAL, 0, message, digest, 0);
  return digest;
}

/** HMAC-SHA256(key, message), 32 bytes. */
export function hmacSha256(key: HmacSha256Key, message: Uint8Array): Buffer {
  digestInto(key.inner, BLOCK, message, outerBlock, 0);
  const state = running;
  state.set(key.outer);
  compress(state, outerBlock, 0);
  const mac = Buffer.allocUnsafe(32);
  writeState(state, mac, 0);
  return mac;
}
