// The command line, run in this process as the executable runs it: `run(argv, io)` (src/cli/run.ts) with a
// temporary HOME, its own ~/.aws files and nothing of this machine's environment, its stdout, stderr and exit code
// captured. A handful of smoke tests at the end run the real executable, `node dist/cli/main.js …` from a copy of
// the package built here with esbuild (same layout as `npm run build`, so `--version` finds package.json), and
// the sources with tsx, and check that the process gives exactly what the in-process run gives. Every URL and
// header is compared with what the library itself returns for the same inputs and signing date.

import { execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignUrl, signRequest, verifyPresignedUrl, verifyRequest, type PresignOptions } from '../../src/index.js';
import { parseIni } from '../../src/cli/ini.js';
import { awsCliQueryOrder } from '../../src/cli/presign.js';
import { run as runCli } from '../../src/cli/run.js';
import { sha256Hex } from '../support/reference.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'sigv4-cli-test-'));
const pkg = join(work, 'pkg');
const MAIN = join(pkg, 'dist', 'cli', 'main.js');

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listTs(path) : name.endsWith('.ts') ? [path] : [];
  });
}

beforeAll(async () => {
  // One file per source file, as tsc emits them: dist/index.js, dist/cli/main.js…
  await build({
    entryPoints: listTs(join(root, 'src')),
    outdir: join(pkg, 'dist'),
    outbase: join(root, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

// ---- Fixtures ----

const ENV_KEY = { accessKeyId: 'AKIDENVEXAMPLE', secretAccessKey: 'envSecret/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const FILE_KEY = { accessKeyId: 'AKIDFILEEXAMPLE', secretAccessKey: 'fileSecret/wJalrXUtnFEMI+K7MDENGEXAMPLE' };
const DEV_KEY = { accessKeyId: 'AKIDDEVEXAMPLE', secretAccessKey: 'devSecret/bPxRfiCYzzzEXAMPLEKEY+abc' };
const CONFIG_KEY = { accessKeyId: 'AKIDCONFIGEXAMPLE', secretAccessKey: 'configSecret/EXAMPLEKEY+xyz/123' };
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars//==';
const SECRETS = [ENV_KEY, FILE_KEY, DEV_KEY, CONFIG_KEY].map((k) => k.secretAccessKey).concat(TOKEN);

const SIGNING_DATE = '2024-05-01T12:00:00Z';
const SIGNED_AT = Date.parse(SIGNING_DATE);
const envKeys = { AWS_ACCESS_KEY_ID: ENV_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ENV_KEY.secretAccessKey };

const CREDENTIALS = `# the shared credentials file
[default]
aws_access_key_id = ${FILE_KEY.accessKeyId}
aws_secret_access_key = ${FILE_KEY.secretAccessKey}

[dev]
AWS_ACCESS_KEY_ID=${DEV_KEY.accessKeyId}
aws_secret_access_key=${DEV_KEY.secretAccessKey}
aws_session_token = ${TOKEN}

[both]
aws_access_key_id = ${FILE_KEY.accessKeyId}
aws_secret_access_key = ${FILE_KEY.secretAccessKey}
`;

const CONFIG = `[profile dev]
region = ap-southeast-2
s3 =
  addressing_style = path

[profile cfg]
; keys in the config file work too
aws_access_key_id = ${CONFIG_KEY.accessKeyId}
aws_secret_access_key = ${CONFIG_KEY.secretAccessKey}
region = sa-east-1

[profile both]
aws_access_key_id = ${CONFIG_KEY.accessKeyId}
aws_secret_access_key = ${CONFIG_KEY.secretAccessKey}

[profile minio]
aws_access_key_id = ${CONFIG_KEY.accessKeyId}
aws_secret_access_key = ${CONFIG_KEY.secretAccessKey}
endpoint_url = http://profile-endpoint:9000
services = local

[services local]
s3 =
  endpoint_url = http://services-endpoint:9000

[profile plain-endpoint]
aws_access_key_id = ${CONFIG_KEY.accessKeyId}
aws_secret_access_key = ${CONFIG_KEY.secretAccessKey}
endpoint_url = http://profile-endpoint:9000

[profile virtual]
aws_access_key_id = ${CONFIG_KEY.accessKeyId}
aws_secret_access_key = ${CONFIG_KEY.secretAccessKey}
endpoint_url = https://storage.example.com
s3 =
    addressing_style = virtual

[profile role]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = default

[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin

[profile process]
credential_process = /usr/local/bin/get-creds

[profile nokeys]
region = us-west-2
`;

let homes = 0;
/** A fresh HOME with the given ~/.aws files (the defaults above unless told otherwise). */
function makeHome(files: { credentials?: string | null; config?: string | null } = {}): string {
  const home = join(work, `home${++homes}`);
  mkdirSync(join(home, '.aws'), { recursive: true });
  const credentials = files.credentials === undefined ? CREDENTIALS : files.credentials;
  const config = files.config === undefined ? CONFIG : files.config;
  if (credentials !== null) writeFileSync(join(home, '.aws', 'credentials'), credentials);
  if (config !== null) writeFileSync(join(home, '.aws', 'config'), config);
  return home;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunOptions {
  readonly env?: Record<string, string>;
  readonly home?: string;
  readonly input?: string;
}

/** The environment of a run: only PATH, HOME and `env`. */
const cliEnv = (options: RunOptions): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOME: options.home ?? makeHome(),
  ...options.env,
});

/** presign and sign sign as of SIGNING_DATE (`--date`, right after the command) unless the test gives a date. */
const dated = (args: readonly string[]): readonly string[] =>
  (args[0] === 'presign' || args[0] === 'sign') && !args.some((a) => a === '--date' || a.startsWith('--date='))
    ? [args[0], '--date', SIGNING_DATE, ...args.slice(1)]
    : args;

/** Runs the command line in this process, with that environment and `input` on stdin. */
async function cli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(dated(args), {
    env: cliEnv(options),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => new TextEncoder().encode(options.input ?? ''),
  });
  return { code, stdout, stderr };
}

/** Runs the built executable, `node dist/cli/main.js`, as a child process with that environment and stdin. */
function spawnCli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const env = cliEnv(options);
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [MAIN, ...dated(args)], { env, cwd: work });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** The library's presigned URL for the same request, as presign prints it (a session token where the AWS CLI puts it). */
async function libraryUrl(url: string, options: Partial<PresignOptions> = {}): Promise<string> {
  return awsCliQueryOrder(
    (
      await presignUrl({
        url,
        service: 's3',
        region: 'us-east-1',
        credentials: ENV_KEY,
        signingDate: SIGNING_DATE,
        ...options,
      })
    ).url,
  );
}

/** The CLI's stdout, which must be its only output, with exit code 0. */
async function ok(args: readonly string[], options?: RunOptions): Promise<string> {
  const run = await cli(args, options);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

/** A failed run: the exit code, and one line on stderr that matches, holds no secret and no stack trace. */
async function fails(code: 1 | 2, pattern: RegExp, args: readonly string[], options?: RunOptions): Promise<string> {
  const run = await cli(args, options);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).toMatch(/^sigv4( \w+)?: [^\n]+\n$/);
  expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
  for (const secret of SECRETS) expect(run.stderr).not.toContain(secret);
  expect(run.code).toBe(code);
  return run.stderr;
}

const credentialOf = (url: string): string => decodeURIComponent(/X-Amz-Credential=([^&]+)/.exec(url)![1]!);

describe.concurrent('sigv4 CLI', () => {
  describe('help and version', () => {
    it('--version prints the package version; --help and each command --help print usage', async () => {
      const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
      expect(await ok(['--version'])).toBe(`${version}\n`);
      expect(await ok(['--help'])).toMatch(/^sigv4: AWS Signature Version 4.*\n\nUsage:\n {2}sigv4 presign /s);
      expect(await ok(['presign', '--help'])).toMatch(
        /^Usage: sigv4 presign s3:\/\/BUCKET\/KEY \| URL \[options\]\n[\s\S]*--expires-in SECONDS/,
      );
      expect(await ok(['sign', '-h'])).toMatch(/^Usage: sigv4 sign URL [\s\S]*--data DATA/);
      expect(await ok(['help', 'verify'])).toMatch(/^Usage: sigv4 verify URL [\s\S]*--now ISO/);
    });

    it('no command prints the usage on stderr with exit code 2; an unknown command is a usage error', async () => {
      const run = await cli([]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^sigv4: AWS Signature Version 4/);
      await fails(2, /^sigv4: unknown command "presigne": expected presign, sign or verify \(see sigv4 --help\)\n$/, [
        'presigne',
        's3://b/k',
      ]);
    });
  });

  describe('presign', () => {
    it('an s3:// key with spaces, plus, unicode, %, ? and # survives exactly, byte for byte as the library signs it', async () => {
      const stdout = await ok(['presign', 's3://examplebucket/photos/a b+c/ü 東京%20?x#y.jpg', '--expires-in', '600'], {
        env: envKeys,
      });
      const expected = await libraryUrl(
        'https://examplebucket.s3.amazonaws.com/photos/a%20b%2Bc/%C3%BC%20%E6%9D%B1%E4%BA%AC%2520%3Fx%23y.jpg',
        {
          expiresIn: 600,
        },
      );
      expect(stdout).toBe(`${expected}\n`);
      const path = new URL(expected).pathname;
      expect(decodeURIComponent(path)).toBe('/photos/a b+c/ü 東京%20?x#y.jpg');
      expect(stdout).toContain('X-Amz-Expires=600&');
      expect(stdout).toContain('X-Amz-Date=20240501T120000Z&');
    });

    it('keys with //, . and .. segments and a trailing slash stay as they are', async () => {
      const stdout = await ok(['presign', 's3://examplebucket/a//b/./c/../d/'], { env: envKeys });
      expect(stdout).toBe(`${await libraryUrl('https://examplebucket.s3.amazonaws.com/a//b/./c/../d/')}\n`);
    });

    it('uses the regional host outside us-east-1, and the bucket root for s3://BUCKET --bucket-url', async () => {
      const regional = await ok(['presign', 's3://examplebucket/k.txt', '--region', 'eu-west-1'], { env: envKeys });
      expect(regional).toBe(
        `${await libraryUrl('https://examplebucket.s3.eu-west-1.amazonaws.com/k.txt', { region: 'eu-west-1' })}\n`,
      );
      const china = await ok(['presign', 's3://examplebucket/k.txt', '--region', 'cn-north-1'], { env: envKeys });
      expect(china).toMatch(/^https:\/\/examplebucket\.s3\.cn-north-1\.amazonaws\.com\.cn\/k\.txt\?/);
      const bucket = await ok(['presign', 's3://examplebucket', '--bucket-url'], { env: envKeys });
      expect(bucket).toBe(`${await libraryUrl('https://examplebucket.s3.amazonaws.com/')}\n`);
    });

    it('--method, --content-type, --header and --query are signed; --json gives the URL, expiry and headers to send', async () => {
      const args = ['presign', 's3://examplebucket/up/ü.jpg', '--method', 'put', '--content-type', 'image/jpeg'];
      const extra = [
        '--header',
        'x-amz-meta-owner: ana',
        '--query',
        'x-id=PutObject',
        '--query',
        'note=a b&c',
        '--expires-in',
        '900',
      ];
      const json = JSON.parse(await ok([...args, ...extra, '--json'], { env: envKeys })) as Record<string, unknown>;
      const expected = await presignUrl({
        url: 'https://examplebucket.s3.amazonaws.com/up/%C3%BC.jpg',
        method: 'PUT',
        service: 's3',
        region: 'us-east-1',
        credentials: ENV_KEY,
        signingDate: SIGNING_DATE,
        expiresIn: 900,
        headers: [
          ['x-amz-meta-owner', 'ana'],
          ['content-type', 'image/jpeg'],
        ],
        query: [
          ['x-id', 'PutObject'],
          ['note', 'a b&c'],
        ],
      });
      expect(json).toEqual({
        url: expected.url,
        method: 'PUT',
        expiresIn: 900,
        expiresAt: '2024-05-01T12:15:00.000Z',
        headers: { 'x-amz-meta-owner': 'ana', 'content-type': 'image/jpeg' },
      });
      expect(expected.url).toContain('note=a%20b%26c');

      // In text mode the URL is the one line on stdout, and the headers to send go to stderr.
      const run = await cli([...args, ...extra], { env: envKeys });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${expected.url}\n`);
      expect(run.stderr).toBe('the holder of this URL must send: x-amz-meta-owner: ana; content-type: image/jpeg\n');
    });

    it('an https:// URL is signed as written, for S3 or any --service', async () => {
      const s3 = await ok(
        ['presign', 'https://examplebucket.s3.eu-west-1.amazonaws.com/a%20b.txt', '--region', 'eu-west-1'],
        { env: envKeys },
      );
      expect(s3).toBe(
        `${await libraryUrl('https://examplebucket.s3.eu-west-1.amazonaws.com/a%20b.txt', { region: 'eu-west-1' })}\n`,
      );
      const api = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items/a b?limit=5';
      const apiOut = await ok(
        ['presign', api, '--service', 'execute-api', '--region', 'eu-west-1', '--expires-in', '60'],
        { env: envKeys },
      );
      expect(apiOut).toBe(`${await libraryUrl(api, { service: 'execute-api', region: 'eu-west-1', expiresIn: 60 })}\n`);
    });

    it('path-style: --path-style, dots or capitals in the bucket, addressing_style = path, an endpoint URL', async () => {
      const home = makeHome();
      const env = { ...envKeys, AWS_REGION: 'us-west-2' };
      expect(await ok(['presign', 's3://examplebucket/k', '--path-style'], { env, home })).toBe(
        `${await libraryUrl('https://s3.us-west-2.amazonaws.com/examplebucket/k', { region: 'us-west-2' })}\n`,
      );
      expect(await ok(['presign', 's3://my.bucket.example/k'], { env, home })).toMatch(
        /^https:\/\/s3\.us-west-2\.amazonaws\.com\/my\.bucket\.example\/k\?/,
      );
      expect(await ok(['presign', 's3://Legacy_Bucket/k'], { env, home })).toMatch(
        /^https:\/\/s3\.us-west-2\.amazonaws\.com\/Legacy_Bucket\/k\?/,
      );
      // The dev profile says addressing_style = path (its keys come from the credentials file).
      const dev = await ok(['presign', 's3://examplebucket/k', '--profile', 'dev'], { home });
      expect(dev).toMatch(/^https:\/\/s3\.ap-southeast-2\.amazonaws\.com\/examplebucket\/k\?/);
      // An endpoint (MinIO on localhost) is path-style unless configured virtual, and keeps its port and scheme.
      const minio = await ok(
        ['presign', 's3://examplebucket/a b', '--endpoint-url', 'http://localhost:9000', '--region', 'us-east-1'],
        {
          env: envKeys,
          home,
        },
      );
      expect(minio).toBe(`${await libraryUrl('http://localhost:9000/examplebucket/a%20b')}\n`);
      const prefixed = await ok(
        ['presign', 's3://examplebucket/k', '--endpoint-url', 'https://gw.example.com/storage/'],
        { env: envKeys, home },
      );
      expect(prefixed).toMatch(/^https:\/\/gw\.example\.com\/storage\/examplebucket\/k\?/);
      const virtual = await ok(['presign', 's3://examplebucket/k', '--profile', 'virtual'], { home });
      expect(virtual).toBe(
        `${await libraryUrl('https://examplebucket.storage.example.com/k', { credentials: CONFIG_KEY })}\n`,
      );
    });

    it('a session token from the profile is signed into the URL', async () => {
      const stdout = await ok(
        ['presign', 's3://examplebucket/k', '--profile', 'dev', '--region', 'us-east-1', '--path-style'],
        {},
      );
      // --region us-east-1 names the regional host, as in AWS CLI v2 (no region: the global s3.amazonaws.com).
      const expected = await libraryUrl('https://s3.us-east-1.amazonaws.com/examplebucket/k', {
        credentials: { ...DEV_KEY, sessionToken: TOKEN },
      });
      expect(stdout).toBe(`${expected}\n`);
      expect(stdout).toContain(`X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&`);
    });
  });

  describe('precedence, as the AWS CLI', () => {
    it('credentials: environment over the files; --profile skips the environment; AWS_PROFILE does not', async () => {
      const home = makeHome();
      const key = async (args: string[], env: Record<string, string>) =>
        credentialOf(
          await ok(['presign', 's3://examplebucket/k', '--region', 'us-east-1', ...args], { env, home }),
        ).split('/')[0];
      expect(await key([], {})).toBe(FILE_KEY.accessKeyId);
      expect(await key([], envKeys)).toBe(ENV_KEY.accessKeyId);
      expect(await key(['--profile', 'dev'], envKeys)).toBe(DEV_KEY.accessKeyId);
      expect(await key([], { ...envKeys, AWS_PROFILE: 'dev' })).toBe(ENV_KEY.accessKeyId);
      expect(await key([], { AWS_PROFILE: 'dev' })).toBe(DEV_KEY.accessKeyId);
      expect(await key(['--profile', 'cfg'], { AWS_PROFILE: 'dev' })).toBe(CONFIG_KEY.accessKeyId);
      // The credentials file wins over the config file for the same profile.
      expect(await key(['--profile', 'both'], {})).toBe(FILE_KEY.accessKeyId);
      // Empty variables count as unset.
      expect(await key([], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' })).toBe(
        FILE_KEY.accessKeyId,
      );
    });

    it('region: --region, then AWS_REGION, AWS_DEFAULT_REGION, the profile, then us-east-1 for s3://', async () => {
      const home = makeHome();
      const region = async (args: string[], env: Record<string, string>, h = home) =>
        credentialOf(
          await ok(['presign', 's3://examplebucket/k', ...args], { env: { ...envKeys, ...env }, home: h }),
        ).split('/')[2];
      const all = { AWS_REGION: 'us-west-1', AWS_DEFAULT_REGION: 'us-west-2' };
      expect(await region(['--region', 'eu-north-1'], all)).toBe('eu-north-1');
      expect(await region([], all)).toBe('us-west-1');
      expect(await region([], { AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
      expect(await region([], {}, makeHome({ config: '[default]\nregion = eu-central-1\n' }))).toBe('eu-central-1');
      expect(await region([], { AWS_PROFILE: 'nokeys' })).toBe('us-west-2');
      expect(await region(['--profile', 'cfg'], {})).toBe('sa-east-1');
      expect(await region([], {}, makeHome({ config: null }))).toBe('us-east-1');
    });

    it('S3 endpoint: --endpoint-url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, [services], endpoint_url; or none when ignored', async () => {
      const home = makeHome();
      const host = async (args: string[], env: Record<string, string>) =>
        new URL(await ok(['presign', 's3://examplebucket/k', '--profile', 'minio', ...args], { env, home })).host;
      const all = { AWS_ENDPOINT_URL_S3: 'http://env-s3:9000', AWS_ENDPOINT_URL: 'http://env-global:9000' };
      expect(await host(['--endpoint-url', 'http://flag:9000'], all)).toBe('flag:9000');
      expect(await host([], all)).toBe('env-s3:9000');
      expect(await host([], { AWS_ENDPOINT_URL: 'http://env-global:9000' })).toBe('env-global:9000');
      expect(await host([], {})).toBe('services-endpoint:9000');
      expect(await host(['--profile', 'plain-endpoint'], {})).toBe('profile-endpoint:9000');
      expect(await host([], { ...all, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBe(
        'examplebucket.s3.amazonaws.com',
      );
    });

    it('AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE replace ~/.aws/credentials and ~/.aws/config', async () => {
      const home = makeHome();
      const elsewhere = join(work, 'elsewhere');
      mkdirSync(elsewhere, { recursive: true });
      writeFileSync(
        join(elsewhere, 'creds'),
        `[default]\naws_access_key_id = ${CONFIG_KEY.accessKeyId}\naws_secret_access_key = ${CONFIG_KEY.secretAccessKey}\n`,
      );
      writeFileSync(join(elsewhere, 'conf'), '[default]\nregion = af-south-1\n');
      const url = await ok(['presign', 's3://examplebucket/k'], {
        home,
        env: { AWS_SHARED_CREDENTIALS_FILE: join(elsewhere, 'creds'), AWS_CONFIG_FILE: '~/../elsewhere/conf' },
      });
      expect(url).toBe(
        `${await libraryUrl('https://examplebucket.s3.af-south-1.amazonaws.com/k', { credentials: CONFIG_KEY, region: 'af-south-1' })}\n`,
      );
    });
  });

  describe('errors: one line on stderr, exit 2 for usage and 1 for failures, no secret, no stack', () => {
    it('missing credentials', async () => {
      const empty = makeHome({ credentials: null, config: null });
      await fails(
        1,
        /no AWS credentials for profile "default": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add .* to \[default\] in ~\/\.aws\/credentials/,
        ['presign', 's3://examplebucket/k'],
        { home: empty },
      );
      await fails(1, /no AWS credentials for profile "nokeys"/, [
        'presign',
        's3://examplebucket/k',
        '--profile',
        'nokeys',
      ]);
      await fails(
        1,
        /no AWS credentials for profile "nokeys".*\(AWS_ACCESS_KEY_ID is not used with --profile, as in the AWS CLI\)/,
        ['presign', 's3://examplebucket/k', '--profile', 'nokeys'],
        { env: envKeys },
      );
      await fails(
        1,
        /^sigv4 presign: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both/,
        ['presign', 's3://examplebucket/k'],
        { env: { AWS_ACCESS_KEY_ID: 'AKIDX' } },
      );
      await fails(1, /AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not/, ['presign', 's3://examplebucket/k'], {
        env: { AWS_SECRET_ACCESS_KEY: ENV_KEY.secretAccessKey },
      });
      const partial = makeHome({ credentials: `[default]\naws_access_key_id = AKIDPARTIAL\n` });
      await fails(
        1,
        /profile "default" in ~\/\.aws\/credentials has aws_access_key_id but no aws_secret_access_key: add aws_secret_access_key/,
        ['presign', 's3://examplebucket/k'],
        { home: partial },
      );
    });

    it('an unknown profile, from --profile or AWS_PROFILE, even with credentials in the environment', async () => {
      await fails(
        1,
        /^sigv4 presign: the profile "nope" \(from --profile\) is not in ~\/\.aws\/config or ~\/\.aws\/credentials; add a \[profile nope\] section .* or use one of: both, cfg, default, dev, minio, /,
        ['presign', 's3://examplebucket/k', '--profile', 'nope'],
      );
      await fails(1, /the profile "nope" \(from AWS_PROFILE\) is not in/, ['presign', 's3://examplebucket/k'], {
        env: { ...envKeys, AWS_PROFILE: 'nope' },
      });
    });

    it('credential sources that need the network are named, with the way out', async () => {
      const cases = [
        [
          'role',
          /profile "role" in ~\/\.aws\/config gets its credentials from an IAM role to assume \(role_arn\), which needs the network/,
        ],
        [
          'sso',
          /profile "sso" in ~\/\.aws\/config signs in with IAM Identity Center \(SSO\) \(sso_session\), which sigv4 does not do: sign in with {2}aws sso login --profile sso {2}then/,
        ],
      ] as const;
      for (const [profile, pattern] of cases) {
        const stderr = await fails(1, pattern, ['presign', 's3://examplebucket/k', '--profile', profile]);
        expect(stderr).toContain(`eval "$(aws configure export-credentials --profile ${profile} --format env)"`);
      }
      // credential_process is run (test/cli/credential-process.test.ts): a program that is not there is named.
      await fails(
        1,
        /^sigv4 presign: credential_process \(profile "process" in ~\/\.aws\/config\) could not run "\/usr\/local\/bin\/get-creds": no such program/,
        ['presign', 's3://examplebucket/k', '--profile', 'process'],
      );
    });

    it('a malformed s3:// URI', async () => {
      for (const uri of ['s3:/examplebucket/k', 's3://', 's3:///k', 'S3://examplebucket/k']) {
        await fails(2, /^sigv4 presign: malformed S3 URI ".*": expected s3:\/\/BUCKET\/KEY/, ['presign', uri], {
          env: envKeys,
        });
      }
      await fails(
        2,
        /malformed S3 URI "s3:\/\/bad!bucket\/k": the bucket "bad!bucket" expected 3 to 255 letters/,
        ['presign', 's3://bad!bucket/k'],
        { env: envKeys },
      );
      await fails(
        2,
        /^sigv4 presign: expected s3:\/\/BUCKET\/KEY or an http\(s\):\/\/ URL, got "examplebucket\/k"/,
        ['presign', 'examplebucket/k'],
        { env: envKeys },
      );
      // The command line is checked before any file is read: a usage error wins over a broken config file.
      await fails(2, /malformed S3 URI "s3:\/examplebucket\/k"/, ['presign', 's3:/examplebucket/k'], {
        env: { AWS_CONFIG_FILE: work },
      });
    });

    it('an out-of-range expiry', async () => {
      for (const value of ['0', '604801', '1.5', 'abc']) {
        await fails(
          2,
          /^sigv4 presign: --expires-in expected whole seconds from 1 to 604800 \(7 days, the most AWS accepts\), got /,
          ['presign', 's3://examplebucket/k', `--expires-in=${value}`],
          { env: envKeys },
        );
      }
      expect(await ok(['presign', 's3://examplebucket/k', '--expires-in', '604800'], { env: envKeys })).toContain(
        'X-Amz-Expires=604800&',
      );
    });

    it('an unreadable or malformed config file; a missing one is empty, as for the AWS CLI', async () => {
      const dir = join(work, 'a-directory');
      mkdirSync(dir, { recursive: true });
      await fails(
        1,
        /^sigv4 presign: cannot read the AWS config file .*a-directory \(named by AWS_CONFIG_FILE\): it is a directory; make it a readable file, or unset AWS_CONFIG_FILE\n$/,
        ['presign', 's3://examplebucket/k'],
        { env: { ...envKeys, AWS_CONFIG_FILE: dir } },
      );
      await fails(
        1,
        /cannot read the AWS credentials file ~\/\.aws\/credentials: it is a directory/,
        ['presign', 's3://examplebucket/k'],
        {
          home: (() => {
            const home = makeHome({ credentials: null });
            mkdirSync(join(home, '.aws', 'credentials'));
            return home;
          })(),
        },
      );
      // The malformed line holds a secret: it is named by number only.
      const broken = makeHome({
        credentials: `[default]\naws_access_key_id = AKIDBROKEN\naws_secret_access_key ${FILE_KEY.secretAccessKey}\n`,
      });
      await fails(
        1,
        /^sigv4 presign: ~\/\.aws\/credentials line 3: expected "\[section\]" or "key = value"; fix that line/,
        ['presign', 's3://examplebucket/k'],
        { home: broken },
      );
      const orphan = makeHome({ config: 'region = us-east-1\n' });
      await fails(
        1,
        /~\/\.aws\/config line 1: expected a "\[section\]" header before the first setting/,
        ['presign', 's3://examplebucket/k'],
        { home: orphan, env: envKeys },
      );
      expect(
        await ok(['presign', 's3://examplebucket/k'], {
          env: { ...envKeys, AWS_CONFIG_FILE: join(work, 'no-such-file') },
        }),
      ).toMatch(/^https:/);
    });

    it('other usage errors: unknown flag, missing value or argument, no region for a URL, bad header, bad endpoint', async () => {
      const env = envKeys;
      await fails(
        2,
        /^sigv4 presign: unknown option --expires \(see sigv4 presign --help\)\n$/,
        ['presign', 's3://examplebucket/k', '--expires', '5'],
        { env },
      );
      await fails(
        2,
        /^sigv4 presign: Option '--region <value>' argument missing \(see sigv4 presign --help\)\n$/,
        ['presign', 's3://examplebucket/k', '--region'],
        { env },
      );
      await fails(
        2,
        /^sigv4 presign: expected an s3:\/\/BUCKET\/KEY URI or an http\(s\) URL \(see sigv4 presign --help\)\n$/,
        ['presign'],
        { env },
      );
      await fails(
        2,
        /^sigv4 presign: expected one argument, an s3:\/\/BUCKET\/KEY URI or an http\(s\) URL, got 2 \(quote a key or URL that holds spaces\)\n$/,
        ['presign', 's3://examplebucket/a', 'b'],
        { env },
      );
      await fails(
        2,
        /^sigv4 presign: no region to sign "https:\/\/example\.com\/x" for: pass --region, set AWS_REGION/,
        ['presign', 'https://example.com/x'],
        { env, home: makeHome({ config: null }) },
      );
      await fails(
        2,
        /--method expected GET, HEAD, PUT, POST, DELETE, PATCH or OPTIONS, got "FETCH"/,
        ['presign', 's3://examplebucket/k', '--method', 'FETCH'],
        { env },
      );
      await fails(
        2,
        /--header expected 'NAME: VALUE', got "content-type image\/png"/,
        ['presign', 's3://examplebucket/k', '--header', 'content-type image/png'],
        { env },
      );
      await fails(
        2,
        /^sigv4 presign: "headers\["x-note"\]" expected printable US-ASCII/,
        ['presign', 's3://examplebucket/k', '--header', 'x-note: é'],
        { env },
      );
      await fails(
        2,
        /the endpoint URL "localhost:9000" from --endpoint-url expected http\(s\):\/\/HOST\[:PORT\]\[\/PATH\]/,
        ['presign', 's3://examplebucket/k', '--endpoint-url', 'localhost:9000'],
        { env },
      );
      await fails(
        1,
        /the endpoint URL "localhost:9000" from AWS_ENDPOINT_URL expected .*; fix AWS_ENDPOINT_URL to a URL such as/,
        ['presign', 's3://examplebucket/k'],
        { env: { ...env, AWS_ENDPOINT_URL: 'localhost:9000' } },
      );
      await fails(
        2,
        /--endpoint-url applies to s3:\/\/ URIs/,
        ['presign', 'https://example.com/x', '--region', 'us-east-1', '--endpoint-url', 'http://localhost:9000'],
        { env },
      );
      await fails(
        2,
        /an s3:\/\/ URI is signed for the s3 service, got --service lambda/,
        ['presign', 's3://examplebucket/k', '--service', 'lambda'],
        { env },
      );
    });
  });

  describe('verify', () => {
    const now = ['--now', '2024-05-01T12:30:00Z'];

    it('a URL the CLI printed is accepted by the CLI and by the project verifier', async () => {
      const home = makeHome();
      const url = (
        await ok(
          ['presign', 's3://examplebucket/a b+c/ü%?#.txt', '--method', 'PUT', '--content-type', 'text/plain', '--json'],
          { home, env: envKeys },
        )
      ).match(/"url": "([^"]+)"/)![1]!;
      const verified = await verifyPresignedUrl({
        url,
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        region: 'us-east-1',
        service: 's3',
        now: Date.parse('2024-05-01T12:30:00Z'),
        getCredentials: (id) => (id === ENV_KEY.accessKeyId ? ENV_KEY : undefined),
      });
      expect(verified.path).toBe('/a%20b%2Bc/%C3%BC%25%3F%23.txt');

      const stdout = await ok(['verify', url, '--method', 'PUT', '--header', 'content-type: text/plain', ...now], {
        home,
        env: envKeys,
      });
      expect(stdout).toBe(
        [
          'valid: signed by AKIDENVEXAMPLE (the environment)',
          'scope:      20240501/us-east-1/s3/aws4_request',
          'method:     PUT /a%20b%2Bc/%C3%BC%25%3F%23.txt',
          'signed at:  2024-05-01T12:00:00.000Z',
          'expires at: 2024-05-01T13:00:00.000Z (in 30m)',
          'headers:    content-type, host',
          '',
        ].join('\n'),
      );
    });

    it('finds the signer among the profiles, says which, and prints JSON', async () => {
      const home = makeHome();
      const url = await ok(['presign', 's3://examplebucket/k', '--profile', 'dev', '--expires-in', '7200'], { home });
      const json = JSON.parse(await ok(['verify', url.trim(), ...now, '--json'], { home, env: envKeys })) as Record<
        string,
        unknown
      >;
      expect(json).toEqual({
        valid: true,
        accessKeyId: DEV_KEY.accessKeyId,
        source: 'profile "dev" in ~/.aws/credentials',
        algorithm: 'AWS4-HMAC-SHA256',
        credentialScope: '20240501/ap-southeast-2/s3/aws4_request',
        region: 'ap-southeast-2',
        service: 's3',
        method: 'GET',
        path: '/examplebucket/k',
        signedHeaders: ['host'],
        signedAt: '2024-05-01T12:00:00.000Z',
        expiresIn: 7200,
        expiresAt: '2024-05-01T14:00:00.000Z',
      });
    });

    it('says why a URL fails, with exit code 1', async () => {
      const home = makeHome();
      const url = (await ok(['presign', 's3://examplebucket/k', '--expires-in', '600'], { home, env: envKeys })).trim();
      const run = (args: string[]) => ['verify', ...args, ...(args.includes('--now') ? [] : now)];
      await fails(
        1,
        /^sigv4 verify: not valid: the URL expired at 2024-05-01T12:10:00\.000Z \(X-Amz-Date \+ 600 s\); now is 2024-05-01T12:30:00\.000Z \(ERR_SIGV4_EXPIRED\)\n$/,
        run([url]),
        { home, env: envKeys },
      );
      await fails(
        1,
        /the request was signed for GET, got "PUT"; pass that method with --method \(ERR_SIGV4_METHOD\)/,
        run([url, '--method', 'PUT', '--now', '2024-05-01T12:05:00Z']),
        { home, env: envKeys },
      );
      await fails(
        1,
        /the signature does not match the request .*\(ERR_SIGV4_SIGNATURE_MISMATCH\)/,
        run([url.replace('/k?', '/K?'), '--now', '2024-05-01T12:05:00Z']),
        { home, env: envKeys },
      );
      await fails(
        1,
        /the access key id "AKIDENVEXAMPLE" is unknown: none of the local credentials has it \(looked in profile "default" in ~\/\.aws\/credentials, profile "dev" in ~\/\.aws\/credentials, .*\) \(ERR_SIGV4_UNKNOWN_ACCESS_KEY\)/,
        run([url, '--now', '2024-05-01T12:05:00Z']),
        { home },
      );
      await fails(
        1,
        /the credential scope region expected "eu-west-1", got "us-east-1" \(ERR_SIGV4_REGION\)/,
        run([url, '--region', 'eu-west-1', '--now', '2024-05-01T12:05:00Z']),
        { home, env: envKeys },
      );
      await fails(
        1,
        /expected the query parameters X-Amz-Algorithm, .* \(is it a presigned URL\?\) \(ERR_SIGV4_MALFORMED\)/,
        run(['https://examplebucket.s3.amazonaws.com/k']),
        { home, env: envKeys },
      );
      await fails(
        2,
        /^sigv4 verify: --now expected an ISO 8601 time such as 2024-05-01T12:00:00Z, got "yesterday"/,
        ['verify', url, '--now', 'yesterday'],
        { home, env: envKeys },
      );
      await fails(
        2,
        /^sigv4 verify: expected a presigned http\(s\) URL, got "s3:\/\/examplebucket\/k"/,
        ['verify', 's3://examplebucket/k'],
        { home, env: envKeys },
      );
    });
  });

  describe('sign', () => {
    const bodyFile = join(work, 'body.bin');
    const body = 'line one\nü and bytes \u0000\u00ff\n';

    it('prints the headers the library signs, for a file body, and a curl command that sends it', async () => {
      writeFileSync(bodyFile, body);
      const args = [
        'sign',
        's3://examplebucket/notes/a b.txt',
        '--method',
        'PUT',
        '--data',
        `@${bodyFile}`,
        '--header',
        'x-amz-meta-k: v',
      ];
      const expected = await signRequest({
        url: 'https://examplebucket.s3.amazonaws.com/notes/a%20b.txt',
        method: 'PUT',
        service: 's3',
        region: 'us-east-1',
        credentials: ENV_KEY,
        signingDate: SIGNING_DATE,
        headers: { 'x-amz-meta-k': 'v' },
        body: new TextEncoder().encode(body),
      });
      const lines = Object.entries(expected.headers).map(([name, value]) => `${name}: ${value}\n`);
      expect(await ok(args, { env: envKeys })).toBe(lines.join(''));
      expect(expected.headers['x-amz-content-sha256']).toBe(sha256Hex(body));

      const curl = await ok([...args, '--curl'], { env: envKeys });
      const quoted = Object.entries(expected.headers).map(([name, value]) => `-H '${name}: ${value}'`);
      expect(curl).toBe(
        `curl -X PUT ${quoted.join(' ')} --data-binary @${bodyFile} https://examplebucket.s3.amazonaws.com/notes/a%20b.txt\n`,
      );

      const json = JSON.parse(await ok([...args, '--json'], { env: envKeys })) as Record<string, unknown>;
      expect(json).toEqual({ method: 'PUT', url: expected.url, headers: expected.headers });
      const verified = await verifyRequest({
        url: expected.url,
        method: 'PUT',
        headers: { ...expected.headers, host: 'examplebucket.s3.amazonaws.com' },
        body: new TextEncoder().encode(body),
        region: 'us-east-1',
        service: 's3',
        now: SIGNED_AT,
        getCredentials: (id) => (id === ENV_KEY.accessKeyId ? ENV_KEY : undefined),
      });
      expect(verified.accessKeyId).toBe(ENV_KEY.accessKeyId);
    });

    it('any service with an https URL; literal --data means POST; stdin with @-; a session token header', async () => {
      const url = 'https://sqs.us-east-1.amazonaws.com/';
      const data = 'Action=ListQueues&Version=2012-11-05';
      const args = [
        'sign',
        url,
        '--service',
        'sqs',
        '--region',
        'us-east-1',
        '--content-type',
        'application/x-www-form-urlencoded',
      ];
      const expected = await signRequest({
        url,
        method: 'POST',
        service: 'sqs',
        region: 'us-east-1',
        credentials: { ...DEV_KEY, sessionToken: TOKEN },
        signingDate: SIGNING_DATE,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: data,
      });
      const lines = Object.entries(expected.headers)
        .map(([name, value]) => `${name}: ${value}\n`)
        .join('');
      expect(lines).toContain(`x-amz-security-token: ${TOKEN}\n`);
      expect(await ok([...args, '--data', data, '--profile', 'dev'])).toBe(lines);
      expect(await ok([...args, '--data', '@-', '--profile', 'dev'], { input: data })).toBe(lines);
      const curl = await ok([...args, '--data', data, '--profile', 'dev', '--curl']);
      expect(curl).toMatch(
        /^curl -H 'content-type: application\/x-www-form-urlencoded' .* --data-binary 'Action=ListQueues&Version=2012-11-05' https:\/\/sqs\.us-east-1\.amazonaws\.com\/\n$/,
      );
    });

    it('errors: unreadable body file, conflicting outputs, --unsigned-payload outside S3', async () => {
      await fails(
        1,
        /^sigv4 sign: cannot read the body file ".*no-such-body": no such file\n$/,
        ['sign', 's3://examplebucket/k', '--data', `@${join(work, 'no-such-body')}`],
        { env: envKeys },
      );
      await fails(
        2,
        /--curl and --json each choose the output: keep one/,
        ['sign', 's3://examplebucket/k', '--curl', '--json'],
        { env: envKeys },
      );
      await fails(
        2,
        /--unsigned-payload applies to S3 only/,
        ['sign', 'https://example.com/', '--service', 'sqs', '--region', 'us-east-1', '--unsigned-payload'],
        { env: envKeys },
      );
      const unsigned = await ok(['sign', 's3://examplebucket/k', '--method', 'PUT', '--unsigned-payload'], {
        env: envKeys,
      });
      expect(unsigned).toContain('x-amz-content-sha256: UNSIGNED-PAYLOAD\n');
    });
  });
});

// ---- The INI files: duplicates are refused as the AWS CLI refuses them ----

describe('the shared config and credentials files: a section or key twice', () => {
  /** Runs the CLI with HOME holding these files; returns the exit code and both outputs. */
  async function withFiles(argv: readonly string[], files: Parameters<typeof makeHome>[0]): Promise<Run> {
    const run = await cli(argv, { home: makeHome(files) });
    for (const secret of SECRETS) expect(run.stderr).not.toContain(secret);
    return run;
  }
  const presign = ['presign', 's3://examplebucket/k', '--region', 'us-east-1'];
  const id = (key: { accessKeyId: string }) => `aws_access_key_id = ${key.accessKeyId}`;
  const secret = (key: { secretAccessKey: string }) => `aws_secret_access_key = ${key.secretAccessKey}`;

  it('a section twice: refused, naming the file, both lines and the section (the id from one, the secret from the other)', async () => {
    const credentials = `[default]\n${id(FILE_KEY)}\n\n[dev]\n${id(DEV_KEY)}\n${secret(DEV_KEY)}\n[default]\n${secret(ENV_KEY)}\n`;
    expect(await withFiles(presign, { credentials, config: null })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "sigv4 presign: ~/.aws/credentials line 7: expected each section once, got [default] again (first on line 1); keep one of them (the AWS CLI refuses the file too: section 'default' already exists)\n",
    });
    // In the config file too, for a profile section.
    const config = `[profile dev]\nregion = eu-west-1\n\n# again\n[profile dev]\nregion = eu-west-2\n`;
    expect((await withFiles([...presign, '--profile', 'dev'], { config })).stderr).toBe(
      "sigv4 presign: ~/.aws/config line 5: expected each section once, got [profile dev] again (first on line 1); keep one of them (the AWS CLI refuses the file too: section 'profile dev' already exists)\n",
    );
  });

  it('a key twice in a section: refused, keys compared lower-cased, never showing a value', async () => {
    const credentials = `[default]\n${id(FILE_KEY)}\n${secret(FILE_KEY)}\nAWS_Secret_Access_Key=${DEV_KEY.secretAccessKey}\n`;
    expect(await withFiles(presign, { credentials, config: null })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "sigv4 presign: ~/.aws/credentials line 4: expected each key once in a section, got aws_secret_access_key again in [default] (first on line 3); keep one of them (the AWS CLI refuses the file too: option 'aws_secret_access_key' in section 'default' already exists)\n",
    });
    // A "key" that is no setting's name (a token pasted on a line of its own) is not shown.
    const pasted = `[default]\n${id(FILE_KEY)}\n${secret(FILE_KEY)}\naws_session_token =\n${TOKEN}\n${TOKEN}\n`;
    const run = await withFiles(presign, { credentials: pasted, config: null });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "sigv4 presign: ~/.aws/credentials line 6: expected each key once in a section, got a key again in [default] (first on line 5); keep one of them (the AWS CLI refuses the file too: option '…' in section 'default' already exists)\n",
    );
    expect(run.stderr).not.toContain(TOKEN.slice(0, 12).toLowerCase());
  });

  it('sections compare exactly: [Default] and [default] are two sections, as in configparser', async () => {
    const credentials = `[Default]\n${id(DEV_KEY)}\n${secret(DEV_KEY)}\n[default]\n${id(FILE_KEY)}\n${secret(FILE_KEY)}\n`;
    const run = await withFiles(presign, { credentials, config: null });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(credentialOf(run.stdout)).toBe(`${FILE_KEY.accessKeyId}/20240501/us-east-1/s3/aws4_request`);
  });

  it('a nested sub-section keeps its last key, as botocore does (its _parse_nested does not refuse); "s3 =" twice is refused', async () => {
    const config = `[profile dev]\nregion = ap-southeast-2\ns3 =\n  addressing_style = virtual\n  addressing_style = path\n`;
    const run = await withFiles(['presign', 's3://examplebucket/k', '--profile', 'dev'], { config });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^https:\/\/s3\.ap-southeast-2\.amazonaws\.com\/examplebucket\/k\?/); // path-style: the last one
    const twice = `[profile dev]\ns3 =\n  addressing_style = virtual\nregion = ap-southeast-2\nS3 =\n  addressing_style = path\n`;
    expect((await withFiles(['presign', 's3://examplebucket/k', '--profile', 'dev'], { config: twice })).stderr).toBe(
      "sigv4 presign: ~/.aws/config line 5: expected each key once in a section, got s3 again in [profile dev] (first on line 2); keep one of them (the AWS CLI refuses the file too: option 's3' in section 'profile dev' already exists)\n",
    );
  });

  it('files without duplicates read as before: every section and key, nested sub-sections as maps', async () => {
    const credentials = parseIni(CREDENTIALS, 'credentials');
    expect([...credentials.keys()]).toEqual(['default', 'dev', 'both']);
    expect(credentials.get('dev')).toEqual(
      new Map([
        ['aws_access_key_id', DEV_KEY.accessKeyId],
        ['aws_secret_access_key', DEV_KEY.secretAccessKey],
        ['aws_session_token', TOKEN],
      ]),
    );
    const config = parseIni(CONFIG, 'config');
    expect([...config.keys()]).toEqual([
      'profile dev',
      'profile cfg',
      'profile both',
      'profile minio',
      'services local',
      'profile plain-endpoint',
      'profile virtual',
      'profile role',
      'profile sso',
      'profile process',
      'profile nokeys',
    ]);
    expect(config.get('profile dev')).toEqual(
      new Map<string, string | Map<string, string>>([
        ['region', 'ap-southeast-2'],
        ['s3', new Map([['addressing_style', 'path']])],
      ]),
    );
    expect(config.get('services local')).toEqual(
      new Map([['s3', new Map([['endpoint_url', 'http://services-endpoint:9000']])]]),
    );
    // And the CLI signs with them as it did.
    const run = await withFiles(['presign', 's3://examplebucket/k', '--profile', 'dev'], {});
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `${await libraryUrl('https://s3.ap-southeast-2.amazonaws.com/examplebucket/k', { region: 'ap-southeast-2', credentials: { ...DEV_KEY, sessionToken: TOKEN } })}\n`,
    );
  });
});

