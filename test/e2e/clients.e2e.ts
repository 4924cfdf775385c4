// Real clients against a server that verifies every request with this library (issue 12, section 6).
//
// test/e2e/clients/s3-server.ts is an S3-style server (path-style, in memory, 127.0.0.1) that runs verifyRequest,
// verifyPresignedUrl or verifyPresignedPost on every request before serving it, and logs the SigV4Error code of
// each refusal. Debian's awscli v2, boto3, s3cmd, rclone and curl (--aws-sigv4), minio-go (Debian's, built
// offline by test/e2e/clients/minio-build.ts), boto3 >= 1.36 over https (the machine's pyenv Python), and the
// pinned @aws-sdk/client-s3 with @aws-sdk/s3-request-presigner, each run the operations they have against it; a
// second listener, API-Gateway-style (service execute-api, the non-S3 path rules), is driven by botocore's
// SigV4Auth + requests and by @smithy/signature-v4 + fetch over paths with raw `:@,;=()*!'` and `%7E`.
//
// aws-chunked uploads (x-amz-content-sha256: STREAMING-…) are stored from the verified body stream: minio-go sends
// every PUT and part with signed chunks (and, with its TrailingHeaders option, signed or unsigned CRC32C
// trailers), boto3 over https and the SDK with a stream body send unsigned chunks with a CRC32 trailer. Each is
// read back and compared byte for byte, and each client's "refused: altered body" changes bytes of a framed body
// on the way (after the client signed it): refused with the S3 error for it, nothing stored.
//
// Each client × operation is one test below. The clients run concurrently (each one's operations in order), in
// the background from beforeAll; each test waits for its own cell. A cell is:
//   pass      the client did it and the server verified every request (and refused what it must, with the code)
//   FAIL      anything else (the test fails)
//   n/a       the client has no such operation (no test)
//   SKIPPED   only outside CI, when boto3 >= 1.36 is not installed (said loudly; under CI it is a FAIL, and a run
//             with a skipped cell never rewrites or checks the docs/compatibility.md tables)
// The tables, and what each client sent for its uploads (from the server's log), go to the console and to
// node_modules/.cache/sigv4-e2e/clients.json, which test/e2e/compat.ts checks against docs/compatibility.md.

import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSigV4Error, verifyPresignedUrl } from '../../src/index.js';
import {
  CLIENT_KEYS as K,
  lookup,
  startApiServer,
  startS3Server,
  type LoggedRequest,
  type RunningServer,
  type S3Server,
} from './clients/s3-server.js';
import { minioBinary, type MinioBuild } from './clients/minio-build.js';
import { findBoto3Python, type Boto3Python } from './clients/python.js';
import { cleanEnv, debianVersion, npmVersion, run, runOk } from './clients/run.js';
import { selfSignedCert, type SelfSigned } from './clients/tls.js';
import { skipped } from './skip.js';
import {
  FAIL,
  NA,
  PASS,
  SKIPPED,
  printTable,
  printUploads,
  type CellStatus,
  type ClientInfo,
  type ClientTable,
  type ClientsReport,
  type UploadsSeen,
} from './clients/table.js';

const ROOT = join(import.meta.dirname, '..', '..');
const HERE = join(import.meta.dirname, 'clients');
const RESULTS = join(ROOT, 'node_modules', '.cache', 'sigv4-e2e');
const PYTHON = '/usr/bin/python3'; // Debian's, which has python3-boto3: not a pyenv shim first on the PATH
const AWS = '/usr/bin/aws'; // Debian's awscli v2: a pyenv shim `aws` (v1) may come first on the PATH
const REGION = K.region;
const MiB = 1024 * 1024;
const BIG_SIZE = 9 * MiB; // over the 8 MiB multipart threshold of awscli and boto3: two parts of 8 + 1 MiB

// ---------------------------------------------------------------------------------------------------------------
// The S3 operations (table columns) and each client's cells.

const S3_OPS = [
  'put',
  'get',
  'head',
  'list',
  'copy',
  'delete',
  'batch delete',
  'multipart',
  'stream upload',
  'presigned GET',
  'presigned PUT',
  'presigned POST',
  'session token',
  'refused: wrong secret',
  'refused: tampered URL',
  'refused: wrong method',
  'refused: expired',
  'refused: altered body',
  'refused: SigV2',
] as const;
type S3Op = (typeof S3_OPS)[number];

/** Thrown by a client's setup outside CI when the client is not installed: its cells are SKIPPED, loudly. */
class NotInstalled extends Error {}

/** What a client's operation does: resolves when it passed. */
type CellRun = () => Promise<void>;

interface Ctx {
  readonly s3: S3Server;
  readonly api: RunningServer;
  readonly bucket: string;
  /** This client's own folder (its HOME, its files). */
  readonly dir: string;
  readonly big: Buffer;
  readonly bigPath: string;
}

