// Load and faults against examples/server.ts (issue 13): the example runs as its own process on 127.0.0.1 and
// takes a fixed number of requests at a fixed concurrency, mixing valid presigned GETs and PUTs, header-signed
// PUTs, forged signatures, expired URLs, PUTs racing on shared keys, bodies that do not match their signed hash,
// uploads dropped halfway and uploads over the size limit. It asserts that every verdict is the right one, that
// every key reads back as exactly one writer's bytes and content type, that no temporary file is left and that
// the server's memory stays flat, and prints the numbers. node:http only; needs no Swift.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignUrl, signRequest } from '../../src/index.js';

const REQUESTS = 3000;
const CONCURRENCY = 50;
const SHARED_KEYS = 16;
const MAX_BYTES = 10 * 1024 * 1024; // the example's default
const credentials = { accessKeyId: 'AKIDLOADTEST', secretAccessKey: 'load-test-secret/EXAMPLE+KEY' };
const ROOT_DIR = join(import.meta.dirname, '..', '..');

let child: ChildProcess;
let origin = '';
let filesDir = '';

/** The server process's resident memory now and at its peak, in bytes (Linux /proc). */
async function serverMemory(): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

beforeAll(async () => {
  filesDir = await mkdtemp(join(tmpdir(), 'sigv4-load-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'examples/server.ts', '0'], {
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      FILES_DIR: filesDir,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk}`));
  origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = / on (http:\/\/127\.0\.0\.1:\d+);/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`examples/server.ts exited with ${code}: ${out}`)));
  });
});

afterAll(async () => {
  child?.kill();
  await rm(filesDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One request; `abortAfter` bytes of the body are sent, then the connection is dropped (resolves undefined). */
function send(
  url: string,
  method: string,
  headers: Record<string, string | number>,
  body?: Buffer,
  abortAfter?: number,
): Promise<Reply | undefined> {
  return new Promise((resolve, reject) => {
    const whole =
      body === undefined ||
      headers['content-length'] === undefined ||
      Number(headers['content-length']) === body.length;
    const req = request(url, { method, headers, agent: abortAfter === undefined && whole ? agent : false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    if (abortAfter !== undefined) {
      req.on('error', () => resolve(undefined));
      req.write(body!.subarray(0, abortAfter), () => setTimeout(() => req.destroy(), 5));
      return;
    }
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
    if (whole) req.end(body);
    else req.flushHeaders(); // headers only, announcing more than is sent: the answer must come before the body
  });
}

const s3Code = (reply: Reply): string =>
  /<Code>(\w+)<\/Code>/.exec(reply.body.toString())?.[1] ?? `(none: ${reply.body.toString().slice(0, 80)})`;
const sigv4Code = (reply: Reply): string | undefined =>
  /<SigV4Code>(\w+)<\/SigV4Code>/.exec(reply.body.toString())?.[1];
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A writer's version of a shared key: what a GET may return, whole. */
interface Version {
  readonly contentType: string;
  readonly sha256: string;
}

describe('examples/server.ts under load and faults', () => {
  it(`${REQUESTS} requests at concurrency ${CONCURRENCY}: right verdicts, no corrupt object, no temporary file, flat memory`, async () => {
    const keyUrl = (key: string) => `${origin}/${encodeURIComponent(key)}`;
    const presign = async (
      key: string,
      method: 'GET' | 'PUT',
      contentType?: string,
      signingDate = Date.now(),
      expiresIn = 900,
    ) =>
      (
        await presignUrl({
          url: keyUrl(key),
          method,
          service: 's3',
          region: 'us-east-1',
          credentials,
          signingDate,
          expiresIn,
          ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
        })
      ).url;
    const sharedKey = (i: number) => `shared/${i % SHARED_KEYS}`;
    // Every body ever written (or attempted) to a shared key, by its content type: a body is its writer's.
    const versions = new Map<string, Version>();
    const bodyFor = (i: number, size: number) => {
      const contentType = `application/x-writer-${i}`;
      const body = Buffer.alloc(size, `writer ${i};`);
      versions.set(contentType, { contentType, sha256: sha256(body) });
      return { contentType, body };
    };

    // Each key starts with a version, so every GET must answer 200.
    for (let k = 0; k < SHARED_KEYS; k++) {
      const { contentType, body } = bodyFor(-1 - k, 1024);
      const reply = await send(
        await presign(sharedKey(k), 'PUT', contentType),
        'PUT',
        { 'content-type': contentType, 'content-length': body.length },
        body,
      );
      expect(reply!.status).toBe(200);
    }

    const wrong: string[] = [];
    const verdict = (i: number, kind: string, ok: boolean, reply: Reply | undefined) => {
      if (!ok)
        wrong.push(
          `#${i} ${kind}: ${reply ? `${reply.status} ${s3Code(reply)} ${sigv4Code(reply) ?? ''}` : 'no answer'}`,
        );
    };
    const counts = new Map<string, number>();
    let slowDowns = 0;
    /** A valid request: retried on 503 SlowDown (the upload cap), as an SDK does; then 2xx expected. */
    const valid = async (make: () => Promise<Reply | undefined>): Promise<Reply | undefined> => {
      for (let attempt = 0; ; attempt++) {
        const reply = await make();
        if (reply?.status !== 503 || s3Code(reply) !== 'SlowDown' || attempt === 20) return reply;
        slowDowns += 1;
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30 * (attempt + 1)));
      }
    };

    /** Request `i` of the run: its kind is `i % 12`. */
    async function one(i: number): Promise<void> {
      const key = sharedKey(i);
      const kinds = [
        'get',
        'get',
        'get',
        'put',
        'put',
        'signed-put',
        'forged',
        'expired',
        'dropped',
        'too-large',
        'hash-mismatch',
        'big-put',
      ] as const;
      const kind = kinds[i % kinds.length]!;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      switch (kind) {
        case 'get': {
          const reply = await valid(async () => send(await presign(key, 'GET'), 'GET', {}));
          const version = versions.get(String(reply?.headers['content-type']));
          verdict(
            i,
            kind,
            reply?.status === 200 && version !== undefined && version.sha256 === sha256(reply.body),
            reply,
          );
          return;
        }
        case 'put':
        case 'big-put': {
          const { contentType, body } = bodyFor(i, kind === 'put' ? 1024 + ((i * 7919) % 65536) : 2 * 1024 * 1024 + i);
          const reply = await valid(async () =>
            send(
              await presign(key, 'PUT', contentType),
              'PUT',
              { 'content-type': contentType, 'content-length': body.length },
              body,
            ),
          );
          verdict(i, kind, reply?.status === 200, reply);
          return;
        }
        case 'signed-put': {
          const { contentType, body } = bodyFor(i, 512 + ((i * 131) % 8192));
          const signed = await signRequest({
            url: keyUrl(key),
            method: 'PUT',
            service: 's3',
            region: 'us-east-1',
            credentials,
            headers: { 'content-type': contentType },
            body,
          });
          const reply = await valid(() =>
            send(signed.url, 'PUT', { ...signed.headers, 'content-length': body.length }, body),
          );
          verdict(i, kind, reply?.status === 200, reply);
          return;
        }
        case 'hash-mismatch': {
          const { contentType, body } = bodyFor(i, 4096);
          const signed = await signRequest({
            url: keyUrl(key),
            method: 'PUT',
            service: 's3',
            region: 'us-east-1',
            credentials,
            headers: { 'content-type': contentType },
            body,
          });
          versions.delete(contentType); // never stored
          const other = Buffer.from(body).fill('x', 0, 16);
          const reply = await valid(() =>
            send(signed.url, 'PUT', { ...signed.headers, 'content-length': other.length }, other),
          );
          verdict(i, kind, reply?.status === 400 && s3Code(reply) === 'XAmzContentSHA256Mismatch', reply);
          return;
        }
        case 'forged': {
          const url = await presign(key, i % 2 === 0 ? 'GET' : 'PUT');
          const forged = url.slice(0, -1) + (url.endsWith('0') ? '1' : '0');
          const reply = await send(forged, i % 2 === 0 ? 'GET' : 'PUT', { 'content-length': 5 }, Buffer.from('forge'));
          verdict(
            i,
            kind,
            reply?.status === 403 &&
              s3Code(reply) === 'SignatureDoesNotMatch' &&
              sigv4Code(reply) === 'ERR_SIGV4_SIGNATURE_MISMATCH',
            reply,
          );
          return;
        }
        case 'expired': {
          const reply = await send(await presign(key, 'GET', undefined, Date.now() - 3_600_000, 60), 'GET', {});
          verdict(
            i,
            kind,
            reply?.status === 403 && s3Code(reply) === 'AccessDenied' && sigv4Code(reply) === 'ERR_SIGV4_EXPIRED',
            reply,
          );
          return;
        }
        case 'dropped': {
          const { contentType, body } = bodyFor(i, 256 * 1024);
          versions.delete(contentType); // never stored
          await send(
            await presign(key, 'PUT', contentType),
            'PUT',
            { 'content-type': contentType, 'content-length': body.length },
            body,
            64 * 1024,
          );
          return;
        }
        case 'too-large': {
          const reply = await send(
            await presign(key, 'PUT'),
            'PUT',
            { 'content-length': MAX_BYTES + 1 },
            Buffer.alloc(1),
          );
          verdict(
            i,
            kind,
            reply?.status === 413 && s3Code(reply) === 'EntityTooLarge' && reply.headers['connection'] === 'close',
            reply,
          );
          return;
        }
      }
    }

    const latencies: number[] = [];
    let next = 0;
    /** Requests `next` to `end - 1`, CONCURRENCY at a time. */
    const run = (end: number) =>
      Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < end) {
            const i = next++;
            const t = performance.now();
            await one(i).catch((error: unknown) => wrong.push(`#${i}: ${String(error)}`));
            latencies.push(performance.now() - t);
          }
        }),
      );
    // The first tenth warms the server up (JIT, heap, sockets): memory is compared from there.
    const started = performance.now();
    await run(REQUESTS / 10);
    const before = await serverMemory();
    await run(REQUESTS);
    const seconds = (performance.now() - started) / 1000;
    const after = await serverMemory();

    // Every shared key reads back whole: one writer's bytes with that writer's content type.
    const corrupt: string[] = [];
    for (let k = 0; k < SHARED_KEYS; k++) {
      const reply = (await send(await presign(sharedKey(k), 'GET'), 'GET', {}))!;
      const version = versions.get(String(reply.headers['content-type']));
      if (reply.status !== 200 || version === undefined || version.sha256 !== sha256(reply.body))
        corrupt.push(`${sharedKey(k)}: ${reply.status} ${reply.headers['content-type']}`);
    }
    agent.destroy();
    // Dropped uploads are cleaned up as the server notices them: a moment at most.
    const temporaryFiles = async () => (await readdir(filesDir)).filter((name) => name.endsWith('.tmp'));
    for (let wait = 0; wait < 100 && (await temporaryFiles()).length > 0; wait++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const leftovers = await temporaryFiles();

    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      [
        `load: ${REQUESTS} requests at concurrency ${CONCURRENCY} in ${seconds.toFixed(1)} s (${(REQUESTS / seconds).toFixed(0)} req/s)`,
        `  latency p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; SlowDown retries ${slowDowns}`,
        `  mix: ${[...counts].map(([kind, n]) => `${kind} ${n}`).join(', ')}`,
        `  server RSS after warm-up ${mib(before.rss)} MiB, after ${mib(after.rss)} MiB, peak ${mib(after.peak)} MiB`,
        `  wrong verdicts ${wrong.length}, corrupt keys ${corrupt.length}, temporary files left ${leftovers.length}`,
      ].join('\n'),
    );
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(corrupt).toEqual([]);
    expect(leftovers).toEqual([]);
    // Flat: bodies are streamed, so the server's memory does not follow the bytes received (~250 MiB here).
    expect(after.rss - before.rss).toBeLessThan(48 * 1024 * 1024);
    expect(after.peak - before.rss).toBeLessThan(96 * 1024 * 1024);
    expect(seconds).toBeLessThan(45);
  });
});
