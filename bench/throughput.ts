// Throughput of presigning distinct S3 GET URLs in one Node process: warm (signing key cached), cold (a new signing
// day for every URL), and concurrent (Promise.all of 100, warm); with the crypto floors timed in the same rounds.
// Signers run interleaved, one batch each per round in a rotating order, so drift in the machine's speed (other
// processes, thermal, GC) falls on all of them alike; each result is the median over rounds, with its spread.
//
//   node --import tsx throughput.ts [--rounds 25] [--batch-ms 30] [--modes warm,cold,concurrent]

import { cpuUsage, hrtime } from 'node:process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import {
  DOC_DATE,
  fmt,
  isMain,
  meets,
  saveSection,
  spread,
  summarize,
  table,
  toKey,
  toWhen,
  type Goal,
  type Key,
  type Summary,
  type When,
} from './common.js';
import {
  AWS4,
  AWS4FETCH,
  CREDENTIAL_PAIRS,
  FLOOR_SUBTLE,
  FLOORS,
  gate,
  OURS_ASYNC,
  OURS_ASYNC_FRESH,
  OURS_SYNC,
  OURS_SYNC_NODE,
  prepareFloors,
  SIGNERS,
  type Implementation,
} from './implementations.js';

export type Mode = 'warm' | 'cold' | 'concurrent';
const CONCURRENCY = 100;

// Distinct keys, in the shape of a bucket of photos (34 bytes each). Warm mode cycles through them at one time.
const KEYS: readonly Key[] = Array.from({ length: 4096 }, (_, i) =>
  toKey(`photos/2013/05/24/IMG_${String(i).padStart(6, '0')}.jpg`),
);
const WARM: When = toWhen(DOC_DATE);
// Cold mode: a new signing day for every URL. 2^15 days (to 2102) before the dates repeat, far more than any
// signer's cache holds (sigv4 100, smithy 50, aws4 1,000, aws4fetch's Map cleared past 1,000).
const COLD: readonly When[] = Array.from({ length: 1 << 15 }, (_, i) =>
  toWhen(new Date(DOC_DATE.getTime() + i * 86_400_000)),
);

let keyIndex = 0;
let dayIndex = 0;
let sink = 0; // every URL's length goes here, so no work can be optimized away

/** Nanoseconds per URL: wall-clock, and CPU time of the whole process (every thread, so Web Crypto's too). */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs `n` presigns and returns the time per URL. */
async function batch(impl: Implementation, mode: Mode, n: number): Promise<Sample> {
  const keys = KEYS;
  const nextKey = (): Key => keys[(keyIndex = (keyIndex + 1) & 4095)]!;
  const c0 = cpuUsage();
  const t0 = hrtime.bigint();
  if (mode === 'concurrent') {
    for (let done = 0; done < n; done += CONCURRENCY) {
      const pending: (string | Promise<string>)[] = new Array(CONCURRENCY);
      for (let j = 0; j < CONCURRENCY; j++) pending[j] = impl.presign(nextKey(), WARM);
      const urls = await Promise.all(pending);
      sink += urls[CONCURRENCY - 1]!.length;
    }
  } else if (mode === 'cold') {
    const nextDay = (): When => COLD[(dayIndex = (dayIndex + 1) & 32767)]!;
    if (impl.sync) for (let i = 0; i < n; i++) sink += (impl.presign(nextKey(), nextDay()) as string).length;
    else for (let i = 0; i < n; i++) sink += (await impl.presign(nextKey(), nextDay())).length;
  } else if (impl.sync) {
    for (let i = 0; i < n; i++) sink += (impl.presign(nextKey(), WARM) as string).length;
  } else {
    for (let i = 0; i < n; i++) sink += (await impl.presign(nextKey(), WARM)).length;
  }
  const wall = Number(hrtime.bigint() - t0) / n;
  const c = cpuUsage(c0);
  return { wall, cpu: ((c.user + c.system) * 1e3) / n };
}

