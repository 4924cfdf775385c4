// Puts RESULTS.md together from the sections the other scripts left in results/*.tmp, with the machine, the
// versions and a summary of the targets on top; and writes the size and speed section of docs/performance.md
// section, from the same run.
//
//   tsx report.ts [--out RESULTS.md] [--docs ../docs/performance.md]

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  BENCH_DIR,
  fmt,
  machine,
  meets,
  ownVersion,
  RESULTS_DIR,
  ROOT_DIR,
  summarize,
  table,
  versions,
  type Goal,
} from './common.js';

const PEERS = [
  'aws4fetch',
  'aws4',
  '@smithy/signature-v4',
  '@smithy/signature-v4a',
  '@smithy/protocol-http',
  '@aws-crypto/sha256-browser',
  '@aws-crypto/sha256-js',
  '@smithy/hash-node',
  '@aws-sdk/s3-request-presigner',
  '@aws-sdk/client-s3',
  'esbuild',
  'tsx',
];

const read = (name: string): string | undefined => {
  const p = join(RESULTS_DIR, name);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
};

interface Ratio {
  median: number;
  q1: number;
  q3: number;
}

/** The targets of issues 4 and 14 against this run, as a table (empty when the run left no results). */
function targetTable(): string | undefined {
  const tp = read('throughput.json.tmp');
  const rows: string[][] = [];
  if (tp) {
    const { targets } = JSON.parse(tp) as {
      targets: { target: string; goal: Goal; wall: Ratio; cpu: Ratio; best: number }[];
    };
    for (const t of targets) {
      const ok = (r: number): boolean => meets(t.goal, r);
      rows.push([
        t.target + ' (warm)',
        `${t.wall.median.toFixed(2)}× ${ok(t.wall.median) ? 'met' : '**missed**'}`,
        `${t.cpu.median.toFixed(2)}× ${ok(t.cpu.median) ? 'met' : '**missed**'}`,
        `${t.best.toFixed(2)}× ${ok(t.best) ? 'met' : '**missed**'}`,
      ]);
    }
  }
  const size = read('size.json.tmp');
  if (size) {
    const { own, budgets } = JSON.parse(size) as {
      own: { name: string; gzip: number }[];
      budgets: Record<string, number>;
    };
    for (const [name, max] of Object.entries(budgets)) {
      const row = own.find((r) => r.name === name);
      if (!row) continue;
      const label =
        name === 'everything'
          ? 'whole library'
          : name.endsWith(' everything')
            ? `whole \`${name.split(' ')[0]}\` entry`
            : `\`${name}\` alone`;
      const cell = `${row.gzip.toLocaleString('en-US')} B ${row.gzip <= max ? 'met' : '**missed**'}`;
      rows.push([`${label} ≤ ${max.toLocaleString('en-US')} B min+gzip`, cell, cell, cell]);
    }
  }
  return rows.length
    ? table(
        [
          'target',
          'wall clock (median per-round ratio)',
          'CPU time (median per-round ratio)',
          'ratio of the best rounds (wall clock)',
        ],
        rows,
        'llll',
      )
    : undefined;
}

/** The sizes of the reference bundles (a presign from the bare stage functions), as a sentence. */
function referenceNote(): string | undefined {
  const size = read('size.json.tmp');
  const refs = size ? (JSON.parse(size) as { references?: { name: string; gzip: number }[] }).references : undefined;
  if (!refs?.length) return undefined;
  const [bare, cached, written] = refs.map((r) => r.gzip.toLocaleString('en-US'));
  return (
    `For scale: a presign assembled from sigv4's exported stage functions with no option reading at all (no validation, ` +
    `no error messages) weighs ${bare} B min+gzip with the key derived on every call, and ${cached} B with the key cache; ` +
    `one written for size from scratch, still correct for S3 and other services but checking no option, ${written ?? '—'} B ` +
    '(sources in `bench/size.ts`, each checked against the S3 documentation example). What `presignUrl` and ' +
    '`sigv4/lite` weigh beyond that is reading and validating their options.'
  );
}

function summary(): string[] {
  const t = targetTable();
  return t ? ['## Targets (issues 4 and 14)', '', t, '', ...(referenceNote() ? [referenceNote()!, ''] : [])] : [];
}

interface ThroughputJson {
  results: { mode: string; names: string[]; samples: Record<string, number[]> }[];
}
interface SizeJson {
  own: { name: string; gzip: number; brotli: number; minified: number }[];
  peers: { name: string; gzip: number; brotli: number; minified: number; note?: string }[];
}

