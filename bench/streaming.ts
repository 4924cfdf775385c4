// Throughput of streaming uploads (issue 15): verifying an aws-chunked body with verifyRequest, and framing one with
// createAwsChunkedEncoder, against Web Crypto SHA-256 over the same bytes in the same chunk size (one digest per
// 64 KiB chunk, awaited in turn: what hashing the chunks costs at the least). The target: each at least
// 0.5x that floor. Every body is built once before timing; a verifier's body arrives in 64 KiB network-sized pieces
// that do not line up with the chunks. Implementations run interleaved, one pass each per round in a rotating order,
// so drift in the machine's speed falls on all of them alike; each figure is the median over rounds, each ratio the
// median of the per-round ratios.
//
//   node --import tsx streaming.ts [--rounds 15] [--mib 32] [--no-save]

import { loadavg } from 'node:os';
import { hrtime } from 'node:process';
import { parseArgs } from 'node:util';

import {
  awsChunkedHeaders,
  createAwsChunkedEncoder,
  signRequest,
  verifyRequest,
  type ChecksumAlgorithm,
  type SignedRequest,
  type StreamingPayloadHash,
} from '../src/index.js';
import { fmt, isMain, machine, saveSection, spread, summarize, table, type Summary } from './common.js';

const CHUNK = 64 * 1024;
const credentials = { accessKeyId: 'AKIDBENCHSTREAM', secretAccessKey: 'bench/stream/secret' };
const WEB_CRYPTO = 'Web Crypto SHA-256, one digest per 64 KiB chunk (the floor)';

interface Mode {
  readonly label: string;
  readonly payloadHash: StreamingPayloadHash;
  readonly checksum: ChecksumAlgorithm | undefined;
}
const MODES: readonly Mode[] = [
  { label: 'signed chunks', payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', checksum: undefined },
  {
    label: 'signed chunks + CRC32C trailer',
    payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    checksum: 'CRC32C',
  },
  { label: 'unsigned chunks + CRC32 trailer', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', checksum: 'CRC32' },
];

/** One implementation: a pass over the body, returning the data bytes it handled. */
interface Implementation {
  readonly name: string;
  /** Whether the target (at least 0.5x the floor) applies. */
  readonly target: boolean;
  run(): Promise<number>;
}

/** A stream of these parts, one per read. */
const streamOf = (parts: readonly Uint8Array[]): ReadableStream<Uint8Array> => {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]!);
      else controller.close();
    },
  });
};

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let bytes = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
  return bytes;
}

/** The signed request of a body of `length` bytes in this mode. */
async function signedFor(mode: Mode, length: number): Promise<SignedRequest> {
  return signRequest({
    url: 'https://bucket.s3.us-east-1.amazonaws.com/bench.bin',
    method: 'PUT',
    service: 's3',
    region: 'us-east-1',
    credentials,
    signingDate: '2024-05-01T00:00:00Z',
    headers: awsChunkedHeaders({
      payloadHash: mode.payloadHash,
      decodedLength: length,
      ...(mode.checksum === undefined ? {} : { checksumAlgorithm: mode.checksum }),
    }),
  });
}

