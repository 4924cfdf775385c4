// Starts and stops the one-process OpenStack Swift of test/e2e/swift/launcher.py (Debian's python3-swift, with
// s3api and tempauth) on 127.0.0.1, and creates buckets over Swift's native API.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'swift', 'launcher.py');
/** Debian's Python, which has python3-swift: not whatever `python3` is first on the PATH. */
export const SWIFT_PYTHON = process.env['SIGV4_SWIFT_PYTHON'] ?? '/usr/bin/python3';

/** What the launcher reports when ready: plain data, so vitest can hand it from the global setup to the tests. */
export interface SwiftInfo {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly account: string;
  readonly region: string;
  readonly dir: string;
  readonly log: string;
  readonly pid: number;
  readonly swift: string;
}

export interface RunningSwift extends SwiftInfo {
  stop(): Promise<void>;
}

/** Starts Swift and resolves once every server answers (a few seconds). */
export async function startSwift(timeoutMs = 60_000): Promise<RunningSwift> {
  if (!existsSync(SWIFT_PYTHON))
    throw new Error(`${SWIFT_PYTHON} not found: apt-get install python3-swift (bash .ci/e2e.sh does)`);
  const child: ChildProcess = spawn(SWIFT_PYTHON, [LAUNCHER, '--max-seconds', '1800'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<SwiftInfo>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Swift did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Swift exited with ${code} before it was ready:\n${stderr}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const report = JSON.parse(line) as SwiftInfo & { ready: boolean; error?: string };
      if (report.ready) resolve(report);
      else reject(new Error(`Swift failed to start: ${report.error}\n${stderr}`));
    });
  });
  return {
    ...info,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A token for Swift's native API (tempauth's v1 auth). */
export async function swiftToken(swift: SwiftInfo): Promise<{ token: string; storageUrl: string }> {
  const response = await fetch(`${swift.endpoint}/auth/v1.0`, {
    headers: { 'x-auth-user': swift.accessKeyId, 'x-auth-key': swift.secretAccessKey },
  });
  const token = response.headers.get('x-auth-token');
  const storageUrl = response.headers.get('x-storage-url');
  if (!response.ok || !token || !storageUrl) throw new Error(`tempauth answered ${response.status}`);
  return { token, storageUrl };
}

/**
 * Creates a bucket (a Swift container) over the native API. `corsOrigin` sets the container's CORS metadata,
 * which Swift's proxy turns into Access-Control-Allow-Origin on the S3 responses.
 */
export async function createBucket(
  swift: SwiftInfo,
  name: string,
  options: { corsOrigin?: string } = {},
): Promise<void> {
  const { token, storageUrl } = await swiftToken(swift);
  const headers: Record<string, string> = { 'x-auth-token': token };
  if (options.corsOrigin) {
    headers['x-container-meta-access-control-allow-origin'] = options.corsOrigin;
    headers['x-container-meta-access-control-expose-headers'] = 'etag';
  }
  const response = await fetch(`${storageUrl}/${encodeURIComponent(name)}`, { method: 'PUT', headers });
  if (response.status !== 201 && response.status !== 202)
    throw new Error(`creating container ${name}: ${response.status}`);
}

/** The last lines of Swift's log, for a failure message. */
export function swiftLogTail(swift: SwiftInfo, lines = 40): string {
  try {
    return readFileSync(swift.log, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
