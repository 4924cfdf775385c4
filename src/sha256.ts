// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain JavaScript, for the synchronous signing path:
// Web Crypto is asynchronous only, and each call costs a hop to another thread. Checked against the NIST
// examples, node:crypto on random inputs, and every AWS vector.

// The constants are the first 32 bits of the fractional parts of the square roots (initial hash) and cube roots
// (round constants) of the first primes (FIPS 180-4 sections 4.2.2 and 5.3.3); computing them is shorter than
// writing them out, and a test compares them with the published values.
const roots = (root: (x: number) => number, count: number): Int32Array => {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p)) primes.push(n);
  return Int32Array.from(primes, (p) => ((root(p) % 1) * 2 ** 32) | 0);
};
/** Round constants K0..K63. */
export const K: Int32Array = /* @__PURE__ */ roots(Math.cbrt, 64);
/** Initial hash value H0..H7. */
export const IV: Int32Array = /* @__PURE__ */ roots(Math.sqrt, 8);

const W = new Int32Array(64);

/** Runs the compression function over each whole 64-byte block of `data[0..end)`. */
function compress(state: Int32Array, data: Uint8Array, end: number): void {
  for (let offset = 0; offset < end; offset += 64) {
    for (let i = 0, j = offset; i < 16; i++, j += 4) {
      W[i] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15]!;
      const w2 = W[i - 2]!;
      W[i] =
        ((((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)) +
          W[i - 7]! +
          (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) +
          W[i - 16]!) |
        0;
    }
    let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!; // prettier-ignore
    for (let i = 0; i < 64; i++) {
      const t1 =
        (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
    state[4] = (state[4]! + e) | 0;
    state[5] = (state[5]! + f) | 0;
    state[6] = (state[6]! + g) | 0;
    state[7] = (state[7]! + h) | 0;
  }
}

const H = new Int32Array(8);
const TAIL = new Uint8Array(128);
let scratch = new Uint8Array(1024);

/**
 * The UTF-8 bytes of a string, in a buffer reused from call to call (valid until the next call). ASCII, which
 * every canonical request and string to sign is, is copied a character at a time without a TextEncoder.
 */
export function utf8Scratch(text: string): Uint8Array {
  const n = text.length;
  if (scratch.length < n) scratch = new Uint8Array(n * 2);
  let ascii = 0;
  for (let i = 0; i < n; i++) ascii |= scratch[i] = text.charCodeAt(i);
  // A code unit above 0x7f was truncated: encode properly.
  return ascii < 0x80 ? scratch.subarray(0, n) : new TextEncoder().encode(text);
}

/**
 * SHA-256 of `data`, continuing from `state` after `before` bytes were hashed (0 and {@link IV} for a plain
 * hash; a precomputed HMAC pad state otherwise). Returns the 32-byte digest.
 */
export function sha256(data: Uint8Array, state: Int32Array = IV, before = 0): Uint8Array {
  H.set(state);
  const whole = data.length & ~63;
  compress(H, data, whole);
  const rest = data.length - whole;
  const end = rest < 56 ? 64 : 128;
  TAIL.fill(0);
  TAIL.set(data.subarray(whole));
  TAIL[rest] = 0x80;
  const bits = (before + data.length) * 8;
  const high = bits / 2 ** 32;
  for (let i = 0; i < 4; i++) {
    TAIL[end - 8 + i] = high >>> (24 - 8 * i);
    TAIL[end - 4 + i] = bits >>> (24 - 8 * i);
  }
  compress(H, TAIL, end);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = H[i >> 2]! >>> (24 - 8 * (i & 3));
  return out;
}

/** An HMAC-SHA256 key with its inner and outer pad blocks already hashed. */
export interface HmacKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

/** Prepares an HMAC-SHA256 key (RFC 2104): two compressions, done once per key. */
export function hmacKey(key: Uint8Array): HmacKey {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const pad = (x: number): Int32Array => {
    const h = IV.slice();
    compress(h, block.map((b) => b ^ x), 64);
    return h;
  };
  return { inner: pad(0x36), outer: pad(0x5c) };
}

/** HMAC-SHA256 of `data` with a prepared key. */
export const hmacSync = (key: HmacKey, data: Uint8Array): Uint8Array => sha256(sha256(data, key.inner, 64), key.outer, 64);
