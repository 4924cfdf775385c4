// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain JavaScript, for the synchronous signing path:
// Web Crypto is asynchronous only, and each call costs a hop to another thread. Checked against the NIST
// examples, node:crypto on random inputs, and every AWS vector.

import { HEX } from './encoding.js';

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

/**
 * Runs the compression function over each whole 64-byte block of `data[start..end)`, updating `state`. Exported for
 * incremental hashing (the streaming checksums), which keeps its own state and padding.
 */
export function compress(state: Int32Array, data: Uint8Array, end: number, start = 0): void {
  // The state lives in locals across blocks and is written back once: V8 keeps them in registers.
  let s0 = state[0]!, s1 = state[1]!, s2 = state[2]!, s3 = state[3]!, s4 = state[4]!, s5 = state[5]!, s6 = state[6]!, s7 = state[7]!; // prettier-ignore
  for (let offset = start; offset < end; offset += 64) {
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
    let a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7; // prettier-ignore
    // Ch and Maj in their three-operation forms: g ^ (e & (f ^ g)) and (a & b) ^ (c & (a ^ b)).
    for (let i = 0; i < 64; i++) {
      const t1 =
        (h +
          (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
          (g ^ (e & (f ^ g))) +
          K[i]! +
          W[i]!) |
        0;
      const t2 =
        ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)))) |
        0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    s0 = (s0 + a) | 0;
    s1 = (s1 + b) | 0;
    s2 = (s2 + c) | 0;
    s3 = (s3 + d) | 0;
    s4 = (s4 + e) | 0;
    s5 = (s5 + f) | 0;
    s6 = (s6 + g) | 0;
    s7 = (s7 + h) | 0;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  state[4] = s4;
  state[5] = s5;
  state[6] = s6;
  state[7] = s7;
}

const H = new Int32Array(8);
const TAIL = new Uint8Array(128);
const DIGEST = new Uint8Array(32);
let scratch = new Uint8Array(1024);
const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Hashes `data[start..length)` (`start` a multiple of 64), continuing from `state` after `before` bytes were
 * hashed (0 and {@link IV} for a plain hash; a precomputed state otherwise), and leaves the digest in `H`.
 */
function run(data: Uint8Array, length: number, state: Int32Array, before: number, start = 0): void {
  H.set(state);
  const whole = length & ~63;
  compress(H, data, whole, start);
  const rest = length - whole;
  const end = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) TAIL[i] = data[whole + i]!;
  TAIL[rest] = 0x80;
  for (let i = rest + 1; i < end - 8; i++) TAIL[i] = 0;
  const bits = (before + length - start) * 8;
  const high = bits / 2 ** 32;
  for (let i = 0; i < 4; i++) {
    TAIL[end - 8 + i] = high >>> (24 - 8 * i);
    TAIL[end - 4 + i] = bits >>> (24 - 8 * i);
  }
  compress(H, TAIL, end);
}

/** `H` as 32 bytes, into `out`. */
const digestInto = (out: Uint8Array): Uint8Array => {
  for (let i = 0; i < 32; i++) out[i] = H[i >> 2]! >>> (24 - 8 * (i & 3));
  return out;
};

/** `H` as lowercase hex. */
const digestHex = (): string => {
  let out = '';
  for (let i = 0; i < 8; i++) {
    const w = H[i]!;
    out += HEX[w >>> 24]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;
  }
  return out;
};

// The UTF-8 bytes of the text last encoded, and the reused buffer they are written to when they fit in 48 KiB
// (a canonical request almost always does; a longer one gets a buffer of its own, not kept).
let encoded = scratch;

/** Encodes text as UTF-8 into `encoded` (valid until the next call); returns the byte count. */
function encodeText(text: string): number {
  const most = text.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 code unit
  if (most > 49152) return (encoded = encoder.encode(text)).length;
  if (scratch.length < most) scratch = new Uint8Array(49152);
  encoded = scratch;
  return encoder.encodeInto(text, scratch).written;
}

/**
 * SHA-256 of `data`, continuing from `state` after `before` bytes were hashed (0 and {@link IV} for a plain
 * hash; a precomputed HMAC pad state otherwise). Returns the 32-byte digest.
 */
export function sha256(data: Uint8Array, state: Int32Array = IV, before = 0): Uint8Array {
  run(data, data.length, state, before);
  return digestInto(new Uint8Array(32));
}

/** Lowercase hex SHA-256 of text (as UTF-8). */
export function sha256TextHex(text: string): string {
  const length = encodeText(text); // before reading `encoded`, which it sets
  run(encoded, length, IV, 0);
  return digestHex();
}

/** An HMAC-SHA256 key with its inner and outer pad blocks already hashed. */
export interface HmacKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
  /**
   * The first block of the last text longer than a block signed with this key, and the inner state after it.
   * Strings to sign made at one time for one scope share their first 64 bytes (algorithm, date and scope), so a
   * run of presigned URLs hashes that block once.
   */
  first?: { readonly block: Uint8Array; readonly state: Int32Array };
}

/** Prepares an HMAC-SHA256 key (RFC 2104): two compressions, done once per key. */
export function hmacKey(key: Uint8Array): HmacKey {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const pad = (x: number): Int32Array => {
    const h = IV.slice();
    compress(
      h,
      block.map((b) => b ^ x),
      64,
    );
    return h;
  };
  return { inner: pad(0x36), outer: pad(0x5c) };
}

/** HMAC-SHA256 of `data` with a prepared key. */
export const hmacSync = (key: HmacKey, data: Uint8Array): Uint8Array =>
  sha256(sha256(data, key.inner, 64), key.outer, 64);

function startsWith(data: Uint8Array, block: Uint8Array): boolean {
  for (let i = 0; i < 64; i++) if (data[i] !== block[i]) return false;
  return true;
}

/** Lowercase hex HMAC-SHA256 of text (as UTF-8) with a prepared key. */
export function hmacTextHex(key: HmacKey, text: string): string {
  const length = encodeText(text);
  const data = encoded;
  if (length < 64) {
    run(data, length, key.inner, 64);
  } else {
    let first = key.first;
    if (first === undefined || !startsWith(data, first.block)) {
      const state = key.inner.slice();
      compress(state, data, 64);
      key.first = first = { block: data.slice(0, 64), state };
    }
    run(data, length, first.state, 128, 64);
  }
  run(digestInto(DIGEST), 32, key.outer, 64);
  return digestHex();
}
