// The presigned steps of a multipart upload (src/multipart/presign.ts):
//   - each step's method, path and operation parameters are what the AWS SDK for JavaScript v3 presigns for the
//     same command (run here; its own extra parameters, x-id and checksums, set aside);
//   - each URL verifies (verifyPresignedUrl) as the step it is, and only as that: another part number, another
//     upload, a parameter removed or added, another method, another Content-Length: the signature fails. The part
//     number and the upload id are signed query parameters (test/e2e/multipart.e2e.ts shows S3, here Swift, refuse
//     them too).

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INVALID_OPTION,
  isSigV4Error,
  presignAbortMultipartUpload,
  presignCompleteMultipartUpload,
  presignCreateMultipartUpload,
  presignListParts,
  presignUploadPart,
  verifyPresignedUrl,
  type MultipartTarget,
  type PresignedUrl,
} from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2024-01-01T10:00:00Z');
const target: MultipartTarget = {
  bucket: 'examplebucket',
  key: 'videos/a b+c?#%.mp4',
  region: 'eu-west-1',
  credentials,
  signingDate,
  expiresIn: 900,
};
const sdk = new S3Client({ region: 'eu-west-1', credentials });

/** The query parameters of a URL, as written, without the signer's and the SDK's own. */
const operationParams = (url: string): string[] =>
  url
    .slice(url.indexOf('?') + 1)
    .split('&')
    .filter((p) => !/^(?:X-Amz-|x-id=|x-amz-checksum-|x-amz-sdk-checksum-)/.test(p))
    .sort();
const path = (url: string): string => url.slice(0, url.indexOf('?'));

/** Verifies a presigned URL as received with this method and these headers; the error code, or 'ok'. */
async function verify(url: string, method: string, headers: Record<string, string> = {}): Promise<string> {
  try {
    await verifyPresignedUrl({
      url,
      method,
      headers,
      service: 's3',
      region: 'eu-west-1',
      now: signingDate,
      getCredentials: (id) => (id === credentials.accessKeyId ? credentials : undefined),
    });
    return 'ok';
  } catch (error) {
    if (isSigV4Error(error)) return error.code;
    throw error;
  }
}

describe('multipart presigners: the same operation as the AWS SDK presigns', () => {
  const cases: [string, () => Promise<PresignedUrl>, string, () => Promise<string>][] = [
    [
      'CreateMultipartUpload',
      () => presignCreateMultipartUpload({ ...target, contentType: 'video/mp4' }),
      'POST',
      () =>
        getSignedUrl(
          sdk,
          new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, ContentType: 'video/mp4' }),
          { signingDate },
        ),
    ],
    [
      'UploadPart',
      () => presignUploadPart({ ...target, uploadId: 'VXBsb2Fk+/=._-~', partNumber: 3, contentLength: 5242880 }),
      'PUT',
      () =>
        getSignedUrl(
          sdk,
          new UploadPartCommand({
            Bucket: target.bucket,
            Key: target.key,
            UploadId: 'VXBsb2Fk+/=._-~',
            PartNumber: 3,
            ContentLength: 5242880,
          }),
          {
            signingDate,
          },
        ),
    ],
    [
      'ListParts',
      () => presignListParts({ ...target, uploadId: 'u1', partNumberMarker: 1000, maxParts: 500 }),
      'GET',
      () =>
        getSignedUrl(
          sdk,
          new ListPartsCommand({
            Bucket: target.bucket,
            Key: target.key,
            UploadId: 'u1',
            PartNumberMarker: '1000',
            MaxParts: 500,
          }),
          { signingDate },
        ),
    ],
    [
      'CompleteMultipartUpload',
      () => presignCompleteMultipartUpload({ ...target, uploadId: 'u1' }),
      'POST',
      () =>
        getSignedUrl(
          sdk,
          new CompleteMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: 'u1' }),
          { signingDate },
        ),
    ],
    [
      'AbortMultipartUpload',
      () => presignAbortMultipartUpload({ ...target, uploadId: 'u1' }),
      'DELETE',
      () =>
        getSignedUrl(sdk, new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: 'u1' }), {
          signingDate,
        }),
    ],
  ];
  it.each(cases)('%s', async (_, ours, method, theirs) => {
    const presigned = await ours();
    const url = await theirs();
    expect(presigned.method).toBe(method);
    expect(path(presigned.url)).toBe(path(url));
    expect(operationParams(presigned.url)).toEqual(operationParams(url));
    expect(presigned.expiresAt).toEqual(new Date(signingDate.getTime() + 900_000));
    expect(await verify(presigned.url, method, presigned.headers)).toBe('ok');
  });
});

