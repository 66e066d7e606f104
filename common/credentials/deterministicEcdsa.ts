import { createECDH, createHash, createPrivateKey, createPublicKey, KeyObject, type ECDH } from 'node:crypto';
import { rfc6979Candidates } from './rfc6979';
import { sha256 } from './sha256';

/**
 * ECDSA P-256 with SHA-256 and deterministic nonces (RFC 6979 section 3.2), for the test PKI only.
 *
 * node:crypto signs with a random nonce, so a certificate or request signed twice differs; the emulator wants a
 * seed to reproduce a whole PKI byte for byte. node:crypto still does the curve arithmetic: createECDH computes
 * k·G, and only the scalar arithmetic mod n is done here with BigInt; the nonces' HMACs are rfc6979.ts's.
 * Signatures verify with node's `verify`.
 */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n; // order of the P-256 base point

/** A P-256 key pair as node KeyObjects. */
interface P256KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** What signs: a private KeyObject, or anything holding one (a key pair, a test party). */
export type SigningKey = KeyObject | { readonly privateKey: KeyObject };

/** The P-256 key pair whose private scalar is `d` (1 ≤ d < n); its KeyObjects are made on first read (withP256Key). */
export function p256KeyFromScalar(d: bigint): P256KeyPair {
  return withP256Key({}, d);
}

/**
 * A private key signDeterministic knows: its scalar; its public point 04 ‖ x ‖ y, and the scalar as the 32 bytes
 * the nonce derivation hashes (RFC 6979 int2octets), each written once computed.
 */
interface DerivedKey {
  readonly d: bigint;
  point?: Buffer;
  octets?: Buffer;
}

/**
 * The scalars of private keys signDeterministic knows: every holder withP256Key gave a key and the private KeyObject
 * made for it, and any other KeyObject once signed with (read once: a JWK export per signature was a visible cost).
 */
const privateScalars = new WeakMap<object, DerivedKey>();
/** The holders withP256Key gave a key and the public KeyObjects made for them: subjectPublicKeyInfo needs no export. */
const publicPoints = new WeakMap<object, DerivedKey>();

/**
 * Gives `target` the P-256 key pair whose private scalar is `d` (1 ≤ d < n) as `privateKey` and `publicKey`: node
 * KeyObjects made on first read and then kept. Importing a key costs some 120 µs of OpenSSL's decoders, and most
 * derived keys are only signed with here (from the scalar) or written into a certificate (as bytes), so a holder
 * passed as it is to signDeterministic or subjectPublicKeyInfo never makes one.
 */
export function withP256Key<T extends object>(target: T, d: bigint): T & P256KeyPair {
  if (d < 1n || d >= N) throw new RangeError('P-256 private scalar must be in 1..n-1');
  // its KeyObjects may have been made and handed out (or written into a certificate) from the first key
  if (privateScalars.has(target))
    throw new TypeError('withP256Key: this holder has a P-256 key already; a new key needs a new holder');
  const key: DerivedKey = { d };
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject | undefined;
  const makePrivateKey = (): KeyObject => {
    if (privateKey === undefined) {
      const point = pointOf(key);
      const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
      privateKey = createPrivateKey({
        key: {
          kty: 'EC',
          crv: 'P-256',
          d: b64(octetsOf(key)),
          x: b64(point.subarray(1, 33)),
          y: b64(point.subarray(33, 65)),
        },
        format: 'jwk',
      });
      privateScalars.set(privateKey, key);
    }
    return privateKey;
  };
  const makePublicKey = (): KeyObject => {
    if (publicKey === undefined) {
      publicKey = createPublicKey(makePrivateKey());
      publicPoints.set(publicKey, key);
    }
    return publicKey;
  };
  Object.defineProperties(target, {
    privateKey: { enumerable: true, get: makePrivateKey },
    publicKey: { enumerable: true, get: makePublicKey },
  });
  privateScalars.set(target, key);
  publicPoints.set(target, key);
  return target as T & P256KeyPair;
}

const SPKI_P256_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/**
 * The DER SubjectPublicKeyInfo of a public key (or of a key pair's): node's export, or for a key derived here the
 * same bytes written from its point (named curve, uncompressed point: what node exports for it).
 */
