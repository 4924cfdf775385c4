// The CRCs S3 accepts as additional checksums (x-amz-checksum-crc32, -crc32c, -crc64nvme), table-driven in plain
// TypeScript. https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
//
// All three are reflected CRCs (least significant bit first) with every register bit set at the start and
// inverted at the end: CRC-32/ISO-HDLC (zlib's), CRC-32/ISCSI (Castagnoli) and CRC-64/NVME. They run "slicing-by-N"
// (Kounavis and Berry, Intel): N tables, one per byte position in a step, consume N bytes with N independent
// lookups instead of one serial lookup per byte, and the bytes are read four at a time as 32-bit words. Measured
// (bench/checksum.ts), the CRC-32s are fastest 16 bytes a step and CRC-64 8 bytes a step (its register is two
// words, and a longer step runs out of registers). The tables (16 KiB for each CRC-32, 16 KiB for CRC-64) are
// built on first use, so an application that never computes a checksum never pays for them. CRC-64 keeps its
// register and tables as two 32-bit halves: no BigInt, whose arithmetic allocates.

// Words are read in the platform's byte order, which is little-endian on every platform JavaScript runs on today;
// on a big-endian one the byte-at-a-time loop does all the work, slower but the same.
const LITTLE_ENDIAN = /* @__PURE__ */ new Uint8Array(/* @__PURE__ */ Uint16Array.of(1).buffer)[0] === 1;

/**
 * The slicing tables of a reflected 32-bit polynomial, `count` of them: `t[k * 256 + b]` is the CRC register after
 * byte `b` followed by `k` zero bytes, from a zero register.
 */
function tables32(poly: number, count: number): Int32Array {
  const t = new Int32Array(count * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[b] = c;
  }
  for (let i = 256; i < t.length; i++) {
    const c = t[i - 256]!;
    t[i] = (c >>> 8) ^ t[c & 255]!;
  }
  return t;
}

// Each table is computed once, on the first checksum of its kind, and never changes after: a constant whose
// computation is deferred, not a cache.
let crc32Tables: Int32Array | undefined;
let crc32cTables: Int32Array | undefined;
let crc64Tables: [lo: Int32Array, hi: Int32Array] | undefined;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): its 16 slicing tables. */
export const crc32Table = (): Int32Array => (crc32Tables ??= tables32(0xedb88320, 16));
/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): its 16 slicing tables. */
export const crc32cTable = (): Int32Array => (crc32cTables ??= tables32(0x82f63b78, 16));

/** Continues a reflected CRC-32 over `data[from..to)` one byte at a time, with the first of its `tables`. */
export function crc32Bytes(tables: Int32Array, register: number, data: Uint8Array, from: number, to: number): number {
  let c = register;
  for (let i = from; i < to; i++) c = tables[(c ^ data[i]!) & 255]! ^ (c >>> 8);
  return c;
}

/**
 * Continues a reflected CRC-32 over `data` with the 16 slicing `tables` of its polynomial. `register` is the CRC
 * register (inverted form): -1 (all ones) at the start; the CRC is `~register >>> 0` at the end.
 */
export function crc32Update(tables: Int32Array, register: number, data: Uint8Array): number {
  const t = tables;
  const n = data.length;
  let c = register;
  let i = 0;
  if (LITTLE_ENDIAN && n >= 32) {
    // Bytes one at a time up to a 4-byte boundary of the buffer (a word view must be aligned), then 16 a step.
    i = (4 - (data.byteOffset & 3)) & 3;
    c = crc32Bytes(t, c, data, 0, i);
    const words = ((n - i) >>> 4) << 2;
    const w = new Int32Array(data.buffer, data.byteOffset + i, words);
    // The first word is folded into the register; each byte's table carries it past the bytes after it.
    for (let k = 0; k < words; k += 4) {
      const a = c ^ w[k]!;
      const b = w[k + 1]!;
      const d = w[k + 2]!;
      const e = w[k + 3]!;
      c =
        t[3840 + (a & 255)]! ^
        t[3584 + ((a >>> 8) & 255)]! ^
        t[3328 + ((a >>> 16) & 255)]! ^
        t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 255)]! ^
        t[2560 + ((b >>> 8) & 255)]! ^
        t[2304 + ((b >>> 16) & 255)]! ^
        t[2048 + (b >>> 24)]! ^
        t[1792 + (d & 255)]! ^
        t[1536 + ((d >>> 8) & 255)]! ^
        t[1280 + ((d >>> 16) & 255)]! ^
        t[1024 + (d >>> 24)]! ^
        t[768 + (e & 255)]! ^
        t[512 + ((e >>> 8) & 255)]! ^
        t[256 + ((e >>> 16) & 255)]! ^
        t[e >>> 24]!;
    }
    i += words << 2;
  }
  return crc32Bytes(t, c, data, i, n);
}

