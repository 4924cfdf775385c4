// Where sigv4's time goes: runs presignUrl and presignUrlSync (warm, distinct keys) in a child process under V8's CPU
// profiler (the one `node --cpu-prof` starts, here started through node:inspector after a warm-up, so loading and
// JIT compilation stay out of it), then sums the profile's samples by function (self time) and by source file. The child runs src/
// transpiled file by file with esbuild into plain JS (tsx would put each file on one line, and its loader would show
// in the profile), so each function can be shown with its line.
//
//   tsx profile.ts [--seconds 6] [--only presignUrlSync]

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { build } from 'esbuild';

import {
  BASE_URL,
  CREDENTIALS,
  DOC_DATE,
  DOC_EXPIRES,
  fmt,
  isMain,
  REGION,
  RESULTS_DIR,
  ROOT_DIR,
  saveSection,
  SERVICE,
  table,
} from './common.js';

const TARGETS = ['presignUrl', 'presignUrlSync'] as const;
type TargetName = (typeof TARGETS)[number];

/** The child: presigns distinct keys for `seconds`, the way throughput.ts's warm mode does. */
async function child(target: TargetName, seconds: number, libDir: string, out: string): Promise<void> {
  const lib = (await import(pathToFileURL(join(libDir, 'index.js')).href)) as typeof import('../src/index.js');
  const keys = Array.from({ length: 4096 }, (_, i) => `photos/2013/05/24/IMG_${String(i).padStart(6, '0')}.jpg`);
  const options = (i: number) => ({
    url: BASE_URL + keys[i & 4095],
    service: SERVICE,
    region: REGION,
    credentials: CREDENTIALS,
    signingDate: DOC_DATE,
    expiresIn: DOC_EXPIRES,
  });
  let n = 0;
  let sink = 0;
  const run = async (ms: number): Promise<void> => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let j = 0; j < 256; j++, n++) {
        sink +=
          target === 'presignUrlSync'
            ? lib.presignUrlSync(options(n)).url.length
            : (await lib.presignUrl(options(n))).url.length;
      }
    }
  };
  // The loop stays unoptimized, so V8 inlines no sigv4 function into it and each sample is charged to sigv4's own
  // functions, not to the loop (the child runs with --allow-natives-syntax for this).
  (new Function('f', '%NeverOptimizeFunction(f)') as (f: unknown) => void)(run);
  await run(1500); // warm-up: JIT, the signing key cache
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  const before = n;
  await run(seconds * 1000);
  const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  writeFileSync(out, JSON.stringify(profile));
  console.log(JSON.stringify({ n: n - before, sink }));
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

interface Summary {
  readonly target: string;
  readonly urls: number;
  readonly totalMs: number;
  readonly byFunction: { name: string; where: string; ms: number }[];
  readonly byFile: { file: string; ms: number }[];
  readonly inclusive: { name: string; where: string; ms: number }[];
}

const SRC_JS = /\/src\/([^/]+)\.js$/;
const lines = new Map<string, string[]>();
/** The function's place: for sigv4, its file and the first words of its line in the transpiled JS. */
const where = (url: string, line: number): string => {
  if (!url) return '(native)';
  const m = SRC_JS.exec(url);
  if (m) {
    let text = lines.get(url);
    if (!text) lines.set(url, (text = readFileSync(fileURLToPath(url), 'utf8').split('\n')));
    const code = (text[line] ?? '').trim().replace(/\|/g, '\\|');
    return `src/${m[1]}.ts \`${code.length > 60 ? code.slice(0, 57) + '…' : code}\``;
  }
  if (url.startsWith('node:')) return url;
  return basename(url);
};
const fileOf = (url: string): string => {
  if (!url) return '(native, GC and idle)';
  const m = SRC_JS.exec(url);
  return m
    ? `src/${m[1]}.ts`
    : url.startsWith('node:')
      ? 'node: internals'
      : /\/bench\//.test(url)
        ? 'bench (the loop)'
        : '(other JS)';
};

