// How sigv4's cost grows: with the length of the object key (10 to 1,000 bytes; plain ASCII, and text that needs
// percent-encoding), and with the number of query parameters (1 to 1,000, given in random order, so the canonical
// query must sort them). The target: linear in URL length, n log n in parameter count.
//
//   node --import tsx sweep.ts [--rounds 7] [--batch-ms 20]

import { hrtime } from 'node:process';
import { parseArgs } from 'node:util';

import { presignUrl, presignUrlSync, type PresignOptions } from '../src/index.js';
import {
  BASE_URL,
  CREDENTIALS,
  DOC_DATE,
  DOC_EXPIRES,
  fmt,
  isMain,
  REGION,
  saveSection,
  SERVICE,
  summarize,
  table,
} from './common.js';

type Sign = (o: PresignOptions) => string | Promise<string>;
const SIGNERS: readonly { name: string; sync: boolean; sign: Sign }[] = [
  { name: 'presignUrlSync', sync: true, sign: (o) => presignUrlSync(o).url },
  { name: 'presignUrl', sync: false, sign: async (o) => (await presignUrl(o)).url },
];

let sink = 0;

/** A deterministic pseudo-random generator (mulberry32), so every run sweeps the same inputs. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** A key of `bytes` UTF-8 bytes: path segments of ASCII letters, or (mixed) with a space and a "ü" in every 16 bytes. */
function makeKey(bytes: number, mixed: boolean, rnd: () => number): string {
  let key = '';
  let size = 0;
  while (size < bytes) {
    const i = size % 16;
    const c =
      mixed && i === 5 && bytes - size >= 2
        ? 'ü'
        : mixed && i === 11
          ? ' '
          : size % 24 === 23
            ? '/'
            : ALNUM[Math.floor(rnd() * 36)]!;
    key += c;
    size += new TextEncoder().encode(c).length;
  }
  return key;
}

interface Point {
  readonly label: string;
  readonly x: number;
  /** Distinct inputs cycled through, so nothing is cached between calls but the signing key. */
  readonly inputs: readonly PresignOptions[];
  readonly urlBytes: number;
}

const options = (url: string, query?: [string, string][]): PresignOptions => ({
  url,
  service: SERVICE,
  region: REGION,
  credentials: CREDENTIALS,
  signingDate: DOC_DATE,
  expiresIn: DOC_EXPIRES,
  ...(query ? { query } : {}),
});

function keyPoints(mixed: boolean): Point[] {
  const rnd = random(mixed ? 2 : 1);
  return [10, 30, 100, 300, 1000].map((bytes) => {
    const inputs = Array.from({ length: 64 }, () => options(BASE_URL + encodeURI(makeKey(bytes, mixed, rnd))));
    return { label: `${bytes} B`, x: bytes, inputs, urlBytes: presignUrlSync(inputs[0]!).url.length };
  });
}

function paramPoints(): Point[] {
  const rnd = random(3);
  const word = (): string => Array.from({ length: 8 }, () => ALNUM[Math.floor(rnd() * 36)]).join('');
  return [1, 3, 10, 30, 100, 300, 1000].map((count) => {
    const inputs = Array.from({ length: 16 }, () => {
      const pairs = Array.from({ length: count }, (_, i): [string, string] => [`${word()}${i}`, word()]);
      return options(`${BASE_URL}photos/IMG_0001.jpg`, pairs); // random keys: the signer sorts them
    });
    return { label: String(count), x: count, inputs, urlBytes: presignUrlSync(inputs[0]!).url.length };
  });
}

async function timeBatch(sign: Sign, sync: boolean, inputs: readonly PresignOptions[], n: number): Promise<number> {
  const t0 = hrtime.bigint();
  if (sync) for (let i = 0; i < n; i++) sink += (sign(inputs[i % inputs.length]!) as string).length;
  else for (let i = 0; i < n; i++) sink += (await sign(inputs[i % inputs.length]!)).length;
  return Number(hrtime.bigint() - t0) / n;
}

/**
 * µs per URL at each point, rounds interleaving the points: the best round, since the sweep is about the shape of
 * the curve, and on a shared machine the slower rounds measure the other processes more than the signer.
 */
async function measure(
  points: readonly Point[],
  sign: Sign,
  sync: boolean,
  rounds: number,
  batchMs: number,
): Promise<number[]> {
  const sizes: number[] = [];
  for (const p of points) {
    let n = 4;
    let perOp = Infinity;
    for (let spent = 0, runs = 0; runs < 3 || spent < 100e6; runs++) {
      perOp = await timeBatch(sign, sync, p.inputs, n);
      spent += perOp * n;
      if (perOp * n < 20e6) n *= 2;
    }
    sizes.push(Math.max(4, Math.round((batchMs * 1e6) / perOp)));
  }
  const samples: number[][] = points.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < points.length; k++) {
      const i = (r + k) % points.length;
      samples[i]!.push(await timeBatch(sign, sync, points[i]!.inputs, sizes[i]!));
    }
  }
  return samples.map((s) => summarize(s).min / 1e3);
}

