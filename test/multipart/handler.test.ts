// The multipart handler (src/multipart/handler.ts): what it presigns for each action (verified with
// verifyPresignedUrl: each URL is the step asked for, the part's exact size signed), what it refuses and how
// (status, code, message, nothing presigned), and its options.

import { describe, expect, it, vi } from 'vitest';
import {
  createMultipartHandler,
  INVALID_OPTION,
  isSigV4Error,
  MAX_HANDLER_BODY,
  verifyPresignedUrl,
  type MultipartHandlerOptions,
  type MultipartHandlerResponse,
} from '../../src/index.js';

const MiB = 1024 * 1024;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NOW = Date.parse('2024-01-01T10:00:00Z');
const options: MultipartHandlerOptions = {
  bucket: 'uploads',
  endpoint: 'http://127.0.0.1:9000',
  region: 'us-east-1',
  credentials,
  keyPrefix: 'incoming/',
  maxSize: 64 * MiB,
  contentTypes: ['video/*', 'image/png'],
  partSize: 5 * MiB,
  now: () => NOW,
};
const file = { key: 'incoming/talk ü.mp4', size: 12 * MiB + 17, type: 'video/mp4' };
const upload = { ...file, uploadId: 'VXBsb2FkSWQ', partSize: 5 * MiB };

const post = (body: unknown, init: RequestInit = {}): Request =>
  new Request('http://app.test/multipart', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });

async function call(
  body: unknown,
  extra: { [K in keyof MultipartHandlerOptions]?: MultipartHandlerOptions[K] | undefined } = {},
  init?: RequestInit,
): Promise<[number, Record<string, unknown>, Response]> {
  const response = await createMultipartHandler({ ...options, ...extra } as MultipartHandlerOptions)(post(body, init));
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('cache-control')).toBe('no-store');
  return [response.status, (await response.json()) as Record<string, unknown>, response];
}

/** Verifies a presigned request from the handler as S3 would receive it. */
async function verifies(request: MultipartHandlerResponse['request'], headers = request.headers): Promise<string> {
  try {
    await verifyPresignedUrl({
      url: request.url,
      method: request.method,
      headers,
      service: 's3',
      region: 'us-east-1',
      now: NOW,
      getCredentials: () => credentials,
    });
    return 'ok';
  } catch (error) {
    if (isSigV4Error(error)) return error.code;
    throw error;
  }
}

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);
const KEY_URL = 'http://127.0.0.1:9000/uploads/incoming/talk%20%C3%BC.mp4';