export function subjectPublicKeyInfo(key: KeyObject | { readonly publicKey: KeyObject }): Buffer {
  const known = publicPoints.get(key);
  if (known !== undefined) return Buffer.concat([SPKI_P256_PREFIX, pointOf(known)]);
  if (key instanceof KeyObject) return key.export({ type: 'spki', format: 'der' });
  return subjectPublicKeyInfo(key.publicKey);
}

/**
 * A deterministic P-256 private scalar from a seed and a label: SHA-256(seed ‖ 0x00 ‖ label ‖ 0x00 ‖ counter),
 * counting up in the (about 2^-32) case that the hash is not a valid scalar.
 */
export function scalarFromSeed(seed: string, label: string): bigint {
  for (let counter = 0; ; counter++) {
    const digest = createHash('sha256').update(`${seed}\0${label}\0${counter}`, 'utf8').digest();
    const d = toBigInt(digest);
    if (d >= 1n && d < N) return d;
  }
}

/**
 * One ECDH object for every scalar multiplication (k·G of a nonce, d·G of a derived key): setPrivateKey recomputes
 * the point, and building the object cost as much.
 */
let ecdh: ECDH | undefined;

/** k·G as 04 ‖ x ‖ y, for 1 ≤ k < n as 32 big-endian bytes. */
function basePointTimes(k: Uint8Array): Buffer {
  ecdh ??= createECDH('prime256v1');
  ecdh.setPrivateKey(k);
  return ecdh.getPublicKey();
}

function pointOf(key: DerivedKey): Buffer {
  return (key.point ??= basePointTimes(octetsOf(key)));
}

/** int2octets(d): the scalar as the 32 bytes ECDH and the nonce derivation take. */
function octetsOf(key: DerivedKey): Buffer {
  return (key.octets ??= toBytes32(key.d));
}

/** Signs SHA-256(message) with the P-256 private key; returns r ‖ s, 32 bytes each (IEEE P1363). */
export function signDeterministic(message: Uint8Array, key: SigningKey): Buffer {
  const known = derivedKeyOf(key);
  const d = known.d;
  const digest = sha256(message);
  const e = toBigInt(digest); // qlen = hlen = 256: bits2int is a plain conversion
  // bits2octets(H(m)) is int2octets(e mod n): the digest itself unless e ≥ n (about 2^-32 of digests)
  for (const candidate of rfc6979Candidates(octetsOf(known), e < N ? digest : toBytes32(e % N))) {
    const k = toBigInt(candidate);
    if (k < 1n || k >= N) continue;
    const r = toBigInt(basePointTimes(candidate).subarray(1, 33)) % N;
    if (r === 0n) continue;
    const s = (modInverse(k) * ((e + r * d) % N)) % N;
    if (s === 0n) continue;
    return Buffer.from(hex32(r) + hex32(s), 'hex');
  }
  throw new Error('unreachable: the candidates never end');
}

/**
 * The key that signing with `key` later signs with, fixed now (a signature computed when first read, xmlSignature.ts
 * signTree): a holder withP256Key gave a key keeps it for good and is returned as it is (reading its privateKey would
 * import a KeyObject, some 120 µs); anything else's privateKey is read now, whatever it holds later. Known by the
 * holders this module made, not by the shape of a privateKey property: a getter of another making may change.
 */
export function signingKeyNow(key: SigningKey): SigningKey {
  return key instanceof KeyObject || privateScalars.has(key) ? key : key.privateKey;
}

function derivedKeyOf(key: SigningKey): DerivedKey {
  const known = privateScalars.get(key);
  if (known !== undefined) return known;
  if (!(key instanceof KeyObject)) return derivedKeyOf(key.privateKey);
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || jwk.d === undefined) throw new TypeError('not a P-256 private key');
  const read: DerivedKey = { d: toBigInt(Buffer.from(jwk.d, 'base64url')) };
  privateScalars.set(key, read);
  return read;
}

/**
 * a⁻¹ mod n by Lehmer's extended Euclid (Knuth, TAOCP 4.5.2, algorithm L): the quotients of most steps are found from
 * the leading LEHMER_BITS bits of the remainders in plain numbers, and applied to the BigInts as one 2×2 matrix,
 * about ten BigInt rounds instead of 150 divisions (plain extended Euclid took twice the time); the steps below
 * 2^LEHMER_BITS are taken in plain numbers and applied as one matrix too. Every matrix is a
 * product of Euclid steps, so however the quotients come out, u ≡ t0·a and v ≡ t1·a (mod n) hold throughout; the
 * inverse is unique, so the signature's bytes do not depend on how it is found. Steps are written out in plain
 * variables (a destructuring swap is an array a step unless the optimiser removes it).
 */
