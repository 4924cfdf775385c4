// The example file server and aws-chunked uploads: the bodies real clients sent (vectors/streaming-clients.json:
// minio-go's signed chunks, boto3's and the JS SDK's unsigned chunks with checksum trailers), replayed byte for
// byte with the recording's clock, are stored decoded and read back; the library's own encoder uploads too; a
// changed byte, a truncated body or an oversized upload is refused with the S3 error for it, and nothing is kept.

import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileServer, type FileServer } from '../../examples/server.js';
import { awsChunkedHeaders, createAwsChunkedEncoder, signRequest } from '../../src/index.js';

interface Recorded {
  id: string;
  client: string;
  method: string;
  url: string;
  headers: [string, string][];
  signingDate: string;
  payloadHash: string;
  body: { base64: string } | { pieces: ({ text: string } | { pattern: [number, number] })[] };
  bodySha256: string;
  decoded: { base64: string } | { pattern: [number, number] };
  decodedLength: number;
}
const corpus = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'vectors', 'streaming-clients.json'), 'utf8'),
) as { credentials: { accessKeyId: string; secretAccessKey: string }; requests: Recorded[] };

const pattern = (offset: number, length: number): Buffer =>
  Buffer.from(Uint8Array.from({ length }, (_, i) => (offset + i) % 251));
const bodyOf = (r: Recorded): Buffer =>
  'base64' in r.body
    ? Buffer.from(r.body.base64, 'base64')
    : Buffer.concat(
        r.body.pieces.map((p) => ('text' in p ? Buffer.from(p.text, 'latin1') : pattern(p.pattern[0], p.pattern[1]))),
      );
const decodedOf = (r: Recorded): Buffer =>
  'base64' in r.decoded ? Buffer.from(r.decoded.base64, 'base64') : pattern(r.decoded.pattern[0], r.decoded.pattern[1]);
/** Whole-object PUTs (no parts: this server has no multipart uploads). */
const puts = corpus.requests.filter((r) => r.method === 'PUT' && !new URL(r.url).search.includes('partNumber'));
const find = (id: string): Recorded => {
  const r = corpus.requests.find((x) => x.id === id);
  if (!r) throw new Error(`no recorded request ${id}`);
  return r;
};

const own = { accessKeyId: 'AKIDFILESERVER', secretAccessKey: 'file-server-secret/EXAMPLE+KEY' };
let root: string;
let clock = 0;
let files: FileServer;
let origin: string;
let port: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sigv4-example-streaming-'));
  files = createFileServer({
    root,
    credentials: own,
    getCredentials: (id) =>
      id === corpus.credentials.accessKeyId ? corpus.credentials : id === own.accessKeyId ? own : undefined,
    now: () => clock,
    maxBytes: 128 * 1024,
  });
  await new Promise<void>((resolve) => files.server.listen(0, '127.0.0.1', resolve));
  port = (files.server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise((resolve) => files.server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

const listing = async (): Promise<string[]> => (await readdir(root)).sort();

/**
 * Sends a recorded request as it was sent (its headers, Host included, in order; its body), to this server's port,
 * with the server's clock at the recording's. A request sent with `expect: 100-continue` sends its body on 100.
 */
function replay(r: Recorded, body: Buffer = bodyOf(r)): Promise<{ status: number; text: string }> {
  clock = Date.parse(r.signingDate);
  const url = new URL(r.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: r.method, path: url.pathname + url.search, headers: r.headers.flat() },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (r.headers.some(([n, v]) => n.toLowerCase() === 'expect' && v === '100-continue'))
      req.on('continue', () => req.end(body));
    else req.end(body);
  });
}

