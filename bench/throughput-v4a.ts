// Throughput of warm SigV4a header signing (issue 16): sigv4's signRequestV4a (key derived once, cached; ECDSA by
// Web Crypto) against @smithy/signature-v4a (the AWS SDK's, ECDSA by its bundled elliptic), with the Web Crypto
// floor: the SHA-256 and the ECDSA P-256 signature any Web Crypto SigV4a signer must make per request. Interleaved
// rounds, one batch of each per round in a rotating order; medians over rounds and ratios within rounds.
//
//   node --import tsx throughput-v4a.ts [--rounds 15] [--batch-ms 40]
//
// The gate first: each signer signs the same request, the library's verifier must accept smithy's signature and
// its string to sign must equal sigv4's, and node:crypto must accept sigv4's signature. Otherwise nothing is timed.

import { createPublicKey, verify, webcrypto } from 'node:crypto';
import { cpuUsage, hrtime } from 'node:process';
import { parseArgs } from 'node:util';

import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@smithy/signature-v4a';

import { deriveV4aPublicKey, signRequestV4a, verifyRequest } from '../src/index.js';
import { CREDENTIALS, fmt, isMain, saveSection, spread, summarize, table, type Summary } from './common.js';

const HOST = 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com';
const DATE = new Date('2013-05-24T00:00:00Z');
const KEYS = Array.from({ length: 1024 }, (_, i) => `/photos/2013/05/24/IMG_${String(i).padStart(6, '0')}.jpg`);

interface Signer {
  readonly name: string;
  readonly floor?: boolean;
  /** Signs GET of the path in the Authorization header; returns that header. */
  sign(path: string): Promise<string>;
}

const ours: Signer = {
  name: 'sigv4 signRequestV4a',
  async sign(path) {
    const signed = await signRequestV4a({
      url: `https://${HOST}${path}`,
      service: 's3',
      regionSet: '*',
      credentials: CREDENTIALS,
      signingDate: DATE,
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    return signed.authorization;
  },
};

const smithySigner = new SignatureV4a({
  credentials: CREDENTIALS,
  region: '*',
  service: 's3',
  sha256: Hash.bind(null, 'sha256'),
  uriEscapePath: false,
  applyChecksum: true,
});
const smithyRequest = (path: string): HttpRequest =>
  new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: HOST,
    path,
    headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
const smithy: Signer = {
  name: '@smithy/signature-v4a (hash-node)',
  async sign(path) {
    const signed = (await smithySigner.sign(smithyRequest(path), { signingDate: DATE })) as HttpRequest;
    return signed.headers['authorization']!;
  },
};

/** The Web Crypto floor: SHA-256 of a canonical request and an ECDSA P-256 signature of a string to sign. */
async function webCryptoFloor(): Promise<Signer> {
  const { privateKey } = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const encoder = new TextEncoder();
  const canonical = (path: string) =>
    `GET\n${path}\n\nhost:${HOST}\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20130524T000000Z\nx-amz-region-set:*\n\nhost;x-amz-content-sha256;x-amz-date;x-amz-region-set\nUNSIGNED-PAYLOAD`;
  return {
    name: 'Web Crypto floor (SHA-256 + ECDSA P-256 sign)',
    floor: true,
    async sign(path) {
      const hash = Buffer.from(await webcrypto.subtle.digest('SHA-256', encoder.encode(canonical(path)))).toString(
        'hex',
      );
      const sts = `AWS4-ECDSA-P256-SHA256\n20130524T000000Z\n20130524/s3/aws4_request\n${hash}`;
      const signature = await webcrypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        privateKey,
        encoder.encode(sts),
      );
      return Buffer.from(signature).toString('hex');
    },
  };
}

/** Both signers sign the same request validly, and agree on what they sign; throws otherwise. */
async function gate(): Promise<void> {
  const path = KEYS[7]!;
  const theirs = await smithy.sign(path);
  const request = smithyRequest(path);
  const signed = (await smithySigner.sign(request, { signingDate: DATE })) as HttpRequest;
  const verified = await verifyRequest({
    url: `https://${HOST}${path}`,
    method: 'GET',
    headers: Object.entries(signed.headers),
    service: 's3',
    region: 'eu-west-1',
    getCredentials: (id) =>
      id === CREDENTIALS.accessKeyId ? { secretAccessKey: CREDENTIALS.secretAccessKey } : undefined,
    now: DATE,
  });
  const mine = await signRequestV4a({
    url: `https://${HOST}${path}`,
    service: 's3',
    regionSet: '*',
    credentials: CREDENTIALS,
    signingDate: DATE,
    payloadHash: 'UNSIGNED-PAYLOAD',
  });
  if (verified.stringToSign !== mine.stringToSign)
    throw new Error(`smithy and sigv4 sign different strings:\n${verified.stringToSign}\n${mine.stringToSign}`);
  if (!/^AWS4-ECDSA-P256-SHA256 Credential=/.test(theirs)) throw new Error(`smithy's header: ${theirs}`);
  const { x, y } = await deriveV4aPublicKey(CREDENTIALS);
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(x, 'hex').toString('base64url'),
      y: Buffer.from(y, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });
  if (
    !verify('sha256', Buffer.from(mine.stringToSign), { key, dsaEncoding: 'der' }, Buffer.from(mine.signature, 'hex'))
  )
    throw new Error("node:crypto does not verify sigv4's signature");
}

