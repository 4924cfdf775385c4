// The CRCs S3 accepts as additional checksums (x-amz-checksum-crc32, -crc32c, -crc64nvme), table-driven in plain
// TypeScript. https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
//
// All three are reflected CRCs (least significant bit first) with every register bit set at the start and
// inverted at the end, so one routine serves each width: CRC-32/ISO-HDLC (zlib's), CRC-32/ISCSI (Castagnoli) and
// CRC-64/NVME. They run slicing-by-8 (Intel's method): eight tables, one per byte position, consume eight bytes
// per step with eight independent lookups, instead of one serial lookup per byte. The tables (8 KiB for a CRC-32,
// 16 KiB for CRC-64) are built on first use, so an application that never computes a checksum never pays for them.
// CRC-64 keeps its register and tables as two 32-bit halves: no BigInt, whose arithmetic allocates.

/**
 * The slicing-by-8 tables of a reflected 32-bit polynomial: `t[k * 256 + b]` is the CRC register after byte `b`
 * followed by `k` zero bytes, from a zero register.
 */
function tables32(poly: number): Int32Array {
  const t = new Int32Array(2048);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[b] = c;
  }
  for (let i = 256; i < 2048; i++) {
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

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) tables. */
export const crc32Table = (): Int32Array => (crc32Tables ??= tables32(0xedb88320));
/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) tables. */
export const crc32cTable = (): Int32Array => (crc32cTables ??= tables32(0x82f63b78));

/**
 * Continues a reflected CRC-32 over `data` with the `tables` of its polynomial. `register` is the CRC register
 * (inverted form): -1 (all ones) at the start; the CRC is `~register >>> 0` at the end.
 */
export function crc32Update(tables: Int32Array, register: number, data: Uint8Array): number {
  const t = tables;
  const n = data.length;
  let c = register;
  let i = 0;
  // Eight bytes a step: the first four are folded into the register, and each byte's table carries it past the
  // bytes that follow it in the step.
  for (const last = n - 8; i <= last; i += 8) {
    c =
      t[1792 + ((c ^ data[i]!) & 255)]! ^
      t[1536 + (((c >>> 8) ^ data[i + 1]!) & 255)]! ^
      t[1280 + (((c >>> 16) ^ data[i + 2]!) & 255)]! ^
      t[1024 + ((c >>> 24) ^ data[i + 3]!)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < n; i++) c = t[(c ^ data[i]!) & 255]! ^ (c >>> 8);
  return c;
}

/**
 * CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5) tables, as [low halves, high halves]: entry `k * 256 + b`
 * of each is the register after byte `b` followed by `k` zero bytes, from a zero register.
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

/**
 * Continues CRC-64/NVME over `data`. `register` holds the register's low and high 32 bits (inverted form: both -1
 * at the start; the CRC is their complement at the end) and is updated in place.
 */
export function crc64Update(register: Int32Array, data: Uint8Array): void {
  const [L, H] = crc64Table();
  const n = data.length;
  let l = register[0]!;
  let h = register[1]!;
  let i = 0;
  // Eight bytes a step, exactly the register's width: each byte, xored into its register byte, indexes the table
  // of the bytes that follow it.
  for (const last = n - 8; i <= last; i += 8) {
    const b0 = (l ^ data[i]!) & 255;
    const b1 = ((l >>> 8) ^ data[i + 1]!) & 255;
    const b2 = ((l >>> 16) ^ data[i + 2]!) & 255;
    const b3 = (l >>> 24) ^ data[i + 3]!;
    const b4 = (h ^ data[i + 4]!) & 255;
    const b5 = ((h >>> 8) ^ data[i + 5]!) & 255;
    const b6 = ((h >>> 16) ^ data[i + 6]!) & 255;
    const b7 = (h >>> 24) ^ data[i + 7]!;
    l =
      L[1792 + b0]! ^
      L[1536 + b1]! ^
      L[1280 + b2]! ^
      L[1024 + b3]! ^
      L[768 + b4]! ^
      L[512 + b5]! ^
      L[256 + b6]! ^
      L[b7]!;
    h =
      H[1792 + b0]! ^
      H[1536 + b1]! ^
      H[1280 + b2]! ^
      H[1024 + b3]! ^
      H[768 + b4]! ^
      H[512 + b5]! ^
      H[256 + b6]! ^
      H[b7]!;
  }
  for (; i < n; i++) {
    const b = (l ^ data[i]!) & 255;
    l = ((l >>> 8) | (h << 24)) ^ L[b]!;
    h = (h >>> 8) ^ H[b]!;
  }
  register[0] = l;
  register[1] = h;
}
