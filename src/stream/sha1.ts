// SHA-1 (FIPS 180-4 section 6.1) compression in plain TypeScript, for S3's x-amz-checksum-sha1: Web Crypto has
// SHA-1 but no incremental digest, and a streamed body is hashed as it passes. SHA-1 is not a signature here, only
// the checksum an S3 client may choose.

/** The initial hash value H0..H4 (FIPS 180-4 section 5.3.1). */
export const SHA1_IV: Int32Array = /* @__PURE__ */ Int32Array.of(
  0x67452301,
  0xefcdab89 | 0,
  0x98badcfe | 0,
  0x10325476,
  0xc3d2e1f0 | 0,
);

const W = /* @__PURE__ */ new Int32Array(80);

/** Runs the SHA-1 compression function over each whole 64-byte block of `data[start..end)`, updating `state`. */
export function sha1Compress(state: Int32Array, data: Uint8Array, end: number, start = 0): void {
  // The state lives in locals across blocks and is written back once, as in core/sha256.ts.
  let h0 = state[0]!, h1 = state[1]!, h2 = state[2]!, h3 = state[3]!, h4 = state[4]!; // prettier-ignore
  for (let offset = start; offset < end; offset += 64) {
    for (let i = 0, j = offset; i < 16; i++, j += 4) {
      W[i] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
    }
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4; // prettier-ignore
    // The four rounds of twenty, each with its function: Ch as d ^ (b & (c ^ d)), Parity, Maj as
    // (b & c) | (d & (b | c)), Parity.
    for (let i = 0; i < 20; i++) {
      const t = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + 0x5a827999 + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 20; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 40; i < 60; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + 0x8f1bbcdc + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 60; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  state[4] = h4;
}
