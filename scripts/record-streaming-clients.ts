// Records vectors/streaming-clients.json: aws-chunked uploads exactly as real clients send them, never produced by
// this library, so the streaming verifier's tests can replay real-client bodies offline. Three clients upload to a
// recording server on 127.0.0.1 (http, and https for boto3, which sends aws-chunked only over TLS):
//
//   - minio-go (Debian's golang-github-minio-minio-go-v7-dev, built by test/e2e/clients/minio-build.ts), over
//     http: STREAMING-AWS4-HMAC-SHA256-PAYLOAD PUTs (small, empty, two 64 KiB-chunk body), and multipart parts with
//     its TrailingHeaders option, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER and (content SHA-256 disabled)
//     STREAMING-UNSIGNED-PAYLOAD-TRAILER, each with an x-amz-checksum-crc32c trailer;
//   - boto3 >= 1.36 (test/e2e/clients/python.ts finds it), over https: put_object and upload_part,
//     STREAMING-UNSIGNED-PAYLOAD-TRAILER with x-amz-checksum-crc32 (the default), -sha256 and -sha1 trailers;
//   - @aws-sdk/client-s3 (the lockfile's) with stream bodies, over http: STREAMING-UNSIGNED-PAYLOAD-TRAILER with
//     x-amz-checksum-crc32 (the default), -crc32c and -sha256 trailers.
//
// The server answers as S3 would (ETags, upload ids) and keeps every request whose x-amz-content-sha256 is
// STREAMING-*: method, path and query, the headers as received (in order), the body as received, after the
// HTTP layer (a request sent with transfer-encoding: chunked is kept de-chunked, as a server's request body
// reads; the header is kept). Before writing, the recorder checks each request's seed signature with this
// library's verifyRequest, and that each body's data is what the client was given. Large bodies are described
// instead of stored: see "bodies" in the file. The clients sign with the real clock, so every run writes
// different dates and signatures: review a re-recording's diff for what else changed.
//
//   npx tsx scripts/record-streaming-clients.ts
//
// Needs: golang-go and golang-github-minio-minio-go-v7-dev (apt), a python3 with boto3 >= 1.36, openssl.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { verifyRequest } from '../src/index.js';
import { minioBinary } from '../test/e2e/clients/minio-build.js';
import { findBoto3Python } from '../test/e2e/clients/python.js';
import { runOk } from '../test/e2e/clients/run.js';
import { CLIENT_KEYS as K, lookup } from '../test/e2e/clients/s3-server.js';
import { selfSignedCert } from '../test/e2e/clients/tls.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'vectors', 'streaming-clients.json');
/** Bodies up to this many bytes are stored whole (base64); longer ones are described. */
const INLINE_LIMIT = 4096;
const MiB = 1024 * 1024;
/** minio-go's part size for its multipart cases (its smallest): part n holds object bytes from (n - 1) × 5 MiB. */
const MINIO_PART = 5 * MiB;
const MAX_FILE_BYTES = 256 * 1024;

interface Received {
  client: string;
  scheme: 'http' | 'https';
  method: string;
  url: string;
  headers: [string, string][];
  body: Buffer;
}

/** Byte i of a patterned payload: (offset + i) % 251, offset being the byte's place in the object. */
const pattern = (offset: number, length: number): Buffer => {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (offset + i) % 251;
  return out;
};
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The aws-chunked framing read naively (the recorder trusts what it was sent): data and non-data pieces. */
function frame(body: Buffer): { pieces: ({ text: string } | { data: Buffer })[]; decoded: Buffer; trailer: string } {
  const pieces: ({ text: string } | { data: Buffer })[] = [];
  const data: Buffer[] = [];
  let pos = 0;
  let text = '';
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw new Error(`no chunk header at byte ${pos}`);
    const line = body.subarray(pos, eol + 2).toString('latin1');
    const size = parseInt(line.split(';')[0]!, 16);
    if (!Number.isInteger(size)) throw new Error(`bad chunk header ${JSON.stringify(line)}`);
    text += line;
    pos = eol + 2;
    if (size === 0) {
      const trailer = body.subarray(pos).toString('latin1');
      pieces.push({ text: text + trailer });
      return { pieces, decoded: Buffer.concat(data), trailer };
    }
    pieces.push({ text });
    const chunk = body.subarray(pos, pos + size);
    pieces.push({ data: chunk });
    data.push(chunk);
    pos += size;
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new Error(`no CRLF after chunk at ${pos}`);
    text = '\r\n';
    pos += 2;
  }
}