describe('multipart presigners: what each URL is signed for', () => {
  it('CreateMultipartUpload signs the content type', async () => {
    const create = await presignCreateMultipartUpload({
      ...target,
      contentType: 'video/mp4',
      headers: { 'x-amz-meta-owner': 'alice' },
    });
    expect(operationParams(create.url)).toEqual(['uploads=']);
    expect(create.signedHeaders).toEqual(['content-type', 'host', 'x-amz-meta-owner']);
    expect(create.headers).toEqual({ 'content-type': 'video/mp4', 'x-amz-meta-owner': 'alice' });
    expect(await verify(create.url, 'POST', create.headers)).toBe('ok');
    expect(await verify(create.url, 'POST', { ...create.headers, 'content-type': 'text/html' })).toBe(
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    expect(await verify(create.url, 'PUT', create.headers)).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
    const bare = await presignCreateMultipartUpload(target);
    expect(bare.signedHeaders).toEqual(['host']);
  });

  it('a part URL works for its own part number, upload and size only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.stringMatching(/^[\x21-\x7e]{1,60}$/),
        fc.stringMatching(/^[\x21-\x7e]{1,60}$/),
        fc.integer({ min: 0, max: 5 * 1024 ** 3 }),
        async (partNumber, otherNumber, uploadId, otherId, contentLength) => {
          const part = await presignUploadPart({ ...target, uploadId, partNumber, contentLength });
          expect(part.method).toBe('PUT');
          expect(part.signedHeaders).toEqual(['content-length', 'host']);
          expect(part.headers).toEqual({ 'content-length': String(contentLength) });
          const query = new URL(part.url).searchParams;
          expect(query.get('partNumber')).toBe(String(partNumber));
          expect(query.get('uploadId')).toBe(uploadId);
          expect(await verify(part.url, 'PUT', part.headers)).toBe('ok');

          const withParam = (name: string, value: string | null): string => {
            const [base, search] = part.url.split('?') as [string, string];
            const params = search.split('&').filter((p) => !p.startsWith(`${name}=`));
            if (value !== null) params.push(`${name}=${encodeURIComponent(value)}`);
            return `${base}?${params.join('&')}`;
          };
          const mismatch = 'ERR_SIGV4_SIGNATURE_MISMATCH';
          if (otherNumber !== partNumber)
            expect(await verify(withParam('partNumber', String(otherNumber)), 'PUT', part.headers)).toBe(mismatch);
          if (otherId !== uploadId)
            expect(await verify(withParam('uploadId', otherId), 'PUT', part.headers)).toBe(mismatch);
          expect(await verify(withParam('partNumber', null), 'PUT', part.headers)).toBe(mismatch);
          expect(await verify(withParam('uploadId', null), 'PUT', part.headers)).toBe(mismatch);
          expect(await verify(`${part.url}&uploads=`, 'PUT', part.headers)).toBe(mismatch);
          expect(await verify(part.url, 'PUT', { 'content-length': String(contentLength + 1) })).toBe(mismatch);
          expect(await verify(part.url, 'POST', part.headers)).toBe(mismatch);
        },
      ),
      { seed: 0x18c1, numRuns: 60 },
    );
  });

  it('a part URL without contentLength signs the host alone', async () => {
    const part = await presignUploadPart({ ...target, uploadId: 'u', partNumber: 1 });
    expect(part.signedHeaders).toEqual(['host']);
    expect(part.headers).toEqual({});
  });

  it('ListParts, Complete and Abort name their upload, signed', async () => {
    for (const [presign, method] of [
      [presignListParts, 'GET'],
      [presignCompleteMultipartUpload, 'POST'],
      [presignAbortMultipartUpload, 'DELETE'],
    ] as const) {
      const presigned = await presign({ ...target, uploadId: 'abc' });
      expect(presigned.method).toBe(method);
      expect(operationParams(presigned.url)).toEqual(['uploadId=abc']);
      expect(await verify(presigned.url, method)).toBe('ok');
      expect(await verify(presigned.url.replace('uploadId=abc', 'uploadId=abd'), method)).toBe(
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      );
    }
  });

  it('the key is data: a key with "?", "#", "%" and "+" adds no parameter', async () => {
    const part = await presignUploadPart({
      ...target,
      key: 'a?partNumber=9&uploadId=x#y%z+',
      uploadId: 'u',
      partNumber: 1,
    });
    expect(path(part.url)).toBe(
      'https://examplebucket.s3.eu-west-1.amazonaws.com/a%3FpartNumber%3D9%26uploadId%3Dx%23y%25z%2B',
    );
    expect(operationParams(part.url)).toEqual(['partNumber=1', 'uploadId=u']);
  });
});