describe('createMultipartHandler: what it presigns', () => {
  it('create: CreateMultipartUpload with the type signed, and the plan', async () => {
    const [status, answer] = await call({ action: 'create', ...file });
    expect(status).toBe(200);
    const { request, partSize, partCount } = answer as unknown as MultipartHandlerResponse;
    expect([partSize, partCount]).toEqual([5 * MiB, 3]);
    expect(request.method).toBe('POST');
    expect(request.url.startsWith(`${KEY_URL}?`)).toBe(true);
    expect(params(request.url)).toMatchObject({
      uploads: '',
      'X-Amz-Expires': '900',
      'X-Amz-Date': '20240101T100000Z',
    });
    expect(request.headers).toEqual({ 'content-type': 'video/mp4' });
    expect(request.expiresAt).toBe('2024-01-01T10:15:00.000Z');
    expect(await verifies(request)).toBe('ok');
    expect(await verifies(request, { 'content-type': 'text/html' })).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
  });

  it('part: UploadPart for that part of that upload, its exact size signed', async () => {
    for (const [partNumber, length] of [
      [1, 5 * MiB],
      [2, 5 * MiB],
      [3, 2 * MiB + 17],
    ]) {
      const [status, answer] = await call({ action: 'part', ...upload, partNumber });
      expect(status).toBe(200);
      const { request } = answer as unknown as MultipartHandlerResponse;
      expect(request.method).toBe('PUT');
      expect(params(request.url)).toMatchObject({ partNumber: String(partNumber), uploadId: 'VXBsb2FkSWQ' });
      expect(request.headers).toEqual({ 'content-length': String(length) });
      expect(await verifies(request)).toBe('ok');
      expect(await verifies(request, { 'content-length': String(length! + 1) })).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
    }
  });

  it('list: ListParts of the upload, from a marker', async () => {
    const [, first] = await call({ action: 'list', ...upload });
    const [, next] = await call({ action: 'list', ...upload, partNumberMarker: 1000 });
    for (const answer of [first, next]) {
      const { request } = answer as unknown as MultipartHandlerResponse;
      expect(request.method).toBe('GET');
      expect(await verifies(request)).toBe('ok');
    }
    expect(params((first as unknown as MultipartHandlerResponse).request.url)).not.toHaveProperty('part-number-marker');
    expect(params((next as unknown as MultipartHandlerResponse).request.url)).toMatchObject({
      uploadId: 'VXBsb2FkSWQ',
      'part-number-marker': '1000',
    });
  });

  it('complete: CompleteMultipartUpload and its body, built from the ETags in order', async () => {
    const parts = [
      { partNumber: 3, etag: '"c"' },
      { partNumber: 1, etag: '"a&<>"' },
      { partNumber: 2, etag: '"b"' },
    ];
    const [status, answer] = await call({ action: 'complete', ...upload, parts });
    expect(status).toBe(200);
    const { request, body } = answer as unknown as MultipartHandlerResponse;
    expect(request.method).toBe('POST');
    expect(params(request.url)).toMatchObject({ uploadId: 'VXBsb2FkSWQ' });
    expect(await verifies(request)).toBe('ok');
    expect(body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Part><ETag>&quot;a&amp;&lt;&gt;&quot;</ETag><PartNumber>1</PartNumber></Part>' +
        '<Part><ETag>&quot;b&quot;</ETag><PartNumber>2</PartNumber></Part>' +
        '<Part><ETag>&quot;c&quot;</ETag><PartNumber>3</PartNumber></Part></CompleteMultipartUpload>',
    );
  });

  it('abort: AbortMultipartUpload', async () => {
    const [, answer] = await call({ action: 'abort', ...upload });
    const { request } = answer as unknown as MultipartHandlerResponse;
    expect(request.method).toBe('DELETE');
    expect(params(request.url)).toMatchObject({ uploadId: 'VXBsb2FkSWQ' });
    expect(await verifies(request)).toBe('ok');
  });

  it('an empty file is one empty part; a file with no type is application/octet-stream', async () => {
    const [, created] = await call({ action: 'create', key: 'incoming/e', size: 0, type: 'image/png' });
    expect([created['partSize'], created['partCount']]).toEqual([5 * MiB, 1]);
    const [, part] = await call({
      action: 'part',
      key: 'incoming/e',
      size: 0,
      type: 'image/png',
      uploadId: 'u',
      partSize: 5 * MiB,
      partNumber: 1,
    });
    expect((part as unknown as MultipartHandlerResponse).request.headers).toEqual({ 'content-length': '0' });
    const [status] = await call(
      { action: 'create', ...file, type: 'application/octet-stream' },
      { contentTypes: undefined },
    );
    expect(status).toBe(200);
  });

  it('the part size grows for large files, and a resumed upload keeps the size it was planned with', async () => {
    const big = { key: 'incoming/big', size: 60_000 * MiB, type: 'video/mp4' };
    const [, created] = await call({ action: 'create', ...big }, { maxSize: 100_000 * MiB });
    expect(created['partSize']).toBe(Math.ceil((60_000 * MiB) / 10_000));
    expect(created['partCount']).toBe(10_000);
    // Planned with 8 MiB by an earlier deployment: still accepted.
    const [status, part] = await call({ action: 'part', ...upload, partSize: 8 * MiB, partNumber: 2 });
    expect(status).toBe(200);
    expect((part as unknown as MultipartHandlerResponse).request.headers).toEqual({
      'content-length': String(4 * MiB + 17),
    });
  });

  it('credentials from a function, authorize with the request and the upload, the clock and the expiry', async () => {
    const authorize = vi.fn(
      async (request: Request, _upload: unknown) => request.headers.get('authorization') === 'Bearer ok',
    );
    const provider = vi.fn(async () => credentials);
    const extra = { credentials: provider, authorize, expiresIn: 60, now: () => NOW + 1000 };
    const [status, answer] = await call({ action: 'part', ...upload, partNumber: 1 }, extra, {
      headers: { authorization: 'Bearer ok', 'content-type': 'application/json' },
    });
    expect(status).toBe(200);
    expect(params((answer as unknown as MultipartHandlerResponse).request.url)).toMatchObject({
      'X-Amz-Expires': '60',
      'X-Amz-Date': '20240101T100001Z',
    });
    expect(authorize.mock.calls[0]![1]).toEqual({ action: 'part', ...upload, partNumber: 1 });
    expect(provider).toHaveBeenCalledTimes(1);
    const [refused, error] = await call({ action: 'part', ...upload, partNumber: 1 }, extra);
    expect(refused).toBe(403);
    expect(error).toEqual({
      error: { code: 'ERR_MULTIPART_FORBIDDEN', message: 'expected an upload this server allows, got one it refuses' },
    });
    expect(provider).toHaveBeenCalledTimes(1); // nothing presigned
  });
});

