// S3's additional checksums (src/stream/checksum.ts): the check values of s3-streaming.json and every checksum its
// recorded bodies carry, the catalogue check values, the FIPS 180 examples, and properties against independent
// references: a bit-by-bit CRC written here with BigInt, node:zlib's crc32 and node:crypto's SHA-1 and SHA-256,
// with the input fed in parts split at arbitrary points. Also: the CRC tables are built on first use only, and the
// signers' bundles hold no streaming code.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { measure, ownEntries } from '../../bench/size.js';
import {
  CHECKSUM_ALGORITHMS,
  checksumAlgorithmOf,
  checksumHeaderName,
  createChecksum,
  type ChecksumAlgorithm,
} from '../../src/stream/checksum.js';
import { crc32Bytes, crc32cTable, crc32Table, crc64Bytes } from '../../src/stream/crc.js';
import { exists, read, reportMissing, VECTORS_DIR, VECTORS_PRESENT, VECTORS_REQUIRED } from '../support/vectors.js';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The checksum of `data` fed in the parts that `cuts` (offsets, any order) make. */
function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array, cuts: readonly number[] = []): string {
  const checksum = createChecksum(algorithm);
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    checksum.update(data.subarray(from, cut));
    from = cut;
  }
  checksum.update(data.subarray(from));
  return checksum.digest();
}

/** Reflected CRC parameters (the CRC catalogue's), as the reference below reads them. */
const CRC = {
  CRC32: { width: 32n, poly: 0xedb88320n },
  CRC32C: { width: 32n, poly: 0x82f63b78n },
  CRC64NVME: { width: 64n, poly: 0x9a6c9329ac4bc9b5n },
} as const;

/** A reflected CRC one bit at a time, init and xorout all ones: the definition, sharing nothing with src/. */
function referenceCrc(algorithm: keyof typeof CRC, data: Uint8Array): string {
  const { width, poly } = CRC[algorithm];
  const ones = (1n << width) - 1n;
  let crc = ones;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  const hex = (crc ^ ones).toString(16).padStart(Number(width / 4n), '0');
  return Buffer.from(hex, 'hex').toString('base64');
}

/** The value S3 would carry for `data`, from the references: node:crypto for SHA, the bit-by-bit CRC otherwise. */
const reference = (algorithm: ChecksumAlgorithm, data: Uint8Array): string =>
  algorithm === 'SHA1' || algorithm === 'SHA256'
    ? createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256')
        .update(data)
        .digest('base64')
    : referenceCrc(algorithm, data);

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

const hexOf = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');

// ---------------------------------------------------------------------------------------------------------------
// s3-streaming.json

const STREAMING_PRESENT = VECTORS_PRESENT && exists('s3-streaming.json');

if (!STREAMING_PRESENT) {
  const message = reportMissing('checksum vector', 's3-streaming.json check-value and trailer');
  console.warn(message);
  describe('s3-streaming.json checksums', () => {
    it.runIf(VECTORS_REQUIRED)('are present (required by SIGV4_REQUIRE_VECTORS=1)', () => {
      throw new Error(`${message} (looked for ${VECTORS_DIR}/s3-streaming.json)`);
    });
    it.skipIf(VECTORS_REQUIRED)('are absent: skipped (see the warning above)', () => {});
  });
}