/** Warms an implementation up (JIT, its key cache) and picks the batch size that takes about `batchMs`. */
async function calibrate(impl: Implementation, mode: Mode, batchMs: number): Promise<number> {
  const step = mode === 'concurrent' ? CONCURRENCY : 1;
  let n = step;
  let spent = 0;
  let best = Infinity; // the fastest batch: on a busy machine the others measure the machine more than the signer
  for (let runs = 0; runs < 3 || spent < 300e6; runs++) {
    const perOp = (await batch(impl, mode, n)).wall;
    best = Math.min(best, perOp);
    spent += perOp * n;
    if (perOp * n < 50e6) n *= 2;
  }
  return Math.max(step, Math.round((batchMs * 1e6) / best / step) * step);
}

export interface ModeResult {
  readonly mode: Mode;
  readonly names: readonly string[];
  /** Wall-clock nanoseconds per URL, one value per round, by implementation. */
  readonly samples: Readonly<Record<string, number[]>>;
  /** Process CPU nanoseconds per URL, one value per round, by implementation. */
  readonly cpu: Readonly<Record<string, number[]>>;
  readonly batchSizes: Readonly<Record<string, number>>;
  /**
   * Process CPU time over wall time, summed over the timed batches: below 1 means the process was waiting, for a
   * core or for Web Crypto's threads; above 1, that other threads (V8's GC and compiler, libuv's pool) worked too.
   */
  readonly cpuShare: number;
  readonly seconds: number;
}

async function runMode(
  mode: Mode,
  impls: readonly Implementation[],
  rounds: number,
  batchMs: number,
): Promise<ModeResult> {
  const batchSizes: Record<string, number> = {};
  for (const impl of impls) batchSizes[impl.name] = await calibrate(impl, mode, batchMs);
  const samples: Record<string, number[]> = Object.fromEntries(impls.map((i) => [i.name, []]));
  const cpuSamples: Record<string, number[]> = Object.fromEntries(impls.map((i) => [i.name, []]));
  const wall0 = hrtime.bigint();
  let batchWall = 0;
  let batchCpu = 0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < impls.length; k++) {
      const impl = impls[(r + k) % impls.length]!;
      const { wall, cpu } = await batch(impl, mode, batchSizes[impl.name]!);
      samples[impl.name]!.push(wall);
      cpuSamples[impl.name]!.push(cpu);
      batchWall += wall * batchSizes[impl.name]!;
      batchCpu += cpu * batchSizes[impl.name]!;
    }
  }
  const wall = Number(hrtime.bigint() - wall0);
  return {
    mode,
    names: impls.map((i) => i.name),
    samples,
    cpu: cpuSamples,
    batchSizes,
    cpuShare: batchCpu / batchWall,
    seconds: wall / 1e9,
  };
}

/** Median and spread, over rounds, of the per-round ratio a/b (the two ran in the same round). */
export const pairedRatio = (res: ModeResult, a: string, b: string, metric: 'samples' | 'cpu' = 'samples'): Summary =>
  summarize(res[metric][a]!.map((x, i) => x / res[metric][b]![i]!));

const MODE_TITLE: Record<Mode, string> = {
  warm: 'Warm: one signing day, signing key cached, one URL at a time',
  cold: 'Cold: a new signing day for every URL (key derived each time), one at a time',
  concurrent: `Concurrent: batches of Promise.all over ${CONCURRENCY} URLs, signing key cached`,
};

