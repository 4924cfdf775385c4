// The runtime matrix: the conformance core (test/runtime/conformance.ts) against the built package in Node,
// Deno, Bun, workerd and headless Chromium, one after the other. Every binary comes from node_modules (installed
// from the lockfile) or, for Chromium, from Debian; nothing is downloaded here.
//
//   npm run build && npx tsx test/runtime/run-all.ts
//
// SIGV4_E2E_SKIP=deno,bun,… skips runtimes by name, loudly (test/e2e/skip.ts); it is refused under CI. Writes what ran
// where to node_modules/.cache/sigv4-e2e/runtime.json (read by test/e2e/compat.ts) and exits non-zero on any
// failure.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { launchChromium } from '../e2e/chromium.js';
import { skipList } from '../e2e/skip.js';
import type { ConformanceResult } from './conformance.js';
import { OUT_DIR, ROOT, buildRuntimeFiles } from './build.js';

export const RUNTIMES = ['node', 'deno', 'bun', 'workerd', 'chromium'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export interface RuntimeRun extends ConformanceResult {
  readonly name: RuntimeName;
  readonly runtime: string;
  readonly version: string;
  readonly seconds: number;
  readonly skippedByFlag?: boolean;
}

export const RESULTS_DIR = join(ROOT, 'node_modules', '.cache', 'sigv4-e2e');
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);
const TIMEOUT_MS = 120_000;

/** Runs a command to completion, with a time limit; resolves with its output. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function parseResult(output: string): ConformanceResult & { runtime: string; version: string } {
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no RESULT line in the output:\n${output.slice(-4000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as ConformanceResult & { runtime: string; version: string };
}

async function commandLine(name: 'node' | 'deno' | 'bun'): Promise<Omit<RuntimeRun, 'name' | 'seconds'>> {
  const cli = 'test/runtime/cli.mjs';
  const { code, output } =
    name === 'node'
      ? await run(process.execPath, [cli])
      : name === 'deno'
        ? // No permissions at all: the core needs none. DENO_DIR keeps Deno's cache inside node_modules.
          await run(bin('deno'), ['run', '--no-prompt', '--no-lock', cli], {
            ...process.env,
            DENO_DIR: join(OUT_DIR, 'deno'),
            DENO_NO_UPDATE_CHECK: '1',
          })
        : await run(bin('bun'), [cli], { ...process.env, BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1' });
  const result = parseResult(output);
  if (code !== 0 && result.failed === 0)
    throw new Error(`exited with ${code} but reported no failure:\n${output.slice(-4000)}`);
  return result;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function workerd(): Promise<Omit<RuntimeRun, 'name' | 'seconds'>> {
  const version = (await run(bin('workerd'), ['--version'])).output.trim().replace(/^workerd\s+/, '');
  const port = await freePort();
  const child = spawn(
    bin('workerd'),
    ['serve', 'test/runtime/workerd/config.capnp', '--socket-addr', `http=127.0.0.1:${port}`],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        const result = (await response.json()) as ConformanceResult & { log: string[] };
        for (const line of result.log) if (line.startsWith('FAIL') || line.startsWith('!!!')) console.log(line);
        return { ...result, runtime: 'workerd', version };
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`workerd did not answer (${String(error)}):\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/** Serves the page and the files it loads: dist/ as it was built, and the core. Loopback only. */
export function servePage(): Promise<Server> {
  const page = [
    '<!doctype html><meta charset="utf-8"><title>sigv4 conformance</title><pre id="log"></pre>',
    '<script type="module">',
    "import * as full from '/dist/index.js';",
    "import * as lite from '/dist/lite.js';",
    "import { describeRuntime, run } from '/core.mjs';",
    "const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };",
    'run({ ...full, lite }, log).then((result) => { window.__conformance = { ...describeRuntime(), ...result }; },',
    '  (error) => { window.__conformance = { error: String(error && error.stack || error) }; });',
    '</script>',
  ].join('\n');
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    // Only the core and files inside dist/ (a "/dist/../x" path normalizes outside it, and is refused).
    const file =
      path === '/core.mjs'
        ? join(OUT_DIR, 'core.mjs')
        : path.startsWith('/dist/')
          ? normalize(join(ROOT, path))
          : undefined;
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (
      file !== undefined &&
      (file.startsWith(join(ROOT, 'dist') + '/') || file === join(OUT_DIR, 'core.mjs'))
    ) {
      try {
        const body = readFileSync(file);
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function chromiumRun(): Promise<Omit<RuntimeRun, 'name' | 'seconds'>> {
  const server = await servePage();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
      if (message.text().startsWith('FAIL')) console.log(message.text());
    });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const handle = await page.waitForFunction(
      () => (window as unknown as { __conformance?: unknown }).__conformance,
      undefined,
      { timeout: TIMEOUT_MS },
    );
    const result = (await handle.jsonValue()) as
      (ConformanceResult & { runtime: string; version: string }) | { error: string };
    if ('error' in result) throw new Error(`the page failed: ${result.error}\n${errors.join('\n')}`);
    const log = await page.locator('#log').textContent();
    for (const line of (log ?? '').split('\n'))
      if (line.startsWith('FAIL') || line.startsWith('!!!')) console.log(line);
    return { ...result, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}

const RUNNERS: Record<RuntimeName, () => Promise<Omit<RuntimeRun, 'name' | 'seconds'>>> = {
  node: () => commandLine('node'),
  deno: () => commandLine('deno'),
  bun: () => commandLine('bun'),
  workerd,
  chromium: chromiumRun,
};

/** Builds the core and runs it everywhere (but where skipped by flag). */
export async function runMatrix(): Promise<RuntimeRun[]> {
  const skip = skipList();
  const { data } = await buildRuntimeFiles();
  console.log(`runtime matrix: conformance core with ${data.vectors.length} AWS vectors (${data.source})`);
  const runs: RuntimeRun[] = [];
  for (const name of RUNTIMES) {
    if (skip.has(name)) {
      console.log(`!!! ${name}: SKIPPED by SIGV4_E2E_SKIP`);
      runs.push({
        name,
        runtime: name,
        version: '-',
        seconds: 0,
        passed: 0,
        failed: 0,
        skipped: 1,
        failures: [],
        notes: ['skipped by flag'],
        skippedByFlag: true,
      });
      continue;
    }
    const started = performance.now();
    let result: Omit<RuntimeRun, 'name' | 'seconds'>;
    try {
      result = await RUNNERS[name]();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.log(`FAIL ${name}: ${message}`);
      result = {
        runtime: name,
        version: '?',
        passed: 0,
        failed: 1,
        skipped: 0,
        failures: [{ name: `${name} run`, message }],
        notes: [],
      };
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    runs.push({ ...result, name, seconds });
    const counts = `${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}`;
    console.log(
      `${result.failed ? 'FAIL' : 'ok  '} ${result.runtime.padEnd(8)} ${result.version.padEnd(16)} ${counts} (${seconds} s)`,
    );
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'runtime.json'), JSON.stringify({ date: new Date().toISOString(), runs }, null, 2));
  return runs;
}

if (process.argv[1] && normalize(process.argv[1]) === normalize(new URL(import.meta.url).pathname)) {
  const runs = await runMatrix();
  const passed = runs.reduce((n, r) => n + r.passed, 0);
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  console.log(`runtime matrix: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}
