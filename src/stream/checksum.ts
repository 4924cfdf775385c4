// S3's additional checksums (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256), computed incrementally
// as a body streams: the values an aws-chunked trailer carries, as base64 of the big-endian checksum bytes.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html

import { toBase64 } from '../core/base64.js';
import { invalidType, optionError } from '../core/errors.js';
import { compress as sha256Compress, IV as SHA256_IV } from '../core/sha256.js';
import { crc32cTable, crc32Table, crc32Update, crc64Update } from './crc.js';
import { sha1Compress, SHA1_IV } from './sha1.js';

/** A checksum algorithm S3 accepts, named as S3 names it (`x-amz-checksum-algorithm`, `x-amz-sdk-checksum-algorithm`). */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** Every {@link ChecksumAlgorithm}. */
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** A checksum being computed: feed it the bytes in order, then read it once. */
export interface Checksum {
  /** The algorithm it computes. */
  readonly algorithm: ChecksumAlgorithm;
  /** Adds the next bytes. Throws a TypeError (code `ERR_SIGV4_INVALID_OPTION`) for anything but a Uint8Array, or after {@link Checksum.digest}. */
  update(bytes: Uint8Array): void;
  /**
   * The checksum of every byte added, as S3's `x-amz-checksum-*` headers and trailers carry it: base64 (padded) of
   * the big-endian checksum bytes (4 for the CRC-32s, 8 for CRC-64/NVME, the digest for SHA-1 and SHA-256).
   * Called once: a second call, or an update after it, throws a TypeError (code `ERR_SIGV4_INVALID_OPTION`).
   */
  digest(): string;
}

/** The big-endian bytes of 32-bit words. */
function wordsToBytes(words: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  for (let i = 0; i < out.length; i++) out[i] = words[i >> 2]! >>> (24 - 8 * (i & 3));
  return out;
}

/** What every checksum shares: the argument check and the once-only digest. */
abstract class Base implements Checksum {
  private done = false;
  constructor(readonly algorithm: ChecksumAlgorithm) {}
  protected abstract add(bytes: Uint8Array): void;
  /** The big-endian checksum words. */
  protected abstract finish(): ArrayLike<number>;
  private checkOpen(call: string): void {
    if (this.done) {
      optionError(
        `${call} on a ${this.algorithm} checksum already digested: digest() is called once, after the last update()`,
      );
    }
  }
  update(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) invalidType('bytes', 'a Uint8Array', bytes);
    this.checkOpen('update()');
    this.add(bytes);
  }
  digest(): string {
    this.checkOpen('digest()');
    this.done = true;
    return toBase64(wordsToBytes(this.finish()));
  }
}

/** CRC-32 or CRC-32C: one 32-bit register. */
class Crc32 extends Base {
  private register = -1;
  constructor(
    algorithm: ChecksumAlgorithm,
    private readonly tables: Int32Array,
  ) {
    super(algorithm);
  }
  protected add(bytes: Uint8Array): void {
    this.register = crc32Update(this.tables, this.register, bytes);
  }
  protected finish(): ArrayLike<number> {
    return [~this.register];
  }
}

/** CRC-64/NVME: the register as its low and high 32 bits. */
class Crc64 extends Base {
  private readonly register = Int32Array.of(-1, -1);
  protected add(bytes: Uint8Array): void {
    crc64Update(this.register, bytes);
  }
  protected finish(): ArrayLike<number> {
    return [~this.register[1]!, ~this.register[0]!];
  }
}

/**
 * SHA-1 or SHA-256 (FIPS 180-4): whole 64-byte blocks are compressed straight from the caller's bytes; a partial
 * block waits in `block` for the next update, and the padding is added at the end.
 */