export function summarizeProfile(target: string, urls: number, profile: CpuProfile): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((s, x) => s + x, 0);

  const fn = new Map<string, { name: string; where: string; ms: number }>();
  const file = new Map<string, number>();
  const incl = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const w = where(url, lineNumber);
    const k = `${name}@${w}`;
    const e = fn.get(k) ?? { name, where: w, ms: 0 };
    e.ms += us / 1e3;
    fn.set(k, e);
    file.set(fileOf(url), (file.get(fileOf(url)) ?? 0) + us / 1e3);
    // inclusive: every distinct function on the stack gets the sample once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      if (!SRC_JS.test(cf.url)) continue;
      const ik = `${cf.functionName || '(anonymous)'}@${where(cf.url, cf.lineNumber)}`;
      if (seen.has(ik)) continue;
      seen.add(ik);
      const ie = incl.get(ik) ?? { name: cf.functionName || '(anonymous)', where: where(cf.url, cf.lineNumber), ms: 0 };
      ie.ms += us / 1e3;
      incl.set(ik, ie);
    }
  }
  return {
    target,
    urls,
    totalMs: total / 1e3,
    byFunction: [...fn.values()].sort((a, b) => b.ms - a.ms),
    byFile: [...file].map(([f, ms]) => ({ file: f, ms })).sort((a, b) => b.ms - a.ms),
    inclusive: [...incl.values()].sort((a, b) => b.ms - a.ms),
  };
}

function markdown(s: Summary): string {
  const pct = (ms: number): string => `${((100 * ms) / s.totalMs).toFixed(1)}%`;
  const perUrl = (ms: number): string => fmt((ms * 1e3) / s.urls);
  return [
    `### ${s.target}: ${s.urls.toLocaleString('en-US')} URLs, ${fmt(s.totalMs, 0)} ms of samples (${fmt((s.totalMs * 1e3) / s.urls)} µs per URL)`,
    '',
    'Self time by file:',
    '',
    table(
      ['file', 'share', 'µs/URL'],
      s.byFile.slice(0, 12).map((f) => [f.file, pct(f.ms), perUrl(f.ms)]),
    ),
    '',
    'Self time by function (top 20):',
    '',
    table(
      ['function', 'where', 'share', 'µs/URL'],
      s.byFunction.slice(0, 20).map((f) => [`\`${f.name}\``, f.where, pct(f.ms), perUrl(f.ms)]),
    ),
    '',
    "Inclusive time of sigv4's functions (top 15):",
    '',
    table(
      ['function', 'where', 'share', 'µs/URL'],
      s.inclusive.slice(0, 15).map((f) => [`\`${f.name}\``, f.where, pct(f.ms), perUrl(f.ms)]),
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      seconds: { type: 'string', default: '6' },
      only: { type: 'string' },
      child: { type: 'string' },
      lib: { type: 'string' },
      out: { type: 'string' },
      'no-save': { type: 'boolean', default: false },
    },
  });
  if (args.child) return child(args.child as TargetName, Number(args.seconds), args.lib!, args.out!);
  const dir = join(RESULTS_DIR, 'profiles.tmp');
  const libDir = join(RESULTS_DIR, 'profile-lib.tmp', 'src');
  rmSync(libDir, { recursive: true, force: true });
  // Every file of src/ and its rooms (src/core, src/sign, …) but the command line, each transpiled where it is.
  const entryPoints = readdirSync(join(ROOT_DIR, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith('cli/'))
    .map((f) => join(ROOT_DIR, 'src', f));
  await build({
    entryPoints,
    outdir: libDir,
    outbase: join(ROOT_DIR, 'src'),
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    bundle: false,
    logLevel: 'warning',
  });
  const sections: string[] = [
    '## Profile',
    '',
    `V8's CPU profiler (as \`node --cpu-prof\`, 100 µs sampling) over ${args.seconds} s of warm presigning after a 1.5 s warm-up (distinct keys, signing key cached), sampled self time summed by ` +
      'function and file, on the main thread. sigv4 runs as plain JS transpiled file by file (esbuild), and each of its functions is ' +
      'shown with the first words of its line there. The loop is kept unoptimized so that V8 inlines none of sigv4 into it. ' +
      '"(program)" is V8 and native work outside JavaScript, "(garbage collector)" is GC, "(idle)" is the main thread ' +
      "waiting (for Web Crypto's worker threads); native entries without a script (such as `run`) are V8 or Node builtins. " +
      'The profiled run is alone, not interleaved, so on a busy machine its µs per URL run higher than the throughput ' +
      'medians: read the shares.',
  ];
  const summaries: Summary[] = [];
  for (const target of TARGETS.filter((t) => !args.only || t === args.only)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const run = spawnSync(
      process.execPath,
      [
        '--allow-natives-syntax',
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--child',
        target,
        '--seconds',
        String(args.seconds),
        '--lib',
        libDir,
        '--out',
        join(dir, `${target}.cpuprofile`),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (run.status !== 0) throw new Error(`profiling ${target} failed with status ${run.status}`);
    const { n } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { n: number };
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    const s = summarizeProfile(target, n, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    summaries.push(s);
    const md = markdown(s);
    sections.push('', md);
    console.log(md + '\n');
  }
  if (!args['no-save']) saveSection('profile', sections.join('\n'), summaries);
}

if (isMain(import.meta.url)) await main();
