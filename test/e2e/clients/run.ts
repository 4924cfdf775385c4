// Running the clients: every process with a timeout (SIGKILL when it runs over), in a clean environment (no AWS_*
// variables of the machine's, no proxy, HOME in a temp folder so no ~/.aws, ~/.s3cfg or rclone config is read).

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The environment every client starts from. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^AWS_/.test(name) || /^(https?|all|no)_proxy$/i.test(name) || /^RCLONE_/.test(name))
      continue;
    env[name] = value;
  }
  return { ...env, HOME: home, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1', LC_ALL: 'C.UTF-8', ...extra };
}

/** Runs a command; never throws for its exit status (the caller asserts); kills it after `timeoutMs`. */
export function run(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; cwd?: string; input?: string | Buffer; timeoutMs?: number },
): Promise<ProcessResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - started,
      };
      if (timedOut)
        reject(new Error(`${command} ${args.join(' ')}: killed after ${timeoutMs} ms\n${result.stderr.slice(-2000)}`));
      else resolve(result);
    });
    child.stdin.on('error', () => {}); // a client that exits without reading its stdin
    child.stdin.end(options.input);
  });
}

/** Runs a command and expects exit status 0. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: Parameters<typeof run>[2],
): Promise<ProcessResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code}\nstdout: ${result.stdout.slice(-2000)}\nstderr: ${result.stderr.slice(-3000)}`,
    );
  }
  return result;
}

/** A Debian package's version (dpkg-query), or undefined when it is not installed. */
export function debianVersion(pkg: string): string | undefined {
  try {
    const out = execFileSync('dpkg-query', ['-W', '-f=${Status}\t${Version}', pkg], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [status, version] = out.split('\t');
    return status?.endsWith('installed') && !status.includes('not-installed') ? version : undefined;
  } catch {
    return undefined;
  }
}

/** An npm package's installed version. */
export function npmVersion(root: string, pkg: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;
}