// ---- The executable itself: a handful of real processes ----

describe.concurrent('the executable, as a user runs it (node dist/cli/main.js)', () => {
  /** The executable's run, which must be exactly the in-process run of the same command line. */
  async function both(args: readonly string[], options: RunOptions & { home: string }): Promise<Run> {
    const [real, inProcess] = await Promise.all([spawnCli(args, options), cli(args, options)]);
    expect(real).toEqual(inProcess);
    return real;
  }

  it('--version and --help print to stdout only, with exit code 0', async () => {
    const home = makeHome();
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await both(['--version'], { home })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await both(['--help'], { home });
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^sigv4: AWS Signature Version 4.*\n\nUsage:\n {2}sigv4 presign /s);
  });

  it('exit codes: 2 with the usage for no command or an unknown option, 1 for a failure, one line on stderr', async () => {
    const home = makeHome({ credentials: null, config: null });
    const none = await both([], { home });
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/^sigv4: AWS Signature Version 4/);
    expect(await both(['presign', 's3://examplebucket/k', '--expires', '5'], { home, env: envKeys })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sigv4 presign: unknown option --expires (see sigv4 presign --help)\n',
    });
    const failed = await both(['presign', 's3://examplebucket/k'], { home });
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(/^sigv4 presign: no AWS credentials for profile "default": [^\n]+\n$/);
  });

  it('presign prints the URL the library gives, with keys from ~/.aws/credentials', async () => {
    const home = makeHome();
    const real = await both(
      ['presign', 's3://examplebucket/a b/ü.txt', '--region', 'eu-west-1', '--expires-in', '600'],
      { home },
    );
    const expected = await libraryUrl('https://examplebucket.s3.eu-west-1.amazonaws.com/a%20b/%C3%BC.txt', {
      region: 'eu-west-1',
      expiresIn: 600,
      credentials: FILE_KEY,
    });
    expect(real).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it('sign reads the body from a file (--data @FILE) and from stdin (--data @-)', async () => {
    const home = makeHome();
    const body = 'line one\nü and bytes\n';
    const bodyFile = join(work, 'smoke-body.txt');
    writeFileSync(bodyFile, body);
    const args = ['sign', 's3://examplebucket/k', '--method', 'PUT'];
    const expected = await signRequest({
      url: 'https://examplebucket.s3.amazonaws.com/k',
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials: ENV_KEY,
      signingDate: SIGNING_DATE,
      body,
    });
    const lines = Object.entries(expected.headers)
      .map(([name, value]) => `${name}: ${value}\n`)
      .join('');
    expect(await both([...args, '--data', `@${bodyFile}`], { home, env: envKeys })).toEqual({
      code: 0,
      stdout: lines,
      stderr: '',
    });
    expect(await both([...args, '--data', '@-'], { home, env: envKeys, input: body })).toEqual({
      code: 0,
      stdout: lines,
      stderr: '',
    });
  });

  it('runs from the TypeScript sources too (node --import tsx src/cli/main.ts)', async () => {
    const stdout = await new Promise<string>((done, failed) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), '--version'],
        { cwd: root },
        (error, out) => (error ? failed(error) : done(out)),
      ),
    );
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