class Sha extends Base {
  private readonly state: Int32Array;
  private readonly block = new Uint8Array(64);
  private buffered = 0;
  /** Bytes compressed into `state` (whole blocks). */
  private hashed = 0;
  constructor(
    algorithm: ChecksumAlgorithm,
    iv: Int32Array,
    private readonly compress: (state: Int32Array, data: Uint8Array, end: number, start?: number) => void,
  ) {
    super(algorithm);
    this.state = iv.slice();
  }
  protected add(bytes: Uint8Array): void {
    const n = bytes.length;
    let i = 0;
    if (this.buffered > 0) {
      i = Math.min(64 - this.buffered, n);
      this.block.set(bytes.subarray(0, i), this.buffered);
      this.buffered += i;
      if (this.buffered < 64) return;
      this.compress(this.state, this.block, 64);
      this.hashed += 64;
      this.buffered = 0;
    }
    const whole = i + ((n - i) & ~63);
    if (whole > i) {
      this.compress(this.state, bytes, whole, i);
      this.hashed += whole - i;
    }
    if (whole < n) {
      this.block.set(bytes.subarray(whole), 0);
      this.buffered = n - whole;
    }
  }
  protected finish(): ArrayLike<number> {
    // FIPS 180-4 section 5.1.1: a 1 bit, zeros up to 8 bytes short of a block boundary, the length in bits as a
    // 64-bit big-endian number.
    const rest = this.buffered;
    const tail = new Uint8Array(rest < 56 ? 64 : 128);
    tail.set(this.block.subarray(0, rest));
    tail[rest] = 0x80;
    const bits = (this.hashed + rest) * 8;
    const high = Math.floor(bits / 2 ** 32);
    for (let i = 0; i < 4; i++) {
      tail[tail.length - 8 + i] = high >>> (24 - 8 * i);
      tail[tail.length - 4 + i] = bits >>> (24 - 8 * i);
    }
    this.compress(this.state, tail, tail.length);
    return this.state;
  }
}

/**
 * Starts a checksum of a body that arrives in parts: call `update` with each part in order, then `digest` once for
 * the value of S3's `x-amz-checksum-*` header or trailer. The CRCs are table-driven (tables built on the first use
 * of each), SHA-1 and SHA-256 plain TypeScript; nothing is asynchronous.
 *
 * @param algorithm - `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1` or `SHA256`.
 * @returns A new {@link Checksum}.
 * @throws TypeError (code `ERR_SIGV4_INVALID_OPTION`) for any other algorithm name.
 *
 * @example
 * const crc = createChecksum('CRC32');
 * crc.update(new TextEncoder().encode('hello '));
 * crc.update(new TextEncoder().encode('world'));
 * crc.digest(); // 'DUoRhQ==', as in x-amz-checksum-crc32: DUoRhQ==
 */
export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32(algorithm, crc32Table());
    case 'CRC32C':
      return new Crc32(algorithm, crc32cTable());
    case 'CRC64NVME':
      return new Crc64(algorithm);
    case 'SHA1':
      return new Sha(algorithm, SHA1_IV, sha1Compress);
    case 'SHA256':
      return new Sha(algorithm, SHA256_IV, sha256Compress);
    default:
      return invalidType('algorithm', `one of ${CHECKSUM_ALGORITHMS.join(', ')}`, algorithm);
  }
}

const HEADER_PREFIX = 'x-amz-checksum-';

/**
 * The header (or trailer) that carries a checksum: `x-amz-checksum-` and the algorithm's name in lowercase.
 *
 * @param algorithm - A {@link ChecksumAlgorithm}.
 * @returns The header name, e.g. `x-amz-checksum-crc32c`.
 * @throws TypeError (code `ERR_SIGV4_INVALID_OPTION`) for any other algorithm name.
 *
 * @example
 * checksumHeaderName('CRC64NVME'); // 'x-amz-checksum-crc64nvme'
 */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  if (!CHECKSUM_ALGORITHMS.includes(algorithm)) {
    invalidType('algorithm', `one of ${CHECKSUM_ALGORITHMS.join(', ')}`, algorithm);
  }
  return HEADER_PREFIX + algorithm.toLowerCase();
}

/**
 * The algorithm of a checksum header or trailer name (read without regard to case), or undefined for any other
 * name (including `x-amz-checksum-type`, `x-amz-checksum-algorithm` and checksums S3 does not define).
 *
 * @param headerName - A header name as received, e.g. a value of `x-amz-trailer`.
 * @returns The {@link ChecksumAlgorithm}, or undefined.
 * @throws TypeError (code `ERR_SIGV4_INVALID_OPTION`) when `headerName` is not a string.
 *
 * @example
 * checksumAlgorithmOf('X-Amz-Checksum-CRC32C'); // 'CRC32C'
 * checksumAlgorithmOf('x-amz-checksum-md5'); // undefined
 */
export function checksumAlgorithmOf(headerName: string): ChecksumAlgorithm | undefined {
  if (typeof headerName !== 'string') invalidType('headerName', 'a string', headerName);
  // Header names are ASCII: only ASCII letters fold (toLowerCase alone would also match "ſ" or the Kelvin sign).
  if (!/^[\x21-\x7e]*$/.test(headerName)) return undefined;
  const name = headerName.toLowerCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => HEADER_PREFIX + algorithm.toLowerCase() === name);
}
