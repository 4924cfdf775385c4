// What the command-line test files share: the command line run in this process (src/cli/run.ts) with an environment
// of the test's own (a temporary HOME with its ~/.aws files, nothing of this machine's AWS settings), and small
// executable scripts standing in for a credential_process.

import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { presignUrl, type PresignOptions } from '../../src/index.js';
import { awsCliQueryOrder } from '../../src/cli/presign.js';
import { run } from '../../src/cli/run.js';

export const SIGNING_DATE = '2024-05-01T12:00:00Z';
export const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const envKeys = { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey };

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const root = mkdtempSync(join(tmpdir(), 'sigv4-cli-harness-'));
let dirs = 0;

/** A new empty folder under this run's temporary folder. */
export function tempDir(name = 'dir'): string {
  const dir = join(root, `${name}-${++dirs}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A HOME holding ~/.aws/config and ~/.aws/credentials with these texts (absent when undefined). */
export function homeWith(files: { readonly config?: string; readonly credentials?: string } = {}): string {
  const home = tempDir('home');
  mkdirSync(join(home, '.aws'));
  if (files.config !== undefined) writeFileSync(join(home, '.aws', 'config'), files.config);
  if (files.credentials !== undefined) writeFileSync(join(home, '.aws', 'credentials'), files.credentials);
  return home;
}

/** An executable `#!/bin/sh` script at `dir/name` with this body; returns its path. */
export function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

export interface CliOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly home?: string;
  readonly input?: string;
  /** The credential_process time limit, for the test that runs over it. */
  readonly timeoutMs?: number;
  /** Sign as of now: no `--date` added. */
  readonly undated?: boolean;
}

/**
 * Runs `sigv4 ARGS` in this process with PATH, HOME and `env` only; presign and sign sign as of SIGNING_DATE
 * (`--date`, after the command) unless the arguments give a date.
 */
export async function cli(args: readonly string[], options: CliOptions = {}): Promise<Run> {
  const dated =
    !options.undated &&
    (args[0] === 'presign' || args[0] === 'sign') &&
    !args.some((a) => a === '--date' || a.startsWith('--date='))
      ? [args[0], '--date', SIGNING_DATE, ...args.slice(1)]
      : args;
  let stdout = '';
  let stderr = '';
  const code = await run(dated, {
    env: { PATH: process.env['PATH'] ?? '', HOME: options.home ?? homeWith(), ...options.env },
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => new TextEncoder().encode(options.input ?? ''),
    ...(options.timeoutMs === undefined ? {} : { credentialProcessTimeoutMs: options.timeoutMs }),
  });
  return { code, stdout, stderr };
}

/** The one URL a successful presign prints (and nothing on stderr). */
export async function presigned(args: readonly string[], options?: CliOptions): Promise<string> {
  const result = await cli(['presign', ...args], options);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(/^\S+\n$/);
  return result.stdout.trim();
}

/**
 * A refused command: exit `code`, nothing on stdout, one line on stderr matching `pattern`, no stack, and none of
 * `secrets`. Returns that line.
 */
export async function refused(
  code: 1 | 2,
  pattern: RegExp,
  args: readonly string[],
  options?: CliOptions,
  secrets: readonly string[] = [KEY.secretAccessKey],
): Promise<string> {
  const result = await cli(args, options);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).toMatch(/^sigv4( \w+)?: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  for (const secret of secrets) expect(result.stderr).not.toContain(secret);
  expect(result).toMatchObject({ code, stdout: '' });
  return result.stderr;
}

/**
 * The library's presigned URL for this URL and scope, with KEY and SIGNING_DATE unless given, its session token
 * where the AWS CLI puts it (awsCliQueryOrder: after X-Amz-SignedHeaders), as `sigv4 presign` prints it.
 */
export async function libraryUrl(url: string, region: string, options: Partial<PresignOptions> = {}): Promise<string> {
  const signed = await presignUrl({
    url,
    service: 's3',
    region,
    credentials: KEY,
    signingDate: SIGNING_DATE,
    ...options,
  });
  return awsCliQueryOrder(signed.url);
}