/** The trailer's header lines (name: value), read from what follows the final chunk. */
const trailerFields = (trailer: string): Record<string, string> =>
  Object.fromEntries(
    trailer
      .split(/\r?\n/)
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
  );

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'sigv4-record-streaming-'));
  const tls = selfSignedCert(work);
  const received: Received[] = [];
  let client = '';
  let uploads = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https') => {
    const body = await readBody(req);
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    received.push({ client, scheme, method: req.method ?? '', url: req.url ?? '', headers, body });
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.pathname.split('/').slice(2).join('/');
    const xml = (text: string) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
    };
    if (req.method === 'POST' && url.searchParams.has('uploads'))
      return xml(
        `<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>${key}</Key><UploadId>recorded-${++uploads}</UploadId></InitiateMultipartUploadResult>`,
      );
    if (req.method === 'POST' && url.searchParams.has('uploadId'))
      return xml(
        `<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>${key}</Key><ETag>"${sha256(key).slice(0, 32)}-2"</ETag></CompleteMultipartUploadResult>`,
      );
    res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
    res.end();
  };
  const http = createHttpServer((req, res) => void handle(req, res, 'http'));
  const https = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => void handle(req, res, 'https'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  const httpPort = (http.address() as AddressInfo).port;
  const httpsPort = (https.address() as AddressInfo).port;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOME: work,
    SIGV4_E2E_REGION: K.region,
    SIGV4_E2E_KEY_ID: K.long.accessKeyId,
    SIGV4_E2E_SECRET: K.long.secretAccessKey,
  };
  for (const name of Object.keys(env)) if (/^AWS_|_proxy$/i.test(name)) delete env[name];
  const clients: Record<string, Record<string, string>> = {};
  try {
    // minio-go
    client = 'minio-go';
    const build = minioBinary();
    // Never a synchronous child process: this process is the server the client talks to.
    await runOk(build.binary, ['record', `127.0.0.1:${httpPort}`, 'minio-go'], { env, timeoutMs: 120_000 });
    clients['minio-go'] = {
      version: build.minioGo,
      from: 'Debian golang-github-minio-minio-go-v7-dev, built with Debian golang-go (GOPATH mode, offline)',
      go: build.go,
    };

    // boto3
    client = 'boto3';
    const python = findBoto3Python();
    if (typeof python === 'string') throw new Error(python);
    const { stdout: out } = await runOk(
      python.python,
      [join(ROOT, 'scripts', 'record-streaming-boto3.py'), `https://127.0.0.1:${httpsPort}`, 'boto3', tls.caFile],
      { env, timeoutMs: 120_000 },
    );
    const versions = (JSON.parse(out) as { versions: Record<string, string> }).versions;
    clients['boto3'] = { ...versions, from: `pip (${python.python})` };

    // @aws-sdk/client-s3
    client = 'aws-sdk-js-v3';
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${httpPort}`,
      forcePathStyle: true,
      region: K.region,
      credentials: K.long,
      maxAttempts: 1,
    });
    const Bucket = 'aws-sdk-js-v3';
    const put = (Key: string, pieces: Buffer[], ChecksumAlgorithm?: ChecksumAlgorithm) =>
      s3.send(
        new PutObjectCommand({
          Bucket,
          Key,
          Body: Readable.from(pieces),
          ContentLength: pieces.reduce((n, p) => n + p.length, 0),
          ...(ChecksumAlgorithm ? { ChecksumAlgorithm } : {}),
        }),
      );
    await put('small.txt', [Buffer.from('hello, '), Buffer.from('aws-chunked\n')]);
    await put('empty.bin', []);
    await put('crc32c.bin', [pattern(0, 1000), pattern(1000, 1000), pattern(2000, 1000)], 'CRC32C');
    await put('sha256.txt', [Buffer.from('checksummed with SHA-256\n')], 'SHA256');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'part.bin' }));
    await s3.send(
      new UploadPartCommand({
        Bucket,
        Key: 'part.bin',
        UploadId,
        PartNumber: 1,
        Body: Readable.from([Buffer.from('a part, by the SDK\n')]),
        ContentLength: 19,
      }),
    );
    const sdkVersion = (await import('@aws-sdk/client-s3/package.json', { with: { type: 'json' } })).default.version;
    clients['aws-sdk-js-v3'] = { version: sdkVersion, from: 'npm @aws-sdk/client-s3 (lockfile)' };
  } finally {
    http.close();
    https.close();
    http.closeAllConnections();
    https.closeAllConnections();
    rmSync(work, { recursive: true, force: true });
  }

  // The streaming requests, each checked and described.
  const requests: { client: string; [field: string]: unknown }[] = [];
  for (const r of received) {
    const header = (name: string) => r.headers.find(([n]) => n.toLowerCase() === name)?.[1];
    const payloadHash = header('x-amz-content-sha256') ?? '';
    if (!payloadHash.startsWith('STREAMING-')) continue;
    const url = new URL(r.url, `${r.scheme}://${header('host')}`);
    const key = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
    const part = url.searchParams.get('partNumber');
    const date = header('x-amz-date')!;
    const now = Date.parse(date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const seed = await verifyRequest({
      url: url.href,
      method: r.method,
      headers: r.headers,
      getCredentials: lookup,
      region: K.region,
      service: 's3',
      now,
    });
    const framed = frame(r.body);
    // Patterned payloads (minio-go's larger ones, the SDK's crc32c.bin) are described, not stored.
    const objectOffset = part !== null && r.client === 'minio-go' ? (Number(part) - 1) * MINIO_PART : 0;
    const patterned = framed.decoded.length > 0 && framed.decoded.equals(pattern(objectOffset, framed.decoded.length));
    const decodedLength = Number(header('x-amz-decoded-content-length') ?? framed.decoded.length);
    if (decodedLength !== framed.decoded.length)
      throw new Error(
        `${r.client} ${key}: x-amz-decoded-content-length ${decodedLength}, data ${framed.decoded.length}`,
      );
    let body: unknown;
    if (r.body.length <= INLINE_LIMIT) {
      body = { base64: r.body.toString('base64') };
    } else {
      if (!patterned) throw new Error(`${r.client} ${key}: a long body whose data is not the pattern`);
      let offset = objectOffset;
      body = {
        pieces: framed.pieces.map((p) => {
          if ('text' in p) return { text: p.text };
          const piece = { pattern: [offset, p.data.length] };
          offset += p.data.length;
          return piece;
        }),
      };
    }
    requests.push({
      id: `${r.client}: ${key}${part ? ` part ${part}` : ''}`,
      client: r.client,
      scheme: r.scheme,
      method: r.method,
      url: url.href,
      headers: r.headers,
      signingDate: new Date(now).toISOString(),
      accessKeyId: seed.accessKeyId,
      payloadHash,
      trailer: trailerFields(framed.trailer),
      body,
      bodyLength: r.body.length,
      bodySha256: sha256(r.body),
      decoded: patterned
        ? { pattern: [objectOffset, framed.decoded.length] }
        : { base64: framed.decoded.toString('base64') },
      decodedLength: framed.decoded.length,
      decodedSha256: sha256(framed.decoded),
    });
  }
  const file = {
    description:
      'aws-chunked uploads (x-amz-content-sha256: STREAMING-*) as real clients sent them to a recording server on 127.0.0.1, never produced by this library: minio-go over http (signed chunks, signed and unsigned trailers), boto3 over https and @aws-sdk/client-s3 with stream bodies (unsigned trailers). Each seed signature was checked with verifyRequest when recorded. See scripts/record-streaming-clients.ts and vectors/README.md.',
    recordedBy: 'scripts/record-streaming-clients.ts',
    region: K.region,
    service: 's3',
    credentials: { accessKeyId: K.long.accessKeyId, secretAccessKey: K.long.secretAccessKey },
    clients,
    bodies:
      'body.base64: the bytes as received. body.pieces: the bytes as received, described: concatenate each piece, {"text": s} being s as Latin-1 bytes and {"pattern": [offset, length]} being `length` bytes where byte i is (offset + i) % 251. decoded: the payload the chunks carry (the object bytes), base64 or a pattern. bodySha256 and decodedSha256 check a reconstruction. headers: as received, in order (names as the client wrote them); url: scheme, host and the path and query as received.',
    requests,
  };
  const text = `${JSON.stringify(file, null, 1)}\n`;
  if (text.length > MAX_FILE_BYTES)
    throw new Error(`the corpus would be ${text.length} bytes (limit ${MAX_FILE_BYTES})`);
  writeFileSync(OUT, text);
  const by = (c: string) => requests.filter((r) => r.client === c).length;
  console.log(
    `${OUT}: ${requests.length} requests (minio-go ${by('minio-go')}, boto3 ${by('boto3')}, @aws-sdk/client-s3 ${by('aws-sdk-js-v3')}), ${text.length} bytes`,
  );
}

await main();
