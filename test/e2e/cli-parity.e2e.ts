// The sigv4 command line next to Debian's AWS CLI v2 (`/usr/bin/aws`, awscli 2.9), both signing at the same instant:
// the AWS CLI under faketime (its clock frozen at 2024-05-01 12:00:00 UTC), sigv4 with `--date 2024-05-01T12:00:00Z`.
// For every configuration both support, the presigned URLs must be byte-identical.
//
// An `aws` process takes about a second to start, most of it loading botocore's data, so most cases go through the
// AWS CLI's own driver in one Python process (test/e2e/cli-parity/aws_batch.py: the awscli.clidriver that the
// three-line /usr/bin/aws script runs, a new driver and session per case), and a sample also through real
// `/usr/bin/aws` processes, whose output must be the driver's.
//
//   1. Configurations users have (regions, us-east-1 with and without the regional setting, dual-stack, FIPS,
//      Transfer Acceleration, path and virtual style, endpoint URLs, session tokens, a credential_process, access
//      points, awkward keys, expiries): the AWS CLI and sigv4 must both succeed, with the same URL; the sample also
//      runs as the built `node dist/cli/main.js presign` (what a user runs), which must print the same.
//   2. The endpoint rules across a matrix: regions × buckets × settings, endpoint URLs, boolean spellings,
//      use_arn_region and access-point ARN shapes, run through sigv4's command line in this process. Each case
//      either gives the same URL on both sides, or is refused by both, or is one of the documented differences
//      below (KNOWN), whose outcome on each side is asserted too: a difference that is not listed fails, and so
//      does a listed one that stops happening.

import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runSigv4 } from '../../src/cli/run.js';
import { verifyPresignedUrl } from '../../src/index.js';
import { skipped } from './skip.js';

const ROOT = join(import.meta.dirname, '..', '..');
const AWS = '/usr/bin/aws'; // Debian's awscli v2: a pyenv shim `aws` (v1) may come first on the PATH
const PYTHON = '/usr/bin/python3'; // Debian's, which runs /usr/bin/aws
const FAKETIME = '/usr/bin/faketime';
const SIGV4 = join(ROOT, 'dist', 'cli', 'main.js');
const BATCH = join(import.meta.dirname, 'cli-parity', 'aws_batch.py');
const FROZEN = '2024-05-01 12:00:00'; // faketime's absolute form: the clock stays there (TZ=UTC below)
const DATE = '2024-05-01T12:00:00Z';
const LANES = 3;
// Together about 20 s on an idle two-core machine; the limit leaves room for a busy one.
const TIMEOUT = 300_000;

const KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const PROFILE_KEY_ID = 'AKIDPROFILEEXAMPLE';
const PROFILE_SECRET = 'profileSecret/K7MDENG+bPxRfiCYEXAMPLE';
const PROCESS_KEY_ID = 'AKIDPROCESSEXAMPLE';
const PROCESS_SECRET = 'processSecret/K7MDENG+bPxRfiCYEXAMPLE';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars//==';

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A configuration: the arguments after `presign` (the same for both CLIs), the variables, the files. */
interface Case {
  readonly name: string;
  /** Also run as a real `/usr/bin/aws` process. */
  readonly real?: boolean;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly config?: string;
  readonly credentials?: string;
}

let work = '';
let processDir = '';

/** The environment of a case: none of this machine's AWS settings, its own HOME and files, the keys unless replaced. */
function caseEnv(dir: string, c: Case): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^AWS_/.test(name) && !/^(https?|all|no)_proxy$/i.test(name)) env[name] = value;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config'), c.config ?? '');
  writeFileSync(join(dir, 'credentials'), c.credentials ?? '');
  return {
    ...env,
    HOME: dir,
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    // An empty AWS_CA_BUNDLE: the AWS CLI never reads a CA bundle from this machine's settings.
    AWS_CA_BUNDLE: '',
    AWS_PAGER: '',
    // With no region configured, AWS CLI v2 asks the instance metadata service for one (on EC2, the instance's
    // region); sigv4 never uses the network. Off, so that "no region" means the same on every machine.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET,
    ...c.env,
  };
}