describe.runIf(STREAMING_PRESENT)('s3-streaming.json', () => {
  interface Example {
    id: string;
    inputs: Record<string, unknown>;
    expected: Record<string, unknown>;
  }
  interface Row {
    input: string;
    input_utf8?: string;
    input_hex?: string;
    input_repeat?: { byte: string; count: number };
    length: number;
    [algorithm: string]: unknown;
  }
  const examples = STREAMING_PRESENT ? (JSON.parse(read('s3-streaming.json')) as { examples: Example[] }).examples : [];
  const byId = (id: string): Example => {
    const example = examples.find((e) => e.id === id);
    if (!example) throw new Error(`s3-streaming.json has no example ${id}`);
    return example;
  };

  describe('s3-additional-checksums-check-values', () => {
    const example = STREAMING_PRESENT ? byId('s3-additional-checksums-check-values') : undefined;
    const rows = (example?.expected['rows'] ?? []) as Row[];
    const bytesOf = (row: Row): Uint8Array =>
      row.input_utf8 !== undefined
        ? enc(row.input_utf8)
        : row.input_hex !== undefined
          ? Uint8Array.from(Buffer.from(row.input_hex, 'hex'))
          : new Uint8Array(row.input_repeat!.count).fill(row.input_repeat!.byte.charCodeAt(0));

    it('names each algorithm with its header, as checksumHeaderName does', () => {
      const algorithms = example!.inputs['algorithms'] as Record<string, { header: string }>;
      expect(Object.keys(algorithms).sort()).toEqual(['crc32', 'crc32c', 'crc64nvme']);
      for (const [name, { header }] of Object.entries(algorithms)) {
        const algorithm = name.toUpperCase() as ChecksumAlgorithm;
        expect(checksumHeaderName(algorithm)).toBe(header);
        expect(checksumAlgorithmOf(header)).toBe(algorithm);
      }
    });

    it('has the rows this test expects (13, 2 with SHA)', () => {
      expect(rows.length).toBe(13);
      expect(rows.filter((row) => row['sha1'] !== undefined && row['sha256'] !== undefined).length).toBe(2);
    });

    it.each(rows.map((row) => [row.input, row] as const))('%s', (_, row) => {
      const bytes = bytesOf(row);
      expect(bytes.length).toBe(row.length);
      let checked = 0;
      for (const algorithm of CHECKSUM_ALGORITHMS) {
        const value = row[algorithm.toLowerCase()] as { hex?: string; base64: string } | undefined;
        if (value === undefined) continue;
        checked++;
        if (value.hex !== undefined) expect(hexOf(value.base64), `${algorithm} hex`).toBe(value.hex);
        expect(checksumOf(algorithm, bytes), algorithm).toBe(value.base64);
        // The same bytes one at a time (short rows), or in uneven parts.
        const cuts = bytes.length <= 64 ? [...bytes.keys()] : [1, 7, 8, 63, 64, 1000, 8191, 65535].filter((c) => c < bytes.length); // prettier-ignore
        expect(checksumOf(algorithm, bytes, cuts), `${algorithm} in parts`).toBe(value.base64);
      }
      expect(checked).toBeGreaterThanOrEqual(3);
    });
  });

  // Every x-amz-checksum-* trailer in the file whose body the file gives: the framing cases (text payloads) and
  // the recorded uploads (N bytes of one value), each body fed in the chunks it was sent in.
  interface Trailer {
    source: string;
    name: string;
    value: string;
    body: Uint8Array;
    chunkSize: number;
  }
  const trailers: Trailer[] = [];
  const others: string[] = []; // trailer names that are not checksums
  for (const example of examples) {
    const cases = (example.expected['cases'] ?? []) as {
      payload_utf8?: string;
      trailer?: [string, string] | null;
      chunk_size?: number;
    }[];
    for (const c of cases) {
      if (!c.trailer || c.payload_utf8 === undefined) continue;
      const [name, value] = c.trailer;
      if (checksumAlgorithmOf(name) === undefined) others.push(name);
      else {
        const body = enc(c.payload_utf8);
        trailers.push({ source: example.id, name, value, body, chunkSize: c.chunk_size ?? 65536 });
      }
    }
    const payload = /^(\d+) bytes of '(.)' \(0x[0-9a-f]{2}\)$/.exec(String(example.inputs['payload'] ?? ''));
    const headers = (example.inputs['trailing_headers'] ?? []) as [string, string][];
    for (const [name, value] of headers) {
      if (!payload || checksumAlgorithmOf(name) === undefined) continue;
      const body = new Uint8Array(Number(payload[1])).fill(payload[2]!.charCodeAt(0));
      trailers.push({ source: example.id, name, value, body, chunkSize: example.inputs['chunk_size'] as number });
    }
  }

  it('finds every checksum trailer with a body: 9 framing cases and 4 recorded uploads', () => {
    expect(trailers.filter((t) => t.body.length < 100).length).toBe(9);
    expect(trailers.filter((t) => t.body.length >= 100).length).toBe(4);
    expect(new Set(trailers.map((t) => checksumAlgorithmOf(t.name))).size).toBe(5); // all five algorithms
    expect(others).toEqual(['foo']); // the one trailer that is not a checksum
  });

  it.each(trailers.map((t) => [t.source, t.name, t.value, t] as const))('%s: %s: %s', (_, name, value, t) => {
    const algorithm = checksumAlgorithmOf(name)!;
    const cuts: number[] = [];
    for (let at = t.chunkSize; at < t.body.length; at += t.chunkSize) cuts.push(at);
    expect(checksumOf(algorithm, t.body, cuts)).toBe(value);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Published check values and examples

describe('check values', () => {
  it('"123456789" (the CRC catalogue check values: CRC-32/ISO-HDLC, CRC-32/ISCSI, CRC-64/NVME)', () => {
    const data = enc('123456789');
    expect(hexOf(checksumOf('CRC32', data))).toBe('cbf43926');
    expect(hexOf(checksumOf('CRC32C', data))).toBe('e3069283');
    expect(hexOf(checksumOf('CRC64NVME', data))).toBe('ae8b14860a799888');
  });

  it('the CRC-32C examples of RFC 3720 appendix B.4 (32 bytes of zeros, of ones, ascending, descending)', () => {
    const ramp = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(hexOf(checksumOf('CRC32C', new Uint8Array(32)))).toBe('8a9136aa');
    expect(hexOf(checksumOf('CRC32C', new Uint8Array(32).fill(0xff)))).toBe('62a8ab43');
    expect(hexOf(checksumOf('CRC32C', ramp))).toBe('46dd794e');
    expect(hexOf(checksumOf('CRC32C', ramp.slice().reverse()))).toBe('113fdb5c');
  });

  it('SHA-1 of the FIPS 180 examples (FIPS 180-2 appendix A)', () => {
    expect(hexOf(checksumOf('SHA1', enc('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hexOf(checksumOf('SHA1', enc('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hexOf(checksumOf('SHA1', enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    const million = new Uint8Array(1_000_000).fill(0x61);
    expect(hexOf(checksumOf('SHA1', million, [1, 64, 999_999]))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('SHA-256 of the FIPS 180 examples (FIPS 180-2 appendix B)', () => {
    expect(hexOf(checksumOf('SHA256', enc('')))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hexOf(checksumOf('SHA256', enc('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hexOf(checksumOf('SHA256', enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    const million = new Uint8Array(1_000_000).fill(0x61);
    expect(hexOf(checksumOf('SHA256', million, [63, 65, 500_000]))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('the empty input: every CRC is zero, the SHA digests of nothing', () => {
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      expect(checksumOf(algorithm, new Uint8Array(0))).toBe(reference(algorithm, new Uint8Array(0)));
    }
    expect(checksumOf('CRC32', new Uint8Array(0))).toBe('AAAAAA==');
    expect(checksumOf('CRC64NVME', new Uint8Array(0))).toBe('AAAAAAAAAAA=');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties against the references

describe('properties', () => {
  // Bytes and the offsets to cut them at: lengths across the CRCs' 8-byte steps and the SHA 64-byte blocks.
  const cutBytes = fc
    .uint8Array({ maxLength: 700 })
    .chain((data) => fc.tuple(fc.constant(data), fc.array(fc.nat({ max: data.length }), { maxLength: 8 })));

  it.each(CHECKSUM_ALGORITHMS)(
    '%s of bytes fed in parts split anywhere is the reference value of the whole',
    (algorithm) => {
      fc.assert(
        fc.property(cutBytes, ([data, cuts]) => {
          const whole = checksumOf(algorithm, data);
          expect(checksumOf(algorithm, data, cuts)).toBe(whole);
          expect(whole).toBe(reference(algorithm, data));
        }),
        { seed: 20261215, numRuns: 150 },
      );
    },
  );

  it('every length from 0 to 300 bytes, each algorithm, one-shot and byte by byte, is the reference value', () => {
    const data = pseudoRandomBytes(300, 15);
    for (let n = 0; n <= 300; n++) {
      const part = data.subarray(0, n);
      for (const algorithm of CHECKSUM_ALGORITHMS) {
        const expected = reference(algorithm, part);
        expect(checksumOf(algorithm, part), `${algorithm} of ${n} bytes`).toBe(expected);
        if (n % 37 === 0) expect(checksumOf(algorithm, part, [...part.keys()]), `${algorithm} byte by byte`).toBe(expected); // prettier-ignore
      }
    }
  });

  it('4 MiB and 13 bytes in 64 KiB chunks and in uneven parts: node:zlib, node:crypto and the reference agree', () => {
    const data = pseudoRandomBytes(4 * 1024 * 1024 + 13, 0x5eed);
    const chunks = Array.from({ length: 64 }, (_, i) => (i + 1) * 65536);
    const uneven = [1, 3, 4093, 65537, 1_000_001, 3_333_333];
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      // The bit-by-bit CRC on 4 MiB is slow: the CRCs are checked against it on the first 64 KiB and a half.
      const sample = algorithm.startsWith('CRC') ? data.subarray(0, 98_317) : data;
      expect(checksumOf(algorithm, sample, [4096, 65536]), algorithm).toBe(reference(algorithm, sample));
      expect(checksumOf(algorithm, data, uneven), algorithm).toBe(checksumOf(algorithm, data, chunks));
    }
    expect(checksumOf('SHA1', data, chunks)).toBe(reference('SHA1', data));
    expect(checksumOf('SHA256', data, chunks)).toBe(reference('SHA256', data));
  });

  // node:zlib has crc32 from Node 20.15 and 22.2 (this project's Node has it); where it is absent, the bit-by-bit
  // reference above still checks every CRC.
  const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  it.runIf(zlibCrc32 !== undefined)('CRC32 is node:zlib crc32 on random bytes, in parts', () => {
    fc.assert(
      fc.property(cutBytes, ([data, cuts]) => {
        const expected = Buffer.alloc(4);
        expected.writeUInt32BE(zlibCrc32!(data));
        expect(checksumOf('CRC32', data, cuts)).toBe(expected.toString('base64'));
      }),
      { seed: 20261216, numRuns: 300 },
    );
    const big = pseudoRandomBytes(4 * 1024 * 1024 + 5, 7);
    expect(hexOf(checksumOf('CRC32', big, [65536, 65541]))).toBe(zlibCrc32!(big).toString(16).padStart(8, '0'));
  });

  it('the byte-at-a-time loops alone (all that runs on a big-endian platform) give the same CRCs', () => {
    const data = pseudoRandomBytes(600, 21);
    const base64 = (words: number[]): string => Buffer.from(Uint32Array.from(words, (w) => w >>> 0).buffer).reverse().toString('base64'); // prettier-ignore
    for (let n = 0; n <= 600; n += 23) {
      const part = data.subarray(0, n);
      expect(base64([~crc32Bytes(crc32Table(), -1, part, 0, n)]), `CRC32 of ${n}`).toBe(referenceCrc('CRC32', part));
      expect(base64([~crc32Bytes(crc32cTable(), -1, part, 0, n)]), `CRC32C of ${n}`).toBe(referenceCrc('CRC32C', part));
      const register = Int32Array.of(-1, -1);
      crc64Bytes(register, part, 0, n);
      expect(base64([~register[0]!, ~register[1]!]), `CRC64NVME of ${n}`).toBe(referenceCrc('CRC64NVME', part));
    }
  });

  it('a checksum does not change the bytes it is given, and reads a view at its offset only', () => {
    const backing = pseudoRandomBytes(200, 3);
    const copy = backing.slice();
    const view = backing.subarray(5, 150);
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      expect(checksumOf(algorithm, view, [1, 70])).toBe(reference(algorithm, backing.slice(5, 150)));
    }
    expect(backing).toEqual(copy);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The API

describe('API', () => {
  const invalidOption = (fn: () => unknown, message: string): void => {
    let thrown: unknown;
    try {
      fn();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as { code?: unknown }).code).toBe('ERR_SIGV4_INVALID_OPTION');
    expect((thrown as Error).message).toBe(message);
  };

  it('names the header of each algorithm, and reads it back whatever its case', () => {
    expect(CHECKSUM_ALGORITHMS.map(checksumHeaderName)).toEqual([
      'x-amz-checksum-crc32',
      'x-amz-checksum-crc32c',
      'x-amz-checksum-crc64nvme',
      'x-amz-checksum-sha1',
      'x-amz-checksum-sha256',
    ]);
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const name = checksumHeaderName(algorithm);
      expect(checksumAlgorithmOf(name)).toBe(algorithm);
      expect(checksumAlgorithmOf(name.toUpperCase())).toBe(algorithm);
      expect(checksumAlgorithmOf('X-Amz-Checksum-' + algorithm)).toBe(algorithm);
    }
  });

  it('knows no other header: the checksum type and algorithm headers, MD5, near misses, non-ASCII look-alikes', () => {
    for (const name of [
      '',
      'x-amz-checksum-',
      'x-amz-checksum-type',
      'x-amz-checksum-algorithm',
      'x-amz-sdk-checksum-algorithm',
      'x-amz-checksum-md5',
      'content-md5',
      'x-amz-checksum-crc64', // S3 has CRC64NVME only
      'x-amz-checksum-crc32 ',
      ' x-amz-checksum-crc32',
      'x-amz-checksum-crc32\r\n',
      'x-amz-checksum-ſha1', // U+017F LATIN SMALL LETTER LONG S upper-cases to "S"
      'x-amz-chec\u212Asum-crc32', // U+212A KELVIN SIGN lower-cases to "k"
      'x-amz-checksum-sha256x',
      'crc32',
    ]) {
      expect(checksumAlgorithmOf(name), JSON.stringify(name)).toBeUndefined();
    }
  });

  it('refuses an algorithm S3 does not name, in any other case too, before computing anything', () => {
    const expected = 'one of CRC32, CRC32C, CRC64NVME, SHA1, SHA256';
    for (const bad of ['crc32', 'MD5', 'CRC64', '', 'SHA-256'])
      invalidOption(
        () => createChecksum(bad as ChecksumAlgorithm),
        `"algorithm" expected ${expected}, got ${JSON.stringify(bad)}`,
      );
    invalidOption(() => createChecksum(undefined as never), `"algorithm" expected ${expected}, got undefined`);
    invalidOption(() => checksumHeaderName('md5' as never), `"algorithm" expected ${expected}, got "md5"`);
    invalidOption(() => checksumHeaderName('toString' as never), `"algorithm" expected ${expected}, got "toString"`);
    invalidOption(() => checksumAlgorithmOf(42 as never), '"headerName" expected a string, got 42');
  });

  it('update takes a Uint8Array only; digest is read once, and nothing is added after it', () => {
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const checksum = createChecksum(algorithm);
      expect(checksum.algorithm).toBe(algorithm);
      invalidOption(() => checksum.update('hello' as never), '"bytes" expected a Uint8Array, got "hello"');
      invalidOption(
        () => checksum.update(new ArrayBuffer(4) as never),
        '"bytes" expected a Uint8Array, got an object (ArrayBuffer)',
      );
      checksum.update(enc('hello world'));
      checksum.update(new Uint8Array(0));
      expect(checksum.digest()).toBe(reference(algorithm, enc('hello world')));
      const again = `on a ${algorithm} checksum already digested: digest() is called once, after the last update()`;
      invalidOption(() => checksum.digest(), `digest() ${again}`);
      invalidOption(() => checksum.update(enc('more')), `update() ${again}`);
    }
  });

  it('each checksum has its own state: interleaved checksums do not disturb each other', () => {
    const a = pseudoRandomBytes(1000, 11);
    const b = pseudoRandomBytes(1000, 12);
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const one = createChecksum(algorithm);
      const two = createChecksum(algorithm);
      for (let i = 0; i < 1000; i += 100) {
        one.update(a.subarray(i, i + 100));
        two.update(b.subarray(i, i + 100));
      }
      expect(one.digest()).toBe(reference(algorithm, a));
      expect(two.digest()).toBe(reference(algorithm, b));
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Tables built on first use

describe('tables', () => {
  // In a process of its own (this one has built them already): every Int32Array of 1,024 entries or more that is
  // constructed (not a view) is counted, at import and after each checksum.
  it('are built on the first checksum that needs them, once: none at import, none for SHA', () => {
    const script = `
      const built = [];
      const Real = Int32Array;
      globalThis.Int32Array = class extends Real {
        constructor(...args) { super(...args); if (typeof args[0] === 'number' && args[0] >= 1024) built.push(args[0]); }
      };
      const { createChecksum } = await import(process.env.CHECKSUM_MODULE);
      const after = [built.length];
      for (const algorithm of ['SHA1', 'SHA256', 'CRC32', 'CRC32', 'CRC32C', 'CRC64NVME', 'CRC64NVME']) {
        const checksum = createChecksum(algorithm);
        checksum.update(new Uint8Array(100));
        checksum.digest();
        after.push(built.length);
      }
      console.log(JSON.stringify({ after, built }));`;
    const module = fileURLToPath(new URL('../../src/stream/checksum.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, CHECKSUM_MODULE: module },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      after: [0, 0, 0, 1, 1, 2, 4, 4], // import, SHA1, SHA256, CRC32 (built), CRC32 (kept), CRC32C, CRC64NVME (two halves), CRC64NVME
      built: [4096, 4096, 2048, 2048], // 16 tables of 256 for each CRC-32; 8 for CRC-64's low and high halves
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bundles

describe('bundles', () => {
  // The signers and the small entry never import src/stream: a streaming checksum's tables and code stay out of them.
  const entries = ownEntries().filter((e) =>
    ['presignUrl', 'presignUrlSync', 'signRequest', 'createPresignedPost', 'sigv4/lite everything'].includes(e.name),
  );

  it.each(entries.map((e) => [e.name, e] as const))('%s holds no module of src/stream', async (_, entry) => {
    const row = await measure(entry);
    expect(row.modules.length).toBeGreaterThan(3);
    expect(row.modules.map((m) => m.path).filter((path) => path.includes('src/stream/'))).toEqual([]);
  });
});
