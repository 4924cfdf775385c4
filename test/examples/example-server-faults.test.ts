// examples/server.ts under load and faults (issue 13, examples): concurrent PUTs to one key, an upload refused
// mid-connection, bodies streamed rather than held, the upload cap and deadline, file-system errors that are not
// "no such key", and a credential lookup that fails on every request. Loopback only, bounded loops.

import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs/promises';
import { Agent, request, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFileServer, type FileServer, type FileServerOptions } from '../../examples/server.js';
import { signRequest } from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDFAULTS', secretAccessKey: 'fault-server-secret/EXAMPLE+KEY' };
const START = Date.UTC(2025, 0, 1, 12);

interface Running {
  files: FileServer;
  origin: string;
  port: number;
  root: string;
}

const running: Running[] = [];

async function start(options: Partial<FileServerOptions> = {}): Promise<Running> {
  const root = options.root ?? (await fs.mkdtemp(join(tmpdir(), 'sigv4-example-faults-')));
  const files = createFileServer({ now: () => START, ...options, root, credentials });
  await new Promise<void>((resolve) => files.server.listen(0, '127.0.0.1', resolve));
  const port = (files.server.address() as AddressInfo).port;
  const run = { files, origin: `http://127.0.0.1:${port}`, port, root };
  running.push(run);
  return run;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const { files, root } of running.splice(0)) {
    files.server.closeAllConnections();
    await new Promise((resolve) => files.server.close(resolve));
    await fs.rm(root, { recursive: true, force: true });
  }
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with node:http (so the agent, and the connection header, are the test's). */
function send(
  url: string,
  init: { method?: string; headers?: Record<string, string | number>; body?: string | Buffer; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: init.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

// The bytes of Buffers and ArrayBuffers still alive: garbage collected first (gc() exposed at run time, for this).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveBuffers = async (): Promise<number> => {
  // Twice, a moment apart: V8 frees the memory of dead ArrayBuffers after a collection, not during it.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return process.memoryUsage().arrayBuffers;
};

const s3Code = (reply: Reply): string | undefined => /<Code>(\w+)<\/Code>/.exec(reply.body.toString())?.[1];
const temporaryFiles = async (root: string): Promise<string[]> =>
  (await fs.readdir(root)).filter((name) => name.endsWith('.tmp'));

async function until(condition: () => Promise<boolean>, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A PUT written by hand: `write` waits for the socket to drain; `req.end()` finishes, `req.destroy()` drops it. */
function openPut(url: string, headers: Record<string, string | number>) {
  let req!: ClientRequest;
  const reply = new Promise<Reply>((resolve, reject) => {
    req = request(url, { method: 'PUT', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
  reply.catch(() => {}); // awaited by the tests that expect an answer
  const write = (data: Buffer): Promise<void> =>
    new Promise((resolve) => (req.write(data) ? resolve() : req.once('drain', () => resolve())));
  return { req, reply, write };
}

describe('concurrent PUTs to one key: last writer wins, whole', () => {
  it('after 30 concurrent PUTs of different bodies and content types, a GET returns one writer’s body with its content type, every round', async () => {
    const { files, origin } = await start({ maxBytes: 1024 * 1024 });
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const key = 'shared/object';
    const get = await files.presign({ origin, method: 'GET', key });
    const writers = Array.from({ length: 30 }, (_, i) => ({
      contentType: `text/x-writer-${i}`,
      body: Buffer.from(`writer ${i};`.repeat(2000 + i * 300)), // 20 KiB to 150 KiB: writes interleave
    }));
    const urls = await Promise.all(
      writers.map((w) => files.presign({ origin, method: 'PUT', key, contentType: w.contentType })),
    );
    try {
      for (let round = 0; round < 6; round++) {
        // Readers during the writes: from the first round on, the key exists, so every read is whole.
        const reads = round === 0 ? [] : Array.from({ length: 10 }, () => send(get, { agent }));
        const puts = writers.map((w, i) =>
          send(urls[i]!, { method: 'PUT', headers: { 'content-type': w.contentType }, body: w.body, agent }),
        );
        for (const reply of await Promise.all(puts)) expect(reply.status, reply.body.toString()).toBe(200);
        for (const reply of [...(await Promise.all(reads)), await send(get, { agent })]) {
          expect(reply.status, `round ${round}: ${reply.body.toString().slice(0, 200)}`).toBe(200);
          const writer = writers.find((w) => w.contentType === reply.headers['content-type']);
          expect(writer, `round ${round}: content type ${reply.headers['content-type']}`).toBeDefined();
          expect(reply.body.equals(writer!.body), `round ${round}: the body is ${writer!.contentType}'s`).toBe(true);
        }
      }
    } finally {
      agent.destroy();
    }
  });
});

describe('a refused upload: answered, Connection: close, the body not read', () => {
  it('413 carries Connection: close, and a keep-alive client’s next request works (40 rounds)', async () => {
    const { files, origin } = await start({ maxBytes: 1024 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const put = await files.presign({ origin, method: 'PUT', key: 'big' });
    const small = await files.presign({ origin, method: 'PUT', key: 'small' });
    try {
      for (let round = 0; round < 40; round++) {
        const refused = await send(put, { method: 'PUT', body: Buffer.alloc(2048 + round, 0x78), agent });
        expect(refused.status).toBe(413);
        expect(s3Code(refused)).toBe('EntityTooLarge');
        expect(refused.headers['connection']).toBe('close');
        const next = await send(small, { method: 'PUT', body: `round ${round}`, agent });
        expect(next.status, `round ${round}`).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  it('a body over the limit while streaming (chunked, no Content-Length) is refused with 413 and the connection closed', async () => {
    const { files, origin, root } = await start({ maxBytes: 64 * 1024 });
    const put = new URL(await files.presign({ origin, method: 'PUT', key: 'chunked' }));
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request(put, { method: 'PUT', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      // 16 KiB chunks until the answer: no Content-Length, so the server finds out while reading.
      const chunk = Buffer.alloc(16 * 1024, 0x79);
      let sent = 0;
      const pump = (): void => {
        while (sent < 4 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    });
    expect(reply.status).toBe(413);
    expect(s3Code(reply)).toBe('EntityTooLarge');
    expect(reply.headers['connection']).toBe('close');
    await until(async () => (await temporaryFiles(root)).length === 0, 'the temporary file removed');
    expect((await send(await files.presign({ origin, method: 'GET', key: 'chunked' }))).status).toBe(404);
  });

  it('a declared Content-Length over the limit, or a forged PUT, is answered before the body is sent, and the server closes', async () => {
    const { files, origin, port } = await start({ maxBytes: 1024 });
    const tooLarge = (await files.presign({ origin, method: 'PUT', key: 'huge' })).slice(origin.length);
    const forged = tooLarge.replace(/X-Amz-Signature=\w/, 'X-Amz-Signature=x');
    for (const [path, status, code] of [
      [tooLarge, 413, 'EntityTooLarge'],
      [forged, 403, 'AccessDenied'],
    ] as const) {
      // Headers only, announcing 1 GiB: the answer must come without a byte of it, and the server then closes.
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => {});
      socket.write(`PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${2 ** 30}\r\n\r\n`);
      await closed;
      expect(received).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(received.toLowerCase()).toContain('\r\nconnection: close\r\n');
      expect(received).toContain(`<Code>${code}</Code>`);
    }
  });
});

describe('uploads are streamed to disk, capped in number and bounded in time', () => {
  it('a 48 MiB upload streams to a temporary file as it arrives, without the server holding it', async () => {
    const size = 48 * 1024 * 1024;
    const { files, origin, root } = await start({ maxBytes: 64 * 1024 * 1024 });
    const put = await files.presign({ origin, method: 'PUT', key: 'large.bin', contentType: 'application/x-large' });
    const chunk = Buffer.alloc(256 * 1024, 0x7a);
    const baseline = await liveBuffers();
    const hash = createHash('sha256');
    const upload = openPut(put, { 'content-length': size, 'content-type': 'application/x-large' });
    let sent = 0;
    const writeUpTo = async (limit: number) => {
      for (; sent < limit; sent += chunk.length) {
        hash.update(chunk);
        await upload.write(chunk);
      }
    };
    // Half the body, then a look at memory and at the disk: the bytes are on disk before the request is over.
    await writeUpTo(size / 2);
    // Buffers alive halfway: a few stream buffers at most, far below the 24 MiB sent (a server that buffers holds them all).
    expect((await liveBuffers()) - baseline).toBeLessThan(8 * 1024 * 1024);
    await until(async () => {
      const [name] = await temporaryFiles(root);
      return name !== undefined && ((await fs.stat(join(root, name)).catch(() => undefined))?.size ?? 0) >= size / 4;
    }, 'a temporary file holding a quarter of the body');
    await writeUpTo(size);
    upload.req.end();
    const done = await upload.reply;
    expect(done.status, done.body.toString()).toBe(200);
    expect(JSON.parse(done.body.toString())).toEqual({
      key: 'large.bin',
      bytes: size,
      contentType: 'application/x-large',
    });
    expect(await temporaryFiles(root)).toEqual([]);

    const got = await send(await files.presign({ origin, method: 'GET', key: 'large.bin' }));
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/x-large');
    expect(createHash('sha256').update(got.body).digest('hex')).toBe(hash.digest('hex'));
  });
});

describe('the upload cap and the body deadline', () => {
  it('past maxConcurrentUploads a PUT gets 503 SlowDown with Retry-After and Connection: close; the uploads in progress finish', async () => {
    // Files opened for writing, counted through the storage layer: never more than the cap at once.
    let writing = 0;
    let mostWriting = 0;
    const storage = {
      ...fs,
      open: async (path: Parameters<typeof fs.open>[0], flags?: Parameters<typeof fs.open>[1]) => {
        const handle = await fs.open(path, flags);
        if (flags === 'wx') {
          mostWriting = Math.max(mostWriting, ++writing);
          (handle as unknown as EventEmitter).once('close', () => (writing -= 1)); // a FileHandle emits 'close'
        }
        return handle;
      },
    };
    const { files, origin, root } = await start({ maxConcurrentUploads: 2, storage });
    const urls = await Promise.all(['a', 'b', 'c', 'd'].map((key) => files.presign({ origin, method: 'PUT', key })));
    const held = [openPut(urls[0]!, { 'content-length': 100 }), openPut(urls[1]!, { 'content-length': 100 })];
    for (const upload of held) await upload.write(Buffer.alloc(10, 0x61));
    await until(async () => (await temporaryFiles(root)).length === 2, 'two uploads in progress');

    const refused = await send(urls[2]!, { method: 'PUT', body: 'third' });
    expect(refused.status).toBe(503);
    expect(s3Code(refused)).toBe('SlowDown');
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['connection']).toBe('close');
    expect(await temporaryFiles(root)).toHaveLength(2);

    for (const upload of held) upload.req.end(Buffer.alloc(90, 0x62));
    for (const upload of held) expect((await upload.reply).status).toBe(200);
    expect((await send(urls[3]!, { method: 'PUT', body: 'fourth' })).status).toBe(200);

    // A burst of 12: some pass, the rest are told to slow down; never more than 2 files written at once.
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => send(urls[3]!, { method: 'PUT', body: Buffer.alloc(256 * 1024) })),
    );
    expect(burst.every((r) => r.status === 200 || (r.status === 503 && s3Code(r) === 'SlowDown'))).toBe(true);
    expect(burst.some((r) => r.status === 200)).toBe(true);
    expect(mostWriting).toBeLessThanOrEqual(2);
    expect(mostWriting).toBeGreaterThan(0);
    expect(await temporaryFiles(root)).toEqual([]);
  });

  it('a stalled upload is answered 400 RequestTimeout after bodyTimeoutMs, its temporary file removed and nothing stored', async () => {
    const { files, origin, root } = await start({ bodyTimeoutMs: 200 });
    const put = await files.presign({ origin, method: 'PUT', key: 'stalled' });
    const stalled = openPut(put, { 'content-length': 1000 });
    await stalled.write(Buffer.alloc(10, 0x61));
    const started = Date.now();
    const reply = await stalled.reply;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(reply.status).toBe(400);
    expect(s3Code(reply)).toBe('RequestTimeout');
    expect(reply.headers['connection']).toBe('close');
    await until(async () => (await temporaryFiles(root)).length === 0, 'the temporary file removed');
    expect((await send(await files.presign({ origin, method: 'GET', key: 'stalled' }))).status).toBe(404);
  });

  it('an upload the client drops halfway leaves no temporary file and no object', async () => {
    const { files, origin, root } = await start();
    const put = await files.presign({ origin, method: 'PUT', key: 'dropped' });
    const dropped = openPut(put, { 'content-length': 1024 * 1024 });
    await dropped.write(Buffer.alloc(512 * 1024, 0x61));
    await until(async () => (await temporaryFiles(root)).length === 1, 'the upload in progress');
    dropped.req.destroy();
    await until(async () => (await temporaryFiles(root)).length === 0, 'the temporary file removed');
    expect((await send(await files.presign({ origin, method: 'GET', key: 'dropped' }))).status).toBe(404);
  });
});

describe('header-signed PUTs: the body must match the signed x-amz-content-sha256', () => {
  it('stores a body that matches its signed hash, refuses one that does not (400 XAmzContentSHA256Mismatch, nothing stored)', async () => {
    const { files, origin, root } = await start();
    const sign = (key: string, body: string | undefined, payloadHash?: string) =>
      signRequest({
        url: `${origin}/${encodeURIComponent(key)}`,
        method: 'PUT',
        service: 's3',
        region: 'us-east-1',
        credentials,
        signingDate: START,
        headers: { 'content-type': 'text/plain' },
        ...(body === undefined ? {} : { body }),
        ...(payloadHash === undefined ? {} : { payloadHash }),
      });
    const good = await sign('signed', 'the signed body');
    const stored = await send(good.url, { method: 'PUT', headers: good.headers, body: 'the signed body' });
    expect(stored.status, stored.body.toString()).toBe(200);
    const swapped = await send(good.url, { method: 'PUT', headers: good.headers, body: 'another body, same length' });
    expect(swapped.status).toBe(400);
    expect(s3Code(swapped)).toBe('XAmzContentSHA256Mismatch');
    const unsigned = await sign('unsigned', undefined, 'UNSIGNED-PAYLOAD');
    expect((await send(unsigned.url, { method: 'PUT', headers: unsigned.headers, body: 'anything' })).status).toBe(200);
    expect(await temporaryFiles(root)).toEqual([]);
    const got = await send(await files.presign({ origin, method: 'GET', key: 'signed' }));
    expect([got.status, got.body.toString(), got.headers['content-type']]).toEqual([
      200,
      'the signed body',
      'text/plain',
    ]);
  });
});

/** A storage layer whose `open` fails with `code` for the objects' files (temporary files too, if `writes`). */
function failingOpen(code: string, writes = false) {
  return {
    ...fs,
    open: async (path: Parameters<typeof fs.open>[0], flags?: Parameters<typeof fs.open>[1]) => {
      if (flags === 'r' || (writes && flags === 'wx'))
        throw Object.assign(new Error(`${code}: simulated, open '${String(path)}'`), {
          code,
          errno: -24,
          syscall: 'open',
        });
      return fs.open(path, flags);
    },
  };
}

describe('file-system errors: only ENOENT is "no such key"', () => {
  it('out of file descriptors, a GET of a stored key answers 503 ServiceUnavailable (not 404); EIO 500; a missing key 404', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const root = await fs.mkdtemp(join(tmpdir(), 'sigv4-example-faults-'));
    // One folder, several servers over it: one stores the key, the others read it through a failing file system.
    const writer = await start({ root, log });
    const key = 'stored/key.txt';
    expect(
      (
        await send(await writer.files.presign({ origin: writer.origin, method: 'PUT', key }), {
          method: 'PUT',
          body: 'kept',
        })
      ).status,
    ).toBe(200);
    for (const [code, status, s3] of [
      ['EMFILE', 503, 'ServiceUnavailable'],
      ['ENFILE', 503, 'ServiceUnavailable'],
      ['EIO', 500, 'InternalError'],
      ['EACCES', 500, 'InternalError'],
    ] as const) {
      const { files, origin } = await start({ root, log, storage: failingOpen(code) });
      const reply = await send(await files.presign({ origin, method: 'GET', key }));
      expect(reply.status, code).toBe(status);
      expect(s3Code(reply), code).toBe(s3);
      expect(reply.body.toString()).not.toContain(code); // a generic body
      if (status === 503) expect(reply.headers['retry-after']).toBe('1');
      expect(lines.at(-1)).toBe(`2025-01-01T12:00:00.000Z GET ${status} ${s3}: storage failed (Error ${code})`);
    }
    const missing = await send(
      await writer.files.presign({ origin: writer.origin, method: 'GET', key: 'never/stored' }),
    );
    expect([missing.status, s3Code(missing)]).toEqual([404, 'NoSuchKey']);
    // And the key is still there for a file system that works.
    expect(
      (await send(await writer.files.presign({ origin: writer.origin, method: 'GET', key }))).body.toString(),
    ).toBe('kept');
  });

  it('out of file descriptors, a PUT answers 503 and leaves the stored object as it was', async () => {
    const root = await fs.mkdtemp(join(tmpdir(), 'sigv4-example-faults-'));
    const writer = await start({ root });
    const key = 'kept';
    expect(
      (
        await send(await writer.files.presign({ origin: writer.origin, method: 'PUT', key }), {
          method: 'PUT',
          body: 'before',
        })
      ).status,
    ).toBe(200);
    const { files, origin } = await start({ root, storage: failingOpen('EMFILE', true), log: () => {} });
    const reply = await send(await files.presign({ origin, method: 'PUT', key }), { method: 'PUT', body: 'after' });
    expect([reply.status, s3Code(reply)]).toEqual([503, 'ServiceUnavailable']);
    expect(
      (await send(await writer.files.presign({ origin: writer.origin, method: 'GET', key }))).body.toString(),
    ).toBe('before');
    expect(await temporaryFiles(root)).toEqual([]);
  });
});

describe('a credential lookup that fails on every request', () => {
  it('1000 failures log at most 10 lines a second, one line each, no stack and no secret; the count of the rest follows', async () => {
    const secretInMessage = 'postgres://vault:hunter2@db/keys';
    let clock = START;
    const lines: string[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { files, origin } = await start({
      now: () => clock,
      log: (line) => lines.push(line),
      getCredentials: () => {
        throw new Error(`cannot reach ${secretInMessage}`);
      },
    });
    const get = await files.presign({ origin, method: 'GET', key: 'any' });
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    try {
      const replies = await Promise.all(Array.from({ length: 1000 }, () => send(get, { agent })));
      expect(new Set(replies.map((r) => `${r.status} ${s3Code(r)}`))).toEqual(new Set(['500 InternalError']));
      expect(replies.every((r) => !r.body.toString().includes('hunter2'))).toBe(true);
      expect(lines).toHaveLength(10);
      for (const line of lines)
        expect(line).toBe('2025-01-01T12:00:00.000Z GET 500 InternalError: credential lookup failed (Error)');
      clock += 1000;
      await send(get, { agent });
      expect(lines.slice(10)).toEqual([
        '(suppressed 990 similar lines)',
        '2025-01-01T12:00:01.000Z GET 500 InternalError: credential lookup failed (Error)',
      ]);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      agent.destroy();
    }
  });

  it('a credential lookup that never answers is cut at lookupTimeoutMs: 503 ServiceUnavailable, one line, the lookup told', async () => {
    const lines: string[] = [];
    const signals: (AbortSignal | undefined)[] = [];
    const { files, origin } = await start({
      log: (line) => lines.push(line),
      lookupTimeoutMs: 50,
      getCredentials: (_id, { signal }) => (signals.push(signal), new Promise(() => {})),
    });
    const get = await files.presign({ origin, method: 'GET', key: 'any' });
    const started = performance.now();
    const replies = await Promise.all(Array.from({ length: 20 }, () => send(get)));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(new Set(replies.map((r) => `${r.status} ${s3Code(r)} ${r.headers['retry-after']}`))).toEqual(
      new Set(['503 ServiceUnavailable 1']),
    );
    expect(signals).toHaveLength(20);
    expect(signals.every((s) => s?.aborted)).toBe(true);
    expect(new Set(lines)).toEqual(
      new Set(['2025-01-01T12:00:00.000Z GET 503 ServiceUnavailable: credential lookup timed out']),
    );
  });

  it('by default the lines go to console.error, rate-limited the same way', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { files, origin } = await start({
      getCredentials: async () => {
        throw Object.assign(new TypeError('secret=abc'), { code: 'ECONNREFUSED' });
      },
    });
    const get = await files.presign({ origin, method: 'GET', key: 'any' });
    for (let i = 0; i < 40; i++) expect((await send(get)).status).toBe(500);
    expect(consoleError).toHaveBeenCalledTimes(10);
    for (const call of consoleError.mock.calls) {
      expect(call).toEqual([
        '2025-01-01T12:00:00.000Z GET 500 InternalError: credential lookup failed (TypeError ECONNREFUSED)',
      ]);
    }
  });
});
