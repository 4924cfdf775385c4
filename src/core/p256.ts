// The NIST P-256 curve (FIPS 186-5, SEC 2 secp256r1) in BigInt: its order, and the public key of a private scalar.
//
// Why this exists: Web Crypto signs and verifies ECDSA P-256 everywhere, but it imports a private key only with its
// public point (JWK needs x and y; Deno, Bun, workerd and Chromium refuse a PKCS#8 key without the public key, only
// Node computes it), and SigV4a derives the private scalar alone. So the public point is computed here, once per
// access key (the signers and verifiers cache it). Nothing else of ECDSA is done in JavaScript.

/** The curve's prime. */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
/** The curve's coefficient b (a is -3). */
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
/** The order of the base point: private scalars are 1 … N - 1, and so are a signature's r and s. */
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

type Point = readonly [x: bigint, y: bigint, z: bigint];

const mod = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

/**
 * P + Q in projective coordinates, by the complete addition formulas for a = -3 of Renes, Costello and Batina
 * ("Complete addition formulas for prime order elliptic curves", 2015, algorithm 4): one sequence of operations
 * for every input, the point at infinity (0 : 1 : 0) and P = Q included, so the ladder below needs no special case.
 * Sums and differences are left unreduced: each product is reduced, and `mod` takes negative values.
 */
function add([x1, y1, z1]: Point, [x2, y2, z2]: Point): Point {
  let t0 = mod(x1 * x2);
  let t1 = mod(y1 * y2);
  let t2 = mod(z1 * z2);
  const t3 = mod((x1 + y1) * (x2 + y2)) - t0 - t1;
  const t4 = mod((y1 + z1) * (y2 + z2)) - t1 - t2;
  let y3 = mod((x1 + z1) * (x2 + z2)) - t0 - t2;
  let x3 = y3 - mod(B * t2);
  x3 = 3n * x3;
  let z3 = t1 - x3;
  x3 = t1 + x3;
  y3 = mod(B * y3) - 3n * t2 - t0;
  y3 = 3n * y3;
  t0 = 3n * t0 - 3n * t2;
  t1 = mod(t4 * y3);
  t2 = mod(t0 * y3);
  y3 = mod(x3 * z3) + t2;
  x3 = mod(t3 * x3) - t1;
  z3 = mod(t4 * z3) + mod(t3 * t0);
  return [mod(x3), mod(y3), mod(z3)];
}

/**
 * The public key of a private scalar `d` (1 ≤ d < N): the affine coordinates of d × G. A Montgomery ladder over all
 * 256 bits, so the same additions run whatever the bits are (BigInt arithmetic itself is not constant-time: see
 * docs/sigv4a.md). About 4 ms in V8, once per access key.
 */
export function publicPoint(d: bigint): readonly [x: bigint, y: bigint] {
  let r0: Point = [0n, 1n, 0n];
  let r1: Point = [
    0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    1n,
  ];
  for (let bit = 255n; bit >= 0n; bit--) {
    const sum = add(r0, r1);
    if ((d >> bit) & 1n) [r0, r1] = [sum, add(r1, r1)];
    else [r0, r1] = [add(r0, r0), sum];
  }
  // z⁻¹ = z^(P-2) (Fermat): square and multiply.
  let inverse = 1n;
  for (let base = r0[2], e = P - 2n; e > 0n; e >>= 1n, base = mod(base * base))
    if (e & 1n) inverse = mod(inverse * base);
  return [mod(r0[0] * inverse), mod(r0[1] * inverse)];
}