describe('multipart presigners: refused before anything is signed', () => {
  it.each([
    [
      'no key',
      () => presignCompleteMultipartUpload({ ...target, key: undefined as never, uploadId: 'u' }),
      TypeError,
      '"key" expected the object key (a string), got undefined',
    ],
    [
      'options not an object',
      () => presignAbortMultipartUpload(null as never),
      TypeError,
      '"options" expected an object, got null',
    ],
    [
      'an empty upload id',
      () => presignAbortMultipartUpload({ ...target, uploadId: '' }),
      TypeError,
      '"uploadId" expected an UploadId: 1 to 1024 characters of visible ASCII, got ""',
    ],
    [
      'an upload id with a space',
      () => presignListParts({ ...target, uploadId: 'a b' }),
      TypeError,
      '"uploadId" expected an UploadId: 1 to 1024 characters of visible ASCII, got "a b"',
    ],
    [
      'part 0',
      () => presignUploadPart({ ...target, uploadId: 'u', partNumber: 0 }),
      RangeError,
      '"partNumber" expected an integer 1..10000, got 0',
    ],
    [
      'part 10,001',
      () => presignUploadPart({ ...target, uploadId: 'u', partNumber: 10_001 }),
      RangeError,
      '"partNumber" expected an integer 1..10000, got 10001',
    ],
    [
      'part "1"',
      () => presignUploadPart({ ...target, uploadId: 'u', partNumber: '1' as never }),
      TypeError,
      '"partNumber" expected an integer 1..10000, got "1"',
    ],
    [
      'a part over 5 GiB',
      () => presignUploadPart({ ...target, uploadId: 'u', partNumber: 1, contentLength: 5 * 1024 ** 3 + 1 }),
      RangeError,
      '"contentLength" expected an integer 0..5368709120, got 5368709121',
    ],
    [
      'max-parts 1001',
      () => presignListParts({ ...target, uploadId: 'u', maxParts: 1001 }),
      RangeError,
      '"maxParts" expected an integer 1..1000, got 1001',
    ],
    [
      'a marker of -1',
      () => presignListParts({ ...target, uploadId: 'u', partNumberMarker: -1 }),
      RangeError,
      '"partNumberMarker" expected an integer 0..10000, got -1',
    ],
    [
      'an empty content type',
      () => presignCreateMultipartUpload({ ...target, contentType: '' }),
      TypeError,
      '"contentType" expected a non-empty string such as "video/mp4", got ""',
    ],
    [
      'two content types',
      () => presignCreateMultipartUpload({ ...target, contentType: 'a/b', headers: { 'Content-Type': 'c/d' } }),
      TypeError,
      '"headers" expected no content-type with "contentType", got both',
    ],
    [
      'a bad bucket',
      () => presignUploadPart({ ...target, bucket: 'A', uploadId: 'u', partNumber: 1 }),
      TypeError,
      '"bucket" expected an S3 bucket name',
    ],
    [
      'a bad expiry',
      () => presignUploadPart({ ...target, uploadId: 'u', partNumber: 1, expiresIn: 0 }),
      RangeError,
      '"expiresIn" expected',
    ],
  ])('%s', async (_, call, type, message) => {
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(message);
    expect((error as { code?: string }).code).toBe(INVALID_OPTION);
  });
});
