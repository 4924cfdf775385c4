// verifyRequest with a body given as a stream: aws-chunked requests with the headers real clients send (minio-go:
// no content-encoding, transfer-encoding: chunked, an Authorization header with no space after its commas; boto3
// and the JavaScript SDK: unsigned chunks, a checksum trailer), the checks made before any crypto, and stream
// bodies that are not aws-chunked, checked at their end against the signed hash.

import { describe, expect, it } from 'vitest';
import {
  createChecksum,
  isSigV4Error,
  presignUrl,
  signRequest,
  verifyPresignedUrl,
  verifyRequest,
  type VerifyRequestOptions,
} from '../../src/index.js';
import { sha256Hex } from '../support/reference.js';
import { ACCESS_KEY_ID, referenceBody, SECRET } from './reference.js';
import { ascii, collect, failure, streamOf } from './support.js';

const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };
const URL_ = 'http://127.0.0.1:9000/bucket/object.bin';
const SIGNED_AT = Date.parse('2013-05-24T00:00:00Z');
const payload = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 13) & 255);
const sha256Base64 = (data: Uint8Array): string => Buffer.from(sha256Hex(data), 'hex').toString('base64');
const crc32c = (data: Uint8Array): string => {
  const c = createChecksum('CRC32C');
  c.update(data);
  return c.digest();
};

/** Signs a PUT with these headers and returns what a server receives (the Authorization header rewritten by `authorization`). */
async function received(
  headers: Record<string, string>,
  more: { authorization?: (a: string) => string; extra?: [string, string][] } = {},
) {
  const signed = await signRequest({
    url: URL_,
    method: 'PUT',
    service: 's3',
    region: 'us-east-1',
    credentials,
    signingDate: SIGNED_AT,
    headers,
  });
  const sent: [string, string][] = Object.entries(signed.headers).map(([n, v]) =>
    n === 'authorization' && more.authorization ? [n, more.authorization(v)] : [n, v],
  );
  return { signed, headers: [...sent, ...(more.extra ?? [])] };
}