interface ClientDef {
  readonly info: () => ClientInfo;
  /** Creates the client's bucket (with the client itself) and anything its cells share. */
  readonly setup: (c: Ctx) => Promise<void>;
  readonly cells: (c: Ctx) => Partial<Record<S3Op, CellRun>>;
  /** The cells this client has (for the test list, known before anything runs). */
  readonly expected: Partial<Record<S3Op, typeof PASS>>;
  /**
   * Cells to run in a second lane, concurrently with the rest, on a bucket and folder of their own (after its own
   * setup). For a client whose every process start costs a second or more (awscli), in the order given.
   */
  readonly secondLane?: readonly S3Op[];
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const md5Base64 = (data: Buffer | string): string => createHash('md5').update(data).digest('base64');
const text = (data: string): Buffer => Buffer.from(data, 'utf8');

/** The most recent log entry that matches, waiting briefly for the server to record it. */
async function logged(
  server: { log: LoggedRequest[] },
  match: (e: LoggedRequest) => boolean,
  from = 0,
): Promise<LoggedRequest> {
  for (let i = 0; i < 50; i++) {
    const found = server.log.slice(from).reverse().find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the server logged no such request');
}

/** Entries logged for a bucket since `from`. */
const since = (s3: S3Server, bucket: string, from: number): LoggedRequest[] =>
  s3.log.slice(from).filter((e) => e.bucket === bucket);

/** The suite's self-signed certificate (the https listener's), trusted by send() for https URLs. */
let tls: SelfSigned;

async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> } = {},
): Promise<{ status: number; text: string; bytes: Buffer; headers: Headers }> {
  if (url.startsWith('https:')) {
    // Node's fetch takes no CA: node:https with the suite's certificate as the only one trusted.
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        { method: init.method ?? 'GET', headers: init.headers ?? {}, ca: tls.cert, timeout: 20_000 },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => {
            const bytes = Buffer.concat(parts);
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
            resolve({ status: res.statusCode ?? 0, text: bytes.toString('utf8'), bytes, headers });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 20 s`)));
      req.on('error', reject);
      req.end(init.body);
    });
  }
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, text: bytes.toString('utf8'), bytes, headers: response.headers };
}

/** A presigned URL's path with one character changed, and the same URL with X-Amz-Expires raised. */
function tamper(url: string): string[] {
  const u = new URL(url);
  const path = u.pathname.replace(/[a-z](?=[^/]*$)/, (ch) => (ch === 'a' ? 'b' : 'a'));
  const query = url.slice(url.indexOf('?'));
  expect(path).not.toBe(u.pathname);
  const longer = url.replace(/X-Amz-Expires=(\d+)/, (_, n: string) => `X-Amz-Expires=${Number(n) * 10}`);
  expect(longer).not.toBe(url);
  return [`${u.origin}${path}${query}`, longer];
}

/**
 * The presigned-URL cells shared by every presigner: GET works; a tampered URL, the URL used with another method,
 * and the URL after it expired are refused with the library's code.
 */
function presignedCells(
  c: Ctx,
  presigner: (key: string, expiresIn: number) => Promise<string>,
  existing: { key: string; body: Buffer },
): Partial<Record<S3Op, CellRun>> {
  // One URL per key and expiry, made by the client once (a client process start is the slow part).
  const made = new Map<string, Promise<string>>();
  const presignGet = (key: string, expiresIn: number): Promise<string> => {
    const id = `${expiresIn} ${key}`;
    if (!made.has(id)) made.set(id, presigner(key, expiresIn));
    return made.get(id)!;
  };
  return {
    'presigned GET': async () => {
      const url = await presignGet(existing.key, 300);
      expect(url).toMatch(/[?&]X-Amz-Signature=[0-9a-f]{64}(&|$)/);
      const got = await send(url);
      expect(got.status, got.text).toBe(200);
      expect(got.bytes.equals(existing.body)).toBe(true);
      const entry = await logged(c.s3, (e) => e.bucket === c.bucket && e.auth === 'presigned' && e.op === 'GetObject');
      expect(entry.code).toBe('ok');
    },
    'refused: tampered URL': async () => {
      const url = await presignGet(existing.key, 300);
      for (const bad of tamper(url)) {
        const from = c.s3.log.length;
        const got = await send(bad);
        expect(got.status, got.text).toBe(403);
        expect(got.text).toContain('<Code>SignatureDoesNotMatch</Code>');
        expect((await logged(c.s3, (e) => e.auth === 'presigned' && e.bucket === c.bucket, from)).code).toBe(
          'ERR_SIGV4_SIGNATURE_MISMATCH',
        );
      }
    },
    'refused: wrong method': async () => {
      // The server verifies as a production one should, without diagnoseMethod: a URL signed for one method and
      // sent with another is a plain mismatch (one signature computed). The same request verified with
      // diagnoseMethod names the method it was signed for.
      const url = await presignGet(existing.key, 300);
      for (const method of ['PUT', 'DELETE']) {
        const from = c.s3.log.length;
        const got = await send(url, { method, ...(method === 'PUT' ? { body: 'overwritten' } : {}) });
        expect(got.status, got.text).toBe(403);
        const entry = await logged(
          c.s3,
          (e) => e.auth === 'presigned' && e.bucket === c.bucket && e.method === method,
          from,
        );
        expect(entry.code).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
        const diagnosed = await verifyPresignedUrl({
          url,
          method,
          region: REGION,
          service: 's3',
          getCredentials: lookup,
          diagnoseMethod: true,
        }).catch((e: unknown) => e);
        expect(isSigV4Error(diagnosed) && diagnosed.message).toBe(`the request was signed for GET, got "${method}"`);
      }
      expect(c.s3.buckets.get(c.bucket)?.get(existing.key)?.body.equals(existing.body)).toBe(true);
    },
    'refused: expired': async () => {
      const { key } = existing;
      const url = await presignGet(key, 60);
      expect(url).toContain('X-Amz-Expires=60');
      let from = c.s3.log.length;
      const fresh = await send(url);
      expect(fresh.status, fresh.text).toBe(200);
      expect((await logged(c.s3, (e) => e.bucket === c.bucket && e.key === key, from)).code).toBe('ok');
      // The server's clock, for requests to this key, moves 61 s on (no sleeping): this client's cells run one
      // after the other, so no other request of it is affected.
      c.s3.shift(c.bucket, key, 61_000);
      from = c.s3.log.length;
      const late = await send(url);
      c.s3.shift(c.bucket, key, 0);
      expect(late.status, late.text).toBe(403);
      const entry = await logged(c.s3, (e) => e.bucket === c.bucket && e.key === key, from);
      expect(entry.code).toBe('ERR_SIGV4_EXPIRED');
    },
  };
}

/** Expects the last request of a bucket to have been refused with `code`. */
async function refused(c: Ctx, from: number, code: string): Promise<LoggedRequest> {
  const entry = await logged(c.s3, (e) => e.bucket === c.bucket && e.code !== 'ok', from);
  expect(entry.code, entry.message).toBe(code);
  expect(entry.status).toBeGreaterThanOrEqual(400);
  return entry;
}

/** Every request of a bucket since `from` verified, and served successfully. */
function allVerified(c: Ctx, from: number, minimum = 1): LoggedRequest[] {
  const entries = since(c.s3, c.bucket, from);
  expect(entries.length).toBeGreaterThanOrEqual(minimum);
  for (const e of entries) expect(`${e.method} ${e.url} ${e.code}`).toBe(`${e.method} ${e.url} ok`);
  return entries;
}

// ---------------------------------------------------------------------------------------------------------------
// awscli v2 (Debian's): high-level `aws s3` commands, `aws s3api` where s3 has none.

const awscli: ClientDef = {
  info: () => ({
    id: 'awscli',
    label: 'AWS CLI v2',
    version: debianVersion('awscli') ?? '?',
    from: 'Debian `awscli` (`/usr/bin/aws`)',
    pinned: false,
  }),
  expected: {
    put: PASS,
    get: PASS,
    head: PASS,
    list: PASS,
    copy: PASS,
    delete: PASS,
    'batch delete': PASS,
    multipart: PASS,
    'stream upload': PASS,
    'presigned GET': PASS,
    'session token': PASS,
    'refused: wrong secret': PASS,
    'refused: tampered URL': PASS,
    'refused: wrong method': PASS,
    'refused: expired': PASS,
  },
  // awscli starts in about a second and a half (its imports): two lanes of cells, each on its own bucket.
  secondLane: [
    'stream upload',
    'presigned GET',
    'refused: tampered URL',
    'refused: wrong method',
    'refused: expired',
    'multipart',
    'session token',
    'refused: wrong secret',
  ],
  setup: async (c) => {
    await aws(c, ['s3', 'mb', `s3://${c.bucket}`]);
  },
  cells: (c) => {
    const hello = text('hello from the AWS CLI\n');
    writeFileSync(join(c.dir, 'hello.txt'), hello);
    const s3url = (key: string) => `s3://${c.bucket}/${key}`;
    return {
      put: async () => {
        const from = c.s3.log.length;
        await aws(c, [
          's3',
          'cp',
          join(c.dir, 'hello.txt'),
          s3url('dir/hello.txt'),
          '--content-type',
          'text/plain',
          '--only-show-errors',
        ]);
        const [put] = allVerified(c, from).filter((e) => e.op === 'PutObject');
        expect(put?.contentSha256).toBe(sha256(hello)); // the body's hash, signed, checked against the body
        expect(c.s3.buckets.get(c.bucket)?.get('dir/hello.txt')?.contentType).toBe('text/plain');
      },
      get: async () => {
        await aws(c, ['s3', 'cp', s3url('dir/hello.txt'), join(c.dir, 'hello.out'), '--only-show-errors']);
        expect(readFileSync(join(c.dir, 'hello.out')).equals(hello)).toBe(true);
      },
      head: async () => {
        const { stdout } = await aws(c, ['s3api', 'head-object', '--bucket', c.bucket, '--key', 'dir/hello.txt']);
        const head = JSON.parse(stdout) as { ContentLength: number; ContentType: string; ETag: string };
        expect(head).toMatchObject({
          ContentLength: hello.length,
          ContentType: 'text/plain',
          ETag: `"${createHash('md5').update(hello).digest('hex')}"`,
        });
      },
      list: async () => {
        const from = c.s3.log.length;
        const { stdout } = await aws(c, ['s3', 'ls', `s3://${c.bucket}/dir/`]);
        expect(stdout).toMatch(new RegExp(`\\s${hello.length} hello\\.txt\\n`));
        // sync: the second run lists, compares sizes and times, and uploads nothing.
        const local = join(c.dir, 'sync');
        mkdirSync(local, { recursive: true });
        for (const name of ['a.txt', 'b.txt', 'sub dir/c+d.txt']) {
          mkdirSync(join(local, name, '..'), { recursive: true });
          writeFileSync(join(local, name), `sync ${name}\n`);
        }
        expect((await aws(c, ['s3', 'sync', local, s3url('sync/')])).stdout.match(/^upload:/gm)).toHaveLength(3);
        expect((await aws(c, ['s3', 'sync', local, s3url('sync/')])).stdout).toBe('');
        expect([...c.s3.buckets.get(c.bucket)!.keys()].filter((k) => k.startsWith('sync/')).sort()).toEqual([
          'sync/a.txt',
          'sync/b.txt',
          'sync/sub dir/c+d.txt',
        ]);
        const ops = new Set(allVerified(c, from).map((e) => e.op));
        expect([...ops].sort()).toEqual(['ListObjectsV2', 'PutObject']);
      },
      copy: async () => {
        await aws(c, ['s3', 'cp', s3url('dir/hello.txt'), s3url('dir/copy.txt'), '--only-show-errors']);
        expect(c.s3.buckets.get(c.bucket)?.get('dir/copy.txt')?.body.equals(hello)).toBe(true);
        expect((await logged(c.s3, (e) => e.bucket === c.bucket && e.op === 'CopyObject')).code).toBe('ok');
      },
      delete: async () => {
        await aws(c, ['s3', 'rm', s3url('dir/copy.txt'), '--only-show-errors']);
        expect(c.s3.buckets.get(c.bucket)?.has('dir/copy.txt')).toBe(false);
        expect((await logged(c.s3, (e) => e.bucket === c.bucket && e.op === 'DeleteObject')).code).toBe('ok');
      },
      'batch delete': async () => {
        // awscli 2.9's `aws s3 rm --recursive` deletes one DeleteObject at a time: the batch is s3api delete-objects.
        const from = c.s3.log.length;
        const keys = ['sync/a.txt', 'sync/b.txt', 'sync/sub dir/c+d.txt'];
        const request = JSON.stringify({ Objects: keys.map((Key) => ({ Key })), Quiet: false });
        const { stdout } = await aws(c, ['s3api', 'delete-objects', '--bucket', c.bucket, '--delete', request]);
        expect((JSON.parse(stdout) as { Deleted: { Key: string }[] }).Deleted.map((d) => d.Key).sort()).toEqual(
          [...keys].sort(),
        );
        const batch = allVerified(c, from).find((e) => e.op === 'DeleteObjects');
        expect(batch?.contentSha256).toMatch(/^[0-9a-f]{64}$/);
        expect([...c.s3.buckets.get(c.bucket)!.keys()].filter((k) => k.startsWith('sync/'))).toEqual([]);
      },
      multipart: async () => {
        const from = c.s3.log.length;
        await aws(c, ['s3', 'cp', c.bigPath, s3url('big/upload.bin'), '--only-show-errors']);
        const ops = allVerified(c, from).map((e) => e.op);
        expect(ops.filter((o) => o === 'UploadPart')).toHaveLength(2);
        expect(ops).toContain('CompleteMultipartUpload');
        expect(c.s3.buckets.get(c.bucket)?.get('big/upload.bin')?.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
        expect(c.s3.buckets.get(c.bucket)?.get('big/upload.bin')?.body.equals(c.big)).toBe(true);
        await aws(c, ['s3', 'cp', s3url('big/upload.bin'), join(c.dir, 'big.out'), '--only-show-errors']); // ranged GETs
        expect(sha256(readFileSync(join(c.dir, 'big.out')))).toBe(sha256(c.big));
      },
      'stream upload': async () => {
        const from = c.s3.log.length;
        const body = text('streamed from stdin by the AWS CLI\n');
        await aws(c, ['s3', 'cp', '-', s3url('stream/stdin.txt'), '--only-show-errors'], {}, body);
        const put = allVerified(c, from).find((e) => e.op === 'PutObject');
        expect(put?.contentSha256).toBe(sha256(body));
        expect(c.s3.buckets.get(c.bucket)?.get('stream/stdin.txt')?.body.equals(body)).toBe(true);
      },
      // In the second lane: the object the stream upload wrote.
      ...presignedCells(
        c,
        async (key, expiresIn) =>
          (await aws(c, ['s3', 'presign', s3url(key), '--expires-in', String(expiresIn)])).stdout.trim(),
        {
          key: 'stream/stdin.txt',
          body: text('streamed from stdin by the AWS CLI\n'),
        },
      ),
      'session token': async () => {
        const from = c.s3.log.length;
        const temp = {
          AWS_ACCESS_KEY_ID: K.temporary.accessKeyId,
          AWS_SECRET_ACCESS_KEY: K.temporary.secretAccessKey,
          AWS_SESSION_TOKEN: K.temporary.sessionToken,
        };
        await aws(c, ['s3', 'cp', join(c.dir, 'hello.txt'), s3url('token/hello.txt'), '--only-show-errors'], temp);
        expect(c.s3.buckets.get(c.bucket)?.get('token/hello.txt')?.body.equals(hello)).toBe(true);
        const entries = allVerified(c, from, 1);
        for (const e of entries)
          expect([e.accessKeyId, e.sessionToken]).toEqual([K.temporary.accessKeyId, K.temporary.sessionToken]);
        // Without its token, the temporary key is refused.
        const before = c.s3.log.length;
        const bare = await run(AWS, awsArgs(c, ['s3', 'ls', s3url('token/')]), {
          env: awsEnv(c, {
            AWS_ACCESS_KEY_ID: K.temporary.accessKeyId,
            AWS_SECRET_ACCESS_KEY: K.temporary.secretAccessKey,
          }),
          timeoutMs: 30_000,
        });
        expect(bare.code).not.toBe(0);
        expect(bare.stderr).toContain('InvalidToken');
        await refused(c, before, 'ERR_SIGV4_SESSION_TOKEN');
      },
      'refused: wrong secret': async () => {
        const from = c.s3.log.length;
        const result = await run(AWS, awsArgs(c, ['s3', 'ls', s3url('neg/')]), {
          env: awsEnv(c, { AWS_SECRET_ACCESS_KEY: K.wrongSecret }),
          timeoutMs: 30_000,
        });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('SignatureDoesNotMatch');
        await refused(c, from, 'ERR_SIGV4_SIGNATURE_MISMATCH');
      },
    };
  },
};

function awsEnv(c: Ctx, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv(c.dir, {
    AWS_ACCESS_KEY_ID: K.long.accessKeyId,
    AWS_SECRET_ACCESS_KEY: K.long.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: join(c.dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(c.dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    ...extra,
  });
}
const awsArgs = (c: Ctx, args: readonly string[]): string[] => ['--endpoint-url', c.s3.endpoint, ...args];
const aws = (c: Ctx, args: readonly string[], extra: Record<string, string> = {}, input?: Buffer) =>
  runOk(AWS, awsArgs(c, args), { env: awsEnv(c, extra), timeoutMs: 60_000, ...(input ? { input } : {}) });

// ---------------------------------------------------------------------------------------------------------------
// boto3, twice: Debian's (1.26, over http: plain bodies, their SHA-256 signed) and boto3 >= 1.36 (the machine's
// pyenv Python, over https: put_object and upload_part aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER with the
// CRC32 in a trailer). One Python process per variant runs every step (test/e2e/clients/boto3_s3.py), the checks
// are here.

interface Boto3Step {
  ok: boolean;
  error?: { code: string | null; status: number | null; message: string };
  [k: string]: unknown;
}
/** boto3's exact versions, per variant, as its script reported them (for clients.json). */
const boto3Versions: Record<string, Record<string, string>> = {};

/** The Python with boto3 >= 1.36, looked for once. */
let chunkedBoto3: Boto3Python | string | undefined;
const boto3Https = (): Boto3Python | string => (chunkedBoto3 ??= findBoto3Python());

function boto3Client(variant: 'debian' | 'https'): ClientDef {
  const https = variant === 'https';
  const id = https ? 'boto3-https' : 'boto3';
  let steps: Record<string, Boto3Step> = {};
  /** What the server logged for a PUT of this variant: plain and signed, or aws-chunked with a CRC32 trailer. */
  const expectUpload = (entry: LoggedRequest | undefined, body: Buffer | string): void => {
    expect(entry?.code).toBe('ok');
    expect(entry?.scheme).toBe(https ? 'https' : 'http');
    if (!https) return void expect(entry?.contentSha256).toBe(sha256(body));
    expect([entry?.contentSha256, entry?.contentEncoding, entry?.trailer, entry?.decodedBytes]).toEqual([
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'aws-chunked',
      'x-amz-checksum-crc32',
      Buffer.byteLength(body),
    ]);
  };
  return {
    info: () => {
      if (!https)
        return {
          id,
          label: 'boto3',
          version: debianVersion('python3-boto3') ?? boto3Versions[id]?.['boto3'] ?? '?',
          from: 'Debian `python3-boto3` (`/usr/bin/python3`)',
          pinned: false,
        };
      const found = boto3Https();
      return {
        id,
        label: 'boto3 (https)',
        version: typeof found === 'string' ? 'not installed' : found.boto3,
        from: "pip `boto3` >= 1.36 (the machine image's `python3`), over https",
        pinned: false,
      };
    },
    expected: Object.fromEntries(S3_OPS.map((op) => [op, PASS])),
    setup: async (c) => {
      let python = PYTHON;
      if (https) {
        const found = boto3Https();
        if (typeof found === 'string') {
          // Under CI every client must run: a missing boto3 >= 1.36 fails (here, every cell of it).
          if (process.env['CI']) throw new Error(`boto3 (https): ${found}`);
          throw new NotInstalled(`boto3 (https): ${found}`);
        }
        python = found.python;
      }
      const endpoint = https ? c.s3.httpsEndpoint! : c.s3.endpoint;
      const { stdout } = await runOk(python, [join(HERE, 'boto3_s3.py'), endpoint, c.bucket, c.dir, c.bigPath], {
        env: cleanEnv(c.dir, {
          SIGV4_E2E_REGION: REGION,
          SIGV4_E2E_KEY_ID: K.long.accessKeyId,
          SIGV4_E2E_SECRET: K.long.secretAccessKey,
          SIGV4_E2E_TEMP_KEY_ID: K.temporary.accessKeyId,
          SIGV4_E2E_TEMP_SECRET: K.temporary.secretAccessKey,
          SIGV4_E2E_TEMP_TOKEN: K.temporary.sessionToken,
          SIGV4_E2E_WRONG_SECRET: K.wrongSecret,
          ...(https ? { SIGV4_E2E_CA_BUNDLE: tls.caFile } : {}),
        }),
        timeoutMs: 90_000,
      });
      steps = JSON.parse(stdout) as Record<string, Boto3Step>;
      boto3Versions[id] = steps['versions'] as unknown as Record<string, string>;
      expect(steps['setup']).toEqual({ ok: true });
      if (https) {
        // The version that ran is the one found.
        expect(boto3Versions[id]!['botocore']).toBe((boto3Https() as Boto3Python).botocore);
      }
    },
    cells: (c) => {
      const step = (name: string): Boto3Step => {
        const s = steps[name];
        if (!s) throw new Error(`boto3_s3.py ran no step "${name}"`);
        if (!s.ok && !name.startsWith('refused:'))
          throw new Error(`${id} ${name}: ${s.error?.code} ${s.error?.message}`);
        return s;
      };
      const hello = text('hello from boto3\n');
      const ops = (op: string) => since(c.s3, c.bucket, 0).filter((e) => e.op === op);
      const objects = () => c.s3.buckets.get(c.bucket)!;
      const endpoint = https ? c.s3.httpsEndpoint! : c.s3.endpoint;
      return {
        put: async () => {
          expect(step('put')['etag']).toBe(`"${createHash('md5').update(hello).digest('hex')}"`);
          expectUpload(
            ops('PutObject').find((e) => e.key === 'dir/hello.txt'),
            hello,
          );
          expect(objects().get('dir/hello.txt')?.body.equals(hello)).toBe(true);
        },
        get: async () =>
          void expect(step('get')).toMatchObject({
            body: hello.toString(),
            contentType: 'text/plain',
            metadata: { client: 'boto3' },
          }),
        head: async () =>
          void expect(step('head')).toMatchObject({ contentLength: hello.length, contentType: 'text/plain' }),
        list: async () => {
          expect(step('list')).toMatchObject({
            v2Keys: ['dir/hello.txt'],
            v2Prefixes: ['dir/sub/'],
            v1Keys: ['dir/hello.txt', 'dir/sub/deeper.txt'],
          });
          expect(step('list')['buckets']).toContain(c.bucket);
          expect(ops('ListObjects').length + ops('ListObjectsV2').length).toBeGreaterThanOrEqual(2);
        },
        copy: async () =>
          void expect(step('copy')).toMatchObject({ body: hello.toString(), contentType: 'text/plain' }),
        delete: async () => {
          expect(step('delete')['afterStatus']).toBe(404);
          expect(objects().has('dir/copy.txt')).toBe(false);
        },
        'batch delete': async () => {
          expect(step('batch delete')).toMatchObject({
            deleted: ['batch/0.txt', 'batch/1.txt', 'batch/2.txt'],
            left: 0,
          });
          expect(ops('DeleteObjects').map((e) => e.code)).toEqual(['ok']);
        },
        multipart: async () => {
          expect(step('multipart')).toMatchObject({ same: true, size: BIG_SIZE });
          expect(step('multipart')['etag']).toMatch(/^"[0-9a-f]{32}-2"$/);
          const parts = ops('UploadPart').filter((e) => e.key === 'big/upload.bin');
          expect(parts).toHaveLength(2);
          for (const part of parts) {
            expect([part.code, part.scheme]).toEqual(['ok', https ? 'https' : 'http']);
            if (!https) expect(part.contentSha256).toMatch(/^[0-9a-f]{64}$/);
            else
              expect([part.contentSha256, part.contentEncoding, part.trailer]).toEqual([
                'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
                'aws-chunked',
                'x-amz-checksum-crc32',
              ]);
          }
          expect(parts.map((e) => e.decodedBytes ?? e.bodyBytes).sort((x, y) => x - y)).toEqual([MiB, 8 * MiB]);
          expect(objects().get('big/upload.bin')?.body.equals(c.big)).toBe(true);
        },
        'stream upload': async () => {
          expect(step('put (stream body)')['body']).toBe('streamed by boto3\n');
          expectUpload(
            ops('PutObject').find((e) => e.key === 'stream/boto3.txt'),
            'streamed by boto3\n',
          );
        },
        ...presignedCells(
          c,
          async (key, expiresIn) => {
            // The URLs boto3 made for these keys and expiries (the script presigns them all in one run).
            expect(key).toBe('dir/hello.txt');
            const url = String(step(expiresIn === 60 ? 'refused: expired' : 'presigned GET')['url']);
            expect(url).toContain(`X-Amz-Expires=${expiresIn}`);
            return url;
          },
          { key: 'dir/hello.txt', body: hello },
        ),
        'presigned PUT': async () => {
          const url = String(step('presigned PUT')['url']);
          expect(url).toContain('X-Amz-SignedHeaders=content-type%3Bhost');
          const body = text('put through a boto3 presigned URL\n');
          const put = await send(url, {
            method: 'PUT',
            headers: { 'content-type': 'text/plain' },
            body: new Uint8Array(body),
          });
          expect(put.status, put.text).toBe(200);
          expect(objects().get('presigned/put.txt')?.body.equals(body)).toBe(true);
          // The content-type is signed: another one is refused.
          const from = c.s3.log.length;
          const other = await send(url, {
            method: 'PUT',
            headers: { 'content-type': 'text/html' },
            body: new Uint8Array(body),
          });
          expect(other.status).toBe(403);
          await refused(c, from, 'ERR_SIGV4_SIGNATURE_MISMATCH');
        },
        'presigned POST': async () => {
          const post = step('presigned POST');
          expect(post).toMatchObject({ url: `${endpoint}/${c.bucket}`, status: 204, tooLargeStatus: 400 });
          expect(post['fields']).toEqual([
            'Content-Type',
            'key',
            'policy',
            'x-amz-algorithm',
            'x-amz-credential',
            'x-amz-date',
            'x-amz-meta-client',
            'x-amz-signature',
          ]);
          expect(post['tooLargeBody']).toContain('<SigV4Code>ERR_SIGV4_ENTITY_TOO_LARGE</SigV4Code>');
          const stored = objects().get('uploads/posted file.txt');
          expect(stored?.body.toString()).toBe('posted by boto3\n');
          expect(stored?.contentType).toBe('text/plain');
          expect(stored?.meta).toEqual({ 'x-amz-meta-client': 'boto3' });
          expect(ops('PostObject').map((e) => e.code)).toEqual(['ok', 'ERR_SIGV4_ENTITY_TOO_LARGE']);
        },
        'session token': async () => {
          expect(step('session token')['body']).toBe('with a session token');
          const entries = since(c.s3, c.bucket, 0).filter((e) => e.key === 'token/boto3.txt');
          expect(entries.map((e) => [e.op, e.code, e.accessKeyId, e.sessionToken])).toEqual([
            ['PutObject', 'ok', K.temporary.accessKeyId, K.temporary.sessionToken],
            ['GetObject', 'ok', K.temporary.accessKeyId, K.temporary.sessionToken],
          ]);
          expectUpload(entries[0], 'with a session token');
          // boto3's presigned URL carries the token in the query (its '/', '+' and '=' encoded).
          const url = String(step('session token')['presignedUrl']);
          expect(url).toContain('X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F');
          const got = await send(url);
          expect(got.text).toBe('with a session token');
          const without = await send(url.replace(/&X-Amz-Security-Token=[^&]*/, ''));
          expect(without.status).toBe(403);
        },
        'refused: wrong secret': async () => {
          expect(step('refused: wrong secret')).toMatchObject({
            ok: false,
            error: { code: 'SignatureDoesNotMatch', status: 403 },
          });
          expect(since(c.s3, c.bucket, 0).find((e) => e.key === 'neg/wrong-secret.txt')?.code).toBe(
            'ERR_SIGV4_SIGNATURE_MISMATCH',
          );
        },
        'refused: altered body': async () => {
          const entry = since(c.s3, c.bucket, 0).find((e) => e.key === 'neg/altered.txt');
          if (https) {
            // Bytes of the aws-chunked data changed after boto3 framed it: the CRC32 in the trailer no longer
            // matches, and the verified body stream says so at its end, before anything is stored.
            expect(step('refused: altered body')).toMatchObject({
              ok: false,
              error: { code: 'BadDigest', status: 400 },
            });
            expect([entry?.code, entry?.contentSha256, entry?.trailer]).toEqual([
              'ERR_SIGV4_CHECKSUM_MISMATCH',
              'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
              'x-amz-checksum-crc32',
            ]);
          } else {
            expect(step('refused: altered body')).toMatchObject({
              ok: false,
              error: { code: 'XAmzContentSHA256Mismatch', status: 400 },
            });
            expect([entry?.code, entry?.contentSha256]).toEqual([
              'ERR_SIGV4_PAYLOAD_HASH',
              sha256('the body that was signed'),
            ]);
          }
          expect(objects().has('neg/altered.txt')).toBe(false);
        },
        'refused: SigV2': async () => {
          expect(step('refused: SigV2')).toMatchObject({
            ok: false,
            error: { code: 'AuthorizationHeaderMalformed', status: 400 },
          });
          const entry = since(c.s3, c.bucket, 0).find((e) => e.code === 'ERR_SIGV4_ALGORITHM');
          expect(entry?.message).toContain('SigV2 is not supported');
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// minio-go (Debian's golang-github-minio-minio-go-v7-dev, built offline): one Go process runs every step
// (test/e2e/clients/minio/main.go), the checks are here. Over plain http minio-go signs every PUT and part
// aws-chunked; nobody here wrote it.

interface MinioStep extends Boto3Step {}
let minioBuild: MinioBuild | undefined;

const minioGo: ClientDef = {
  info: () => ({
    id: 'minio-go',
    label: 'minio-go',
    version: debianVersion('golang-github-minio-minio-go-v7-dev') ?? '?',
    from: 'Debian `golang-github-minio-minio-go-v7-dev`, built offline with Debian `golang-go` (GOPATH mode)',
    pinned: false,
  }),
  expected: Object.fromEntries(S3_OPS.map((op) => [op, PASS])),
  setup: async (c) => {
    minioBuild = minioBinary();
    const { stdout } = await runOk(minioBuild.binary, ['e2e', `127.0.0.1:${c.s3.port}`, c.bucket], {
      env: cleanEnv(c.dir, {
        SIGV4_E2E_REGION: REGION,
        SIGV4_E2E_KEY_ID: K.long.accessKeyId,
        SIGV4_E2E_SECRET: K.long.secretAccessKey,
        SIGV4_E2E_TEMP_KEY_ID: K.temporary.accessKeyId,
        SIGV4_E2E_TEMP_SECRET: K.temporary.secretAccessKey,
        SIGV4_E2E_TEMP_TOKEN: K.temporary.sessionToken,
        SIGV4_E2E_WRONG_SECRET: K.wrongSecret,
      }),
      timeoutMs: 120_000,
    });
    minioSteps = JSON.parse(stdout) as Record<string, MinioStep>;
    expect(minioSteps['setup']).toEqual({ ok: true, exists: true });
  },
  cells: (c) => {
    const step = (name: string): MinioStep => {
      const s = minioSteps[name];
      if (!s) throw new Error(`minio-go ran no step "${name}"`);
      if (!s.ok && !name.startsWith('refused:'))
        throw new Error(`minio-go ${name}: ${s.error?.code} ${s.error?.message}`);
      return s;
    };
    const hello = text('hello from minio-go\n');
    const entries = (key: string, op?: string) =>
      since(c.s3, c.bucket, 0).filter((e) => e.key === key && (op === undefined || e.op === op));
    const objects = () => c.s3.buckets.get(c.bucket)!;
    const stored = (key: string) => {
      const o = objects().get(key);
      expect(o, key).toBeDefined();
      return sha256(o!.body);
    };
    /** What minio-go sent for an upload of `size` bytes: aws-chunked, in 64 KiB chunks, no content-encoding. */
    const chunked = (e: LoggedRequest | undefined, payloadHash: string, size: number, trailer?: string) => {
      expect([e?.code, e?.status, e?.contentSha256, e?.contentEncoding, e?.trailer, e?.decodedBytes]).toEqual([
        'ok',
        200,
        payloadHash,
        undefined,
        trailer,
        size,
      ]);
      // The framing: per 64 KiB chunk (and per final chunk) a header line, a signature where signed, two CRLFs.
      const chunks = Math.ceil(size / 65536);
      expect(e!.bodyBytes).toBeGreaterThan(size + chunks * 8);
    };
    return {
      put: async () => {
        const [small, empty, chunks] = step('put')['objects'] as { key: string; size: number; sha256: string }[];
        expect([small?.key, small?.size, small?.sha256]).toEqual(['dir/hello.txt', hello.length, sha256(hello)]);
        for (const o of [small!, empty!, chunks!]) {
          expect(stored(o.key)).toBe(o.sha256);
          chunked(entries(o.key, 'PutObject')[0], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', o.size);
        }
        expect([empty?.size, chunks?.size]).toEqual([0, 200 * 1024 + 17]);
        // A zero-byte PUT: transfer-encoding chunked and no content-length; the others a content-length.
        const [e0] = entries('dir/empty.bin', 'PutObject');
        expect([e0?.transferEncoding, e0?.contentLength, e0?.bodyBytes]).toEqual(['chunked', undefined, 86]);
        expect(entries('dir/chunks.bin', 'PutObject')[0]?.contentLength).toBe(String(205262));
        expect(objects().get('dir/hello.txt')).toMatchObject({
          contentType: 'text/plain',
          meta: { 'x-amz-meta-client': 'minio-go' },
        });
      },
      get: async () =>
        void expect(step('get')).toMatchObject({
          body: hello.toString(),
          same: { 'dir/empty.bin': true, 'dir/chunks.bin': true },
        }),
      head: async () =>
        void expect(step('head')).toMatchObject({
          size: hello.length,
          contentType: 'text/plain',
          etag: createHash('md5').update(hello).digest('hex'),
          metadata: { Client: 'minio-go' },
        }),
      list: async () =>
        void expect(step('list')).toMatchObject({
          keys: ['dir/chunks.bin', 'dir/empty.bin', 'dir/hello.txt'],
          prefixes: ['dir/sub/'],
          v1Recursive: ['dir/chunks.bin', 'dir/empty.bin', 'dir/hello.txt', 'dir/sub/deeper.txt'],
        }),
      copy: async () => {
        expect(step('copy')['same']).toBe(true);
        expect(entries('dir/copy.txt', 'CopyObject').map((e) => e.code)).toEqual(['ok']);
      },
      delete: async () => {
        expect(step('delete')['afterStatus']).toBe(404);
        expect(objects().has('dir/copy.txt')).toBe(false);
      },
      'batch delete': async () => {
        expect(step('batch delete')).toMatchObject({ failed: null, left: 0 });
        expect(
          since(c.s3, c.bucket, 0)
            .filter((e) => e.op === 'DeleteObjects')
            .map((e) => e.code),
        ).toEqual(['ok']);
      },
      multipart: async () => {
        // From 16 MiB, parts of 16 MiB; with TrailingHeaders, parts of 5 MiB with a CRC32C trailer, signed, then
        // unsigned (DisableContentSha256). Each read back by minio-go, and compared here with what it sent.
        const cases = [
          ['multipart', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 16 * MiB, undefined],
          ['multipart: signed trailer', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 5 * MiB, 'x-amz-checksum-crc32c'],
          ['multipart: unsigned trailer', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 5 * MiB, 'x-amz-checksum-crc32c'],
        ] as const;
        for (const [name, payloadHash, partSize, trailer] of cases) {
          const s = step(name) as MinioStep & { key: string; size: number; sha256: string; etag: string };
          expect([s.same, s.etag]).toEqual([true, expect.stringMatching(/^[0-9a-f]{32}-2$/)]);
          expect(stored(s.key)).toBe(s.sha256);
          const parts = entries(s.key, 'UploadPart').sort((a, b) => a.url.localeCompare(b.url));
          expect(parts).toHaveLength(2);
          chunked(parts[0], payloadHash, partSize, trailer);
          chunked(parts[1], payloadHash, s.size - partSize, trailer);
          expect(entries(s.key, 'CompleteMultipartUpload').map((e) => e.code)).toEqual(['ok']);
        }
      },
      'stream upload': async () => {
        // Length unknown (-1): a multipart upload of one aws-chunked part.
        const s = step('stream upload');
        expect([s['same'], stored('stream/minio.txt')]).toEqual([true, s['sha256']]);
        const body = 'streamed by minio-go, length unknown\n';
        const [part] = entries('stream/minio.txt', 'UploadPart');
        chunked(part, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', body.length);
        // This path sends the part's CRC32C as a header: checked by the verified body stream against the data.
        expect(part?.checksums).toEqual(['x-amz-checksum-crc32c']);
      },
      ...presignedCells(
        c,
        async (key, expiresIn) => {
          expect(key).toBe('dir/hello.txt');
          const url = String(step(expiresIn === 60 ? 'refused: expired' : 'presigned GET')['url']);
          expect(url).toContain(`X-Amz-Expires=${expiresIn}`);
          return url;
        },
        { key: 'dir/hello.txt', body: hello },
      ),
      'presigned PUT': async () => {
        const url = String(step('presigned PUT')['url']);
        const body = text('put through a minio-go presigned URL\n');
        const from = c.s3.log.length;
        const put = await send(url, { method: 'PUT', body: new Uint8Array(body) });
        expect(put.status, put.text).toBe(200);
        expect(allVerified(c, from).map((e) => [e.auth, e.op])).toEqual([['presigned', 'PutObject']]);
        expect(objects().get('presigned/put.txt')?.body.equals(body)).toBe(true);
      },
      'presigned POST': async () => {
        const post = step('presigned POST');
        expect(post).toMatchObject({ url: `${c.s3.endpoint}/${c.bucket}/`, status: 204, tooLargeStatus: 400 });
        expect(post['fields']).toEqual([
          'Content-Type',
          'bucket',
          'key',
          'policy',
          'x-amz-algorithm',
          'x-amz-credential',
          'x-amz-date',
          'x-amz-meta-client',
          'x-amz-signature',
        ]);
        expect(post['tooLargeBody']).toContain('<SigV4Code>ERR_SIGV4_ENTITY_TOO_LARGE</SigV4Code>');
        expect(objects().get('uploads/posted.txt')).toMatchObject({
          body: text('posted by minio-go\n'),
          contentType: 'text/plain',
          meta: { 'x-amz-meta-client': 'minio-go' },
        });
      },
      'session token': async () => {
        expect(step('session token')['same']).toBe(true);
        const used = entries('token/minio.txt');
        expect(used.map((e) => [e.op, e.code, e.accessKeyId, e.sessionToken])).toEqual([
          ['PutObject', 'ok', K.temporary.accessKeyId, K.temporary.sessionToken],
          ['GetObject', 'ok', K.temporary.accessKeyId, K.temporary.sessionToken],
        ]);
        chunked(used[0], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'with a session token'.length);
        const url = String(step('session token')['presignedUrl']);
        expect((await send(url)).text).toBe('with a session token');
        expect((await send(url.replace(/&X-Amz-Security-Token=[^&]*/, ''))).status).toBe(403);
      },
      'refused: wrong secret': async () => {
        expect(step('refused: wrong secret')).toMatchObject({
          ok: false,
          error: { code: 'SignatureDoesNotMatch', status: 403 },
        });
        // The seed signature of a streaming PUT: refused before any of the body is read.
        expect(entries('neg/wrong-secret.txt').map((e) => [e.code, e.contentSha256, e.decodedBytes])).toEqual([
          ['ERR_SIGV4_SIGNATURE_MISMATCH', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', undefined],
        ]);
        expect(objects().has('neg/wrong-secret.txt')).toBe(false);
      },
      'refused: altered body': async () => {
        // One byte of the second 64 KiB chunk changed on the way, after minio-go signed it: that chunk's signature
        // does not match (the first chunk verified, then nothing more is released), 403, nothing stored.
        expect(step('refused: altered body')).toMatchObject({
          ok: false,
          error: { code: 'SignatureDoesNotMatch', status: 403 },
          flipped: ['PUT /e2e-minio-go/neg/altered.bin?'],
        });
        const [signed] = entries('neg/altered.bin');
        expect([signed?.code, signed?.contentSha256, signed?.message]).toEqual([
          'ERR_SIGV4_CHUNK_SIGNATURE',
          'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          expect.stringContaining('chunk 2'),
        ]);
        expect(objects().has('neg/altered.bin')).toBe(false);
        // One byte of an unsigned-trailer part's data changed: the CRC32C trailer does not match, 400 BadDigest,
        // the part not stored (minio-go then aborts the upload).
        expect(step('refused: altered body (unsigned trailer)')).toMatchObject({
          ok: false,
          error: { code: 'BadDigest', status: 400 },
        });
        const trailer = entries('neg/altered-trailer.bin');
        expect(trailer.map((e) => [e.op, e.code])).toEqual([
          ['CreateMultipartUpload', 'ok'],
          ['unknown', 'ERR_SIGV4_CHECKSUM_MISMATCH'],
          ['AbortMultipartUpload', 'ok'],
        ]);
        expect(trailer[1]?.contentSha256).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
        // The RoundTripper changed exactly those two requests (the trailer case: part 1 only).
        expect(step('refused: altered body (unsigned trailer)')['flipped']).toEqual([
          'PUT /e2e-minio-go/neg/altered.bin?',
          expect.stringMatching(/^PUT \/e2e-minio-go\/neg\/altered-trailer\.bin\?partNumber=1&uploadId=/),
        ]);
        expect(objects().has('neg/altered-trailer.bin')).toBe(false);
      },
      'refused: SigV2': async () => {
        expect(step('refused: SigV2')).toMatchObject({
          ok: false,
          error: { code: 'AuthorizationHeaderMalformed', status: 400 },
        });
        const entry = since(c.s3, c.bucket, 0).find((e) => e.code === 'ERR_SIGV4_ALGORITHM');
        expect(entry?.message).toContain('SigV2 is not supported');
      },
    };
  },
};
let minioSteps: Record<string, MinioStep> = {};

// ---------------------------------------------------------------------------------------------------------------
// s3cmd (Debian's), signature v4, path-style (host_bucket without %(bucket)s).

function s3cmdConfig(c: Ctx, name: string, keyId: string, secret: string, token?: string): string {
  const host = `127.0.0.1:${c.s3.port}`;
  const file = join(c.dir, name);
  writeFileSync(
    file,
    [
      '[default]',
      `access_key = ${keyId}`,
      `secret_key = ${secret}`,
      `access_token = ${token ?? ''}`,
      `host_base = ${host}`,
      `host_bucket = ${host}`,
      'use_https = False',
      'signature_v2 = False',
      `bucket_location = ${REGION}`,
      'multipart_chunk_size_mb = 8',
      'max_retries = 1',
      'socket_timeout = 20',
      '',
    ].join('\n'),
  );
  return file;
}

const s3cmd: ClientDef = {
  info: () => ({
    id: 's3cmd',
    label: 's3cmd',
    version: debianVersion('s3cmd') ?? '?',
    from: 'Debian `s3cmd`',
    pinned: false,
  }),
  expected: {
    put: PASS,
    get: PASS,
    head: PASS,
    list: PASS,
    copy: PASS,
    delete: PASS,
    'batch delete': PASS,
    multipart: PASS,
    'stream upload': PASS,
    'session token': PASS,
    'refused: wrong secret': PASS,
  },
  setup: async (c) => {
    s3cmdConfig(c, 's3cfg', K.long.accessKeyId, K.long.secretAccessKey);
    await s3c(c, ['mb', `s3://${c.bucket}`]);
  },
  cells: (c) => {
    const hello = text('hello from s3cmd\n');
    writeFileSync(join(c.dir, 'hello.txt'), hello);
    const s3url = (key: string) => `s3://${c.bucket}/${key}`;
    const objects = () => c.s3.buckets.get(c.bucket)!;
    return {
      put: async () => {
        const from = c.s3.log.length;
        await s3c(c, ['put', '--mime-type=text/plain', join(c.dir, 'hello.txt'), s3url('dir/hello.txt')]);
        expect(objects().get('dir/hello.txt')?.contentType).toBe('text/plain');
        const put = allVerified(c, from).find((e) => e.op === 'PutObject');
        expect(put?.contentSha256).toBe(sha256(hello));
      },
      get: async () => {
        await s3c(c, ['get', '--force', s3url('dir/hello.txt'), join(c.dir, 'hello.out')]);
        expect(readFileSync(join(c.dir, 'hello.out')).equals(hello)).toBe(true);
      },
      head: async () => {
        const from = c.s3.log.length;
        const { stdout } = await s3c(c, ['info', s3url('dir/hello.txt')]);
        expect(stdout).toMatch(/File size: 17\n/);
        expect(stdout).toMatch(/MIME type: text\/plain\n/);
        expect(stdout).toContain(`MD5 sum:   ${createHash('md5').update(hello).digest('hex')}`);
        expect(allVerified(c, from).some((e) => e.op === 'HeadObject')).toBe(true);
      },
      list: async () => {
        const from = c.s3.log.length;
        expect((await s3c(c, ['ls', s3url('dir/')])).stdout).toMatch(
          new RegExp(`\\s17\\s+s3://${c.bucket}/dir/hello\\.txt\\n`),
        );
        expect((await s3c(c, ['ls'])).stdout).toContain(`s3://${c.bucket}\n`); // ListBuckets (no bucket in the log entry)
        const local = join(c.dir, 'sync');
        mkdirSync(local, { recursive: true });
        for (const name of ['a.txt', 'b.txt']) writeFileSync(join(local, name), `sync ${name}\n`);
        expect((await s3c(c, ['sync', `${local}/`, s3url('sync/')])).stdout.match(/^upload:/gm)).toHaveLength(2);
        expect((await s3c(c, ['sync', `${local}/`, s3url('sync/')])).stdout).not.toContain('upload:');
        expect(new Set(allVerified(c, from).map((e) => e.op))).toEqual(new Set(['ListObjects', 'PutObject']));
        expect((await logged(c.s3, (e) => e.op === 'ListBuckets', from)).code).toBe('ok');
      },
      copy: async () => {
        await s3c(c, ['cp', s3url('dir/hello.txt'), s3url('dir/copy.txt')]);
        expect(objects().get('dir/copy.txt')?.body.equals(hello)).toBe(true);
        expect((await logged(c.s3, (e) => e.bucket === c.bucket && e.op === 'CopyObject')).code).toBe('ok');
      },
      delete: async () => {
        await s3c(c, ['del', s3url('dir/copy.txt')]);
        expect(objects().has('dir/copy.txt')).toBe(false);
      },
      'batch delete': async () => {
        const from = c.s3.log.length;
        await s3c(c, ['del', '--recursive', '--force', s3url('sync/')]);
        const batch = allVerified(c, from).filter((e) => e.op === 'DeleteObjects');
        expect(batch).toHaveLength(1);
        expect([...objects().keys()].filter((k) => k.startsWith('sync/'))).toEqual([]);
      },
      multipart: async () => {
        const from = c.s3.log.length;
        await s3c(c, ['put', c.bigPath, s3url('big/upload.bin')]);
        const ops = allVerified(c, from).map((e) => e.op);
        expect(ops.filter((o) => o === 'UploadPart')).toHaveLength(2);
        expect(objects().get('big/upload.bin')?.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
        await s3c(c, ['get', '--force', s3url('big/upload.bin'), join(c.dir, 'big.out')]);
        expect(sha256(readFileSync(join(c.dir, 'big.out')))).toBe(sha256(c.big));
      },
      'stream upload': async () => {
        // `s3cmd put -` reads stdin as a stream: s3cmd sends it as a multipart upload, each part hashed and signed.
        const from = c.s3.log.length;
        const body = text('streamed from stdin by s3cmd\n');
        await s3c(c, ['put', '-', s3url('stream/stdin.txt')], body);
        expect(objects().get('stream/stdin.txt')?.body.equals(body)).toBe(true);
        const parts = allVerified(c, from).filter((e) => e.op === 'UploadPart' || e.op === 'PutObject');
        expect(parts.length).toBeGreaterThanOrEqual(1);
        for (const p of parts) expect(p.contentSha256).toMatch(/^[0-9a-f]{64}$/);
      },
      'session token': async () => {
        const from = c.s3.log.length;
        const cfg = s3cmdConfig(
          c,
          's3cfg-temp',
          K.temporary.accessKeyId,
          K.temporary.secretAccessKey,
          K.temporary.sessionToken,
        );
        await s3c(c, ['put', join(c.dir, 'hello.txt'), s3url('token/hello.txt')], undefined, cfg);
        expect((await s3c(c, ['ls', s3url('token/')], undefined, cfg)).stdout).toContain('token/hello.txt');
        for (const e of allVerified(c, from, 2))
          expect([e.accessKeyId, e.sessionToken]).toEqual([K.temporary.accessKeyId, K.temporary.sessionToken]);
      },
      'refused: wrong secret': async () => {
        const from = c.s3.log.length;
        const cfg = s3cmdConfig(c, 's3cfg-wrong', K.long.accessKeyId, K.wrongSecret);
        const result = await run('s3cmd', ['-c', cfg, '--no-progress', 'ls', s3url('neg/')], {
          env: cleanEnv(c.dir),
          timeoutMs: 30_000,
        });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('SignatureDoesNotMatch');
        await refused(c, from, 'ERR_SIGV4_SIGNATURE_MISMATCH');
      },
    };
  },
};
const s3c = (c: Ctx, args: readonly string[], input?: Buffer, cfg = join(c.dir, 's3cfg')) =>
  runOk('s3cmd', ['-c', cfg, '--no-progress', ...args], {
    env: cleanEnv(c.dir),
    timeoutMs: 60_000,
    ...(input ? { input } : {}),
  });

// ---------------------------------------------------------------------------------------------------------------
// rclone (Debian's), the s3 backend as "Other" provider, path-style, on an on-the-fly remote (:s3:).

const rcloneArgs = (c: Ctx, keyId: string, secret: string, token?: string): string[] => [
  '--config',
  join(c.dir, 'no-rclone.conf'),
  '--s3-provider',
  'Other',
  '--s3-endpoint',
  c.s3.endpoint,
  '--s3-force-path-style',
  '--s3-region',
  REGION,
  '--s3-access-key-id',
  keyId,
  '--s3-secret-access-key',
  secret,
  ...(token ? ['--s3-session-token', token] : []),
  '--s3-upload-cutoff',
  '8M',
  '--s3-chunk-size',
  '8M',
  '--retries',
  '1',
  '--low-level-retries',
  '1',
  '--contimeout',
  '5s',
  '--timeout',
  '20s',
];
const rc = (c: Ctx, args: readonly string[], input?: Buffer) =>
  runOk('rclone', [...rcloneArgs(c, K.long.accessKeyId, K.long.secretAccessKey), ...args], {
    env: cleanEnv(c.dir),
    timeoutMs: 60_000,
    ...(input ? { input } : {}),
  });

const rclone: ClientDef = {
  info: () => ({
    id: 'rclone',
    label: 'rclone',
    version: debianVersion('rclone') ?? '?',
    from: 'Debian `rclone`',
    pinned: false,
  }),
  expected: {
    put: PASS,
    get: PASS,
    head: PASS,
    list: PASS,
    copy: PASS,
    delete: PASS,
    multipart: PASS,
    'stream upload': PASS,
    'presigned GET': PASS,
    'session token': PASS,
    'refused: wrong secret': PASS,
    'refused: tampered URL': PASS,
    'refused: wrong method': PASS,
    'refused: expired': PASS,
  },
  setup: async (c) => {
    await rc(c, ['mkdir', `:s3:${c.bucket}`]);
    expect(c.s3.buckets.has(c.bucket)).toBe(true);
  },
  cells: (c) => {
    const hello = text('hello from rclone\n');
    writeFileSync(join(c.dir, 'hello.txt'), hello);
    const remote = (key: string) => `:s3:${c.bucket}/${key}`;
    const objects = () => c.s3.buckets.get(c.bucket)!;
    return {
      put: async () => {
        const from = c.s3.log.length;
        await rc(c, ['copyto', join(c.dir, 'hello.txt'), remote('dir/hello.txt')]);
        // rclone streams single-part uploads: UNSIGNED-PAYLOAD, so the body is not hashed (S3 allows that).
        const put = allVerified(c, from).find((e) => e.op === 'PutObject');
        expect(put?.contentSha256).toBe('UNSIGNED-PAYLOAD');
        expect(objects().get('dir/hello.txt')?.body.equals(hello)).toBe(true);
        expect(objects().get('dir/hello.txt')?.meta['x-amz-meta-mtime']).toMatch(/^\d+(\.\d+)?$/);
      },
      get: async () => {
        expect((await rc(c, ['cat', remote('dir/hello.txt')])).stdout).toBe(hello.toString());
      },
      head: async () => {
        const from = c.s3.log.length;
        const stat = JSON.parse((await rc(c, ['lsjson', '--stat', remote('dir/hello.txt')])).stdout) as {
          Size: number;
          Name: string;
        };
        expect(stat).toMatchObject({ Name: 'hello.txt', Size: hello.length });
        expect(allVerified(c, from).some((e) => e.op === 'HeadObject')).toBe(true);
      },
      list: async () => {
        const from = c.s3.log.length;
        expect((await rc(c, ['ls', `:s3:${c.bucket}`])).stdout).toBe(`       ${hello.length} dir/hello.txt\n`);
        const local = join(c.dir, 'sync');
        mkdirSync(local, { recursive: true });
        for (const name of ['a.txt', 'b.txt']) writeFileSync(join(local, name), `sync ${name}\n`);
        await rc(c, ['sync', local, remote('sync')]);
        const second = await rc(c, ['sync', '-v', local, remote('sync')]);
        expect(second.stderr).not.toMatch(/Copied/);
        expect(
          JSON.parse((await rc(c, ['lsjson', remote('sync')])).stdout).map((o: { Name: string }) => o.Name),
        ).toEqual(['a.txt', 'b.txt']);
        expect(allVerified(c, from).some((e) => e.op === 'ListObjects')).toBe(true);
      },
      copy: async () => {
        const from = c.s3.log.length;
        await rc(c, ['copyto', remote('dir/hello.txt'), remote('dir/copy.txt')]);
        expect(allVerified(c, from).some((e) => e.op === 'CopyObject')).toBe(true); // server-side copy
        expect(objects().get('dir/copy.txt')?.body.equals(hello)).toBe(true);
      },
      delete: async () => {
        await rc(c, ['deletefile', remote('dir/copy.txt')]);
        expect(objects().has('dir/copy.txt')).toBe(false);
      },
      multipart: async () => {
        const from = c.s3.log.length;
        await rc(c, ['copyto', c.bigPath, remote('big/upload.bin')]);
        const entries = allVerified(c, from);
        expect(entries.filter((e) => e.op === 'UploadPart')).toHaveLength(2);
        expect(objects().get('big/upload.bin')?.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
        await rc(c, ['copyto', remote('big/upload.bin'), join(c.dir, 'big.out')]);
        expect(sha256(readFileSync(join(c.dir, 'big.out')))).toBe(sha256(c.big));
      },
      'stream upload': async () => {
        const body = text('streamed from stdin by rclone rcat\n');
        await rc(c, ['rcat', remote('stream/stdin.txt')], body);
        expect(objects().get('stream/stdin.txt')?.body.equals(body)).toBe(true);
      },
      ...presignedCells(
        c,
        async (key, expiresIn) => (await rc(c, ['link', '--expire', `${expiresIn}s`, remote(key)])).stdout.trim(),
        {
          key: 'dir/hello.txt',
          body: hello,
        },
      ),
      'session token': async () => {
        const from = c.s3.log.length;
        const args = rcloneArgs(c, K.temporary.accessKeyId, K.temporary.secretAccessKey, K.temporary.sessionToken);
        await runOk('rclone', [...args, 'copyto', join(c.dir, 'hello.txt'), remote('token/hello.txt')], {
          env: cleanEnv(c.dir),
          timeoutMs: 60_000,
        });
        expect(
          (
            await runOk('rclone', [...args, 'cat', remote('token/hello.txt')], {
              env: cleanEnv(c.dir),
              timeoutMs: 60_000,
            })
          ).stdout,
        ).toBe(hello.toString());
        for (const e of allVerified(c, from, 2))
          expect([e.accessKeyId, e.sessionToken]).toEqual([K.temporary.accessKeyId, K.temporary.sessionToken]);
      },
      'refused: wrong secret': async () => {
        const from = c.s3.log.length;
        const result = await run(
          'rclone',
          [...rcloneArgs(c, K.long.accessKeyId, K.wrongSecret), 'cat', remote('neg/wrong-secret.txt')],
          {
            env: cleanEnv(c.dir),
            timeoutMs: 60_000,
          },
        );
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('SignatureDoesNotMatch');
        await refused(c, from, 'ERR_SIGV4_SIGNATURE_MISMATCH');
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// curl --aws-sigv4 (Debian's curl 7.88): every request by hand.

interface CurlResult {
  status: number;
  body: string;
}
async function curl(
  c: Ctx,
  args: readonly string[],
  options: { user?: string; input?: Buffer; out?: string } = {},
): Promise<CurlResult> {
  const user = options.user ?? `${K.long.accessKeyId}:${K.long.secretAccessKey}`;
  const { stdout } = await runOk(
    'curl',
    [
      '-sS',
      '--max-time',
      '20',
      '--aws-sigv4',
      `aws:amz:${REGION}:s3`,
      '--user',
      user,
      '-o',
      options.out ?? '-',
      '-w',
      '\n%{http_code}',
      ...args,
    ],
    { env: cleanEnv(c.dir), timeoutMs: 30_000, ...(options.input ? { input: options.input } : {}) },
  );
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

const curlClient: ClientDef = {
  info: () => ({
    id: 'curl',
    label: 'curl --aws-sigv4',
    version: debianVersion('curl') ?? '?',
    from: 'Debian `curl`',
    pinned: false,
  }),
  expected: {
    put: PASS,
    get: PASS,
    head: PASS,
    list: PASS,
    copy: PASS,
    delete: PASS,
    'batch delete': PASS,
    multipart: PASS,
    'stream upload': PASS,
    'session token': PASS,
    'refused: wrong secret': PASS,
    'refused: altered body': PASS,
  },
  setup: async (c) => {
    expect((await curl(c, ['-X', 'PUT', `${c.s3.endpoint}/${c.bucket}`])).status).toBe(200);
  },
  cells: (c) => {
    const hello = text('hello from curl\n');
    writeFileSync(join(c.dir, 'hello.txt'), hello);
    const url = (key: string) => `${c.s3.endpoint}/${c.bucket}/${key}`;
    const objects = () => c.s3.buckets.get(c.bucket)!;
    return {
      put: async () => {
        // --data-binary: curl hashes the body it holds. (With -T, curl 7.88 signs the hash of an empty body: see
        // 'stream upload'.) curl 7.88 sends no x-amz-content-sha256 header: the server hashes the body it received.
        const from = c.s3.log.length;
        const put = await curl(c, [
          '-X',
          'PUT',
          '-H',
          'content-type: text/plain',
          '--data-binary',
          `@${join(c.dir, 'hello.txt')}`,
          url('dir/hello.txt'),
        ]);
        expect(put.status, put.body).toBe(200);
        expect(allVerified(c, from)[0]?.contentSha256).toBeUndefined();
        expect(objects().get('dir/hello.txt')).toMatchObject({ contentType: 'text/plain', body: hello });
      },
      get: async () => {
        const got = await curl(c, [url('dir/hello.txt')]);
        expect(got).toEqual({ status: 200, body: hello.toString() });
      },
      head: async () => {
        const { stdout } = await runOk(
          'curl',
          [
            '-sS',
            '--max-time',
            '20',
            '--aws-sigv4',
            `aws:amz:${REGION}:s3`,
            '--user',
            `${K.long.accessKeyId}:${K.long.secretAccessKey}`,
            '-I',
            url('dir/hello.txt'),
          ],
          {
            env: cleanEnv(c.dir),
            timeoutMs: 30_000,
          },
        );
        expect(stdout).toMatch(/^HTTP\/1\.1 200 /);
        expect(stdout).toMatch(/\r\ncontent-length: 16\r\n/i);
        expect(stdout).toMatch(/\r\ncontent-type: text\/plain\r\n/i);
        expect((await logged(c.s3, (e) => e.bucket === c.bucket && e.op === 'HeadObject')).code).toBe('ok');
      },
      list: async () => {
        // curl 7.88 signs the query string as written (it neither sorts it nor adds '=' to a bare name): the
        // queries here are written in canonical form, sorted, every value present and encoded.
        const v2 = await curl(c, [`${c.s3.endpoint}/${c.bucket}?delimiter=%2F&list-type=2&prefix=dir%2F`]);
        expect(v2.status).toBe(200);
        expect(v2.body).toContain('<Key>dir/hello.txt</Key><LastModified>');
        const v1 = await curl(c, [`${c.s3.endpoint}/${c.bucket}?prefix=dir%2F`]);
        expect(v1.body).toContain('<Key>dir/hello.txt</Key>');
        const buckets = await curl(c, [`${c.s3.endpoint}/`]);
        expect(buckets.body).toContain(`<Name>${c.bucket}</Name>`);
      },
      copy: async () => {
        const copy = await curl(c, [
          '-X',
          'PUT',
          '-H',
          `x-amz-copy-source: /${c.bucket}/dir/hello.txt`,
          url('dir/copy.txt'),
        ]);
        expect(copy.status, copy.body).toBe(200);
        expect(copy.body).toContain('<CopyObjectResult');
        expect(objects().get('dir/copy.txt')?.body.equals(hello)).toBe(true);
      },
      delete: async () => {
        expect((await curl(c, ['-X', 'DELETE', url('dir/copy.txt')])).status).toBe(204);
        expect(objects().has('dir/copy.txt')).toBe(false);
      },
      'batch delete': async () => {
        for (const k of ['batch/1.txt', 'batch/2.txt'])
          expect((await curl(c, ['-X', 'PUT', '--data-binary', k, url(k)])).status).toBe(200);
        const xml = '<Delete><Object><Key>batch/1.txt</Key></Object><Object><Key>batch/2.txt</Key></Object></Delete>';
        const from = c.s3.log.length;
        const result = await curl(c, [
          '-X',
          'POST',
          '-H',
          `content-md5: ${md5Base64(xml)}`,
          '-H',
          'content-type: application/xml',
          '--data-binary',
          xml,
          `${c.s3.endpoint}/${c.bucket}?delete=`,
        ]);
        expect(result.status, result.body).toBe(200);
        expect(result.body).toContain(
          '<Deleted><Key>batch/1.txt</Key></Deleted><Deleted><Key>batch/2.txt</Key></Deleted>',
        );
        expect(allVerified(c, from).map((e) => e.op)).toEqual(['DeleteObjects']);
        expect(objects().has('batch/1.txt')).toBe(false);
      },
      multipart: async () => {
        // By hand: CreateMultipartUpload, two UploadPart (8 MiB + 1 MiB), CompleteMultipartUpload.
        const created = await curl(c, ['-X', 'POST', `${url('big/upload.bin')}?uploads=`]);
        const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.body)?.[1];
        expect(uploadId, created.body).toBeDefined();
        const etags: string[] = [];
        for (const [n, part] of [c.big.subarray(0, 8 * MiB), c.big.subarray(8 * MiB)].entries()) {
          const file = join(c.dir, `part${n + 1}`);
          writeFileSync(file, part);
          const put = await curl(c, [
            '-X',
            'PUT',
            '--data-binary',
            `@${file}`,
            '-D',
            '-',
            `${url('big/upload.bin')}?partNumber=${n + 1}&uploadId=${uploadId}`,
          ]);
          expect(put.status).toBe(200);
          etags.push(/\r\netag: ("[0-9a-f]{32}")/i.exec(put.body)![1]!);
        }
        const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
        const done = await curl(c, [
          '-X',
          'POST',
          '--data-binary',
          xml,
          `${url('big/upload.bin')}?uploadId=${uploadId}`,
        ]);
        expect(done.status, done.body).toBe(200);
        const out = join(c.dir, 'big.out');
        expect((await curl(c, [url('big/upload.bin')], { out })).status).toBe(200);
        expect(sha256(readFileSync(out))).toBe(sha256(c.big));
      },
      'stream upload': async () => {
        // -T - streams stdin (chunked transfer encoding), which curl cannot hash before sending: it signs
        // UNSIGNED-PAYLOAD when told so in the x-amz-content-sha256 header. (Without that header curl 7.88 signs the
        // hash of an empty body, and the server refuses the upload: checked too.)
        const body = text('streamed from stdin by curl\n');
        const put = await curl(
          c,
          ['-T', '-', '-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD', url('stream/stdin.txt')],
          { input: body },
        );
        expect(put.status, put.body).toBe(200);
        expect(objects().get('stream/stdin.txt')?.body.equals(body)).toBe(true);
        const from = c.s3.log.length;
        const unsaid = await curl(c, ['-T', '-', url('stream/unsaid.txt')], { input: body });
        expect(unsaid.status).toBe(403);
        await refused(c, from, 'ERR_SIGV4_SIGNATURE_MISMATCH');
      },
      'session token': async () => {
        const from = c.s3.log.length;
        const user = `${K.temporary.accessKeyId}:${K.temporary.secretAccessKey}`;
        const token = ['-H', `x-amz-security-token: ${K.temporary.sessionToken}`];
        expect(
          (await curl(c, ['-X', 'PUT', ...token, '--data-binary', 'with a token', url('token/curl.txt')], { user }))
            .status,
        ).toBe(200);
        expect(await curl(c, [...token, url('token/curl.txt')], { user })).toEqual({
          status: 200,
          body: 'with a token',
        });
        for (const e of allVerified(c, from, 2))
          expect([e.accessKeyId, e.sessionToken]).toEqual([K.temporary.accessKeyId, K.temporary.sessionToken]);
        const before = c.s3.log.length;
        expect((await curl(c, [url('token/curl.txt')], { user })).status).toBe(400);
        await refused(c, before, 'ERR_SIGV4_SESSION_TOKEN');
      },
      'refused: wrong secret': async () => {
        const from = c.s3.log.length;
        const got = await curl(c, [url('dir/hello.txt')], { user: `${K.long.accessKeyId}:${K.wrongSecret}` });
        expect(got.status).toBe(403);
        expect(got.body).toContain('<Code>SignatureDoesNotMatch</Code>');
        await refused(c, from, 'ERR_SIGV4_SIGNATURE_MISMATCH');
      },
      'refused: altered body': async () => {
        // curl signs the x-amz-content-sha256 header it is given: the hash of one body, sent with another.
        const from = c.s3.log.length;
        const got = await curl(c, [
          '-X',
          'PUT',
          '-H',
          `x-amz-content-sha256: ${sha256('the body that was signed')}`,
          '--data-binary',
          'the body that was SENT!!',
          url('neg/altered.txt'),
        ]);
        expect(got.status).toBe(400);
        expect(got.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
        await refused(c, from, 'ERR_SIGV4_PAYLOAD_HASH');
        expect(objects().has('neg/altered.txt')).toBe(false);
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// @aws-sdk/client-s3 and @aws-sdk/s3-request-presigner (pinned in package.json), in this process.

function sdkClient(
  c: Ctx,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = K.long,
): S3Client {
  return new S3Client({ endpoint: c.s3.endpoint, forcePathStyle: true, region: REGION, credentials, maxAttempts: 1 });
}
async function sdkError(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('expected the SDK call to fail');
}

const sdk: ClientDef = {
  info: () => ({
    id: 'aws-sdk-js-v3',
    label: '@aws-sdk/client-s3',
    version: npmVersion(ROOT, '@aws-sdk/client-s3'),
    from: `npm \`@aws-sdk/client-s3\`, \`@aws-sdk/s3-request-presigner\` ${npmVersion(ROOT, '@aws-sdk/s3-request-presigner')} (lockfile)`,
    pinned: true,
  }),
  expected: Object.fromEntries(
    S3_OPS.filter((op) => op !== 'presigned POST' && op !== 'refused: SigV2').map((op) => [op, PASS]),
  ),
  setup: async (c) => {
    await sdkClient(c).send(new CreateBucketCommand({ Bucket: c.bucket }));
  },
  cells: (c) => {
    const s3 = sdkClient(c);
    const Bucket = c.bucket;
    const hello = text('hello from @aws-sdk/client-s3\n');
    const objects = () => c.s3.buckets.get(c.bucket)!;
    return {
      put: async () => {
        // A Uint8Array body goes as a plain PUT, its SHA-256 signed, with the CRC32 the SDK adds by default.
        const from = c.s3.log.length;
        await s3.send(
          new PutObjectCommand({
            Bucket,
            Key: 'dir/hello.txt',
            Body: new Uint8Array(hello),
            ContentType: 'text/plain',
            Metadata: { client: 'sdk' },
          }),
        );
        const [put] = allVerified(c, from);
        expect(put).toMatchObject({
          op: 'PutObject',
          contentSha256: sha256(hello),
          checksums: ['x-amz-checksum-crc32'],
        });
        expect(objects().get('dir/hello.txt')).toMatchObject({
          body: hello,
          contentType: 'text/plain',
          meta: { 'x-amz-meta-client': 'sdk' },
        });
        // A string body too.
        await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/string.txt', Body: 'a string body' }));
        expect(objects().get('dir/string.txt')?.body.toString()).toBe('a string body');
      },
      get: async () => {
        const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
        expect(await got.Body!.transformToString()).toBe(hello.toString());
        expect([got.ContentType, got.Metadata]).toEqual(['text/plain', { client: 'sdk' }]);
      },
      head: async () => {
        const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
        expect([head.ContentLength, head.ContentType, head.ETag]).toEqual([
          hello.length,
          'text/plain',
          `"${createHash('md5').update(hello).digest('hex')}"`,
        ]);
      },
      list: async () => {
        const v2 = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'dir/', Delimiter: '/' }));
        expect(v2.Contents?.map((o) => o.Key)).toEqual(['dir/hello.txt', 'dir/string.txt']);
        const v1 = await s3.send(new ListObjectsCommand({ Bucket, Prefix: 'dir/' }));
        expect(v1.Contents?.map((o) => [o.Key, o.Size])).toEqual([
          ['dir/hello.txt', hello.length],
          ['dir/string.txt', 13],
        ]);
        expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(Bucket);
      },
      copy: async () => {
        await s3.send(new CopyObjectCommand({ Bucket, Key: 'dir/copy.txt', CopySource: `${Bucket}/dir/hello.txt` }));
        expect(objects().get('dir/copy.txt')?.body.equals(hello)).toBe(true);
      },
      delete: async () => {
        await s3.send(new DeleteObjectCommand({ Bucket, Key: 'dir/copy.txt' }));
        expect(objects().has('dir/copy.txt')).toBe(false);
      },
      'batch delete': async () => {
        for (const Key of ['batch/1.txt', 'batch/2.txt'])
          await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
        const from = c.s3.log.length;
        const result = await s3.send(
          new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'batch/1.txt' }, { Key: 'batch/2.txt' }] } }),
        );
        expect(result.Deleted?.map((d) => d.Key)).toEqual(['batch/1.txt', 'batch/2.txt']);
        const [batch] = allVerified(c, from);
        expect(batch?.op).toBe('DeleteObjects');
        expect(objects().has('batch/1.txt')).toBe(false);
      },
      multipart: async () => {
        const Key = 'big/upload.bin';
        const from = c.s3.log.length;
        const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
        const parts = [c.big.subarray(0, 8 * MiB), c.big.subarray(8 * MiB)];
        const done = await Promise.all(
          parts.map(async (part, i) => ({
            PartNumber: i + 1,
            ETag: (
              await s3.send(
                new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body: new Uint8Array(part) }),
              )
            ).ETag!,
          })),
        );
        await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done } }));
        const entries = allVerified(c, from);
        for (const e of entries.filter((e) => e.op === 'UploadPart')) expect(e.contentSha256).toMatch(/^[0-9a-f]{64}$/);
        const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
        expect(sha256(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha256(c.big));
        expect(got.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
      },
      'stream upload': async () => {
        // A stream body: the SDK sends it aws-chunked (content-encoding: aws-chunked,
        // x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER, one data chunk per piece of the stream, the
        // CRC32 in a trailer), for PutObject and UploadPart. The server stores what the verified body stream hands
        // back; read back through the SDK, byte for byte.
        const from = c.s3.log.length;
        const pieces = [text('streamed '), text('by the SDK\n'), randomBytes(70_000)];
        const body = Buffer.concat(pieces);
        await s3.send(
          new PutObjectCommand({
            Bucket,
            Key: 'stream/put.bin',
            Body: Readable.from(pieces),
            ContentLength: body.length,
          }),
        );
        const part = text('a part, streamed by the SDK\n');
        const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'stream/part.bin' }));
        const { ETag } = await s3.send(
          new UploadPartCommand({
            Bucket,
            Key: 'stream/part.bin',
            UploadId,
            PartNumber: 1,
            Body: Readable.from([part]),
            ContentLength: part.length,
          }),
        );
        await s3.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: 'stream/part.bin',
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: ETag! }] },
          }),
        );
        const chunked = allVerified(c, from).filter((e) => e.contentSha256?.startsWith('STREAMING-'));
        expect(
          chunked.map((e) => [e.op, e.key, e.contentSha256, e.contentEncoding, e.trailer, e.decodedBytes]),
        ).toEqual([
          [
            'PutObject',
            'stream/put.bin',
            'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
            'aws-chunked',
            'x-amz-checksum-crc32',
            body.length,
          ],
          [
            'UploadPart',
            'stream/part.bin',
            'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
            'aws-chunked',
            'x-amz-checksum-crc32',
            part.length,
          ],
        ]);
        for (const [Key, want] of [
          ['stream/put.bin', body],
          ['stream/part.bin', part],
        ] as const) {
          const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
          expect(Buffer.from(await got.Body!.transformToByteArray()).equals(want), Key).toBe(true);
        }
      },
      ...presignedCells(
        c,
        (key, expiresIn) => getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: key }), { expiresIn }),
        { key: 'dir/hello.txt', body: hello },
      ),
      'presigned PUT': async () => {
        const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key: 'presigned/put.txt' }), {
          expiresIn: 300,
        });
        const body = text('put through an SDK presigned URL\n');
        const from = c.s3.log.length;
        const put = await send(url, { method: 'PUT', body: new Uint8Array(body) });
        expect(put.status, put.text).toBe(200);
        expect(allVerified(c, from).map((e) => [e.auth, e.op])).toEqual([['presigned', 'PutObject']]);
        expect(objects().get('presigned/put.txt')?.body.equals(body)).toBe(true);
      },
      'session token': async () => {
        const temp = sdkClient(c, K.temporary);
        const from = c.s3.log.length;
        await temp.send(new PutObjectCommand({ Bucket, Key: 'token/sdk.txt', Body: 'with a session token' }));
        expect(
          await (await temp.send(new GetObjectCommand({ Bucket, Key: 'token/sdk.txt' }))).Body!.transformToString(),
        ).toBe('with a session token');
        const url = await getSignedUrl(temp, new GetObjectCommand({ Bucket, Key: 'token/sdk.txt' }), {
          expiresIn: 300,
        });
        expect((await send(url)).text).toBe('with a session token');
        for (const e of allVerified(c, from, 3))
          expect([e.accessKeyId, e.sessionToken]).toEqual([K.temporary.accessKeyId, K.temporary.sessionToken]);
        const { sessionToken: _, ...noToken } = K.temporary;
        const before = c.s3.log.length;
        const error = await sdkError(
          sdkClient(c, noToken).send(new GetObjectCommand({ Bucket, Key: 'token/sdk.txt' })),
        );
        expect(error.name).toBe('InvalidToken');
        await refused(c, before, 'ERR_SIGV4_SESSION_TOKEN');
      },
      'refused: wrong secret': async () => {
        const from = c.s3.log.length;
        const error = await sdkError(
          sdkClient(c, { ...K.long, secretAccessKey: K.wrongSecret }).send(
            new GetObjectCommand({ Bucket, Key: 'dir/hello.txt' }),
          ),
        );
        expect([error.name, error.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
        await refused(c, from, 'ERR_SIGV4_SIGNATURE_MISMATCH');
      },
      'refused: altered body': async () => {
        // A middleware after signing swaps the body for another of the same length.
        const altering = sdkClient(c);
        type Middleware = Parameters<typeof altering.middlewareStack.addRelativeTo>[0];
        altering.middlewareStack.addRelativeTo(
          ((next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
            (args.request as { body: unknown }).body = new Uint8Array(text('the body that was SENT!!'));
            return next(args);
          }) as unknown as Middleware,
          { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'sigv4-e2e-alter-body', override: true },
        );
        const from = c.s3.log.length;
        const error = await sdkError(
          altering.send(
            new PutObjectCommand({
              Bucket,
              Key: 'neg/altered.txt',
              Body: new Uint8Array(text('the body that was signed')),
            }),
          ),
        );
        expect([error.name, error.$metadata.httpStatusCode]).toEqual(['XAmzContentSHA256Mismatch', 400]);
        const entry = await refused(c, from, 'ERR_SIGV4_PAYLOAD_HASH');
        expect(entry.contentSha256).toBe(sha256('the body that was signed'));
        expect(objects().has('neg/altered.txt')).toBe(false);

        // A stream body, aws-chunked: a middleware after signing changes one byte of the data in the framed
        // stream (after the SDK computed its CRC32 for the trailer). The trailer's checksum does not match.
        const streaming = sdkClient(c);
        streaming.middlewareStack.addRelativeTo(
          ((next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
            const request = args.request as { body: Readable };
            let done = false;
            request.body = request.body.pipe(
              new Transform({
                transform(chunk: Buffer, _encoding, callback) {
                  const i = done ? -1 : chunk.indexOf('signed');
                  if (i >= 0) {
                    chunk = Buffer.from(chunk);
                    chunk[i] = chunk[i]! ^ 0x20; // "signed" -> "Signed"
                    done = true;
                  }
                  callback(null, chunk);
                },
              }),
            );
            return next(args);
          }) as unknown as Middleware,
          { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'sigv4-e2e-alter-stream', override: true },
        );
        const before = c.s3.log.length;
        const streamError = await sdkError(
          streaming.send(
            new PutObjectCommand({
              Bucket,
              Key: 'neg/altered-stream.txt',
              Body: Readable.from([text('the body that was signed')]),
              ContentLength: 24,
            }),
          ),
        );
        expect([streamError.name, streamError.$metadata.httpStatusCode]).toEqual(['BadDigest', 400]);
        const chunkedEntry = await refused(c, before, 'ERR_SIGV4_CHECKSUM_MISMATCH');
        expect([chunkedEntry.contentSha256, chunkedEntry.trailer]).toEqual([
          'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          'x-amz-checksum-crc32',
        ]);
        expect(objects().has('neg/altered-stream.txt')).toBe(false);
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The API-Gateway-style listener: non-S3 paths, queries and a JSON body.

interface ApiCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Path as sent, and query as sent (without '?'). */
  readonly path: string;
  readonly query?: readonly (readonly [string, string])[];
  readonly body?: string;
}
const API_CASES: readonly ApiCase[] = [
  { name: 'path: date-time with ":"', method: 'GET', path: '/prod/events/2024-01-01T10:00:00Z' },
  { name: 'path: e-mail with "@"', method: 'GET', path: '/prod/users/alice@example.com' },
  { name: 'path: ",", ";" and "="', method: 'GET', path: '/prod/filter/a,b;c=d' },
  { name: 'path: "(", ")", "*", "!"', method: 'GET', path: '/prod/files/report(1)*!.txt' },
  { name: `path: "'"`, method: 'GET', path: "/prod/names/o'brien" },
  { name: 'path: "%7E"', method: 'GET', path: '/prod/x/%7Euser' },
  {
    name: 'GET with a query (empty and repeated values)',
    method: 'GET',
    path: '/prod/search',
    query: [
      ['q', ''],
      ['tag', 'b'],
      ['tag', 'a'],
      ['limit', '10'],
    ],
  },
  {
    name: 'POST with a JSON body',
    method: 'POST',
    path: '/prod/items',
    body: JSON.stringify({ name: 'widget', tags: ['a', 'b'], price: 9.5 }),
  },
];
const API_OPS = [...API_CASES.map((c) => c.name), 'refused: wrong secret'];
const queryString = (q: ApiCase['query']): string =>
  (q ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

interface ApiAnswer {
  status: number | null;
  body: string;
}

/** Checks one answer of the listener: verified, and it saw the path, query and body as sent. */
function expectApiOk(api: RunningServer, kase: ApiCase, answer: ApiAnswer | undefined, keyId: string): void {
  expect(answer, kase.name).toBeDefined();
  const entry = api.log.filter((e) => e.url === kase.path + (kase.query ? `?${queryString(kase.query)}` : '')).at(-1);
  expect(`${answer!.status} ${entry?.code} ${entry?.message ?? ''}`.trim(), answer!.body).toBe('200 ok');
  const echoed = JSON.parse(answer!.body) as {
    method: string;
    rawPath: string;
    query: string;
    body: string;
    accessKeyId: string;
  };
  expect(echoed).toMatchObject({
    method: kase.method,
    rawPath: kase.path,
    query: queryString(kase.query),
    body: kase.body ?? '',
    accessKeyId: keyId,
  });
}

async function botocoreApi(
  api: RunningServer,
  dir: string,
  secret: string,
  cases: readonly ApiCase[],
): Promise<ApiAnswer[]> {
  const input = JSON.stringify({
    region: REGION,
    keyId: K.long.accessKeyId,
    secret,
    cases: cases.map((k) => ({
      name: k.name,
      method: k.method,
      url: `${api.endpoint}${k.path}${k.query ? `?${queryString(k.query)}` : ''}`,
      ...(k.body === undefined ? {} : { body: k.body, headers: { 'content-type': 'application/json' } }),
    })),
  });
  const { stdout } = await runOk(PYTHON, [join(HERE, 'botocore_apigw.py')], {
    env: cleanEnv(dir),
    input,
    timeoutMs: 60_000,
  });
  return JSON.parse(stdout) as ApiAnswer[];
}

async function smithyApi(api: RunningServer, secret: string, kase: ApiCase): Promise<ApiAnswer> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: REGION,
    credentials: { ...K.long, secretAccessKey: secret },
    sha256: Sha256,
  });
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of kase.query ?? []) {
    const had = query[k];
    query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  const host = `127.0.0.1:${api.port}`;
  const signed = await signer.sign(
    new HttpRequest({
      method: kase.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: api.port,
      path: kase.path,
      query,
      headers: { host, ...(kase.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(kase.body === undefined ? {} : { body: kase.body }),
    }),
  );
  const { host: _, ...headers } = signed.headers as Record<string, string>;
  const got = await send(`${api.endpoint}${kase.path}${kase.query ? `?${queryString(kase.query)}` : ''}`, {
    method: kase.method,
    headers,
    ...(kase.body === undefined ? {} : { body: kase.body }),
  });
  return { status: got.status, body: got.text };
}

// ---------------------------------------------------------------------------------------------------------------
// The runner: servers, every client concurrently, one test per cell, the report.

interface Outcome {
  status: CellStatus;
  error?: unknown;
  ms: number;
}
class Deferred<T> {
  resolve!: (value: T) => void;
  readonly promise = new Promise<T>((r) => (this.resolve = r));
}

const boto3 = boto3Client('debian');
const boto3OverHttps = boto3Client('https');
const S3_CLIENTS: readonly ClientDef[] = [awscli, boto3, s3cmd, rclone, curlClient, sdk, minioGo, boto3OverHttps];
const API_CLIENTS = [
  {
    info: (): ClientInfo => ({
      id: 'botocore-requests',
      label: 'botocore SigV4Auth + requests',
      version: debianVersion('python3-botocore') ?? '?',
      from: 'Debian `python3-botocore`, `python3-requests`',
      pinned: false,
    }),
  },
  {
    info: (): ClientInfo => ({
      id: 'smithy-fetch',
      label: '@smithy/signature-v4 + fetch',
      version: npmVersion(ROOT, '@smithy/signature-v4'),
      from: 'npm `@smithy/signature-v4` (lockfile), Node fetch',
      pinned: true,
    }),
  },
] as const;

const outcomes = new Map<string, Deferred<Outcome>>();
const outcome = (table: string, client: string, op: string): Deferred<Outcome> => {
  const id = `${table}\u0000${client}\u0000${op}`;
  let d = outcomes.get(id);
  if (!d) outcomes.set(id, (d = new Deferred<Outcome>()));
  return d;
};
const statusOf = (table: string, client: string, op: string, expected: boolean): Promise<CellStatus> =>
  expected ? outcome(table, client, op).promise.then((o) => o.status) : Promise.resolve(NA);

let s3: S3Server;
let api: RunningServer;
let work: string;
let big: Buffer;
let started = 0;
const running: Promise<void>[] = [];

async function runS3Client(def: ClientDef, info: ClientInfo): Promise<void> {
  const second = def.secondLane ?? [];
  const first = S3_OPS.filter((op) => def.expected[op] !== undefined && !second.includes(op));
  await Promise.all([runLane(def, info, first, ''), ...(second.length > 0 ? [runLane(def, info, second, '-2')] : [])]);
}

async function runLane(def: ClientDef, info: ClientInfo, ops: readonly S3Op[], suffix: string): Promise<void> {
  const dir = join(work, info.id + suffix);
  mkdirSync(dir, { recursive: true });
  const c: Ctx = { s3, api, bucket: `e2e-${info.id}${suffix}`, dir, big, bigPath: join(work, 'big.bin') };
  let cells: Partial<Record<S3Op, CellRun>> = {};
  let setupError: unknown;
  try {
    await def.setup(c);
    cells = def.cells(c);
  } catch (error) {
    setupError = error;
  }
  for (const op of ops) {
    const t = Date.now();
    const d = outcome('s3', info.id, op);
    if (setupError !== undefined) {
      d.resolve({ status: setupError instanceof NotInstalled ? SKIPPED : FAIL, error: setupError, ms: 0 });
      continue;
    }
    try {
      const cell = cells[op];
      if (!cell) throw new Error(`${info.id} declares "${op}" but has no such cell`);
      await cell();
      d.resolve({ status: PASS, ms: Date.now() - t });
    } catch (error) {
      d.resolve({ status: FAIL, error, ms: Date.now() - t });
    }
  }
}

async function runApiClients(dir: string): Promise<void> {
  const cellsOf = async (
    id: string,
    answers: () => Promise<(ApiAnswer | undefined)[]>,
    wrong: () => Promise<ApiAnswer>,
  ) => {
    let list: (ApiAnswer | undefined)[] = [];
    let error: unknown;
    try {
      list = await answers();
    } catch (e) {
      error = e;
    }
    API_CASES.forEach((kase, i) => {
      const d = outcome('api', id, kase.name);
      if (error !== undefined) return d.resolve({ status: FAIL, error, ms: 0 });
      try {
        expectApiOk(api, kase, list[i], K.long.accessKeyId);
        d.resolve({ status: PASS, ms: 0 });
      } catch (e) {
        d.resolve({ status: FAIL, error: e, ms: 0 });
      }
    });
    const d = outcome('api', id, 'refused: wrong secret');
    try {
      const from = api.log.length;
      const answer = await wrong();
      expect(answer.status).toBe(403);
      expect(api.log.slice(from).map((e) => e.code)).toEqual(['ERR_SIGV4_SIGNATURE_MISMATCH']);
      d.resolve({ status: PASS, ms: 0 });
    } catch (e) {
      d.resolve({ status: FAIL, error: e, ms: 0 });
    }
  };
  const simple = API_CASES.find((k) => k.path === '/prod/items')!;
  // The two clients one after the other: the log checks match requests by URL.
  await cellsOf(
    'botocore-requests',
    () => botocoreApi(api, dir, K.long.secretAccessKey, API_CASES),
    async () => (await botocoreApi(api, dir, K.wrongSecret, [simple]))[0]!,
  );
  await cellsOf(
    'smithy-fetch',
    async () => {
      const out: ApiAnswer[] = [];
      for (const k of API_CASES) out.push(await smithyApi(api, K.long.secretAccessKey, k));
      return out;
    },
    () => smithyApi(api, K.wrongSecret, simple),
  );
}

const s3Infos = new Map<ClientDef, ClientInfo>();

/** How each S3 client sent its verified, header-signed uploads, from the server's log (both lanes' buckets). */
function uploadsSeen(): UploadsSeen {
  const out: Record<string, string[]> = {};
  for (const def of S3_CLIENTS) {
    const { id } = s3Infos.get(def) ?? def.info();
    const ways = new Map<string, Set<string>>();
    for (const e of s3?.log ?? []) {
      if (e.bucket !== `e2e-${id}` && e.bucket !== `e2e-${id}-2`) continue;
      if (e.auth !== 'header' || e.code !== 'ok' || (e.op !== 'PutObject' && e.op !== 'UploadPart')) continue;
      const hash = e.contentSha256 ?? '';
      const way = [
        /^[0-9a-f]{64}$/.test(hash)
          ? "the body's SHA-256"
          : hash === ''
            ? "no x-amz-content-sha256 (the body's SHA-256 signed)"
            : hash,
        ...(e.trailer ? [`trailer ${e.trailer}`] : []),
        ...(e.contentEncoding ? [`content-encoding ${e.contentEncoding}`] : []),
        ...(e.checksums.filter((h) => h !== 'x-amz-trailer').map((h) => `header ${h}`) ?? []),
        ...(hash.startsWith('STREAMING-') && e.transferEncoding === 'chunked' ? ['transfer-encoding chunked'] : []),
      ].join(', ');
      if (!ways.has(way)) ways.set(way, new Set());
      ways.get(way)!.add(e.op);
    }
    if (ways.size > 0)
      out[id] = [...ways.entries()].map(([way, ops]) => `${way}: ${[...ops].sort().join(', ')}`).sort();
  }
  return out;
}

describe.skipIf(skipped('clients'))('real clients against a server that verifies with this library', () => {
  beforeAll(async () => {
    started = Date.now();
    work = mkdtempSync(join(tmpdir(), 'sigv4-clients-'));
    tls = selfSignedCert(work);
    s3 = await startS3Server({ getCredentials: lookup, region: REGION, tls });
    api = await startApiServer({ getCredentials: lookup, region: REGION });
    big = randomBytes(BIG_SIZE);
    writeFileSync(join(work, 'big.bin'), big);
    for (const def of S3_CLIENTS) {
      const info = def.info();
      s3Infos.set(def, info);
      running.push(runS3Client(def, info));
    }
    const apiDir = join(work, 'api');
    mkdirSync(apiDir);
    running.push(runApiClients(apiDir));
  });

  afterAll(async () => {
    await Promise.allSettled(running);
    const s3Table: ClientTable = {
      title: 'S3 operations, against the S3-style server',
      columns: S3_OPS,
      clients: S3_CLIENTS.map((d) => s3Infos.get(d) ?? d.info()),
      cells: Object.fromEntries(
        await Promise.all(
          S3_CLIENTS.map(async (d) => {
            const id = (s3Infos.get(d) ?? d.info()).id;
            return [
              id,
              Object.fromEntries(
                await Promise.all(
                  S3_OPS.map(async (op) => [op, await statusOf('s3', id, op, d.expected[op] !== undefined)]),
                ),
              ),
            ];
          }),
        ),
      ),
    };
    const apiTable: ClientTable = {
      title: 'API Gateway (execute-api, non-S3 rules), against the API-style listener',
      columns: API_OPS,
      clients: API_CLIENTS.map((c) => c.info()),
      cells: Object.fromEntries(
        await Promise.all(
          API_CLIENTS.map(async (c) => [
            c.info().id,
            Object.fromEntries(
              await Promise.all(API_OPS.map(async (op) => [op, await statusOf('api', c.info().id, op, true)])),
            ),
          ]),
        ),
      ),
    };
    const report: ClientsReport = {
      tables: [s3Table, apiTable],
      uploads: uploadsSeen(),
      durationMs: Date.now() - started,
    };
    mkdirSync(RESULTS, { recursive: true });
    const exactVersions = {
      ...boto3Versions,
      ...(minioBuild ? { 'minio-go': { minioGo: minioBuild.minioGo, go: minioBuild.go } } : {}),
    };
    writeFileSync(join(RESULTS, 'clients.json'), JSON.stringify({ ...report, exactVersions }, null, 2));
    console.log(
      `\n${printTable(s3Table)}\n\n${printTable(apiTable)}\n\n${printUploads(report)}\n\n` +
        `exact versions: ${JSON.stringify(exactVersions)}${minioBuild ? `; minio-go built in ${minioBuild.buildMs} ms (0: cached)` : ''}\n` +
        `real clients: ${(report.durationMs / 1000).toFixed(1)} s\n`,
    );
    await s3?.close();
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 180_000);

  for (const def of S3_CLIENTS) {
    const { id, label } = def.info();
    describe(`${label} × S3`, () => {
      for (const op of S3_OPS) {
        const expected = def.expected[op];
        if (expected === undefined) continue; // n/a: the client has no such operation (the table says so)
        it(`${label}: ${op}`, async (ctx) => {
          const result = await outcome('s3', id, op).promise;
          if (result.status === FAIL) throw result.error;
          if (result.status === SKIPPED) {
            console.warn(`\n!!! ${label}: ${op}: SKIPPED: ${(result.error as Error).message}\n`);
            ctx.skip(`SKIPPED: ${(result.error as Error).message}`);
          }
          expect(result.status).toBe(PASS);
        }, 180_000);
      }
    });
  }

  for (const client of API_CLIENTS) {
    const { id, label } = client.info();
    describe(`${label} × API Gateway`, () => {
      for (const op of API_OPS) {
        it(`${label}: ${op}`, async () => {
          const result = await outcome('api', id, op).promise;
          if (result.status === FAIL) throw result.error;
          expect(result.status).toBe(PASS);
        }, 180_000);
      }
    });
  }

  it('every request either of the servers served was verified first (none served unsigned or refused)', async () => {
    await Promise.allSettled(running);
    expect(s3.log.length).toBeGreaterThan(100);
    for (const e of [...s3.log, ...api.log]) {
      if (e.status < 400 || (e.status === 404 && e.op !== 'unknown'))
        expect(`${e.method} ${e.url}: ${e.code}`).toBe(`${e.method} ${e.url}: ok`);
    }
    // The codes the refusals carried: each a SigV4Error code, none an internal error, nothing "not implemented".
    expect(s3.log.filter((e) => e.status >= 500).map((e) => `${e.method} ${e.url}: ${e.status} ${e.message}`)).toEqual(
      [],
    );
    // Every aws-chunked request was either stored from its verified body (its decoded bytes counted) or refused
    // with a code; the three streaming payload hashes all came, over http and over https.
    const chunked = s3.log.filter((e) => e.contentSha256?.startsWith('STREAMING-'));
    for (const e of chunked) {
      if (e.status < 300) expect([e.url, e.code, typeof e.decodedBytes]).toEqual([e.url, 'ok', 'number']);
      else expect(e.code, e.url).toMatch(/^ERR_SIGV4_/);
    }
    const seen = new Set(chunked.filter((e) => e.status < 300).map((e) => `${e.scheme} ${e.contentSha256}`));
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'http STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'http STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        'http STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        ...(typeof boto3Https() === 'string' && !process.env['CI'] ? [] : ['https STREAMING-UNSIGNED-PAYLOAD-TRAILER']),
      ]),
    );
  }, 180_000);
});
