// The POST-form gateway (examples/post-form/server.ts) over loopback, in front of a stand-in bucket that records
// each PUT: the part it stores is the part verifyPresignedPost checked, a file name cannot move the key, and an
// error answers with S3's code and a fixed message, never an exception's text.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPostFormServer, type PostFormServer } from '../../examples/post-form/server.js';

const credentials = { accessKeyId: 'AKIDPOSTFORM', secretAccessKey: 'post-form-secret/EXAMPLE+KEY' };
const BUCKET = 'uploads-bucket';
const MAX = 64;

interface Stored {
  readonly path: string;
  readonly body: string;
}

let bucket: Server;
let bucketUrl: string;
let stored: Stored[] = [];
let gateway: PostFormServer;

beforeAll(async () => {
  bucket = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      stored.push({ path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { etag: '"etag"' }).end();
    });
  });
  await new Promise<void>((resolve) => bucket.listen(0, '127.0.0.1', resolve));
  bucketUrl = `http://127.0.0.1:${(bucket.address() as AddressInfo).port}`;
  gateway = await startPostFormServer({
    endpoint: bucketUrl,
    bucket: BUCKET,
    region: 'us-east-1',
    credentials,
    maxBytes: MAX,
  });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => bucket.close(resolve));
});

afterEach(() => {
  stored = [];
  vi.restoreAllMocks();
});

/** The hidden fields of a fresh form page, as the browser would send them. */
async function formFields(server: PostFormServer = gateway): Promise<[string, string][]> {
  const page = await (await fetch(server.url)).text();
  const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  return [...page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
    unescape(m[1]!),
    unescape(m[2]!),
  ]);
}

/** Posts the fields, then `parts` (the file parts, named as given), to the gateway's /upload. */
async function post(
  parts: [name: string, file: Blob, fileName: string][],
  fields?: [string, string][],
  server: PostFormServer = gateway,
) {
  const form = new FormData();
  for (const [name, value] of fields ?? (await formFields(server))) form.append(name, value);
  form.append('x-amz-meta-title', 'a title');
  for (const [name, file, fileName] of parts) form.append(name, file, fileName);
  const response = await fetch(`${server.origin}/upload`, { method: 'POST', body: form, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

const keyPattern = /^\/uploads-bucket\/uploads\/[0-9a-f-]{36}\//;

describe('examples/post-form/server.ts: the part stored is the part checked', () => {
  it('stores the file part named "file", and redirects with its key', async () => {
    const result = await post([['file', new Blob(['hello, bucket']), 'notes.txt']]);
    expect(result.status, result.body).toBe(303);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.path).toMatch(keyPattern);
    expect(stored[0]!.path.endsWith('/notes.txt')).toBe(true);
    expect(stored[0]!.body).toBe('hello, bucket');
    expect(new URL(result.location!).searchParams.get('key')).toBe(stored[0]!.path.slice(`/${BUCKET}/`.length));
  });

  it('stores a part named "File" (names are case-insensitive): the checked bytes, not form.get("file")', async () => {
    const result = await post([['File', new Blob(['checked bytes']), 'f.txt']]);
    expect(result.status, result.body).toBe(303);
    expect(stored.map((s) => s.body)).toEqual(['checked bytes']);
  });

  it('refuses two file parts ("File" then "file", either size first): 400 MalformedPOSTRequest, nothing stored', async () => {
    const small = new Blob(['x']);
    const huge = new Blob(['y'.repeat(MAX * 4)]);
    for (const [first, second] of [
      [small, huge],
      [huge, small],
    ] as const) {
      const result = await post([
        ['File', first, 'a.txt'],
        ['file', second, 'b.txt'],
      ]);
      expect(result.status, result.body).toBe(400);
      expect(result.body).toContain('<Code>MalformedPOSTRequest</Code>');
      expect(result.body).toContain('<SigV4Code>ERR_SIGV4_MALFORMED</SigV4Code>');
    }
    expect(stored).toEqual([]);
  });
});

describe('examples/post-form/server.ts: ${filename} is a name, never a path', () => {
  it('refuses a file name with "/" or "\\", or "." or "..": 400 InvalidArgument before anything is stored', async () => {
    for (const fileName of ['../../../escape.txt', '..', '.', 'a/b.txt', '/abs.txt', 'a\\b.txt', '..\\..\\x', 'x/..']) {
      const result = await post([['file', new Blob(['payload']), fileName]]);
      expect(result.status, `${fileName}: ${result.body}`).toBe(400);
      expect(result.body).toContain('<Code>InvalidArgument</Code>');
    }
    expect(stored).toEqual([]);
  });

  it('refuses a key field with ".." segments under the signed prefix (the policy only fixes the prefix)', async () => {
    const fields = await formFields();
    const prefix = fields.find(([name]) => name === 'key')![1].replace('${filename}', '');
    for (const key of [`${prefix}../../../escape`, `${prefix}./x`, `${prefix}a\\..\\..\\x`, `${prefix}a/../../b`]) {
      const result = await post(
        [['file', new Blob(['payload']), 'n.txt']],
        fields.map(([n, v]) => [n, n === 'key' ? key : v]),
      );
      expect(result.status, `${key}: ${result.body}`).toBe(400);
      expect(result.body).toContain('<Code>InvalidArgument</Code>');
    }
    expect(stored).toEqual([]);
    // Dots inside a name are only a name.
    const result = await post([['file', new Blob(['dots']), '..notes..txt']]);
    expect(result.status, result.body).toBe(303);
    expect(stored.map((s) => s.path.split('/').at(-1))).toEqual(['..notes..txt']);
  });
});

describe('examples/post-form/server.ts: errors are S3 codes with fixed messages', () => {
  it('a verification failure answers the code and S3 message, not the SigV4Error text', async () => {
    const fields = await formFields();
    const tampered = fields.map(([n, v]): [string, string] => [
      n,
      n === 'x-amz-signature' ? v.replace(/.$/, (c) => (c === '0' ? '1' : '0')) : v,
    ]);
    const result = await post([['file', new Blob(['x']), 'a.txt']], tampered);
    expect(result.status).toBe(403);
    expect(result.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><SigV4Code>ERR_SIGV4_SIGNATURE_MISMATCH</SigV4Code></Error>',
    );
    const large = await post([['file', new Blob(['z'.repeat(MAX + 1)]), 'a.txt']]);
    expect(large.status).toBe(400);
    expect(large.body).toContain(
      '<Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size.</Message>',
    );
    expect(large.body).not.toContain('content-length-range');
    expect(stored).toEqual([]);
  });

  it('an unexpected failure (the bucket unreachable) answers 500 InternalError without the exception text or stack', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadEndpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await startPostFormServer({
      endpoint: deadEndpoint,
      bucket: BUCKET,
      region: 'us-east-1',
      credentials,
      maxBytes: MAX,
    });
    try {
      const result = await post([['file', new Blob(['x']), 'a.txt']], undefined, broken);
      expect(result.status).toBe(500);
      expect(result.body).toBe(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>',
      );
      expect(logged).toHaveBeenCalledTimes(1); // the details go to the server's log
      expect(String(logged.mock.calls[0]![0])).toContain('fetch failed');
    } finally {
      await broken.close();
    }
  });
});