const options = (headers: [string, string][], body: VerifyRequestOptions['body']): VerifyRequestOptions => ({
  url: URL_,
  method: 'PUT',
  headers,
  ...(body === undefined ? {} : { body }),
  service: 's3',
  region: 'us-east-1',
  getCredentials: (id) => (id === ACCESS_KEY_ID ? { secretAccessKey: SECRET } : undefined),
  now: SIGNED_AT,
});

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSigV4Error(error)) throw new Error(`expected a SigV4Error, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('verifyRequest: aws-chunked bodies from real clients', () => {
  it('minio-go: signed chunks, no content-encoding, no content-length, Authorization without spaces', async () => {
    const { signed, headers } = await received(
      { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '100000' },
      {
        authorization: (a) => a.replace(/, /g, ','),
        extra: [
          ['transfer-encoding', 'chunked'],
          ['user-agent', 'MinIO (linux; amd64) minio-go/v7.0.46'],
        ],
      },
    );
    expect(headers.find(([n]) => n === 'authorization')![1]).toMatch(/aws4_request,SignedHeaders=.*,Signature=/);
    const { body } = referenceBody({
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      data: payload,
      chunkSize: 65536,
      seed: signed.signature,
    });
    const verified = await verifyRequest(options(headers, streamOf(body, [1000, 70000])));
    expect(verified.payloadHash).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    expect(await collect(verified.body!)).toEqual(payload);
  });

  it('minio-go: a signed CRC32C trailer ending in \\n\\r\\n, x-amz-trailer sent as a header of its own per trailer', async () => {
    const { signed, headers } = await received({
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '100000',
      'x-amz-trailer': 'x-amz-checksum-crc32c',
    });
    const { body } = referenceBody({
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      data: payload,
      chunkSize: 65536,
      seed: signed.signature,
      trailers: [['x-amz-checksum-crc32c', crc32c(payload)]],
      minio: true,
    });
    expect(await collect((await verifyRequest(options(headers, streamOf(body)))).body!)).toEqual(payload);
  });

  it('minio-go: a zero-byte PUT (transfer-encoding: chunked, no content-length)', async () => {
    const { signed, headers } = await received(
      { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '0' },
      { extra: [['transfer-encoding', 'chunked']] },
    );
    const { body } = referenceBody({
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      data: new Uint8Array(0),
      seed: signed.signature,
    });
    expect(await collect((await verifyRequest(options(headers, streamOf(body)))).body!)).toEqual(new Uint8Array(0));
  });

  it('boto3 and the JavaScript SDK: unsigned chunks, content-encoding: aws-chunked, a CRC32 trailer', async () => {
    const crc = createChecksum('CRC32');
    crc.update(payload);
    const { headers } = await received(
      {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '100000',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'x-amz-sdk-checksum-algorithm': 'CRC32',
      },
      { extra: [['transfer-encoding', 'chunked']] },
    );
    const trailers = [['x-amz-checksum-crc32', crc.digest()]] as const;
    const { body } = referenceBody({
      mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      data: payload,
      chunkSize: 65536,
      seed: 'unused',
      trailers,
      upperHex: true,
    });
    expect(await collect((await verifyRequest(options(headers, streamOf(body, [7])))).body!)).toEqual(payload);
    // The same body altered: only the checksum can tell.
    const altered = body.slice();
    altered[70000]! ^= 1;
    expect((await failure((await verifyRequest(options(headers, streamOf(altered)))).body!)).code).toBe(
      'ERR_SIGV4_CHECKSUM_MISMATCH',
    );
  });

  it('a body given as bytes is decoded too, and checked against an x-amz-checksum-* header', async () => {
    const c = createChecksum('SHA256');
    c.update(payload);
    const { signed, headers } = await received({
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': '100000',
      'x-amz-checksum-sha256': c.digest(),
    });
    const { body } = referenceBody({
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      data: payload,
      chunkSize: 65536,
      seed: signed.signature,
    });
    expect(await collect((await verifyRequest(options(headers, body))).body!)).toEqual(payload);
    expect(await collect((await verifyRequest(options(headers, body.buffer as ArrayBuffer))).body!)).toEqual(payload);
    // A signed checksum header that the data does not match.
    const wrong = await received({
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-checksum-sha256': 'x'.repeat(43) + '=',
    });
    const rebuilt = referenceBody({
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      data: payload,
      chunkSize: 65536,
      seed: wrong.signed.signature,
    });
    expect(await failure((await verifyRequest(options(wrong.headers, rebuilt.body))).body!)).toMatchObject({
      code: 'ERR_SIGV4_CHECKSUM_MISMATCH',
      message: `the x-amz-checksum-sha256 header expected the body's SHA256, ${sha256Base64(payload)}, got "${'x'.repeat(43)}="`,
    });
  });

  it('a request that does not verify never touches the body', async () => {
    const { headers } = await received({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    const source = streamOf(ascii('0;chunk-signature=' + '0'.repeat(64) + '\r\n\r\n'));
    const bad = headers.map(([n, v]): [string, string] => [
      n,
      n === 'authorization' ? v.replace(/.$/, v.endsWith('0') ? '1' : '0') : v,
    ]);
    expect((await rejection(verifyRequest(options(bad, source)))).code).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
    expect(source.locked).toBe(false);
  });

  it('refuses before any crypto: an unknown STREAMING- value, a malformed decoded length or x-amz-trailer', async () => {
    const lookups: string[] = [];
    const body = streamOf(ascii('0\r\n\r\n'));
    const check = async (headers: Record<string, string>, code: string, message: string) => {
      const { headers: sent } = await received(headers);
      const e = await rejection(
        verifyRequest({ ...options(sent, body), getCredentials: (id) => void lookups.push(id) }),
      );
      expect(e).toEqual({ code, message });
    };
    await check(
      { 'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD' },
      'ERR_SIGV4_PAYLOAD_HASH',
      'the x-amz-content-sha256 header expected STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER for an aws-chunked body, got "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"',
    );
    await check(
      { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '-5' },
      'ERR_SIGV4_MALFORMED',
      'the x-amz-decoded-content-length header expected a number of bytes, got "-5"',
    );
    await check(
      {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-trailer': 'x-amz-checksum-crc32, x-amz-checksum-crc32',
      },
      'ERR_SIGV4_MALFORMED',
      'the x-amz-trailer header expected header names, each once, got "x-amz-checksum-crc32, x-amz-checksum-crc32"',
    );
    expect(lookups).toEqual([]);
  });

  it('maxChunkSize: signed chunks over it are refused; the option is checked', async () => {
    const { signed, headers } = await received({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    const { body } = referenceBody({
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      data: payload,
      chunkSize: 65536,
      seed: signed.signature,
    });
    const verified = await verifyRequest({ ...options(headers, streamOf(body)), maxChunkSize: 65535 });
    expect(await failure(verified.body!)).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_FRAMING',
      message: 'chunk 1 expected at most 65535 bytes (maxChunkSize), got a size of 65536',
    });
    for (const bad of [0, 1.5, 2 ** 30 + 1, '64'])
      await expect(verifyRequest({ ...options(headers, body), maxChunkSize: bad as number })).rejects.toMatchObject({
        name: 'RangeError',
        code: 'ERR_SIGV4_INVALID_OPTION',
        message: `"maxChunkSize" expected an integer from 1 to 2^30 (bytes), got ${typeof bad === 'string' ? `"${bad}"` : bad}`,
      });
  });
});

