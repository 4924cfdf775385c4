// awsChunkedHeaders and createAwsChunkedEncoder: their options checked before anything runs, a body that does not
// have its declared length refused while it streams, the signing key looked up once per body, and a cancelled
// upload that leaves nothing behind.

import { describe, expect, it } from 'vitest';
import {
  awsChunkedHeaders,
  createAwsChunkedEncoder,
  isSigV4Error,
  signRequest,
  type AwsChunkedHeadersOptions,
  type SigningKeyCache,
} from '../../src/index.js';
import { decodeAwsChunked } from '../../src/stream/decode.js';
import { chunkSigningKey } from '../../src/stream/chunk-signature.js';
import { collect, streamOf, text } from './support.js';

const credentials = { accessKeyId: 'AKIDENCODEEXAMPLE', secretAccessKey: 'encode/secret+EXAMPLE' };
const URL_ = 'https://bucket.s3.us-east-1.amazonaws.com/key';
const payload = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) & 255);

const sign = (headers: Record<string, string>) =>
  signRequest({ url: URL_, method: 'PUT', service: 's3', region: 'us-east-1', credentials, signingDate: 0, headers });

const optionError = (f: () => unknown): { name: string; message: string; code: unknown } => {
  try {
    f();
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message, code: (e as { code?: unknown }).code };
  }
  throw new Error('expected an option error');
};

