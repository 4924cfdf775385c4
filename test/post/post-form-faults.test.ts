// examples/post-form/server.ts under load and faults (issue 13, examples): a body over the limit is refused
// without being read and the connection closed cleanly, uploads are capped (each is held in memory) and bounded
// in time, and a failure that repeats logs a bounded number of one-line entries. Loopback only, bounded loops.

import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startPostFormServer,
  type PostFormServer,
  type PostFormServerOptions,
} from '../../examples/post-form/server.js';

const credentials = { accessKeyId: 'AKIDPOSTFAULTS', secretAccessKey: 'post-faults-secret/EXAMPLE+KEY' };
const BUCKET = 'uploads-bucket';
const MAX = 1024;

let bucket: Server;
let bucketUrl: string;
const gateways: PostFormServer[] = [];

beforeAll(async () => {
  bucket = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { etag: '"etag"' }).end());
  });
  await new Promise<void>((resolve) => bucket.listen(0, '127.0.0.1', resolve));
  bucketUrl = `http://127.0.0.1:${(bucket.address() as AddressInfo).port}`;
});

afterAll(async () => {
  bucket.closeAllConnections();
  await new Promise((resolve) => bucket.close(resolve));
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const gateway of gateways.splice(0)) await gateway.close();
});

async function start(options: Partial<PostFormServerOptions> = {}): Promise<PostFormServer> {
  const gateway = await startPostFormServer({
    endpoint: bucketUrl,
    bucket: BUCKET,
    region: 'us-east-1',
    credentials,
    maxBytes: MAX,
    ...options,
  });
  gateways.push(gateway);
  return gateway;
}

/** A multipart body: a fresh form's hidden fields, then a file part of `size` bytes. */
async function formBody(gateway: PostFormServer, size: number): Promise<{ body: Buffer; type: string }> {
  const page = await (await fetch(gateway.url)).text();
  const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const form = new FormData();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    form.append(unescape(m[1]!), unescape(m[2]!));
  form.append('x-amz-meta-title', 'a title');
  form.append('file', new Blob([Buffer.alloc(size, 0x61)]), 'f.txt');
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type')! };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function post(gateway: PostFormServer, body: Buffer, type: string, agent: Agent | false = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${gateway.origin}/upload`,
      { method: 'POST', headers: { 'content-type': type, 'content-length': body.length }, agent },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const s3Code = (reply: Reply): string | undefined => /<Code>(\w+)<\/Code>/.exec(reply.body)?.[1];

describe('examples/post-form/server.ts: a refused body', () => {
  it('400 EntityTooLarge carries Connection: close, and a keep-alive client’s next upload works (40 rounds)', async () => {
    const gateway = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 40; round++) {
        const large = await formBody(gateway, MAX + 64 * 1024 + 1 + round);
        const refused = await post(gateway, large.body, large.type, agent);
        expect(refused.status).toBe(400);
        expect(s3Code(refused)).toBe('EntityTooLarge');
        expect(refused.headers['connection']).toBe('close');
        const small = await formBody(gateway, 10);
        expect((await post(gateway, small.body, small.type, agent)).status, `round ${round}`).toBe(303);
      }
    } finally {
      agent.destroy();
    }
  });

  it('a body over the limit while it arrives (chunked) is answered 400 EntityTooLarge, not reset', async () => {
    const gateway = await start();
    for (let round = 0; round < 10; round++) {
      const reply = await new Promise<Reply>((resolve, reject) => {
        const req = request(
          `${gateway.origin}/upload`,
          { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, agent: false },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        req.write(Buffer.alloc(MAX + 64 * 1024 + 1, 0x61)); // over the limit in one go, and the request left open
      });
      expect(reply.status).toBe(400);
      expect(s3Code(reply)).toBe('EntityTooLarge');
      expect(reply.headers['connection']).toBe('close');
    }
  });

  it('a declared Content-Length over the limit is answered before the body is sent, and the server closes', async () => {
    const gateway = await start();
    const socket = connect(Number(new URL(gateway.origin).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${2 ** 30}\r\n\r\n`,
    );
    await closed;
    expect(received).toMatch(/^HTTP\/1.1 400 /);
    expect(received.toLowerCase()).toContain('\r\nconnection: close\r\n');
    expect(received).toContain('<Code>EntityTooLarge</Code>');
  });
});

describe('examples/post-form/server.ts: uploads capped and bounded in time', () => {
  it('past maxConcurrentUploads an upload gets 503 SlowDown with Retry-After; a stalled one 400 RequestTimeout', async () => {
    const gateway = await start({ maxConcurrentUploads: 1, bodyTimeoutMs: 300 });
    const form = await formBody(gateway, 10);
    // One upload stalls halfway: it holds the only slot until its deadline.
    const stalled = new Promise<Reply>((resolve, reject) => {
      const req = request(
        `${gateway.origin}/upload`,
        { method: 'POST', headers: { 'content-type': form.type, 'content-length': form.body.length }, agent: false },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.write(form.body.subarray(0, 100));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await post(gateway, form.body, form.type);
    expect(refused.status).toBe(503);
    expect(s3Code(refused)).toBe('SlowDown');
    expect(refused.headers['retry-after']).toBe('1');
    const started = Date.now();
    const timedOut = await stalled;
    expect(Date.now() - started).toBeLessThan(2000);
    expect([timedOut.status, s3Code(timedOut), timedOut.headers['connection']]).toEqual([
      400,
      'RequestTimeout',
      'close',
    ]);
    // The slot is free again.
    const fresh = await formBody(gateway, 10);
    expect((await post(gateway, fresh.body, fresh.type)).status).toBe(303);
  });
});

describe('examples/post-form/server.ts: a failure on every upload', () => {
  it('200 failures (the bucket down) log at most 10 one-line entries, no stack, no exception text, then the count of the rest', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadEndpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    let clock = Date.UTC(2025, 0, 1, 12);
    const lines: string[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const gateway = await start({
      endpoint: deadEndpoint,
      log: (line) => lines.push(line),
      now: () => clock,
      maxConcurrentUploads: 200,
    });
    const forms = await Promise.all(Array.from({ length: 200 }, () => formBody(gateway, 10)));
    const replies = await Promise.all(forms.map((form) => post(gateway, form.body, form.type)));
    expect(new Set(replies.map((r) => `${r.status} ${s3Code(r)}`))).toEqual(new Set(['500 InternalError']));
    const expected =
      '2025-01-01T12:00:00.000Z POST /upload 500 InternalError: the bucket PUT: fetch failed (TypeError, cause Error ECONNREFUSED)';
    expect(lines).toEqual(Array(10).fill(expected));
    clock += 1000;
    const form = await formBody(gateway, 10);
    expect((await post(gateway, form.body, form.type)).status).toBe(500);
    expect(lines.slice(10)).toEqual(['(suppressed 190 similar lines)', expected.replace('12:00:00', '12:00:01')]);
    expect(consoleError).not.toHaveBeenCalled();
  });
});