describe('createMultipartHandler: what it refuses', () => {
  const cases: [string, unknown, number, string, string, Partial<MultipartHandlerOptions>?][] = [
    [
      'a key outside the prefix',
      { action: 'create', ...file, key: 'private/x.mp4' },
      403,
      'ERR_MULTIPART_FORBIDDEN',
      '"key" expected a key starting with "incoming/", got "private/x.mp4"',
    ],
    [
      'a key outside the prefix, for a part',
      { action: 'part', ...upload, key: 'incoming', partNumber: 1 },
      403,
      'ERR_MULTIPART_FORBIDDEN',
      '"key" expected a key starting with "incoming/", got "incoming"',
    ],
    [
      'a ".." segment',
      { action: 'create', ...file, key: 'incoming/../private/x' },
      400,
      'ERR_MULTIPART_INVALID',
      '"key" expected a key without control characters or "." and ".." segments, got "incoming/../private/x"',
    ],
    [
      'a "." segment',
      { action: 'create', ...file, key: 'incoming/./x' },
      400,
      'ERR_MULTIPART_INVALID',
      '"key" expected a key without control characters or "." and ".." segments, got "incoming/./x"',
    ],
    [
      'a control character',
      { action: 'create', ...file, key: 'incoming/a\nb' },
      400,
      'ERR_MULTIPART_INVALID',
      '"key" expected a key without control characters or "." and ".." segments, got "incoming/a\\nb"',
    ],
    [
      'a key over 1024 bytes',
      { action: 'create', ...file, key: 'incoming/' + 'ü'.repeat(508) },
      400,
      'ERR_MULTIPART_INVALID',
      `"key" expected an object key of 1 to 1024 bytes of UTF-8, got "incoming/${'ü'.repeat(71)}"… (517 characters)`,
    ],
    [
      'no key',
      { action: 'create', size: 1, type: 'video/mp4' },
      400,
      'ERR_MULTIPART_INVALID',
      '"key" expected an object key of 1 to 1024 bytes of UTF-8, got undefined',
    ],
    [
      'a file too large',
      { action: 'create', ...file, size: 64 * MiB + 1 },
      413,
      'ERR_MULTIPART_TOO_LARGE',
      '"size" expected at most 67108864 bytes, got 67108865',
    ],
    [
      'a file too large, for a part',
      { action: 'part', ...upload, size: 65 * MiB, partNumber: 1 },
      413,
      'ERR_MULTIPART_TOO_LARGE',
      '"size" expected at most 67108864 bytes, got 68157440',
    ],
    [
      'a negative size',
      { action: 'create', ...file, size: -1 },
      400,
      'ERR_MULTIPART_INVALID',
      '"size" expected a size in bytes, got -1',
    ],
    [
      'a type not allowed',
      { action: 'create', ...file, type: 'text/html' },
      415,
      'ERR_MULTIPART_TYPE',
      '"type" expected one of video/*, image/png, got "text/html"',
    ],
    [
      'a type not allowed (a prefix of an allowed one)',
      { action: 'create', ...file, type: 'image/pn' },
      415,
      'ERR_MULTIPART_TYPE',
      '"type" expected one of video/*, image/png, got "image/pn"',
    ],
    [
      'a malformed type',
      { action: 'create', ...file, type: 'video/mp4; x=1' },
      400,
      'ERR_MULTIPART_INVALID',
      '"type" expected a media type "type/subtype", got "video/mp4; x=1"',
    ],
    [
      'an unknown action',
      { ...file, action: 'delete' },
      400,
      'ERR_MULTIPART_INVALID',
      '"action" expected "create", "part", "list", "complete", "abort", got "delete"',
    ],
    [
      'not an object',
      [1],
      400,
      'ERR_MULTIPART_INVALID',
      '"body" expected a JSON object { action, key, size, type, … }, got an array',
    ],
    [
      'a part past the plan',
      { action: 'part', ...upload, partNumber: 4 },
      400,
      'ERR_MULTIPART_INVALID',
      '"partNumber" expected a part number 1..3, got 4',
    ],
    [
      'part 0',
      { action: 'part', ...upload, partNumber: 0 },
      400,
      'ERR_MULTIPART_INVALID',
      '"partNumber" expected an integer 1..10000, got 0',
    ],
    [
      'a part size S3 refuses',
      { action: 'part', ...upload, partSize: 5 * MiB - 1, partNumber: 1 },
      400,
      'ERR_MULTIPART_INVALID',
      '"partSize" expected a part size that cuts 12582929 bytes into 1 to 10000 parts of 5 MiB to 5 GiB, got 5242879',
    ],
    [
      'a part size too small for the file',
      { action: 'part', ...upload, size: 60 * MiB, partSize: 5 * MiB, partNumber: 1 },
      200,
      '',
      '',
      { maxSize: 60_000 * MiB },
    ],
    [
      'a part size that needs over 10,000 parts',
      { action: 'part', ...upload, size: 60_000 * MiB, partSize: 5 * MiB, partNumber: 1 },
      400,
      'ERR_MULTIPART_INVALID',
      '"partSize" expected a part size that cuts 62914560000 bytes into 1 to 10000 parts of 5 MiB to 5 GiB, got 5242880',
      { maxSize: 60_000 * MiB },
    ],
    [
      'no upload id',
      { action: 'abort', ...file, partSize: 5 * MiB },
      400,
      'ERR_MULTIPART_INVALID',
      '"uploadId" expected an UploadId: 1 to 1024 characters of visible ASCII, got undefined',
    ],
    [
      'an upload id with a space',
      { action: 'abort', ...upload, uploadId: 'a b' },
      400,
      'ERR_MULTIPART_INVALID',
      '"uploadId" expected an UploadId: 1 to 1024 characters of visible ASCII, got "a b"',
    ],
    [
      'a part missing from complete',
      {
        action: 'complete',
        ...upload,
        parts: [
          { partNumber: 1, etag: 'a' },
          { partNumber: 3, etag: 'c' },
        ],
      },
      400,
      'ERR_MULTIPART_INVALID',
      '"parts" expected parts 1..3, each once, got 2 parts (1, 3)',
    ],
    [
      'a part twice in complete',
      { action: 'complete', ...upload, parts: [1, 2, 2].map((partNumber) => ({ partNumber, etag: 'e' })) },
      400,
      'ERR_MULTIPART_INVALID',
      '"parts" expected parts 1..3, each once, got 3 parts (1, 2, 2)',
    ],
    [
      'a bad ETag in complete',
      { action: 'complete', ...upload, parts: [1, 2, 3].map((partNumber) => ({ partNumber, etag: 'e\n' })) },
      400,
      'ERR_MULTIPART_INVALID',
      '"parts[0].etag" expected an ETag: 1 to 1024 characters of printable ASCII, got "e\\n"',
    ],
    [
      'no parts in complete',
      { action: 'complete', ...upload },
      400,
      'ERR_MULTIPART_INVALID',
      '"parts" expected an array of { partNumber, etag }, got undefined',
    ],
    [
      'a marker past 10,000',
      { action: 'list', ...upload, partNumberMarker: 10_001 },
      400,
      'ERR_MULTIPART_INVALID',
      '"partNumberMarker" expected an integer 0..10000, got 10001',
    ],
    [
      'text that is not JSON',
      '{"action":',
      400,
      'ERR_MULTIPART_INVALID',
      'expected a JSON body, got text that does not parse',
    ],
  ];
  it.each(cases)('%s', async (_, body, status, code, message, extra) => {
    const provider = vi.fn(() => credentials);
    const [got, answer] = await call(body, { ...extra, credentials: provider });
    expect(got).toBe(status);
    if (status === 200) return;
    expect(answer).toEqual({ error: { code, message } });
    expect(provider).not.toHaveBeenCalled();
  });

  it('a method other than POST: 405 with Allow', async () => {
    const response = await createMultipartHandler(options)(new Request('http://app.test/multipart'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({
      error: { code: 'ERR_MULTIPART_METHOD', message: 'expected POST, got "GET"' },
    });
  });

  it('a body past 1 MiB is not read to its end: 413', async () => {
    const handler = createMultipartHandler(options);
    const message = `expected a JSON body of at most ${MAX_HANDLER_BODY} bytes`;
    // Declared too large, and sent too large without a length (a stream): only the first chunks are read.
    const declared = await handler(post('x'.repeat(MAX_HANDLER_BODY + 1)));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { code: 'ERR_MULTIPART_TOO_LARGE', message } });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const streamed = await handler(
      new Request('http://app.test/multipart', { method: 'POST', body: endless, duplex: 'half' } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(MAX_HANDLER_BODY / (64 * 1024) + 4);
  });

  it('a body that is not UTF-8: 400', async () => {
    const response = await createMultipartHandler(options)(
      new Request('http://app.test/multipart', { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0x7d]) }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'ERR_MULTIPART_INVALID', message: 'expected a JSON body in UTF-8, got other bytes' },
    });
  });

  it('a credentials function or authorize that throws: 500 with no detail, the error to onError', async () => {
    const onError = vi.fn();
    for (const extra of [
      { credentials: () => Promise.reject(new Error('vault down: secret=hunter2')) },
      { authorize: () => Promise.reject(new Error('db down: password=hunter2')) },
    ]) {
      const [status, answer] = await call({ action: 'create', ...file }, { ...extra, onError });
      expect(status).toBe(500);
      expect(answer).toEqual({ error: { code: 'ERR_MULTIPART_INTERNAL', message: 'could not presign this step' } });
      expect(JSON.stringify(answer)).not.toContain('hunter2');
    }
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[0]![1]).toBeInstanceOf(Request);
  });
});