describe('awsChunkedHeaders', () => {
  it('the headers of each payload hash, with and without a known length', () => {
    expect(
      awsChunkedHeaders({ payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', checksumAlgorithm: 'CRC64NVME' }),
    ).toEqual({
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc64nvme',
    });
    expect(
      awsChunkedHeaders({
        payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        decodedLength: 0,
        checksumAlgorithm: 'SHA256',
      }),
    ).toEqual({
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-sha256',
      'x-amz-decoded-content-length': '0',
      // 0;chunk-signature=<64>\r\n, x-amz-checksum-sha256:<44>\r\n, x-amz-trailer-signature:<64>\r\n, \r\n
      'content-length': String(84 + 68 + 90 + 2),
    });
  });

  it('its content-length is the length of what the encoder sends, for every mode, checksum and chunk size', async () => {
    for (const payloadHash of [
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    ] as const) {
      for (const checksumAlgorithm of payloadHash.endsWith('TRAILER')
        ? ([undefined, 'CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)
        : [undefined]) {
        for (const [length, chunkSize] of [
          [0, 8192],
          [1, 8192],
          [8192, 8192],
          [8193, 8192],
          [200_000, 65536],
          [131072, 65536],
          [100, 1 << 20],
        ]) {
          const headers = awsChunkedHeaders({
            payloadHash,
            decodedLength: length!,
            chunkSize: chunkSize!,
            ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
          });
          const signed = await sign(headers);
          const body = await collect(
            streamOf(payload.subarray(0, length)).pipeThrough(
              createAwsChunkedEncoder({ signed, credentials, chunkSize: chunkSize! }),
            ),
          );
          expect(String(body.length), `${payloadHash} ${checksumAlgorithm} ${length}/${chunkSize}`).toBe(
            headers['content-length'],
          );
        }
      }
    }
  });

  it('refuses bad options with an option error', () => {
    const base: AwsChunkedHeadersOptions = { payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' };
    const cases: [Partial<Record<keyof AwsChunkedHeadersOptions, unknown>>, string, string][] = [
      [
        { payloadHash: 'UNSIGNED-PAYLOAD' },
        'TypeError',
        '"payloadHash" expected "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", or "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", or "STREAMING-UNSIGNED-PAYLOAD-TRAILER", got "UNSIGNED-PAYLOAD"',
      ],
      [{ chunkSize: 8191 }, 'RangeError', '"chunkSize" expected an integer from 8192 to 1048576 (bytes), got 8191'],
      [
        { chunkSize: 1048577 },
        'RangeError',
        '"chunkSize" expected an integer from 8192 to 1048576 (bytes), got 1048577',
      ],
      [{ chunkSize: 9000.5 }, 'RangeError', '"chunkSize" expected an integer from 8192 to 1048576 (bytes), got 9000.5'],
      [{ decodedLength: -1 }, 'RangeError', '"decodedLength" expected an integer from 0 (bytes), got -1'],
      [{ decodedLength: '10' }, 'RangeError', '"decodedLength" expected an integer from 0 (bytes), got "10"'],
      [
        { decodedLength: 2 ** 53 },
        'RangeError',
        '"decodedLength" expected an integer from 0 (bytes), got 9007199254740992',
      ],
      [
        { checksumAlgorithm: 'MD5' },
        'TypeError',
        '"checksumAlgorithm" expected CRC32, CRC32C, CRC64NVME, SHA1, SHA256, got "MD5"',
      ],
      [
        { checksumAlgorithm: 'CRC32' },
        'TypeError',
        '"checksumAlgorithm" expected a payload hash with a trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or STREAMING-UNSIGNED-PAYLOAD-TRAILER), got STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      ],
    ];
    for (const [options, name, message] of cases) {
      expect(optionError(() => awsChunkedHeaders({ ...base, ...options } as AwsChunkedHeadersOptions))).toEqual({
        name,
        message,
        code: 'ERR_SIGV4_INVALID_OPTION',
      });
    }
    expect(optionError(() => awsChunkedHeaders(null as never)).message).toBe('"options" expected an object, got null');
  });
});

describe('createAwsChunkedEncoder', () => {
  it('refuses what cannot give the signed request: checked before anything runs', async () => {
    const headers = awsChunkedHeaders({ payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', decodedLength: 100 });
    const signed = await sign(headers);
    const check = (options: unknown, name: string, message: string) =>
      expect(optionError(() => createAwsChunkedEncoder(options as never))).toEqual({
        name,
        message,
        code: 'ERR_SIGV4_INVALID_OPTION',
      });
    check(
      { signed: undefined },
      'TypeError',
      '"signed" expected the signed request ({ headers, signature, amzDate, credentialScope }), got undefined',
    );
    check(
      { signed: { ...signed, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, credentials },
      'TypeError',
      '"signed.headers["x-amz-content-sha256"]" expected "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", or "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", or "STREAMING-UNSIGNED-PAYLOAD-TRAILER", got "UNSIGNED-PAYLOAD"',
    );
    const long = await sign(
      awsChunkedHeaders({ payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', decodedLength: 100_000 }),
    );
    // 65536 + 34464 bytes: 88 + 65536 + 2, 87 + 34464 + 2, the final 84, 2.
    expect(long.headers['content-length']).toBe('100265');
    check(
      { signed: long, credentials, chunkSize: 16384 },
      'RangeError',
      '"chunkSize" expected the chunk size the signed content-length ("100265") was computed with, got "16384, which gives 100708"',
    );
    check(
      { signed },
      'TypeError',
      '"credentials" expected an object { accessKeyId, secretAccessKey, sessionToken? }, got undefined',
    );
    check(
      { signed, credentials: { ...credentials, accessKeyId: 'AKIDOTHER' } },
      'TypeError',
      '"credentials" expected the credentials the request was signed with, got another access key id',
    );
    check(
      { signed: { ...signed, signature: 'abc' }, credentials },
      'TypeError',
      '"signed.signature" expected the seed signature (64 lowercase hex digits), got "abc"',
    );
    check(
      { signed: { ...signed, credentialScope: '20200101/us-east-1/s3/aws4_request' }, credentials },
      'TypeError',
      '"signed.credentialScope" expected 19700101/<region>/<service>/aws4_request, got "20200101/us-east-1/s3/aws4_request"',
    );
    const unsigned = await sign(
      awsChunkedHeaders({ payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', decodedLength: 100 }),
    );
    check(
      { signed: { ...unsigned, headers: { ...unsigned.headers, 'x-amz-trailer': 'x-amz-meta-note' } } },
      'TypeError',
      '"signed.headers["x-amz-trailer"]" expected one x-amz-checksum-… header name, with a …-TRAILER payload hash (the encoder sends checksums only), got "x-amz-meta-note"',
    );
    // Unsigned chunks need no credentials.
    expect(
      text(
        await collect(streamOf(payload.subarray(0, 100)).pipeThrough(createAwsChunkedEncoder({ signed: unsigned }))),
      ),
    ).toMatch(/^64\r\n[^]{100}\r\n0\r\n\r\n$/);
  });

  it('a body longer or shorter than x-amz-decoded-content-length errors the stream: ERR_SIGV4_LENGTH_MISMATCH', async () => {
    const signed = await sign(
      awsChunkedHeaders({ payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', decodedLength: 100_000 }),
    );
    for (const [length, message] of [
      [100_001, 'the body expected 100000 bytes (x-amz-decoded-content-length), got more'],
      [99_999, 'the body expected 100000 bytes (x-amz-decoded-content-length), got 99999'],
    ] as const) {
      const error = await collect(
        streamOf(payload.subarray(0, length), [50_000]).pipeThrough(createAwsChunkedEncoder({ signed, credentials })),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSigV4Error(error)).toBe(true);
      expect(error).toMatchObject({ code: 'ERR_SIGV4_LENGTH_MISMATCH', message });
    }
    const notBytes = await collect(
      streamOf(payload.subarray(0, 10))
        .pipeThrough(new TransformStream({ transform: (_, c) => c.enqueue('text') }))
        .pipeThrough(createAwsChunkedEncoder({ signed, credentials })),
    ).catch((e: unknown) => e);
    expect(notBytes).toMatchObject({ name: 'TypeError', message: '"body part" expected a Uint8Array, got "text"' });
  });

  it('looks the signing key up once per body, from the cache it is given, whatever the number of chunks', async () => {
    const signed = await sign(
      awsChunkedHeaders({
        payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        decodedLength: payload.length,
        chunkSize: 8192,
      }),
    );
    let lookups = 0;
    let derived = 0;
    const cache = {
      get: () => Promise.reject(new Error('unused')),
      [Symbol.for('sigv4.SigningKeyCache.lookup')]: (
        _id: string,
        _secret: string,
        derive: (forget: () => void) => unknown,
      ) => {
        lookups++;
        derived++;
        return derive(() => {});
      },
    } as unknown as SigningKeyCache;
    const body = await collect(
      streamOf(payload).pipeThrough(createAwsChunkedEncoder({ signed, credentials, chunkSize: 8192, cache })),
    );
    expect(text(body).match(/chunk-signature=/g)).toHaveLength(Math.ceil(payload.length / 8192) + 1);
    expect({ lookups, derived }).toEqual({ lookups: 1, derived: 1 });
    // And what it signed verifies with a key derived apart.
    const decoded = await collect(
      decodeAwsChunked(streamOf(body), {
        payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        key: chunkSigningKey(credentials, '19700101', 'us-east-1', 's3', false),
        seedSignature: signed.signature,
        amzDate: signed.amzDate,
        credentialScope: signed.credentialScope,
        trailers: [],
        decodedLength: payload.length,
        checksumHeaders: [],
        maxChunkSize: 8192,
      }),
    );
    expect(decoded).toEqual(payload);
  });

  it('frames each chunk in one piece, the final chunk and trailer in another, whatever pieces come in', async () => {
    const signed = await sign(
      awsChunkedHeaders({
        payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        decodedLength: 20000,
        checksumAlgorithm: 'CRC32',
        chunkSize: 8192,
      }),
    );
    const cuts = Array.from({ length: 40 }, (_, i) => i * 500 + 3);
    const reader = streamOf(payload.subarray(0, 20000), cuts)
      .pipeThrough(createAwsChunkedEncoder({ signed, chunkSize: 8192 }))
      .getReader();
    const pieces: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(text(r.value).slice(0, 6));
    expect(pieces).toEqual(['2000\r\n', '2000\r\n', 'e20\r\n' + String.fromCharCode(payload[16384]!), '0\r\nx-a']);
  });

  it('an upload cancelled midway: no unhandled rejection, the body source cancelled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const signed = await sign(
        awsChunkedHeaders({ payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', checksumAlgorithm: 'CRC32C' }),
      );
      let cancelled: unknown;
      let sent = 0;
      const source = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(payload.subarray(0, 30000));
          sent++;
        },
        cancel(reason) {
          cancelled = reason;
        },
      });
      const reader = source.pipeThrough(createAwsChunkedEncoder({ signed, credentials })).getReader();
      expect(text((await reader.read()).value!)).toMatch(/^10000;chunk-signature=[0-9a-f]{64}\r\n/);
      await reader.cancel('aborted');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(cancelled).toBe('aborted');
      expect(sent).toBeLessThan(10);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