/**
 * CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5): its 8 slicing tables, as [low halves, high halves]; entry
 * `k * 256 + b` of each is the register after byte `b` followed by `k` zero bytes, from a zero register.
 */
export function crc64Table(): [lo: Int32Array, hi: Int32Array] {
  if (crc64Tables) return crc64Tables;
  const lo = new Int32Array(2048);
  const hi = new Int32Array(2048);
  for (let b = 0; b < 256; b++) {
    let l = b;
    let h = 0;
    for (let bit = 0; bit < 8; bit++) {
      const odd = l & 1;
      l = (l >>> 1) | (h << 31);
      h >>>= 1;
      if (odd) {
        l ^= 0xac4bc9b5;
        h ^= 0x9a6c9329;
      }
    }
    lo[b] = l;
    hi[b] = h;
  }
  for (let i = 256; i < 2048; i++) {
    const l = lo[i - 256]!;
    const h = hi[i - 256]!;
    lo[i] = ((l >>> 8) | (h << 24)) ^ lo[l & 255]!;
    hi[i] = (h >>> 8) ^ hi[l & 255]!;
  }
  return (crc64Tables = [lo, hi]);
}

/** Continues CRC-64/NVME over `data[from..to)` one byte at a time; `register` as in {@link crc64Update}. */
export function crc64Bytes(register: Int32Array, data: Uint8Array, from: number, to: number): void {
  const [L, H] = crc64Table();
  let l = register[0]!;
  let h = register[1]!;
  for (let i = from; i < to; i++) {
    const b = (l ^ data[i]!) & 255;
    l = ((l >>> 8) | (h << 24)) ^ L[b]!;
    h = (h >>> 8) ^ H[b]!;
  }
  register[0] = l;
  register[1] = h;
}

/**
 * Continues CRC-64/NVME over `data`. `register` holds the register's low and high 32 bits (inverted form: both -1
 * at the start; the CRC is their complement at the end) and is updated in place.
 */
export function crc64Update(register: Int32Array, data: Uint8Array): void {
  const n = data.length;
  let i = 0;
  if (LITTLE_ENDIAN && n >= 32) {
    i = (4 - (data.byteOffset & 3)) & 3;
    crc64Bytes(register, data, 0, i);
    const [L, H] = crc64Table();
    let l = register[0]!;
    let h = register[1]!;
    const words = ((n - i) >>> 3) << 1;
    const w = new Int32Array(data.buffer, data.byteOffset + i, words);
    // Eight bytes a step, exactly the register's width: each byte, xored into its register byte, indexes the
    // table of the bytes that follow it.
    for (let k = 0; k < words; k += 2) {
      const a = l ^ w[k]!;
      const b = h ^ w[k + 1]!;
      const a0 = 1792 + (a & 255);
      const a1 = 1536 + ((a >>> 8) & 255);
      const a2 = 1280 + ((a >>> 16) & 255);
      const a3 = 1024 + (a >>> 24);
      const b0 = 768 + (b & 255);
      const b1 = 512 + ((b >>> 8) & 255);
      const b2 = 256 + ((b >>> 16) & 255);
      const b3 = b >>> 24;
      l = L[a0]! ^ L[a1]! ^ L[a2]! ^ L[a3]! ^ L[b0]! ^ L[b1]! ^ L[b2]! ^ L[b3]!;
      h = H[a0]! ^ H[a1]! ^ H[a2]! ^ H[a3]! ^ H[b0]! ^ H[b1]! ^ H[b2]! ^ H[b3]!;
    }
    register[0] = l;
    register[1] = h;
    i += words << 2;
  }
  crc64Bytes(register, data, i, n);
}