describe('createMultipartHandler: options', () => {
  it.each([
    ['no options', undefined, TypeError, '"options" expected an object, got undefined'],
    ['a bad bucket', { bucket: 'A' }, TypeError, '"bucket" expected an S3 bucket name'],
    [
      'no region and no endpoint',
      { endpoint: undefined, region: undefined },
      TypeError,
      '"region" expected an AWS Region',
    ],
    [
      'bad credentials',
      { credentials: { accessKeyId: 'a' } },
      TypeError,
      '"credentials.secretAccessKey" expected a non-empty string, got undefined',
    ],
    [
      'credentials as text',
      { credentials: 'secret!' },
      TypeError,
      '"credentials" expected an object { accessKeyId, secretAccessKey, sessionToken? } or a function, got a string',
    ],
    [
      'no key prefix',
      { keyPrefix: undefined },
      TypeError,
      '"keyPrefix" expected a string without control characters ("" for any key), got undefined',
    ],
    [
      'no max size',
      { maxSize: undefined },
      RangeError,
      '"maxSize" expected an integer 0..5497558138880 (5 TiB), got undefined',
    ],
    [
      'a max size over 5 TiB',
      { maxSize: 2 ** 43 },
      RangeError,
      '"maxSize" expected an integer 0..5497558138880 (5 TiB), got 8796093022208',
    ],
    [
      'a bad type pattern',
      { contentTypes: ['video'] },
      TypeError,
      '"contentTypes[0]" expected a media type "type/subtype" or "type/*", got "video"',
    ],
    [
      'a part size under 5 MiB',
      { partSize: 1024 },
      RangeError,
      '"partSize" expected an integer 5,242,880..5,368,709,120 bytes (5 MiB to 5 GiB), got 1024',
    ],
    ['an expiry of 0', { expiresIn: 0 }, RangeError, '"expiresIn" expected an integer 1..604800, got 0'],
    ['authorize not a function', { authorize: true }, TypeError, '"authorize" expected a function, got true'],
  ])('%s', (_, extra, type, message) => {
    const make = () => createMultipartHandler((extra === undefined ? undefined : { ...options, ...extra }) as never);
    expect(make).toThrow(type);
    expect(make).toThrow(message);
    try {
      make();
    } catch (error) {
      expect((error as { code?: string }).code).toBe(INVALID_OPTION);
      expect((error as Error).message).not.toContain(credentials.secretAccessKey);
    }
  });

  it('keyPrefix "" allows any key; an AWS bucket is addressed as s3Url does', async () => {
    const [status, answer] = await call(
      { action: 'create', ...file, key: 'anywhere/x.mp4' },
      { keyPrefix: '', endpoint: undefined, region: 'eu-west-1' },
    );
    expect(status).toBe(200);
    expect((answer as unknown as MultipartHandlerResponse).request.url).toMatch(
      /^https:\/\/uploads\.s3\.eu-west-1\.amazonaws\.com\/anywhere\/x\.mp4\?/,
    );
  });
});