/** Runs a process to its end (killed after `timeoutMs`), its output as text. */
function exec(command: string, args: readonly string[], env: Record<string, string>, input = '', timeoutMs = 60_000) {
  return new Promise<Outcome>((done, failed) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', failed);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** sigv4's command line in this process (src/cli/run.ts, what dist/cli/main.js runs), with that environment. */
async function sigv4InProcess(args: readonly string[], env: Record<string, string>): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runSigv4(['presign', ...args, '--date', DATE], {
    env,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => new Uint8Array(),
  });
  return { code, stdout, stderr };
}

/**
 * The AWS CLI's outcome for each case: its driver in `processes` Python processes (aws_batch.py), each with a share
 * of the cases, under one frozen clock.
 */
async function awsBatch(cases: readonly Case[], envs: readonly Record<string, string>[], processes: number) {
  const size = Math.ceil(cases.length / processes);
  const shares = Array.from({ length: processes }, (_, p) => cases.slice(p * size, (p + 1) * size));
  const outcomes = await Promise.all(
    shares.map(async (share, p) => {
      const input = share
        .map((c, j) => JSON.stringify({ args: ['s3', 'presign', ...c.args], env: envs[p * size + j] }))
        .join('\n');
      const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C.UTF-8' } as Record<string, string>;
      const out = await exec(FAKETIME, ['-f', FROZEN, PYTHON, BATCH], env, `${input}\n`, TIMEOUT);
      expect(out.stderr).toBe('');
      return out.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Outcome);
    }),
  );
  const all = outcomes.flat();
  expect(all).toHaveLength(cases.length);
  return all;
}

