// Throughput of the streaming checksums (src/stream/checksum.ts) over 64 KiB buffers, the chunk size S3 clients
// send: each algorithm, CRC32 next to a plain byte-at-a-time table-driven CRC32 written here (the baseline the issue
// names), and Web Crypto SHA-256 over the same bytes (one digest per buffer, as a verifier of signed chunks hashes
// them), with node:zlib's native crc32 where Node has it. Implementations run interleaved, one batch each per
// round in a rotating order, so drift in the machine's speed falls on all of them alike; each figure is the median
// over rounds, and each ratio the median of the per-round ratios.
//
//   node --import tsx checksum.ts [--rounds 15] [--mib 16]

import { hrtime } from 'node:process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as zlib from 'node:zlib';

import { createChecksum, type ChecksumAlgorithm } from '../src/stream/checksum.js';
import { fmt, isMain, machine, saveSection, spread, summarize, table, type Summary } from './common.js';

const BUFFER = 64 * 1024;

/** One implementation: hashes every buffer in order, returns something derived from the result. */
interface Implementation {
  readonly name: string;
  run(buffers: readonly Uint8Array<ArrayBuffer>[]): number | Promise<number>;
}

/** The byte-at-a-time table-driven CRC32 of every textbook: one 256-entry table, one lookup per byte. */
const BASELINE_TABLE = (() => {
  const t = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[b] = c;
  }
  return t;
})();

function baselineCrc32(buffers: readonly Uint8Array<ArrayBuffer>[]): number {
  const t = BASELINE_TABLE;
  let c = -1;
  for (const data of buffers) for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 255]! ^ (c >>> 8);
  return ~c >>> 0;
}

const ours = (name: string, algorithm: ChecksumAlgorithm): Implementation => ({
  name,
  run(buffers) {
    const checksum = createChecksum(algorithm);
    for (const data of buffers) checksum.update(data);
    return checksum.digest().length;
  },
});

const BASELINE = 'CRC32 (byte-at-a-time table, baseline)';
const WEB_CRYPTO = 'Web Crypto SHA-256 (one digest per 64 KiB)';
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const IMPLEMENTATIONS: readonly Implementation[] = [
  ours('CRC32 (sigv4, slicing-by-16)', 'CRC32'),
  { name: BASELINE, run: baselineCrc32 },
  ours('CRC32C (sigv4, slicing-by-16)', 'CRC32C'),
  ours('CRC64NVME (sigv4, slicing-by-8)', 'CRC64NVME'),
  ours('SHA1 (sigv4, plain TypeScript)', 'SHA1'),
  ours('SHA256 (sigv4, plain TypeScript)', 'SHA256'),
  {
    name: WEB_CRYPTO,
    async run(buffers) {
      let sink = 0;
      for (const data of buffers) sink ^= new Uint8Array(await crypto.subtle.digest('SHA-256', data))[0]!;
      return sink;
    },
  },
  ...(zlibCrc32
    ? [
        {
          name: 'node:zlib crc32 (native, for reference)',
          run(buffers: readonly Uint8Array<ArrayBuffer>[]) {
            let c = 0;
            for (const data of buffers) c = zlibCrc32(data, c);
            return c;
          },
        },
      ]
    : []),
];

/** Seconds for one pass over the buffers. */
async function time(impl: Implementation, buffers: readonly Uint8Array<ArrayBuffer>[]): Promise<number> {
  const t0 = hrtime.bigint();
  sink ^= await impl.run(buffers);
  return Number(hrtime.bigint() - t0) / 1e9;
}
let sink = 0;

export interface ChecksumResult {
  readonly name: string;
  /** MB/s (10^6 bytes a second) over rounds. */
  readonly throughput: Summary;
  /** Per-round ratio to Web Crypto SHA-256's throughput. */
  readonly vsWebCrypto: Summary;
  /** Per-round ratio to the byte-at-a-time CRC32, for the CRC32s. */
  readonly vsBaseline?: Summary;
}

/** Measures every implementation over `mib` MiB in 64 KiB buffers, `rounds` times. */
export async function measureChecksums(rounds: number, mib: number): Promise<ChecksumResult[]> {
  const buffers = Array.from({ length: (mib * 1024 * 1024) / BUFFER }, (_, n) => {
    const b = new Uint8Array(BUFFER);
    let x = n + 1;
    for (let i = 0; i < BUFFER; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x;
    }
    return b;
  });
  const bytes = buffers.length * BUFFER;
  // Warm-up: every implementation is compiled and its tables built before the first timed round.
  for (const impl of IMPLEMENTATIONS) for (let i = 0; i < 3; i++) await time(impl, buffers.slice(0, 16));
  const seconds = new Map(IMPLEMENTATIONS.map((impl) => [impl.name, [] as number[]]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < IMPLEMENTATIONS.length; k++) {
      const impl = IMPLEMENTATIONS[(r + k) % IMPLEMENTATIONS.length]!;
      seconds.get(impl.name)!.push(await time(impl, buffers));
    }
  }
  const rate = (name: string): number[] => seconds.get(name)!.map((s) => bytes / s / 1e6);
  const ratio = (a: string, b: string): Summary => {
    const x = rate(a);
    const y = rate(b);
    return summarize(x.map((v, i) => v / y[i]!));
  };
  return IMPLEMENTATIONS.map(({ name }) => ({
    name,
    throughput: summarize(rate(name)),
    vsWebCrypto: ratio(name, WEB_CRYPTO),
    ...(name.startsWith('CRC32 ') ? { vsBaseline: ratio(name, BASELINE) } : {}),
  }));
}

/** The results as a markdown section. */
export function report(results: readonly ChecksumResult[], rounds: number, mib: number): string {
  const rows = results.map((r) => [
    r.name,
    fmt(r.throughput.median, 0),
    spread(r.throughput),
    `${fmt(r.vsWebCrypto.median)}×`,
    r.vsBaseline ? `${fmt(r.vsBaseline.median)}×` : '',
  ]);
  return [
    '## Streaming checksums',
    '',
    `${mib} MiB in 64 KiB buffers, ${rounds} rounds, implementations interleaved; MB/s = 10^6 bytes a second, ` +
      'median over rounds; ratios are medians of the per-round ratios.',
    '',
    table(['implementation', 'MB/s', 'spread', '× Web Crypto SHA-256', '× byte-at-a-time CRC32'], rows),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '15' }, mib: { type: 'string', default: '16' } },
  });
  const rounds = Number(values.rounds);
  const mib = Number(values.mib);
  const before = loadavg()[0]!.toFixed(2);
  const results = await measureChecksums(rounds, mib);
  const markdown = report(results, rounds, mib);
  const m = machine();
  console.log(markdown);
  console.log(`\n${m['node']} on ${m['cpu']} (${m['nproc']} cores); load average ${before} before, ${loadavg()[0]!.toFixed(2)} after`); // prettier-ignore
  saveSection('checksum', markdown, { rounds, mib, machine: m, results });
  if (sink === 0.5) console.log(sink); // never true: keeps every result alive
}