export function modeMarkdown(res: ModeResult, impls: readonly Implementation[]): string {
  const base = summarize(res.samples[OURS_ASYNC]!).median;
  const baseCpu = summarize(res.cpu[OURS_ASYNC]!).median;
  const rows = impls.map((impl) => {
    const s = summarize(res.samples[impl.name]!);
    const c = summarize(res.cpu[impl.name]!);
    return [
      impl.floor ? `_${impl.name}_` : impl.name,
      impl.crypto,
      fmt(s.median / 1e3),
      fmt(1e9 / s.median, 0),
      spread(s),
      fmt(s.min / 1e3),
      `${(s.median / base).toFixed(2)}×`,
      fmt(c.median / 1e3),
      spread(c),
      `${(c.median / baseCpu).toFixed(2)}×`,
    ];
  });
  return [
    `### ${MODE_TITLE[res.mode]}`,
    '',
    table(
      [
        'implementation',
        'crypto',
        'wall µs/URL',
        'URLs/s',
        'spread',
        'best round µs',
        'wall vs presignUrl',
        'CPU µs/URL',
        'spread',
        'CPU vs presignUrl',
      ],
      rows,
      'llrrrrrrrr',
    ),
    '',
    `${Object.values(res.samples)[0]!.length} rounds of about ${fmt(Math.round(median(Object.entries(res.batchSizes).map(([k, n]) => (n * summarize(res.samples[k]!).median) / 1e6))), 0)} ms per batch in ` +
      `${res.seconds.toFixed(1)} s; process CPU time / wall time over the timed batches ${res.cpuShare.toFixed(2)} ` +
      "(above 1: V8's GC and compiler threads and libuv's pool worked alongside the main thread; below 1: it waited).",
  ].join('\n');
}

const median = (xs: readonly number[]): number => summarize(xs).median;

export interface Target {
  readonly target: string;
  /** The ratio it must reach. */
  readonly goal: Goal;
  /** Median of per-round ratios, wall-clock. */
  readonly wall: Summary;
  /** The same on process CPU time, which other processes on the machine disturb less. */
  readonly cpu: Summary;
  /** Ratio of the two best rounds (wall-clock): the least disturbed estimate. */
  readonly best: number;
  readonly met: (ratio: number) => boolean;
}

export function targets(warm: ModeResult): Target[] {
  const both = (a: string, b: string): { wall: Summary; cpu: Summary; best: number } => ({
    wall: pairedRatio(warm, a, b),
    cpu: pairedRatio(warm, a, b, 'cpu'),
    best: Math.min(...warm.samples[a]!) / Math.min(...warm.samples[b]!),
  });
  const fresh = '(new credentials object per call)';
  const list: Omit<Target, 'met'>[] = [
    {
      target: '`presignUrl` time ≤ 1.25 × Web Crypto floor',
      goal: { atMost: 1.25 },
      ...both(OURS_ASYNC, FLOOR_SUBTLE),
    },
    {
      target: `\`presignUrl\` ${fresh} time ≤ 1.25 × Web Crypto floor`,
      goal: { atMost: 1.25 },
      ...both(OURS_ASYNC_FRESH, FLOOR_SUBTLE),
    },
    { target: '`presignUrl` ≥ 2 × aws4fetch throughput', goal: { atLeast: 2 }, ...both(AWS4FETCH, OURS_ASYNC) },
    {
      target: `\`presignUrl\` ${fresh} ≥ 2 × aws4fetch throughput`,
      goal: { atLeast: 2 },
      ...both(AWS4FETCH, OURS_ASYNC_FRESH),
    },
    { target: '`presignUrlSync` ≥ 2 × aws4 throughput', goal: { atLeast: 2 }, ...both(AWS4, OURS_SYNC) },
    {
      target: '`presignUrlSync` + injected node:crypto ≥ 2 × aws4 throughput',
      goal: { atLeast: 2 },
      ...both(AWS4, OURS_SYNC_NODE),
    },
    // Throughput with a new object over throughput with a reused one: the reused one's time over the new one's.
    ...CREDENTIAL_PAIRS.filter(([reused, made]) => warm.samples[reused] && warm.samples[made]).map(
      ([reused, made]) => ({
        target: `\`${reused.replace(/^sigv4 /, '')}\` ${fresh} ≥ 0.87 × its throughput with one reused`,
        goal: { atLeast: 0.87 },
        ...both(reused, made),
      }),
    ),
  ];
  return list.map((t) => ({ ...t, met: (r: number) => meets(t.goal, r) }));
}

