// What every bench script shares: the S3 documentation example, statistics, the machine description, markdown.
// No peer is imported here, so size.ts (and a test that reuses it) can load this file with only esbuild installed.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = resolve(BENCH_DIR, '..');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

// The S3 documentation example ("Authenticating Requests: Using Query Parameters", GET Object).
export const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const BUCKET = 'examplebucket';
export const HOST = 'examplebucket.s3.amazonaws.com';
export const BASE_URL = `https://${HOST}/`;
export const REGION = 'us-east-1';
export const SERVICE = 's3';
export const DOC_DATE = new Date('2013-05-24T00:00:00Z');
export const DOC_AMZ_DATE = '20130524T000000Z';
export const DOC_EXPIRES = 86400;
export const DOC_KEY = 'test.txt';
export const DOC_SIGNATURE = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

/** A signing time, in the forms the signers take it: a Date, or the X-Amz-Date text. */
export interface When {
  readonly date: Date;
  readonly amz: string;
}

export const toWhen = (date: Date): When => ({ date, amz: date.toISOString().replace(/[-:]|\.\d{3}/g, '') });

/** An S3 object key, raw (for APIs that take a key) and encoded as a URL path (for APIs that take a URL). */
export interface Key {
  readonly raw: string;
  readonly enc: string;
}

/** RFC 3986 encoding of one path segment (what S3 expects; `/` separates segments and is kept). */
const encodeSegment = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
export const toKey = (raw: string): Key => ({ raw, enc: raw.split('/').map(encodeSegment).join('/') });

// ---------------------------------------------------------------------------------------------------- statistics

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface Summary {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    min: s[0]!,
    max: s[s.length - 1]!,
    n: s.length,
  };
}

/** A target's goal for a ratio: at most `atMost`, or at least `atLeast`. */
export type Goal = { readonly atMost: number } | { readonly atLeast: number };

/** Whether a ratio reaches a goal. */
export const meets = (goal: Goal, ratio: number): boolean =>
  'atMost' in goal ? ratio <= goal.atMost : ratio >= goal.atLeast;

/** Half the interquartile range, as a percentage of the median. */
export const spread = (s: Summary): string => `±${((50 * (s.q3 - s.q1)) / s.median).toFixed(1)}%`;

export const fmt = (x: number, digits = 2): string =>
  !Number.isFinite(x) ? String(x) : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits);

// ---------------------------------------------------------------------------------------------------- the machine

export function machine(): Record<string, string> {
  let os: string = `${process.platform} ${process.arch}`;
  try {
    const rel = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m);
    if (rel) os = `${rel[1]} (${os})`;
  } catch {
    // not Linux: the platform name will do
  }
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // no coreutils: the number of CPUs Node sees
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    os,
    cpu: cpus()[0]?.model ?? 'unknown',
    nproc,
    'load average (1, 5, 15 min)': loadavg()
      .map((x) => x.toFixed(2))
      .join(', '),
  };
}

/** Versions of the packages the bench measures, read from their installed package.json. */
export function versions(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    for (const dir of [join(BENCH_DIR, 'node_modules', name), join(ROOT_DIR, 'node_modules', name)]) {
      if (existsSync(join(dir, 'package.json'))) {
        out[name] = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
        break;
      }
    }
  }
  return out;
}

/** A short digest of every file in src/, naming the exact code measured when it is not committed. */
function srcDigest(): string {
  const h = createHash('sha256');
  const dir = join(ROOT_DIR, 'src');
  for (const f of readdirSync(dir).sort())
    if (f.endsWith('.ts'))
      h.update(f)
        .update('\0')
        .update(readFileSync(join(dir, f)))
        .update('\0');
  return h.digest('hex').slice(0, 12);
}

export function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string };
  let commit = '';
  try {
    commit = execFileSync('git', ['-C', ROOT_DIR, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', ROOT_DIR, 'status', '--porcelain', '--', 'src'], {
      encoding: 'utf8',
    }).trim();
    if (dirty) commit += ` + uncommitted changes in src/ (content ${srcDigest()})`;
  } catch {
    // not a git checkout
  }
  return commit ? `${pkg.version} (${commit})` : pkg.version;
}

// ---------------------------------------------------------------------------------------------------- output

export function table(head: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const a = align ?? 'l' + 'r'.repeat(head.length - 1);
  const sep = [...a].map((c) => (c === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Writes one section of RESULTS.md, for report.ts to put together. */
export function saveSection(name: string, markdown: string, data?: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.md.tmp`), markdown.trimEnd() + '\n');
  if (data !== undefined) writeFileSync(join(RESULTS_DIR, `${name}.json.tmp`), JSON.stringify(data, null, 2) + '\n');
}

export const isMain = (url: string): boolean =>
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(url);