async function implementations(mib: number): Promise<Implementation[]> {
  const data = Array.from({ length: (mib * 1024 * 1024) / CHUNK }, (_, n) => {
    const b = new Uint8Array(CHUNK);
    let x = n + 1;
    for (let i = 0; i < CHUNK; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x;
    }
    return b;
  });
  const length = data.length * CHUNK;
  const impls: Implementation[] = [
    {
      name: WEB_CRYPTO,
      target: false,
      async run() {
        let sink = 0;
        for (const chunk of data) sink ^= new Uint8Array(await crypto.subtle.digest('SHA-256', chunk))[0]!;
        return sink >= 0 ? length : 0;
      },
    },
  ];
  for (const mode of MODES) {
    const signed = await signedFor(mode, length);
    const encoded = new Uint8Array(
      await new Response(streamOf(data).pipeThrough(createAwsChunkedEncoder({ signed, credentials }))).arrayBuffer(),
    );
    if (String(encoded.length) !== signed.headers['content-length'])
      throw new Error(`${mode.label}: the encoded length is not the signed one`);
    // As a server receives it: 64 KiB pieces, which do not line up with the chunks (each has its header too).
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < encoded.length; at += CHUNK) pieces.push(encoded.subarray(at, at + CHUNK));
    impls.push({
      name: `verifyRequest: ${mode.label}`,
      target: true,
      async run() {
        const verified = await verifyRequest({
          url: signed.url,
          method: 'PUT',
          headers: signed.headers,
          body: streamOf(pieces),
          service: 's3',
          region: 'us-east-1',
          getCredentials: () => credentials,
          now: Date.parse('2024-05-01T00:00:00Z'),
        });
        return drain(verified.body!);
      },
    });
    impls.push({
      name: `createAwsChunkedEncoder: ${mode.label}`,
      target: true,
      async run() {
        const encodedBytes = await drain(streamOf(data).pipeThrough(createAwsChunkedEncoder({ signed, credentials })));
        if (encodedBytes !== encoded.length) throw new Error(`${mode.label}: the encoder gave ${encodedBytes} bytes`);
        return length;
      },
    });
  }
  // Every implementation must handle the whole body before it is timed.
  for (const impl of impls)
    if ((await impl.run()) !== length) throw new Error(`${impl.name} did not handle every byte`);
  return impls;
}

export interface StreamingResult {
  readonly name: string;
  readonly target: boolean;
  /** MB/s (10^6 bytes of data a second) over rounds. */
  readonly throughput: Summary;
  /** Per-round ratio to Web Crypto SHA-256's throughput over the same bytes. */
  readonly vsWebCrypto: Summary;
}

/** Measures every implementation over `mib` MiB, `rounds` times. */
export async function measureStreaming(rounds: number, mib: number): Promise<StreamingResult[]> {
  const impls = await implementations(mib);
  const seconds = new Map(impls.map((impl) => [impl.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < impls.length; k++) {
      const impl = impls[(round + k) % impls.length]!;
      const t0 = hrtime.bigint();
      await impl.run();
      seconds.get(impl.name)!.push(Number(hrtime.bigint() - t0) / 1e9);
    }
  }
  const bytes = mib * 1024 * 1024;
  const floor = seconds.get(WEB_CRYPTO)!;
  return impls.map((impl) => {
    const s = seconds.get(impl.name)!;
    return {
      name: impl.name,
      target: impl.target,
      throughput: summarize(s.map((t) => bytes / t / 1e6)),
      vsWebCrypto: summarize(s.map((t, i) => floor[i]! / t)),
    };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '15' },
      mib: { type: 'string', default: '32' },
      'no-save': { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const mib = Number(values.mib);
  const before = loadavg();
  const results = await measureStreaming(rounds, mib);
  const after = loadavg();
  const m = machine();
  const rows = results.map((r) => [
    r.name,
    fmt(r.throughput.median, 0),
    spread(r.throughput),
    `${r.vsWebCrypto.median.toFixed(2)}×`,
    r.target ? (r.vsWebCrypto.median >= 0.5 ? 'met (≥ 0.5×)' : '**not met** (≥ 0.5×)') : '',
  ]);
  const md = [
    '## Streaming uploads (aws-chunked)',
    '',
    `${mib} MiB of data in 64 KiB chunks, ${rounds} rounds, implementations interleaved; MB/s = 10^6 bytes of data a second, ` +
      'median over rounds; ratios are medians of the per-round ratios to Web Crypto SHA-256 over the same bytes in the ' +
      `same chunk size. Node ${m['node']} on ${m['nproc']} cores of an ${m['cpu']}; load average ${before.map((x) => x.toFixed(2)).join(', ')} ` +
      `before, ${after.map((x) => x.toFixed(2)).join(', ')} after.`,
    '',
    table(['implementation', 'MB/s', 'spread', '× Web Crypto SHA-256', "issue 15's target"], rows, 'lrrrl'),
  ].join('\n');
  console.log(md);
  if (!values['no-save']) saveSection('streaming', md, { machine: m, rounds, mib, results });
}

if (isMain(import.meta.url)) await main();