export function targetTable(t: readonly Target[]): string {
  const cell = (s: Summary, met: boolean): string =>
    `${s.median.toFixed(2)}× (IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)}) ${met ? 'met' : '**missed**'}`;
  return table(
    ['target (warm)', 'wall-clock ratio', 'CPU-time ratio', 'best rounds'],
    t.map((x) => [
      x.target,
      cell(x.wall, x.met(x.wall.median)),
      cell(x.cpu, x.met(x.cpu.median)),
      `${x.best.toFixed(2)}× ${x.met(x.best) ? 'met' : '**missed**'}`,
    ]),
    'llll',
  );
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      rounds: { type: 'string', default: '25' },
      'batch-ms': { type: 'string', default: '30' },
      modes: { type: 'string', default: 'warm,cold,concurrent' },
      'no-save': { type: 'boolean', default: false },
    },
  });
  const rounds = Number(args.rounds);
  const batchMs = Number(args['batch-ms']);
  const modes = args.modes.split(',') as Mode[];
  const load0 = loadavg();

  const g = await gate(SIGNERS);
  for (const [name, why] of g.failed) console.error(`NOT TIMED: ${name} does not presign identically: ${why}`);
  const signers = SIGNERS.filter((s) => g.passed.includes(s.name));
  if (!signers.some((s) => s.name === OURS_ASYNC)) throw new Error('sigv4 itself failed the gate');
  prepareFloors(KEYS);

  const results: ModeResult[] = [];
  const sections: string[] = [];
  for (const mode of modes) {
    // Header signing is timed warm only; a new credentials object per call matters only once the key is cached.
    const impls =
      mode === 'cold'
        ? signers.filter((s) => !s.header && !s.fresh)
        : mode === 'concurrent'
          ? [...signers.filter((s) => !s.header), ...FLOORS]
          : [...signers, ...FLOORS];
    console.error(`${mode}: ${impls.length} implementations × ${rounds} rounds…`);
    const res = await runMode(mode, impls, rounds, batchMs);
    results.push(res);
    const md = modeMarkdown(res, impls);
    sections.push(md);
    console.log(md + '\n');
  }
  const warm = results.find((r) => r.mode === 'warm');
  const t = warm ? targets(warm) : [];
  const load1 = loadavg();
  const md = [
    '## Throughput',
    '',
    'Presigning distinct S3 GET URLs (34-byte keys, `expiresIn` 86400) in one Node process. Every signer first presigned the ' +
      'S3 documentation example and the odd keys below identically to sigv4; one that does not is not timed. Rounds interleave ' +
      'the signers in a rotating order, each batch paying for its own garbage collection as an application would (a forced ' +
      'collection before each batch made every signer slower, by up to 3×, and unevenly); the figures are medians over rounds, the ' +
      'spread is half the interquartile range, and target ratios are medians of per-round ratios (both sides timed in the same round). ' +
      "Wall-clock time is the throughput; process CPU time (all threads, so Web Crypto's worker threads too) is shown beside it " +
      "because other processes on a shared machine inflate wall-clock time far more than CPU time. sigv4's entries run twice: " +
      'with one credentials object reused, and with a new one (the same strings) for every call, as a Worker that builds its ' +
      'credentials from `env` in its handler passes them (rows "…, new credentials object per call"; not in the cold mode, where ' +
      'every call derives a key anyway). `sigv4 signRequest` signs the same GET in an Authorization header (warm mode only); the ' +
      'gate holds it to `signRequestSync`.',
    '',
    `Load average before: ${load0.map((x) => x.toFixed(2)).join(', ')}; after: ${load1.map((x) => x.toFixed(2)).join(', ')}.`,
    '',
    ...(t.length ? ['### Targets', '', targetTable(t), ''] : []),
    ...sections.flatMap((s) => [s, '']),
    '### Identical output (the gate)',
    '',
    g.markdown,
    '',
    "The floors hash sigv4's canonical request for the same key (built outside the timed loop) and HMAC the string to sign " +
      'with a cached key, hex-encoding both results: the work any signer of that kind cannot avoid.',
  ].join('\n');
  if (t.length) console.log(targetTable(t));
  if (!args['no-save'])
    saveSection('throughput', md, {
      results,
      targets: t.map(({ met: _, ...x }) => x),
      gate: { passed: g.passed, failed: Object.fromEntries(g.failed) },
      load: [load0, load1],
      sink,
    });
  console.error(`(checksum ${sink})`);
}

if (isMain(import.meta.url)) await main();