/** Downloads a key through a URL the server presigns (its own key, its clock now). */
async function download(key: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(await files.presign({ origin, method: 'GET', key }));
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

const errorXml = (code: string, sigv4: string) =>
  new RegExp(`<Error><Code>${code}</Code><Message>[^<]+</Message><SigV4Code>${sigv4}</SigV4Code></Error>$`);

describe('examples/server.ts: aws-chunked uploads', () => {
  it('refuses a changed byte in a signed chunk (403) or in unsigned-trailer data (400 BadDigest), a truncated body and an oversized one; keeps nothing', async () => {
    const twoChunks = find('minio-go: two-chunks.bin');
    const framed = bodyOf(twoChunks);
    // A byte of the second chunk's data (after "10000;chunk-signature=<64>\r\n", 65536 bytes, "\r\n", the header).
    const second = Buffer.from(framed);
    const at = framed.indexOf('\r\n', 87 + 65536 + 2) + 2 + 100;
    second[at] = second[at]! ^ 1;
    let answer = await replay(twoChunks, second);
    expect(answer.status, answer.text).toBe(403);
    expect(answer.text).toMatch(errorXml('SignatureDoesNotMatch', 'ERR_SIGV4_CHUNK_SIGNATURE'));

    const unsigned = find('boto3: sha1.txt');
    const data = Buffer.from(bodyOf(unsigned));
    const c = data.indexOf('\r\n') + 2 + 3;
    data[c] = data[c]! ^ 0x20; // "checksummed" -> "cheCksummed"
    answer = await replay(unsigned, data);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.text).toMatch(errorXml('BadDigest', 'ERR_SIGV4_CHECKSUM_MISMATCH'));

    const small = find('aws-sdk-js-v3: small.txt');
    const whole = bodyOf(small);
    answer = await replay(small, whole.subarray(0, whole.indexOf('0\r\n', 10))); // no final chunk, no trailer
    expect(answer.status, answer.text).toBe(400);
    expect(answer.text).toMatch(errorXml('IncompleteBody', 'ERR_SIGV4_CHUNK_FRAMING'));

    expect(await listing()).toEqual([]);
    for (const key of ['minio-go/two-chunks.bin', 'boto3/sha1.txt', 'aws-sdk-js-v3/small.txt'])
      expect((await download(key)).status, key).toBe(404);
  });

  it('refuses an upload whose decoded length is over the limit before reading it (413)', async () => {
    clock = Date.UTC(2026, 0, 1);
    const headers = awsChunkedHeaders({ payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', decodedLength: 200_000 });
    const signed = await signRequest({
      url: `${origin}/too-big.bin`,
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials: own,
      signingDate: clock,
      headers,
    });
    const res = await fetch(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: new Blob([new Uint8Array(200_000)])
        .stream()
        .pipeThrough(createAwsChunkedEncoder({ signed, credentials: own })),
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);
    // The server answers before the body is read, and closes the connection: fetch may see the 413 or the close.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect(await res.text()).toContain('<Code>EntityTooLarge</Code>');
    } else expect(String((res as Error).cause ?? res)).toMatch(/closed|reset|EPIPE|terminated|other side/i);
    expect(await listing()).toEqual([]);
  });

  it.each(puts.map((r) => [r.id, r] as const))(
    'stores %s as the client sent it, decoded, and serves it back',
    async (_id, r) => {
      const answer = await replay(r);
      expect(answer.status, answer.text).toBe(200);
      const key = decodeURIComponent(new URL(r.url).pathname.slice(1));
      expect(JSON.parse(answer.text)).toMatchObject({ key, bytes: r.decodedLength });
      clock = Date.parse(r.signingDate);
      const got = await download(key);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(decodedOf(r))).toBe(true);
    },
  );

  it('stores an upload the library framed itself: signed 8 KiB chunks and a signed CRC32C trailer', async () => {
    clock = Date.UTC(2026, 0, 2);
    const payload = pattern(7, 20_000);
    const headers = awsChunkedHeaders({
      payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      decodedLength: payload.length,
      chunkSize: 8192,
      checksumAlgorithm: 'CRC32C',
    });
    const signed = await signRequest({
      url: `${origin}/own/framed.bin`,
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials: own,
      signingDate: clock,
      headers: { ...headers, 'content-type': 'application/x-test' },
    });
    const res = await fetch(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: new Blob([new Uint8Array(payload)])
        .stream()
        .pipeThrough(createAwsChunkedEncoder({ signed, credentials: own, chunkSize: 8192 })),
      duplex: 'half',
    } as RequestInit);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({
      key: 'own/framed.bin',
      bytes: payload.length,
      contentType: 'application/x-test',
    });
    const got = await download('own/framed.bin');
    expect(got.bytes.equals(payload)).toBe(true);
  });
});