describe('verifyRequest and verifyPresignedUrl: a stream body that is not aws-chunked', () => {
  it('a signed SHA-256: the bytes pass unchanged, and a body that differs errors at its end', async () => {
    const hash = sha256Hex(payload);
    const { headers } = await received({ 'x-amz-content-sha256': hash });
    const verified = await verifyRequest(options(headers, streamOf(payload, [5000])));
    expect(await collect(verified.body!)).toEqual(payload);
    const other = payload.slice();
    other[99_999]! ^= 1;
    const f = await failure((await verifyRequest(options(headers, streamOf(other, [5000])))).body!);
    expect(f).toEqual({
      code: 'ERR_SIGV4_PAYLOAD_HASH',
      message: `the body's SHA-256 ${sha256Hex(other)} does not match the signed x-amz-content-sha256 ${hash}`,
      before: other,
    });
  });

  it('UNSIGNED-PAYLOAD: the stream itself, or checked against an x-amz-checksum-* header', async () => {
    const { headers } = await received({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    const source = streamOf(payload);
    expect((await verifyRequest(options(headers, source))).body).toBe(source);
    const { headers: withChecksum } = await received({
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-checksum-crc32c': crc32c(payload),
    });
    expect(await collect((await verifyRequest(options(withChecksum, streamOf(payload)))).body!)).toEqual(payload);
    const f = await failure((await verifyRequest(options(withChecksum, streamOf(payload.subarray(1))))).body!);
    expect(f.code).toBe('ERR_SIGV4_CHECKSUM_MISMATCH');
  });

  it('no x-amz-content-sha256 header: refused unless the server gives the hash, or the URL is a presigned S3 one', async () => {
    const signed = await signRequest({
      url: URL_,
      method: 'PUT',
      service: 'execute-api',
      region: 'us-east-1',
      credentials,
      signingDate: SIGNED_AT,
      body: payload,
    });
    const base = { ...options(Object.entries(signed.headers), streamOf(payload)), service: 'execute-api' };
    expect(await rejection(verifyRequest(base))).toEqual({
      code: 'ERR_SIGV4_PAYLOAD_HASH',
      message:
        'the request expected an x-amz-content-sha256 header with a stream body (its signature covers the hash of the whole body), got none: pass the body as bytes',
    });
    const withHash = await verifyRequest({ ...base, payloadHash: sha256Hex(payload) });
    expect(await collect(withHash.body!)).toEqual(payload);
    const { url } = await presignUrl({
      url: URL_,
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate: SIGNED_AT,
    });
    const source = streamOf(payload);
    const presigned = await verifyPresignedUrl({ ...options([], source), url });
    expect(presigned.payloadHash).toBe('UNSIGNED-PAYLOAD');
    expect(presigned.body).toBe(source);
  });

  it('no body, or a body given as bytes: body is undefined (bytes were checked before the result)', async () => {
    const { headers } = await received({ 'x-amz-content-sha256': sha256Hex(payload) });
    expect((await verifyRequest(options(headers, payload))).body).toBeUndefined();
    expect((await verifyRequest({ ...options(headers, undefined) })).body).toBeUndefined();
  });

  it('the body option names what it takes', async () => {
    await expect(verifyRequest(options([], 42 as never))).rejects.toMatchObject({
      name: 'TypeError',
      message: '"body" expected a string, Uint8Array, ArrayBuffer or ReadableStream, got 42',
    });
  });
});
