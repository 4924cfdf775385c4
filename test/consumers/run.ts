// Consumer checks: the package as users install it. `bash .ci/consumers.sh` (CI, after `npm test`) runs this file:
//
//   1. builds (npm run build) and packs (npm pack) the package, as `npm publish` would;
//   2. checks the tarball: every path package.json names (exports, main, types, typesVersions, bin) is in it;
//      every .js has a source map and every .d.ts a declaration map, whose sources are in it too (src/ ships);
//      every .js with declarations starts with Deno's @ts-self-types pragma; every relative link in its Markdown
//      files (README.md, docs/, examples/, …) finds its file, and its #anchor a heading there;
//   3. installs the tarball into a temp folder with `npm install --offline` (no registry: the package has no
//      dependencies), then runs the consumers below against it, two at a time. TypeScript, @types/node, Deno, Bun
//      and Vite come from this repository's node_modules (the lockfile); nothing is downloaded (every child
//      process gets a closed local port as its npm, Deno and Bun registry).
//
// Every consumer that runs code runs test/consumers/fixtures/app.ts, which signs AWS's documented S3 examples with
// both entries and verifies one, and must print exactly EXPECTED. The fixtures are compiled only here (the
// repository's tsconfig leaves them out: they import 'sigv4' as a user does, which resolves to the tarball).
//
//   tsx test/consumers/run.ts   SIGV4_CONSUMERS_KEEP=1 keeps the temp folder; SIGV4_CONSUMERS_JOBS=n runs n consumers at
//                               once (default 2); SIGV4_CONSUMERS_ONLY=deno,bun runs only those (refused under CI)

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fixtures = join(root, 'test/consumers/fixtures');
const tools = join(root, 'node_modules');
const tsc = join(tools, 'typescript/bin/tsc');

/** What app.ts's check() returns in every runtime: AWS's documented values (S3 API Reference, SigV4 examples). */
export const EXPECTED = {
  presignUrl:
    'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
  litePresignUrl:
    'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
  signRequest:
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  liteSignRequest:
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  keyCacheSignature: 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
  verifiedAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  invalidOptionCode: 'ERR_SIGV4_INVALID_OPTION',
} as const;

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Package registries for npm, Deno and Bun: a closed port on this machine, so anything that tried to download
 * would fail here instead of reaching the network.
 */
const NO_REGISTRY = {
  NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/',
  NPM_CONFIG_OFFLINE: 'true',
  BUN_CONFIG_REGISTRY: 'http://127.0.0.1:9/',
};

/** Runs a program to its end (at most two minutes), its output collected. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done, failed) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...NO_REGISTRY, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', failed);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Runs a program that must succeed; its stdout. */
async function ok(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await run(command, args, cwd, env);
  if (r.code !== 0) {
    throw new Error(`${[command, ...args].join(' ')} (in ${cwd}) exited ${r.code}\n${r.stdout}${r.stderr}`.trim());
  }
  return r.stdout;
}

/** The last line of a program's output, read as check()'s JSON and compared with EXPECTED. */
function expectChecked(stdout: string, what: string): void {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  let got: unknown;
  try {
    got = JSON.parse(line);
  } catch {
    throw new Error(`${what}: expected check()'s JSON, got ${JSON.stringify(stdout.slice(0, 500))}`);
  }
  const want = JSON.stringify(EXPECTED);
  if (JSON.stringify(got) !== want) throw new Error(`${what}: expected\n  ${want}\ngot\n  ${JSON.stringify(got)}`);
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------------------------
// The tarball

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly main?: string;
  readonly types?: string;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly exports?: unknown;
  readonly typesVersions?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** Every path a package.json points to: exports (all conditions), main, types, typesVersions, bin. */
export function packageTargets(pkg: PackageJson): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.main);
  walk(pkg.types);
  walk(pkg.bin);
  for (const map of Object.values(pkg.typesVersions ?? {})) walk(map);
  return [...new Set(found.map((p) => posix.normalize(p)))];
}