/** Slope of log(time) over log(x) between neighbouring points: 1 is linear, ~1.2 is n log n over a decade, 2 quadratic. */
const slopes = (xs: readonly number[], ts: readonly number[]): string[] =>
  ts.map((t, i) => (i === 0 ? '' : (Math.log(t / ts[i - 1]!) / Math.log(xs[i]! / xs[i - 1]!)).toFixed(2)));

/** Least-squares fit t = a + b·f(x); returns a, b and R². */
function fit(
  xs: readonly number[],
  ts: readonly number[],
  f: (x: number) => number,
): { a: number; b: number; r2: number } {
  const fx = xs.map(f);
  const n = xs.length;
  const mx = fx.reduce((s, x) => s + x, 0) / n;
  const my = ts.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (fx[i]! - mx) * (ts[i]! - my);
    sxx += (fx[i]! - mx) ** 2;
    syy += (ts[i]! - my) ** 2;
  }
  const b = sxy / sxx;
  return { a: my - b * mx, b, r2: (sxy * sxy) / (sxx * syy) };
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      'batch-ms': { type: 'string', default: '20' },
      'no-save': { type: 'boolean', default: false },
    },
  });
  const rounds = Number(args.rounds);
  const batchMs = Number(args['batch-ms']);
  const out: string[] = [
    '## Scaling sweep',
    '',
    `sigv4 alone, signing key cached; the best of ${rounds} interleaved rounds at each point. "slope" is the log-log slope from the row above ` +
      '(1 = linear; n log n gives about 1.1–1.2 per decade; quadratic gives 2).',
  ];
  const data: Record<string, unknown> = {};

  for (const mixed of [false, true]) {
    const points = keyPoints(mixed);
    const xs = points.map((p) => p.x);
    const cols: string[][] = [];
    const head = ['key bytes', 'URL bytes'];
    const notes: string[] = [];
    for (const s of SIGNERS) {
      const ts = await measure(points, s.sign, s.sync, rounds, batchMs);
      data[`key ${mixed ? 'mixed' : 'ascii'} ${s.name}`] = { xs, ts };
      const sl = slopes(xs, ts);
      cols.push(
        ts.map((t) => fmt(t)),
        sl,
      );
      head.push(`${s.name} µs`, 'slope');
      const lin = fit(xs, ts, (x) => x);
      notes.push(`${s.name}: t ≈ ${fmt(lin.a)} µs + ${fmt(lin.b * 1000)} ns/byte, R² ${lin.r2.toFixed(4)}`);
    }
    out.push(
      '',
      `### Object key length, ${mixed ? 'text needing encoding (a space and a "ü" in every 16 bytes)' : 'plain ASCII'}`,
      '',
      table(
        head,
        points.map((p, i) => [p.label, String(p.urlBytes), ...cols.map((c) => c[i]!)]),
      ),
      '',
      `Linear fit: ${notes.join('; ')}.`,
    );
    console.log(out.slice(-5).join('\n') + '\n');
  }

  const points = paramPoints();
  const xs = points.map((p) => p.x);
  const head = ['parameters', 'URL bytes'];
  const cols: string[][] = [];
  const notes: string[] = [];
  for (const s of SIGNERS) {
    const ts = await measure(points, s.sign, s.sync, rounds, batchMs);
    data[`params ${s.name}`] = { xs, ts };
    cols.push(
      ts.map((t) => fmt(t)),
      ts.map((t, i) => fmt((t / xs[i]!) * 1000, 0)),
      slopes(xs, ts),
    );
    head.push(`${s.name} µs`, 'ns/param', 'slope');
    const lin = fit(xs, ts, (x) => x);
    const nlogn = fit(xs, ts, (x) => x * Math.log2(x));
    notes.push(`${s.name}: R² ${lin.r2.toFixed(4)} for a + b·n, ${nlogn.r2.toFixed(4)} for a + b·n·log₂n`);
  }
  out.push(
    '',
    '### Query parameter count (8-byte random names and values, in random order, passed as `query`)',
    '',
    table(
      head,
      points.map((p, i) => [p.label, String(p.urlBytes), ...cols.map((c) => c[i]!)]),
    ),
    '',
    `Fits: ${notes.join('; ')}. URL bytes grow linearly with the count, so the per-parameter cost includes hashing a longer canonical request.`,
  );
  console.log(out.slice(-5).join('\n'));
  if (!args['no-save']) saveSection('sweep', out.join('\n'), { ...data, sink });
}

if (isMain(import.meta.url)) await main();
