import { hmacSha256, hmacSha256Key } from './sha256';

/** RFC 6979 3.2 b and c: V and K before the first step, the same for every signature (K ready to HMAC with). */
const V_INITIAL = Buffer.alloc(32, 0x01);
const K_INITIAL = hmacSha256Key(Buffer.alloc(32, 0x00));

/**
 * RFC 6979 3.2's HMAC-DRBG for SHA-256 and a 256-bit order (qlen = hlen = 256, so each candidate is one HMAC):
 * every candidate T of step h, in order. `x` is int2octets(private key), `h1` is bits2octets(H(m)), 32 bytes each.
 * The signer takes the first T whose k = bits2int(T) is in 1..q-1 and gives a signature with r and s not 0, and
 * asks for the next T otherwise (step h.3's K and V update comes before it). Each K is made ready once and used
 * for the HMACs under it (sha256.ts).
 */
export function* rfc6979Candidates(x: Uint8Array, h1: Uint8Array): Generator<Buffer> {
  // V ‖ 0x00 or 0x01 ‖ x ‖ h1: the message of steps d and f, V written in at each
  const seeded = Buffer.allocUnsafe(97);
  seeded.set(x, 33);
  seeded.set(h1, 65);
  seeded.set(V_INITIAL, 0);
  seeded[32] = 0x00;
  let k = hmacSha256Key(hmacSha256(K_INITIAL, seeded)); // d
  let v = hmacSha256(k, V_INITIAL); // e
  seeded.set(v, 0);
  seeded[32] = 0x01;
  k = hmacSha256Key(hmacSha256(k, seeded)); // f
  v = hmacSha256(k, v); // g
  const retry = Buffer.allocUnsafe(33);
  for (;;) {
    v = hmacSha256(k, v); // h.2, tlen = qlen: one V is T
    yield v;
    retry.set(v, 0);
    retry[32] = 0x00;
    k = hmacSha256Key(hmacSha256(k, retry)); // h.3
    v = hmacSha256(k, v);
  }
}