/** GitHub's anchor for a heading's text: lowercase, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*]/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a Markdown text defines: its headings' slugs (repeats numbered as GitHub does) and HTML ids. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  // Headings keep their inline code: GitHub's anchor of "## `f(x)`" is "fx".
  for (const line of withoutCode(markdown, false).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      found.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) found.add(m[1]!);
  }
  return found;
}

/** The text with fenced code blocks and inline code spans blanked (lines kept). */
function withoutCode(markdown: string, inline = true): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence !== undefined) {
        if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        return '';
      }
      if (marker !== undefined) {
        fence = marker;
        return '';
      }
      return inline ? line.replace(/(`+)(?:(?!\1).)+?\1/g, '') : line;
    })
    .join('\n');
}

/** The relative link targets of a Markdown text (inline links and images, reference definitions, HTML href/src). */
export function relativeLinks(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets = [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\s(?:href|src)="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return targets.filter((t) => !/^(?:[a-z][a-z0-9+.-]*:|\/)/i.test(t));
}

/** What is wrong with a packed package (`files`: its paths, relative to the package folder `dir`). */
export function checkPackage(dir: string, files: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const read = (path: string): string => readFileSync(join(dir, path), 'utf8');
  const isDir = (path: string): boolean => [...files].some((f) => f.startsWith(path.replace(/\/?$/, '/')));
  const pkg = JSON.parse(read('package.json')) as PackageJson;
  for (const target of packageTargets(pkg)) {
    if (!files.has(target)) problems.push(`package.json points to ${target}, which is not in the tarball`);
  }
  for (const file of files) {
    if (/\.(?:js|d\.ts)$/.test(file) && file.startsWith('dist/')) {
      const map = `${file}.map`;
      if (!files.has(map)) {
        problems.push(`${file} has no ${map}`);
      } else {
        const { sources, sourceRoot = '' } = JSON.parse(read(map)) as { sources: string[]; sourceRoot?: string };
        for (const source of sources) {
          const path = posix.join(posix.dirname(file), sourceRoot, source);
          if (!files.has(path)) problems.push(`${map} maps to ${path}, which is not in the tarball`);
        }
      }
      const dts = file.replace(/\.js$/, '.d.ts');
      if (file.endsWith('.js') && files.has(dts)) {
        const pragma = `/* @ts-self-types="./${posix.basename(dts)}" */`;
        if (read(file).split('\n', 1)[0] !== pragma) problems.push(`${file} does not start with ${pragma}`);
      }
    }
    if (file.endsWith('.md')) {
      for (const link of relativeLinks(read(file))) {
        const [rawPath = '', fragment] = link.split('#', 2) as [string, string | undefined];
        const path = rawPath === '' ? file : posix.join(posix.dirname(file), decodeURIComponent(rawPath));
        if (!files.has(path) && !isDir(path)) {
          problems.push(`${file} links to ${link}: ${path} is not in the tarball`);
        } else if (fragment && path.endsWith('.md') && files.has(path) && !anchors(read(path)).has(fragment)) {
          problems.push(`${file} links to ${link}: ${path} has no heading with that anchor`);
        }
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// The consumers

interface Consumer {
  readonly name: string;
  /** What it passing proves. */
  readonly proves: string;
  readonly run: () => Promise<void>;
}

const STRICT = {
  target: 'es2022',
  lib: ['es2022'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  noEmitOnError: true,
  forceConsistentCasingInFileNames: true,
};

/** A TypeScript project: package.json of `type`, tsconfig.json, the fixtures; compiled with the repo's tsc. */
async function typescript(
  work: string,
  name: string,
  type: 'module' | 'commonjs',
  compilerOptions: Record<string, unknown>,
  files: readonly string[],
): Promise<string> {
  const dir = join(work, 'consumers', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type }));
  const options = { ...STRICT, outDir: 'out', ...compilerOptions };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files }, null, 2));
  for (const file of files) cpSync(join(fixtures, file), join(dir, file));
  const r = await run(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], dir);
  if (r.code !== 0) throw new Error(`tsc (${name}) failed:\n${r.stdout}${r.stderr}`.trim());
  return dir;
}

function consumers(work: string, pkg: PackageJson): Consumer[] {
  const nodeTypes = { types: ['node'] };
  return [
    {
      name: 'strict-es2022',
      proves:
        'the declarations compile with lib es2022 alone (no DOM, no @types/node), strict, skipLibCheck false, verbatimModuleSyntax; headers.authorization is a string',
      run: async () => {
        await typescript(
          work,
          'strict-es2022',
          'module',
          { module: 'nodenext', types: [], noEmit: true, verbatimModuleSyntax: true },
          ['app.ts'],
        );
      },
    },
    {
      name: 'class-globals',
      proves:
        'with Web globals declared as classes (as workers-types does), they are accepted as options and handed back unchanged (the POST file, the signal, the CryptoKey)',
      run: async () => {
        await typescript(work, 'class-globals', 'module', { module: 'nodenext', types: [], noEmit: true }, [
          'app.ts',
          'classes.d.ts',
          'classes.ts',
        ]);
      },
    },
    {
      name: 'bundler',
      proves:
        'moduleResolution bundler with the DOM lib: DOM objects in, DOM types out (fetch body, crypto.subtle, AbortSignal)',
      run: async () => {
        await typescript(
          work,
          'bundler',
          'module',
          {
            module: 'esnext',
            moduleResolution: 'bundler',
            lib: ['es2022', 'dom', 'dom.iterable'],
            types: [],
            noEmit: true,
          },
          ['app.ts', 'dom.ts'],
        );
      },
    },
    {
      name: 'nodenext-esm',
      proves:
        'TypeScript nodenext ESM with @types/node (no DOM) type-checks, and its output runs on Node with the documented signatures',
      run: async () => {
        const dir = await typescript(work, 'nodenext-esm', 'module', { module: 'nodenext', ...nodeTypes }, [
          'app.ts',
          'main.ts',
          'node.ts',
        ]);
        expectChecked(await ok(process.execPath, ['out/main.js'], dir), 'node (ESM)');
      },
    },
    {
      name: 'nodenext-cjs',
      proves: `a CommonJS TypeScript project (nodenext) requires the ESM package: require(esm) on Node ${process.version} (process.features.require_module: ${String(process.features.require_module)})`,
      run: async () => {
        const dir = await typescript(work, 'nodenext-cjs', 'commonjs', { module: 'nodenext', ...nodeTypes }, [
          'app.ts',
          'main.ts',
        ]);
        if (!readFileSync(join(dir, 'out/app.js'), 'utf8').includes('require("sigv4")')) {
          throw new Error('nodenext-cjs: out/app.js does not require("sigv4"): not compiled to CommonJS');
        }
        expectChecked(await ok(process.execPath, ['out/main.js'], dir), 'node (CommonJS)');
      },
    },
    {
      name: 'node10',
      proves:
        'moduleResolution node10 (no exports support) finds sigv4 and sigv4/lite through types and typesVersions; its CommonJS output runs',
      run: async () => {
        const dir = await typescript(
          work,
          'node10',
          'commonjs',
          { module: 'commonjs', moduleResolution: 'node10', ...nodeTypes },
          ['app.ts', 'main.ts'],
        );
        expectChecked(await ok(process.execPath, ['out/main.js'], dir), 'node (node10 CommonJS)');
      },
    },
    {
      name: 'deno',
      proves:
        'Deno type-checks (deno run --check) and runs the package imported by name (node_modules), by path and by http URL (the @ts-self-types pragmas), offline',
      run: async () => {
        const dir = join(work, 'consumers', 'deno');
        mkdirSync(dir, { recursive: true });
        const served = join(work, 'node_modules', pkg.name);
        const server = createServer((request, response) => {
          const path = join(served, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
          if (!path.startsWith(served + '/') || !existsSync(path)) {
            response.writeHead(404).end();
            return;
          }
          const type = path.endsWith('.ts')
            ? 'application/typescript'
            : extname(path) === '.js'
              ? 'text/javascript'
              : 'application/octet-stream';
          response.writeHead(200, { 'content-type': type }).end(readFileSync(path));
        });
        await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
        const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
          // By path: a copy of the package outside node_modules, as a project that vendors it has. (Deno reads a
          // file under node_modules as part of an npm package, typed through its package.json, not its pragma.)
          cpSync(served, join(work, 'vendor', pkg.name), { recursive: true });
          const app = readFileSync(join(fixtures, 'app.ts'), 'utf8');
          const variants = {
            bare: ['sigv4', 'sigv4/lite'],
            path: ['../../vendor/sigv4/dist/index.js', '../../vendor/sigv4/dist/lite.js'],
            url: [`http://${host}/dist/index.js`, `http://${host}/dist/lite.js`],
          };
          for (const [variant, [full, lite]] of Object.entries(variants)) {
            const text = app.replace(/from 'sigv4\/lite'/, `from '${lite}'`).replace(/from 'sigv4'/, `from '${full}'`);
            if (!text.includes(full!) || !text.includes(lite!)) throw new Error(`deno: app.ts imports changed`);
            writeFileSync(join(dir, `app.${variant}.ts`), text);
          }
          writeFileSync(
            join(dir, 'main.ts'),
            [
              ...Object.keys(variants).map((v) => `import { check as ${v} } from './app.${v}.ts';`),
              `const results = [${Object.keys(variants)
                .map((v) => `await ${v}()`)
                .join(', ')}];`,
              'for (const r of results) console.log(JSON.stringify(r));',
            ].join('\n'),
          );
          const deno = join(tools, '.bin/deno');
          const env = { DENO_DIR: join(work, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' };
          const out = await ok(deno, ['run', '--check', `--allow-import=${host}`, 'main.ts'], dir, env);
          const lines = out.trim().split('\n');
          if (lines.length !== 3) throw new Error(`deno: expected 3 results, got:\n${out}`);
          lines.forEach((line, i) => expectChecked(line, `deno (${Object.keys(variants)[i]} import)`));
        } finally {
          server.close();
        }
      },
    },
    {
      name: 'bun',
      proves: 'Bun runs the package imported by name, with the documented signatures',
      run: async () => {
        const dir = join(work, 'consumers', 'bun');
        mkdirSync(dir, { recursive: true });
        for (const file of ['app.ts', 'main.ts']) cpSync(join(fixtures, file), join(dir, file));
        expectChecked(await ok(join(tools, '.bin/bun'), ['--no-install', 'run', 'main.ts'], dir), 'bun');
      },
    },
    {
      name: 'vite',
      proves:
        'a Vite production build (browser resolution, minified) bundles both entries from the tarball; the bundle imports nothing and runs with the documented signatures',
      run: async () => {
        const dir = join(work, 'consumers', 'vite');
        mkdirSync(dir, { recursive: true });
        cpSync(join(fixtures, 'app.ts'), join(dir, 'app.ts'));
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ name: 'consumer-vite', private: true, type: 'module' }),
        );
        const script = [
          "import { build } from 'vite';",
          'await build({',
          `  root: ${JSON.stringify(dir)}, configFile: false, logLevel: 'warn',`,
          "  build: { lib: { entry: 'app.ts', formats: ['es'], fileName: 'app' }, outDir: 'out', target: 'es2022', minify: true },",
          '});',
        ].join('\n');
        // Run from the repository, where vite resolves; the consumer's imports resolve from its own folder.
        await ok(process.execPath, ['--input-type=module', '-e', script], root);
        // Run alone, in a folder with no node_modules above it: an import left in the bundle would fail there.
        const alone = mkdtempSync(join(tmpdir(), 'sigv4-vite-bundle-'));
        try {
          cpSync(join(dir, 'out/app.js'), join(alone, 'app.mjs'));
          const runIt = "import('./app.mjs').then((m) => m.check()).then((r) => console.log(JSON.stringify(r)))";
          expectChecked(await ok(process.execPath, ['--input-type=module', '-e', runIt], alone), 'vite bundle');
        } finally {
          rmSync(alone, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'cli-bin',
      proves: 'npm linked the sigv4 command, and it runs (--version is the package version)',
      run: async () => {
        const out = (await ok(join(work, 'node_modules/.bin/sigv4'), ['--version'], work)).trim();
        if (out !== pkg.version)
          throw new Error(`sigv4 --version: expected ${pkg.version}, got ${JSON.stringify(out)}`);
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'sigv4-consumers-'));
  const keep = process.env['SIGV4_CONSUMERS_KEEP'] === '1';
  const jobs = Math.max(1, Number(process.env['SIGV4_CONSUMERS_JOBS'] ?? 2));
  let failed = 0;
  try {
    const version = (name: string): string =>
      (JSON.parse(readFileSync(join(tools, name, 'package.json'), 'utf8')) as { version: string }).version;
    console.log(
      `tools: node ${process.version}, typescript ${version('typescript')}, deno ${version('deno')}, ` +
        `bun ${version('bun')}, vite ${version('vite')} (vitest's; not a direct devDependency)`,
    );
    let t = performance.now();
    await ok('npm', ['run', 'build', '--silent'], root);
    console.log(`build: ${seconds(t)}`);

    t = performance.now();
    const [packed] = JSON.parse(
      await ok('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root),
    ) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
    if (!packed) throw new Error('npm pack: no tarball');
    const tarball = join(work, packed.filename);
    console.log(
      `pack: ${packed.filename}, ${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} KB ` +
        `(${(packed.unpackedSize / 1024).toFixed(0)} KB unpacked): ${seconds(t)}`,
    );

    t = performance.now();
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'sigv4-consumers', private: true }));
    await ok(
      'npm',
      ['install', '--offline', '--no-save', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache'), tarball],
      work,
    );
    // The type packages TypeScript consumers name (types: ["node"]), as a user's devDependencies would be.
    mkdirSync(join(work, 'node_modules/@types'), { recursive: true });
    symlinkSync(join(tools, '@types/node'), join(work, 'node_modules/@types/node'));
    const pkg = JSON.parse(readFileSync(join(work, 'node_modules/sigv4/package.json'), 'utf8')) as PackageJson;
    console.log(`install: npm install --offline ${packed.filename}: ${seconds(t)}`);

    const problems = checkPackage(join(work, 'node_modules', pkg.name), new Set(packed.files.map((f) => f.path)));
    console.log(
      problems.length === 0
        ? '  ok   tarball        package.json targets, source and declaration maps (src/ shipped), @ts-self-types, Markdown links'
        : `  FAIL tarball\n${problems.map((p) => `       ${p}`).join('\n')}`,
    );
    failed += problems.length === 0 ? 0 : 1;

    const only = process.env['SIGV4_CONSUMERS_ONLY']?.split(',');
    if (only && process.env['CI'])
      throw new Error('SIGV4_CONSUMERS_ONLY is refused under CI: every consumer runs there');
    if (only) console.log(`!!! consumers: ONLY ${only.join(', ')} (SIGV4_CONSUMERS_ONLY); the others are skipped`);
    const queue = consumers(work, pkg).filter((c) => !only || only.includes(c.name));
    const total = queue.length;
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const t0 = performance.now();
        try {
          await next.run();
          console.log(`  ok   ${next.name.padEnd(14)} ${seconds(t0).padStart(6)}  ${next.proves}`);
        } catch (error) {
          failed++;
          const message = error instanceof Error ? error.message : String(error);
          console.log(
            `  FAIL ${next.name.padEnd(14)} ${seconds(t0).padStart(6)}  ${next.proves}\n${message.replace(/^/gm, '       ')}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, total) }, worker));
    console.log(
      `consumers: ${total + 1 - failed} passed, ${failed} failed (the tarball and ${total} consumers) in ${seconds(started)}` +
        (keep ? `; kept ${work}` : ''),
    );
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
  process.exitCode = failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