let sink = 0;
let next = 0;

/** Runs `n` signatures one after the other; returns wall-clock and process CPU nanoseconds per signature. */
async function batch(signer: Signer, n: number): Promise<{ wall: number; cpu: number }> {
  const c0 = cpuUsage();
  const t0 = hrtime.bigint();
  for (let i = 0; i < n; i++) sink += (await signer.sign(KEYS[(next = (next + 1) & 1023)]!)).length;
  const wall = Number(hrtime.bigint() - t0) / n;
  const c = cpuUsage(c0);
  return { wall, cpu: ((c.user + c.system) * 1e3) / n };
}

/** Warms a signer up (JIT, its key cache) and picks the batch size that takes about `batchMs`. */
async function calibrate(signer: Signer, batchMs: number): Promise<number> {
  let n = 4;
  let best = Infinity;
  for (let spent = 0, runs = 0; runs < 3 || spent < 300e6; runs++) {
    const perOp = (await batch(signer, n)).wall;
    best = Math.min(best, perOp);
    spent += perOp * n;
    if (perOp * n < 30e6) n *= 2;
  }
  return Math.max(1, Math.round((batchMs * 1e6) / best));
}

export interface V4aResult {
  readonly names: readonly string[];
  readonly wall: Readonly<Record<string, number[]>>;
  readonly cpu: Readonly<Record<string, number[]>>;
  readonly batchSizes: Readonly<Record<string, number>>;
  readonly ratios: Readonly<Record<string, Summary>>;
  readonly seconds: number;
}

export async function runV4a(rounds: number, batchMs: number): Promise<V4aResult> {
  await gate();
  const signers = [ours, smithy, await webCryptoFloor()];
  const batchSizes: Record<string, number> = {};
  for (const s of signers) batchSizes[s.name] = await calibrate(s, batchMs);
  const wall: Record<string, number[]> = Object.fromEntries(signers.map((s) => [s.name, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(signers.map((s) => [s.name, []]));
  const t0 = hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < signers.length; k++) {
      const s = signers[(r + k) % signers.length]!;
      const sample = await batch(s, batchSizes[s.name]!);
      wall[s.name]!.push(sample.wall);
      cpu[s.name]!.push(sample.cpu);
    }
  }
  const paired = (a: string, b: string): Summary => summarize(wall[a]!.map((x, i) => x / wall[b]![i]!));
  const floor = signers[2]!.name;
  return {
    names: signers.map((s) => s.name),
    wall,
    cpu,
    batchSizes,
    ratios: {
      'smithy time / sigv4 time (throughput ratio)': paired(smithy.name, ours.name),
      'sigv4 time / Web Crypto floor': paired(ours.name, floor),
    },
    seconds: Number(hrtime.bigint() - t0) / 1e9,
  };
}

export function v4aMarkdown(res: V4aResult): string {
  const base = summarize(res.wall[ours.name]!).median;
  const rows = res.names.map((name) => {
    const w = summarize(res.wall[name]!);
    const c = summarize(res.cpu[name]!);
    return [
      name,
      fmt(w.median / 1e3),
      fmt(1e9 / w.median, 0),
      spread(w),
      `${(w.median / base).toFixed(2)}×`,
      fmt(c.median / 1e3),
    ];
  });
  const ratioRows = Object.entries(res.ratios).map(([name, s]) => [
    name,
    `${s.median.toFixed(2)}×`,
    `${s.q1.toFixed(2)}–${s.q3.toFixed(2)}×`,
  ]);
  const target = res.ratios['smithy time / sigv4 time (throughput ratio)']!.median;
  return [
    '## SigV4a: warm header signing',
    '',
    `GET of distinct S3 keys through a Multi-Region Access Point host, region set \`*\`, signed in the Authorization header, one at a time (source: \`bench/throughput-v4a.ts\`). sigv4 derives the key once and caches it; @smithy/signature-v4a derives it and signs with its bundled elliptic on every call, as the AWS SDK uses it. Before timing, sigv4's verifier accepts smithy's signature and both sign the same string; node:crypto accepts sigv4's signature.`,
    '',
    table(['implementation', 'wall µs/request', 'requests/s', 'spread', 'vs sigv4', 'CPU µs/request'], rows, 'lrrrrr'),
    '',
    table(['ratio, within each round', 'median', 'interquartile'], ratioRows, 'lrr'),
    '',
    `Target (issue 16): ≥ 2× @smithy/signature-v4a's throughput: ${target.toFixed(2)}× ${target >= 2 ? 'met' : '**missed**'}. ` +
      `${res.wall[ours.name]!.length} rounds in ${res.seconds.toFixed(1)} s.`,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, 'batch-ms': { type: 'string' } } });
  const res = await runV4a(Number(values.rounds ?? 15), Number(values['batch-ms'] ?? 40));
  const md = v4aMarkdown(res);
  console.log(md);
  saveSection('sigv4a', md, res);
  if (sink === 0) console.log('(sink)');
}
