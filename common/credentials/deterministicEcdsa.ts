import {
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type ECDH,
  type KeyObject,
} from 'node:crypto';

/**
 * ECDSA P-256 with SHA-256 and deterministic nonces (RFC 6979 section 3.2), for the test PKI only.
 *
 * node:crypto signs with a random nonce, so a certificate or request signed twice differs; the emulator wants a
 * seed to reproduce a whole PKI byte for byte. node:crypto still does the curve arithmetic: createECDH computes
 * k·G, and only the scalar arithmetic mod n is done here with BigInt. Signatures verify with node's `verify`.
 */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n; // order of the P-256 base point

/** The P-256 key pair whose private scalar is `d` (1 ≤ d < n), as node KeyObjects. */
export function p256KeyFromScalar(d: bigint): { privateKey: KeyObject; publicKey: KeyObject } {
  if (d < 1n || d >= N) throw new RangeError('P-256 private scalar must be in 1..n-1');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(toBytes32(d));
  const point = ecdh.getPublicKey(); // 04 ‖ x ‖ y
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
  const privateKey = createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: b64(toBytes32(d)),
      x: b64(point.subarray(1, 33)),
      y: b64(point.subarray(33, 65)),
    },
    format: 'jwk',
  });
  return { privateKey, publicKey: createPublicKey(privateKey) };
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

let nonceEcdh: ECDH | undefined;

/** Signs SHA-256(message) with the P-256 private key; returns r ‖ s, 32 bytes each (IEEE P1363). */
export function signDeterministic(message: Uint8Array, privateKey: KeyObject): Buffer {
  const d = scalarOf(privateKey);
  const h1 = createHash('sha256').update(message).digest();
  const e = toBigInt(h1); // qlen = hlen = 256, so bits2int is a plain conversion
  for (const k of rfc6979Nonces(d, h1)) {
    // one ECDH object for every k·G: setPrivateKey recomputes the point, and building the object cost as much
    nonceEcdh ??= createECDH('prime256v1');
    const ecdh = nonceEcdh;
    ecdh.setPrivateKey(toBytes32(k));
    const r = toBigInt(ecdh.getPublicKey().subarray(1, 33)) % N;
    if (r === 0n) continue;
    const s = (modInverse(k) * ((e + r * d) % N)) % N;
    if (s === 0n) continue;
    return Buffer.concat([toBytes32(r), toBytes32(s)]);
  }
  throw new Error('unreachable: the nonce generator is infinite');
}

/** RFC 6979 3.2 HMAC-DRBG nonces for SHA-256 and a 256-bit order, in order of use. */
function* rfc6979Nonces(d: bigint, h1: Buffer): Generator<bigint> {
  const x = toBytes32(d);
  const h = toBytes32(toBigInt(h1) % N); // bits2octets
  let v = Buffer.alloc(32, 0x01);
  let k = Buffer.alloc(32, 0x00);
  const hmac = (key: Buffer, ...parts: Buffer[]) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();
  k = hmac(k, v, Buffer.from([0x00]), x, h);
  v = hmac(k, v);
  k = hmac(k, v, Buffer.from([0x01]), x, h);
  v = hmac(k, v);
  for (;;) {
    v = hmac(k, v);
    const candidate = toBigInt(v);
    if (candidate >= 1n && candidate < N) yield candidate;
    k = hmac(k, v, Buffer.from([0x00]));
    v = hmac(k, v);
  }
}

/** A KeyObject never changes, so its scalar is read once (a JWK export per signature was a visible cost). */
const scalars = new WeakMap<KeyObject, bigint>();

function scalarOf(privateKey: KeyObject): bigint {
  const known = scalars.get(privateKey);
  if (known !== undefined) return known;
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || jwk.d === undefined) throw new TypeError('not a P-256 private key');
  const d = toBigInt(Buffer.from(jwk.d, 'base64url'));
  scalars.set(privateKey, d);
  return d;
}

function modInverse(a: bigint): bigint {
  // extended Euclid: about 150 BigInt divisions, where Fermat's a^(n-2) took some 500 multiplications mod n
  let [r0, r1] = [N, ((a % N) + N) % N];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new RangeError('not invertible mod n');
  return t0 < 0n ? t0 + N : t0;
}

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
}

function toBytes32(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
}