/** The docs/performance.md section: sizes, warm throughput, and the commands that reproduce them. */
function docs(m: Record<string, string>): string | undefined {
  const tp = read('throughput.json.tmp');
  const size = read('size.json.tmp');
  if (!tp || !size) return undefined;
  const { own, peers } = JSON.parse(size) as SizeJson;
  const { results } = JSON.parse(tp) as ThroughputJson;
  const lines = [
    '## Size and speed',
    '',
    'Measured by the scripts in `bench/` against aws4fetch, aws4, `@smithy/signature-v4` and the AWS SDK v3 presigner, ' +
      'which are installed in `bench/` only (the library itself has no dependencies). Before timing a signer, the bench ' +
      'checks that it presigns the S3 documentation example and a set of awkward keys with the same signature as sigv4.',
    '',
    '```sh',
    'cd bench && npm run bench        # npm ci of the pinned peers if needed, then about 3 minutes; writes bench/RESULTS.md and this section',
    'cd bench && npm run size         # the bundle sizes alone (npm test enforces a ceiling for each)',
    '```',
    '',
    'Bundle size: esbuild for the browser, minified and tree-shaken, bytes.',
    '',
    table(
      ['what you import', 'min+gzip', 'min+brotli'],
      [
        ...own.map((r) => [
          r.name.startsWith('sigv4/') ? `\`${r.name}\`` : `sigv4 \`${r.name}\``,
          r.gzip.toLocaleString('en-US'),
          r.brotli.toLocaleString('en-US'),
        ]),
        ...peers.map((r) => [
          r.name + (r.note?.startsWith('not for browsers') ? ' (Node only)' : ''),
          Number.isNaN(r.gzip) || r.gzip === null ? '—' : r.gzip.toLocaleString('en-US'),
          r.brotli === null || Number.isNaN(r.brotli) ? '—' : r.brotli.toLocaleString('en-US'),
        ]),
      ],
      'lrr',
    ),
  ];
  const warm = results.find((r) => r.mode === 'warm');
  if (warm) {
    const base = summarize(warm.samples['sigv4 presignUrl']!).median;
    lines.push(
      '',
      `Presigning distinct S3 GET URLs, one at a time, signing key cached: median of interleaved rounds in one Node ${m['node']} process on ` +
        `${m['nproc']} cores of an ${m['cpu']} (${m['date']!.slice(0, 10)}, a machine shared with other work: compare the ratios).`,
      '',
      table(
        ['signer', 'URLs per second', 'time vs `presignUrl`'],
        warm.names
          .filter((n) => !n.startsWith('floor'))
          .map((n) => {
            const med = summarize(warm.samples[n]!).median;
            return [n, fmt(1e9 / med, 0), `${(med / base).toFixed(2)}×`];
          }),
        'lrr',
      ),
      '',
      'A new signing day for every URL, batches of concurrent calls, the crypto floors, how the cost grows with key length ' +
        'and parameter count, and a profile are in [bench/RESULTS.md](../bench/RESULTS.md).',
    );
  }
  // The issues' targets are the project's own business: they are in RESULTS.md, not in the user docs.
  const note = referenceNote();
  if (note) lines.push('', note);
  return lines.join('\n') + '\n';
}

function main(): void {
  const { values: args } = parseArgs({
    options: {
      out: { type: 'string', default: join(BENCH_DIR, 'RESULTS.md') },
      docs: { type: 'string', default: join(ROOT_DIR, 'docs', 'performance.md') },
    },
  });
  const m = machine();
  const v = { 'sigv4 (this repo)': ownVersion(), ...versions(PEERS) };
  const sections = ['throughput', 'sigv4a', 'streaming', 'checksum', 'sweep', 'size', 'verify-load', 'profile']
    .map((s) => read(`${s}.md.tmp`))
    .filter((s): s is string => s !== undefined);
  const md = [
    '# sigv4 speed and size against its peers',
    '',
    'Generated by `bench/run.sh` (`cd bench && npm run bench`): it installs the pinned peers with `npm ci` (only when ' +
      'bench/node_modules is missing or older than the lockfile), then runs `throughput.ts`, `throughput-v4a.ts`, ' +
      '`streaming.ts`, `checksum.ts`, `sweep.ts`, `size.ts`, `verify-load.ts`, `profile.ts` and this report. Numbers from one machine; compare ratios, not absolute times.',
    '',
    table(
      ['', ''],
      Object.entries(m).map(([k, x]) => [k, x]),
      'll',
    ),
    '',
    'Load average is at the end of the run; the throughput section gives it before and after. A load above the number of ' +
      'cores means other processes were competing for the CPU: wall-clock times then grow for every signer, and the CPU-time ' +
      'columns are the steadier guide.',
    '',
    table(
      ['package', 'version'],
      Object.entries(v).map(([k, x]) => [k, x]),
      'll',
    ),
    '',
    ...summary(),
    ...sections.flatMap((s) => [s.trimEnd(), '']),
  ].join('\n');
  writeFileSync(args.out, md);
  console.log(`wrote ${args.out}`);
  const section = docs(m);
  if (section) {
    // The section sits between two markers; everything else in the file is left as it is.
    const readme = readFileSync(args.docs, 'utf8');
    const begin = readme.indexOf(PERF_BEGIN);
    const end = readme.indexOf(PERF_END);
    if (begin < 0 || end < begin) throw new Error(`${args.docs} has no ${PERF_BEGIN} … ${PERF_END} markers`);
    writeFileSync(
      args.docs,
      readme.slice(0, begin + PERF_BEGIN.length) +
        '\n' +
        section.replace(/^## Size and speed\n+/, '').trimEnd() +
        '\n' +
        readme.slice(end),
    );
    console.log(`wrote ${args.docs}`);
  }
}

const PERF_BEGIN = '<!-- perf:begin (written by bench/report.ts from the last `cd bench && npm run bench`) -->';
const PERF_END = '<!-- perf:end -->';

main();