function modInverse(a: bigint): bigint {
  let u = N;
  let v = ((a % N) + N) % N;
  let t0 = 0n;
  let t1 = 1n;
  // Until u is below 2^LEHMER_BITS: a Lehmer round while v is not (the last round's full step brings u below it).
  while (v !== 0n && u >= LEHMER_LIMIT) {
    if (v >= LEHMER_LIMIT) {
      // top bits of u, and of v at the same scale; bitLength overstates u's by at most one bit
      const shift = BigInt(Math.max(0, bitLength(u) - LEHMER_BITS));
      let uh = Number(u >> shift);
      let vh = Number(v >> shift);
      let [A, B, C, D] = [1, 0, 0, 1];
      // (uh + A)/(vh + C) and (uh + B)/(vh + D) bound the true quotient: while they agree it is that quotient
      for (;;) {
        if (vh + C <= 0 || vh + D <= 0) break;
        const q = floorDivide(uh + A, vh + C);
        if (q !== floorDivide(uh + B, vh + D)) break;
        const c = A - q * C;
        const d = B - q * D;
        const w = uh - q * vh;
        A = C;
        C = c;
        B = D;
        D = d;
        uh = vh;
        vh = w;
      }
      if (B !== 0) {
        const [a1, b1, c1, d1] = [BigInt(A), BigInt(B), BigInt(C), BigInt(D)];
        const u1 = a1 * u + b1 * v;
        v = c1 * u + d1 * v;
        u = u1;
        const s0 = a1 * t0 + b1 * t1;
        t1 = c1 * t0 + d1 * t1;
        t0 = s0;
        continue;
      }
      // not one quotient settled from the leading bits: one full step
    }
    const q = u / v;
    const r = u - q * v;
    const t = t0 - q * t1;
    u = v;
    v = r;
    t0 = t1;
    t1 = t;
  }
  // The last steps in plain numbers, their product applied to the cofactors once (each BigInt step cost as much as
  // a Lehmer round): the remainders are below 2^LEHMER_BITS, and so are the matrix's entries (bounded by u).
  let un = Number(u);
  let vn = Number(v);
  let A = 1;
  let B = 0;
  let C = 0;
  let D = 1;
  while (vn !== 0) {
    const q = floorDivide(un, vn);
    const r = un - q * vn;
    const c = A - q * C;
    const d = B - q * D;
    A = C;
    C = c;
    B = D;
    D = d;
    un = vn;
    vn = r;
  }
  if (un !== 1) throw new RangeError('not invertible mod n');
  t0 = BigInt(A) * t0 + BigInt(B) * t1;
  t0 %= N;
  return t0 < 0n ? t0 + N : t0;
}

/**
 * The bit length of 0 < x < 2^1024, or one more: x as a double is x rounded to 53 bits, whose binary exponent is
 * x's bit length less one (or x's bit length, when rounding carries into the next power of two). A hex text of x per
 * Lehmer round cost more than the round's arithmetic.
 */
function bitLength(x: bigint): number {
  return Math.floor(Math.log2(Number(x))) + 1;
}

/** Leading bits Lehmer's steps work on: their sums and products stay below 2^53, exact in a double. */
const LEHMER_BITS = 48;
const LEHMER_LIMIT = 2n ** BigInt(LEHMER_BITS);

/** ⌊x / y⌋ of integers below 2^50, exact: the division is rounded, its remainder is not. */
function floorDivide(x: number, y: number): number {
  const q = Math.floor(x / y);
  const r = x - q * y;
  return r < 0 ? q - 1 : r >= y ? q + 1 : q;
}

function toBigInt(bytes: Uint8Array): bigint {
  // a Buffer is read where it lies: copying it first was a visible share of a signature
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return BigInt(`0x${buffer.toString('hex') || '0'}`);
}

/** 0 ≤ value < 2^256 as 64 hex digits. */
function hex32(value: bigint): string {
  return value.toString(16).padStart(64, '0');
}

function toBytes32(value: bigint): Buffer {
  return Buffer.from(hex32(value), 'hex');
}