/** Runs `tasks` with at most `lanes` at a time, results in order. */
async function inLanes<T>(tasks: readonly (() => Promise<T>)[], lanes: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Configurations users have, each through /usr/bin/aws and the built sigv4.

const PROFILES = `[default]
region = ap-southeast-2

[profile dev]
region = eu-central-1

[profile tokens]
region = us-west-2

[profile dual]
region = us-east-1
s3 =
  use_dualstack_endpoint = true

[profile accel]
region = eu-west-1
s3 =
  use_accelerate_endpoint = true

[profile accel-dual]
use_dualstack_endpoint = true
s3 =
  use_accelerate_endpoint = true

[profile path]
region = eu-west-1
s3 =
  addressing_style = path

[profile virtual]
region = eu-west-1
s3 =
  addressing_style = virtual

[profile fips]
region = us-gov-west-1
use_fips_endpoint = true

[profile arn-strict]
region = us-west-2
s3 =
  use_arn_region = false
`;

// --profile makes both CLIs skip the environment's keys: each profile has its own.
const PROFILE_CREDENTIALS = `${['dev', 'dual', 'accel', 'accel-dual', 'path', 'virtual', 'fips', 'arn-strict']
  .map((name) => `[${name}]\naws_access_key_id = ${PROFILE_KEY_ID}\naws_secret_access_key = ${PROFILE_SECRET}\n`)
  .join('\n')}
[tokens]
aws_access_key_id = ${PROFILE_KEY_ID}
aws_secret_access_key = ${PROFILE_SECRET}
aws_session_token = ${TOKEN}
`;

const processConfig = (): string => `[profile process]
region = eu-west-1
credential_process = "${processDir}/print creds" 'the first argument' second\\ one
`;

const AP = 'arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap';

function userCases(): Case[] {
  const profiles = { config: PROFILES, credentials: PROFILE_CREDENTIALS };
  return [
    {
      real: true,
      name: 'no region: the global endpoint, signed for us-east-1',
      args: ['s3://examplebucket/photos/cat.jpg'],
    },
    {
      real: true,
      name: '--region us-east-1: the regional endpoint (AWS CLI v2 has no global default)',
      args: ['s3://examplebucket/k', '--region', 'us-east-1'],
    },
    {
      name: 'us-east-1 with AWS_S3_US_EAST_1_REGIONAL_ENDPOINT=regional',
      args: ['s3://examplebucket/k', '--region', 'us-east-1'],
      env: { AWS_S3_US_EAST_1_REGIONAL_ENDPOINT: 'regional' },
    },
    { name: '--region eu-west-1', args: ['s3://examplebucket/k', '--region', 'eu-west-1'] },
    { name: 'the region of the default profile', args: ['s3://examplebucket/k'], ...profiles },
    {
      name: 'AWS_DEFAULT_REGION over the profile',
      args: ['s3://examplebucket/k'],
      env: { AWS_DEFAULT_REGION: 'ca-central-1' },
      ...profiles,
    },
    { name: 'AWS_REGION', args: ['s3://examplebucket/k'], env: { AWS_REGION: 'sa-east-1' } },
    { name: 'China (amazonaws.com.cn)', args: ['s3://examplebucket/k', '--region', 'cn-north-1'] },
    {
      real: true,
      name: 'dual-stack from AWS_USE_DUALSTACK_ENDPOINT',
      args: ['s3://examplebucket/k', '--region', 'eu-west-1'],
      env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' },
    },
    {
      name: 'dual-stack from s3 = use_dualstack_endpoint',
      args: ['s3://examplebucket/k', '--profile', 'dual'],
      ...profiles,
    },
    {
      real: true,
      name: 'FIPS from the profile (GovCloud)',
      args: ['s3://examplebucket/k', '--profile', 'fips'],
      ...profiles,
    },
    {
      name: 'FIPS and dual-stack, no region',
      args: ['s3://examplebucket/k'],
      env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' },
    },
    { real: true, name: 'Transfer Acceleration', args: ['s3://examplebucket/k', '--profile', 'accel'], ...profiles },
    {
      name: 'Transfer Acceleration with dual-stack',
      args: ['s3://examplebucket/k', '--profile', 'accel-dual'],
      ...profiles,
    },
    { real: true, name: 'addressing_style = path', args: ['s3://examplebucket/k', '--profile', 'path'], ...profiles },
    {
      name: 'addressing_style = virtual with a dotted bucket: path-style',
      args: ['s3://my.bucket.example/k', '--profile', 'virtual'],
      ...profiles,
    },
    {
      name: 'a bucket with capitals: path-style',
      args: ['s3://Legacy_Bucket/k', '--region', 'us-east-1'],
    },
    {
      real: true,
      name: 'an endpoint URL (MinIO): path-style, its scheme and port',
      args: ['s3://examplebucket/a b', '--endpoint-url', 'http://localhost:9000', '--region', 'us-east-1'],
    },
    {
      name: 'an endpoint URL with a path prefix, virtual-hosted',
      args: ['s3://examplebucket/k', '--endpoint-url', 'https://storage.example.com/prefix', '--profile', 'virtual'],
      ...profiles,
    },
    {
      name: 'AWS_SESSION_TOKEN',
      args: ['s3://examplebucket/k', '--region', 'eu-west-1'],
      env: { AWS_SESSION_TOKEN: TOKEN },
    },
    {
      real: true,
      name: 'AWS_SECURITY_TOKEN wins over AWS_SESSION_TOKEN',
      args: ['s3://examplebucket/k', '--region', 'eu-west-1'],
      env: { AWS_SECURITY_TOKEN: 'security/token+A==', AWS_SESSION_TOKEN: TOKEN },
    },
    {
      name: '--profile with keys and a session token in the credentials file',
      args: ['s3://examplebucket/k', '--profile', 'tokens'],
      ...profiles,
    },
    {
      name: 'AWS_PROFILE',
      args: ['s3://examplebucket/k'],
      env: { AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      ...profiles,
    },
    {
      real: true,
      name: 'a credential_process (quoted path with a space, quoted arguments, an Expiration)',
      args: ['s3://examplebucket/k', '--profile', 'process'],
      config: processConfig(),
    },
    {
      real: true,
      name: 'an awkward key: a b+c/ü~*.txt',
      args: ['s3://examplebucket/a b+c/ü~*.txt', '--region', 'eu-west-1'],
    },
    { name: 'a key starting with a slash: //x', args: ['s3://examplebucket//x', '--region', 'eu-west-1'] },
    {
      name: "a key with % ? # & = ; : @ ! $ ' ( ) , [ ] and unicode",
      args: ["s3://examplebucket/100% ?#&=;:@!$'(),[]/東京/é.txt", '--region', 'eu-west-1'],
    },
    { name: 'a key with . and .. segments', args: ['s3://examplebucket/a/./b/../c/', '--region', 'eu-west-1'] },
    { name: '--expires-in 60', args: ['s3://examplebucket/k', '--expires-in', '60'] },
    { name: '--expires-in 604800 (7 days)', args: ['s3://examplebucket/k', '--expires-in', '604800'] },
    { name: 'an access point ARN', args: [`s3://${AP}/reports/a b.csv`] },
    {
      real: true,
      name: 'an access point ARN, accesspoint:NAME form, FIPS and dual-stack',
      args: ['s3://arn:aws:s3:us-east-1:123456789012:accesspoint:my-ap/k', '--region', 'us-east-1'],
      env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' },
    },
    {
      name: 'an access point ARN with use_arn_region = false and its region',
      args: [`s3://${AP}/k`, '--profile', 'arn-strict'],
      ...profiles,
    },
    {
      name: 'an access point ARN on an endpoint URL',
      args: [`s3://${AP}/k`, '--endpoint-url', 'https://s3.example.com'],
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// 2. The endpoint rules across a matrix.

const REGIONS = [undefined, 'us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1'] as const;
const MORE_REGIONS = [
  'us-iso-east-1',
  'us-isob-east-1',
  'aws-global',
  'xx-made-1',
  'il-central-1',
  'US-EAST-1',
] as const;
const BUCKETS = [
  'examplebucket',
  'my.bucket',
  'Bad_Bucket',
  'ab',
  AP,
  'arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/my-ap',
] as const;
const SETTINGS: Readonly<Record<string, { env?: Record<string, string>; s3?: string }>> = {
  plain: {},
  dualstack: { env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' } },
  fips: { env: { AWS_USE_FIPS_ENDPOINT: 'true' } },
  'fips+dualstack': { env: { AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_USE_FIPS_ENDPOINT: 'true' } },
  accelerate: { s3: 'use_accelerate_endpoint = true' },
  'accelerate+dualstack': { env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' }, s3: 'use_accelerate_endpoint = true' },
  'accelerate+fips': { env: { AWS_USE_FIPS_ENDPOINT: 'true' }, s3: 'use_accelerate_endpoint = true' },
  path: { s3: 'addressing_style = path' },
  virtual: { s3: 'addressing_style = virtual' },
  'path+dualstack': { env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' }, s3: 'addressing_style = path' },
  'path+fips': { env: { AWS_USE_FIPS_ENDPOINT: 'true' }, s3: 'addressing_style = path' },
  legacy: { env: { AWS_S3_US_EAST_1_REGIONAL_ENDPOINT: 'legacy' } },
};

interface MatrixCase extends Case {
  readonly region?: string | undefined;
  readonly bucket?: string;
  readonly setting?: string;
}

const s3Section = (lines: readonly (string | undefined)[]): string => {
  const present = lines.filter((line): line is string => line !== undefined);
  return present.length === 0 ? '' : `s3 =\n${present.map((line) => `  ${line}\n`).join('')}`;
};

function matrixCases(): MatrixCase[] {
  const cases: MatrixCase[] = [];
  const add = (region: string | undefined, bucket: string, setting: string) => {
    const { env, s3 } = SETTINGS[setting]!;
    cases.push({
      name: `${region ?? 'no region'} | ${bucket} | ${setting}`,
      args: [`s3://${bucket}/k`, ...(region === undefined ? [] : ['--region', region])],
      ...(env === undefined ? {} : { env }),
      config: `[default]\n${s3Section([s3])}`,
      region,
      bucket,
      setting,
    });
  };
  for (const region of REGIONS)
    for (const bucket of BUCKETS) for (const setting of Object.keys(SETTINGS)) add(region, bucket, setting);
  for (const region of MORE_REGIONS)
    for (const bucket of ['examplebucket', 'my.bucket'])
      for (const setting of Object.keys(SETTINGS)) add(region, bucket, setting);

  // Endpoint URLs × buckets × addressing style, and with the AWS host settings.
  const endpoints = [
    'https://example.com',
    'http://localhost:9000',
    'http://127.0.0.1:9000',
    'https://gw.example.com/storage/',
    'https://s3-accelerate.amazonaws.com',
    'http://[::1]:9000',
  ];
  for (const endpoint of endpoints) {
    for (const bucket of ['examplebucket', 'my.bucket', 'Bad_Bucket', AP]) {
      for (const style of ['auto', 'path', 'virtual']) {
        cases.push({
          name: `${endpoint} | ${bucket} | ${style}`,
          bucket,
          args: [`s3://${bucket}/k`, '--endpoint-url', endpoint, '--region', 'eu-west-1'],
          config: `[default]\n${s3Section([style === 'auto' ? undefined : `addressing_style = ${style}`])}`,
        });
      }
    }
    for (const setting of ['dualstack', 'fips', 'accelerate']) {
      const { env, s3 } = SETTINGS[setting]!;
      for (const bucket of ['examplebucket', AP]) {
        cases.push({
          name: `${endpoint} | ${bucket} | ${setting}`,
          bucket,
          setting,
          args: [`s3://${bucket}/k`, '--endpoint-url', endpoint],
          ...(env === undefined ? {} : { env }),
          config: `[default]\n${s3Section([s3])}`,
        });
      }
    }
  }

  // How booleans are spelled, and where they are read from, in which order.
  for (const value of ['true', 'TRUE', 'True', 'false', 'False', '', 'yes', '1']) {
    const args = ['s3://examplebucket/k', '--region', 'eu-west-1'];
    cases.push(
      { name: `AWS_USE_DUALSTACK_ENDPOINT=${value}`, args, env: { AWS_USE_DUALSTACK_ENDPOINT: value } },
      { name: `use_dualstack_endpoint = ${value}`, args, config: `[default]\nuse_dualstack_endpoint = ${value}\n` },
      {
        name: `s3 use_dualstack_endpoint = ${value}`,
        args,
        config: `[default]\n${s3Section([`use_dualstack_endpoint = ${value}`])}`,
      },
      { name: `AWS_USE_FIPS_ENDPOINT=${value}`, args, env: { AWS_USE_FIPS_ENDPOINT: value } },
      { name: `use_fips_endpoint = ${value}`, args, config: `[default]\nuse_fips_endpoint = ${value}\n` },
      {
        name: `s3 use_accelerate_endpoint = ${value}`,
        args,
        config: `[default]\n${s3Section([`use_accelerate_endpoint = ${value}`])}`,
      },
    );
  }
  const eu = ['s3://examplebucket/k', '--region', 'eu-west-1'];
  cases.push(
    {
      name: 'env false over profile true (dual-stack)',
      args: eu,
      env: { AWS_USE_DUALSTACK_ENDPOINT: 'false' },
      config: '[default]\nuse_dualstack_endpoint = true\n',
    },
    {
      name: 'env empty over profile true (dual-stack)',
      args: eu,
      env: { AWS_USE_DUALSTACK_ENDPOINT: '' },
      config: '[default]\nuse_dualstack_endpoint = true\n',
    },
    {
      name: 's3 false does not turn env true off',
      args: eu,
      env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' },
      config: `[default]\n${s3Section(['use_dualstack_endpoint = false'])}`,
    },
    {
      name: 's3 true wins over env false',
      args: eu,
      env: { AWS_USE_DUALSTACK_ENDPOINT: 'false' },
      config: `[default]\n${s3Section(['use_dualstack_endpoint = true'])}`,
    },
    {
      name: 'env false over profile true (FIPS)',
      args: eu,
      env: { AWS_USE_FIPS_ENDPOINT: 'false' },
      config: '[default]\nuse_fips_endpoint = true\n',
    },
  );

  // us_east_1_regional_endpoint, which AWS CLI v2 does not read.
  for (const value of ['legacy', 'regional', 'bogus']) {
    cases.push(
      {
        name: `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT=${value}, us-east-1`,
        args: ['s3://examplebucket/k', '--region', 'us-east-1'],
        env: { AWS_S3_US_EAST_1_REGIONAL_ENDPOINT: value },
      },
      {
        name: `s3 us_east_1_regional_endpoint = ${value}, no region`,
        args: ['s3://examplebucket/k'],
        config: `[default]\n${s3Section([`us_east_1_regional_endpoint = ${value}`])}`,
      },
      {
        name: `s3_us_east_1_regional_endpoint = ${value}, us-east-1 path-style`,
        args: ['s3://my.bucket/k', '--region', 'us-east-1'],
        config: `[default]\ns3_us_east_1_regional_endpoint = ${value}\n`,
      },
    );
  }

  // use_arn_region, from each place, with the ARN's region, another one, or none.
  for (const value of ['true', 'false']) {
    for (const region of ['us-west-2', 'eu-west-1', undefined]) {
      const args = [`s3://${AP}/k`, ...(region === undefined ? [] : ['--region', region])];
      cases.push(
        {
          name: `AWS_S3_USE_ARN_REGION=${value}, ${region ?? 'no region'}`,
          args,
          env: { AWS_S3_USE_ARN_REGION: value },
        },
        {
          name: `s3 use_arn_region = ${value}, ${region ?? 'no region'}`,
          args,
          config: `[default]\n${s3Section([`use_arn_region = ${value}`])}`,
        },
        {
          name: `s3_use_arn_region = ${value}, ${region ?? 'no region'}`,
          args,
          config: `[default]\ns3_use_arn_region = ${value}\n`,
        },
      );
    }
  }

  // Access-point ARN shapes, with keys.
  const arns = [
    'arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap',
    'arn:aws:s3:us-west-2:123456789012:accesspoint/My-AP',
    'arn:aws:s3:us-west-2:123456789012:accesspoint/my_ap',
    'arn:aws:s3:us-west-2:12345678901:accesspoint/my-ap',
    'arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap:extra',
    'arn:aws:s3:US-WEST-2:123456789012:accesspoint/my-ap',
    'arn:aws:s3:us-west-2:123456789012:bucket/foo',
    'arn:aws:s3:us-west-2:123456789012:accesspoint',
    'arn:aws:s3:cn-north-1:123456789012:accesspoint/my-ap',
    'arn:aws-cn:s3:us-west-2:123456789012:accesspoint/my-ap',
    `arn:aws:s3:us-west-2:123456789012:accesspoint/${'a'.repeat(63)}`,
    `arn:aws:s3:us-west-2:123456789012:accesspoint/${'a'.repeat(64)}`,
    'arn:aws:s3:us-west-2:123456789012:accesspoint/-ap',
    'arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/my-olap',
    'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap',
  ];
  for (const arn of arns) {
    cases.push(
      { name: `${arn} + a b/c`, args: [`s3://${arn}/a b/c`] },
      { name: `${arn} + //x`, args: [`s3://${arn}//x`] },
    );
  }
  // A key is required, by both.
  for (const uri of ['s3://examplebucket', 's3://examplebucket/', `s3://${AP}`, `s3://${AP}/`])
    cases.push({ name: `${uri} without a key`, args: [uri] });
  return cases;
}

/**
 * The documented differences: where sigv4 refuses what AWS CLI 2.9 signs, signs what it refuses, or signs another
 * URL. Each names its reason (docs/cli.md says the same) and what each side must do; `match` picks its cases.
 */
interface Known {
  readonly reason: string;
  readonly match: (c: MatrixCase) => boolean;
  /** What happens on each side: `url` a URL, `refused` a non-zero exit. */
  readonly aws: 'url' | 'refused';
  readonly sigv4: 'url' | 'refused';
  /** For a URL on both sides that differs: a check of the two. */
  readonly check?: (aws: string, sigv4: string) => void;
}

const hasEnv = (c: Case, name: string, value: string) => c.env?.[name] === value;
/** The SigV4a URLs of both sides, each verified with this library after the matrix ran. */
const V4A_URLS: string[] = [];
const configHas = (c: Case, text: string) => (c.config ?? '').includes(text);

const isArn = (c: MatrixCase) => (c.bucket ?? c.args[0]!.slice(5)).startsWith('arn:');
// A bucket AWS puts in the host name (botocore's isVirtualHostableS3Bucket without dots).
const hostable = (c: MatrixCase) => /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(c.bucket ?? '');

const KNOWN: readonly Known[] = [
  {
    reason:
      'FIPS in China: S3 has no FIPS endpoints there; sigv4 refuses, as botocore 1.43 does (and AWS CLI 2.9 for virtual-hosted buckets); AWS CLI 2.9 builds s3-fips.cn-….amazonaws.com.cn for path-style ones',
    match: (c) =>
      c.region === 'cn-north-1' &&
      /fips/.test(c.setting ?? '') &&
      !/accelerate/.test(c.setting ?? '') &&
      !isArn(c) &&
      (c.setting === 'path+fips' || !hostable(c)),
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason: 'a boolean spelled "yes" or "1": the AWS CLI reads anything but "true" as false; sigv4 refuses it',
    match: (c) => /=(?:yes|1)$| = (?:yes|1)$/.test(c.name),
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason:
      '"aws-global" is an SDK pseudo-region, not a region: sigv4 refuses it (leave the region unset for the global endpoint)',
    match: (c) =>
      c.region === 'aws-global' &&
      c.setting !== 'accelerate+fips' &&
      !(c.bucket === 'my.bucket' && /accelerate/.test(c.setting ?? '')),
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason:
      'an upper-case region (US-EAST-1): AWS regions are lower case and the credential scope is case-sensitive; sigv4 refuses it, AWS CLI 2.9 signs a URL S3 refuses',
    match: (c) =>
      c.region === 'US-EAST-1' &&
      c.setting !== 'accelerate+fips' &&
      !(c.bucket === 'my.bucket' && /accelerate/.test(c.setting ?? '')),
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason:
      'us_east_1_regional_endpoint = legacy: sigv4 honours it as botocore does (s3.amazonaws.com for us-east-1); AWS CLI v2 does not read the setting',
    match: (c) =>
      (hasEnv(c, 'AWS_S3_US_EAST_1_REGIONAL_ENDPOINT', 'legacy') ||
        configHas(c, 'us_east_1_regional_endpoint = legacy')) &&
      c.args.includes('us-east-1') &&
      !isArn(c),
    aws: 'url',
    sigv4: 'url',
    check: (aws, sigv4) => {
      expect(new URL(aws).host).toMatch(/(?:^|\.)s3\.us-east-1\.amazonaws\.com$/);
      expect(new URL(sigv4).host).toMatch(/(?:^|\.)s3\.amazonaws\.com$/);
      expect(sigv4).toContain('%2Fus-east-1%2Fs3%2Faws4_request');
    },
  },
  {
    reason: 'an invalid us_east_1_regional_endpoint: botocore refuses it; AWS CLI v2 does not read the setting',
    match: (c) =>
      hasEnv(c, 'AWS_S3_US_EAST_1_REGIONAL_ENDPOINT', 'bogus') || configHas(c, 'us_east_1_regional_endpoint = bogus'),
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason:
      "an access-point ARN whose partition is not its region's (arn:aws-cn:…:us-west-2): AWS CLI 2.9 ignores the partition, sigv4 refuses the ARN",
    match: (c) => c.args[0]!.startsWith('s3://arn:aws-cn:s3:us-west-2:'),
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason: 'an upper-case access point name: S3 names access points in lower case; sigv4 refuses it',
    match: (c) => c.args[0]!.includes('accesspoint/My-AP'),
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason:
      'an access point on an IP-address endpoint: AWS CLI 2.9 puts NAME-ACCOUNT. in front of the IP address; sigv4 refuses',
    match: (c) => isArn(c) && c.args.some((a) => /^http:\/\/127\./.test(a)) && c.setting !== 'accelerate',
    aws: 'url',
    sigv4: 'refused',
  },
  {
    reason: 'an IPv6 endpoint URL: AWS CLI 2.9 refuses it ("Invalid endpoint"); botocore 1.43 and sigv4 sign it',
    match: (c) => c.args.some((a) => a.includes('[::1]')) && !isArn(c) && c.setting !== 'accelerate',
    aws: 'refused',
    sigv4: 'url',
  },
  {
    reason:
      'a Multi-Region Access Point, SigV4a: the same URL byte for byte but for the ECDSA signature, which is randomized (both verify)',
    match: (c) => c.args[0]!.includes('.mrap'),
    aws: 'url',
    sigv4: 'url',
    check: (aws, sigv4) => {
      const unsigned = (url: string) => url.trim().replace(/&X-Amz-Signature=[0-9a-f]+$/, '');
      expect(unsigned(sigv4)).toBe(unsigned(aws));
      expect(aws).toContain('X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&');
      V4A_URLS.push(aws.trim(), sigv4.trim());
    },
  },
];

const AWS_NO_URL = (o: Outcome) => o.code !== 0 || !o.stdout.startsWith('http');

describe.skipIf(skipped('clients'))('the sigv4 CLI next to AWS CLI v2: byte-identical presigned URLs', () => {
  beforeAll(() => {
    for (const [path, what] of [
      [AWS, 'Debian package awscli'],
      [FAKETIME, 'Debian package faketime'],
      [SIGV4, 'the build (npm run build)'],
    ] as const) {
      if (!existsSync(path)) throw new Error(`${path} is missing: install ${what} (bash .ci/e2e.sh does)`);
    }
    work = mkdtempSync(join(tmpdir(), 'sigv4-cli-parity-'));
    // The credential_process: a script in a folder whose name has a space, checking the arguments it was given.
    processDir = join(work, 'process dir');
    mkdirSync(processDir);
    const script = join(processDir, 'print creds');
    writeFileSync(
      script,
      `#!/bin/sh
[ "$1" = "the first argument" ] && [ "$2" = "second one" ] && [ $# -eq 2 ] || { echo "unexpected arguments: $*" >&2; exit 3; }
printf '{"Version": 1, "AccessKeyId": "${PROCESS_KEY_ID}", "SecretAccessKey": "${PROCESS_SECRET}", "SessionToken": "${TOKEN}", "Expiration": "2024-05-01T14:00:00Z"}\\n'
`,
    );
    chmodSync(script, 0o755);
  });
  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it.concurrent(
    'configurations users have: the AWS CLI (its driver and /usr/bin/aws) and sigv4 (in process and dist/cli/main.js) print the same URL',
    async () => {
      const cases = userCases();
      const envs = cases.map((c, i) => caseEnv(join(work, `user-${i}`), c));
      const real = cases.flatMap((c, i) => (c.real ? [i] : []));
      const [aws, realAws, realSigv4] = await Promise.all([
        awsBatch(cases, envs, 1),
        inLanes(
          real.map((i) => () => exec(FAKETIME, ['-f', FROZEN, AWS, 's3', 'presign', ...cases[i]!.args], envs[i]!)),
          LANES,
        ),
        inLanes(
          real.map(
            (i) => () => exec(process.execPath, [SIGV4, 'presign', ...cases[i]!.args, '--date', DATE], envs[i]!),
          ),
          LANES,
        ),
      ]);
      const sigv4 = await Promise.all(cases.map((c, i) => sigv4InProcess(c.args, envs[i]!)));
      const lines = cases.map((c, i) => {
        const [a, s] = [aws[i]!, sigv4[i]!];
        const same = a.code === 0 && s.code === 0 && a.stdout === s.stdout;
        const shown = same
          ? ''
          : `\n    aws:   ${a.code} ${a.stdout.trim() || a.stderr.trim()}\n    sigv4: ${s.code} ${s.stdout.trim() || s.stderr.trim()}`;
        return `${same ? 'same' : 'DIFF'}  ${c.real ? '(and /usr/bin/aws) ' : ''}${c.name}${shown}`;
      });
      console.log(`\nsigv4 presign vs aws s3 presign (${cases.length} configurations)\n${lines.join('\n')}`);
      cases.forEach((c, i) => {
        const [a, s] = [aws[i]!, sigv4[i]!];
        expect({ name: c.name, code: a.code, stderr: a.stderr }).toEqual({ name: c.name, code: 0, stderr: '' });
        expect(a.stdout).toMatch(/^https?:\/\/\S+\n$/);
        // The URL must be the AWS CLI's, byte for byte; stderr may hold sigv4's note on the credentials' expiry.
        expect({ name: c.name, code: s.code, url: s.stdout }).toEqual({ name: c.name, code: 0, url: a.stdout });
      });
      // The sample run both ways: /usr/bin/aws prints what its driver printed, and the built executable what the
      // command line printed in this process.
      expect(real.length).toBeGreaterThanOrEqual(10);
      real.forEach((i, n) => {
        expect({ name: cases[i]!.name, ...realAws[n]! }).toEqual({ name: cases[i]!.name, ...aws[i]! });
        expect({ name: cases[i]!.name, ...realSigv4[n]! }).toEqual({ name: cases[i]!.name, ...sigv4[i]! });
      });
      // The configurations do what their names say (not all the same URL).
      const hosts = new Set(aws.map((a) => new URL(a.stdout.trim()).host));
      expect(hosts.size).toBeGreaterThan(15);
    },
    TIMEOUT,
  );

  it.concurrent(
    'the endpoint rules across a matrix: the same URL, both refuse, or a documented difference',
    async () => {
      const cases = matrixCases();
      const envs = cases.map((c, i) => caseEnv(join(work, `matrix-${i}`), c));
      const aws = await awsBatch(cases, envs, 2);
      const sigv4 = await Promise.all(cases.map((c, i) => sigv4InProcess(c.args, envs[i]!)));

      const tally = { same: 0, bothRefuse: 0, known: new Map<string, number>() };
      const problems: string[] = [];
      cases.forEach((c, i) => {
        const a = aws[i]!;
        const s = sigv4[i]!;
        const awsUrl = AWS_NO_URL(a) ? undefined : a.stdout;
        const sigv4Url = s.code === 0 ? s.stdout : undefined;
        const known = KNOWN.find((k) => k.match(c));
        const show = `${c.name}\n    aws:   ${awsUrl?.trim() ?? `refused: ${a.stderr.trim().split('\n').pop()}`}\n    sigv4: ${sigv4Url?.trim() ?? `refused: ${s.stderr.trim()}`}`;
        if (known !== undefined) {
          const got = {
            aws: awsUrl === undefined ? 'refused' : 'url',
            sigv4: sigv4Url === undefined ? 'refused' : 'url',
          };
          if (got.aws !== known.aws || got.sigv4 !== known.sigv4)
            problems.push(`listed as "${known.reason}", but: ${show}`);
          else {
            if (known.check) known.check(awsUrl!, sigv4Url!);
            tally.known.set(known.reason, (tally.known.get(known.reason) ?? 0) + 1);
          }
          return;
        }
        // A refusal by sigv4 is one line on stderr with the exit code of a usage error or a failure, never a crash.
        if (sigv4Url === undefined) {
          expect(s.stderr).toMatch(/^sigv4 presign: [^\n]+\n$/);
          expect(s.stderr).not.toContain('internal error');
          expect([1, 2]).toContain(s.code);
        }
        if (awsUrl !== undefined && sigv4Url !== undefined && awsUrl === sigv4Url) tally.same++;
        else if (awsUrl === undefined && sigv4Url === undefined) tally.bothRefuse++;
        else problems.push(show);
      });
      const summary = [
        `\nendpoint rules: ${cases.length} cases through the AWS CLI 2.9 driver and sigv4`,
        `  ${tally.same} the same URL, byte for byte`,
        `  ${tally.bothRefuse} refused by both`,
        ...[...tally.known].map(([reason, n]) => `  ${n} known: ${reason}`),
      ];
      console.log(summary.join('\n'));
      expect(problems).toEqual([]);
      // Both sides' SigV4a signatures are valid for the URL they came with (AWS CLI 2.9 signs at the frozen clock).
      expect(V4A_URLS.length).toBeGreaterThan(0);
      for (const url of V4A_URLS) {
        const verified = await verifyPresignedUrl({
          url,
          method: 'GET',
          service: 's3',
          region: 'us-east-1',
          getCredentials: (id) => (id === KEY_ID ? { secretAccessKey: SECRET } : undefined),
          now: new Date(DATE),
        });
        expect(verified.regionSet).toEqual(['*']);
      }
      expect(tally.same).toBeGreaterThan(250);
    },
    TIMEOUT,
  );
});
