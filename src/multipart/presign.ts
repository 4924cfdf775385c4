// Presigned URLs for each step of an S3 multipart upload of one object (Amazon S3 API Reference:
// CreateMultipartUpload, UploadPart, ListParts, CompleteMultipartUpload, AbortMultipartUpload), so that a holder
// without credentials (a browser) can run the upload. The bucket and the key are data (s3Url); the operation's
// parameters (`uploads`, `partNumber`, `uploadId`, …) are signed query parameters, so a URL works for its own step,
// part and upload only.

import type { Credentials } from '../core/credentials.js';
import { describe, invalidType, optionError } from '../core/errors.js';
import type { SigningKeyCache } from '../core/key-cache.js';
import { forEachPair, type HeadersInput } from '../core/pairs.js';
import { s3Url, type S3UrlOptions } from '../s3/url.js';
import { presignUrl } from '../sign/presign.js';
import type { PresignedUrl } from '../sign/types.js';
import { MAX_PART_SIZE, MAX_PARTS } from './plan.js';

/** The object of a multipart upload and how to sign for it: what every multipart presign function takes. */
export interface MultipartTarget extends S3UrlOptions {
  /** The object key, as data (see `s3Url`). */
  readonly key: string;
  /** The region in the credential scope; with no `endpoint`, it also names the AWS host. */
  readonly region: string;
  /** The signer's credentials: they stay on the server, only the URL leaves it. */
  readonly credentials: Credentials;
  /** Seconds this URL stays valid: an integer from 1 to 604800 (7 days). Default 3600. */
  readonly expiresIn?: number;
  /** The signing time. Default: now. */
  readonly signingDate?: Date | number | string;
  /** Signing key cache. Default: the shared one; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
}

/** Options of {@link presignCreateMultipartUpload}. */
export interface CreateMultipartUploadOptions extends MultipartTarget {
  /** The object's `Content-Type`, signed: the holder must send this header with this value. */
  readonly contentType?: string;
  /** More headers to sign (`x-amz-meta-*`, `x-amz-storage-class`, …): the holder must send them as signed. */
  readonly headers?: HeadersInput;
}

/** What the steps after CreateMultipartUpload take: the upload they belong to. */
export interface MultipartUploadIdOptions extends MultipartTarget {
  /** The `UploadId` CreateMultipartUpload answered with. */
  readonly uploadId: string;
}

/** Options of {@link presignUploadPart}. */
export interface UploadPartOptions extends MultipartUploadIdOptions {
  /** The part number, 1 to 10,000. */
  readonly partNumber: number;
  /**
   * The part's exact size in bytes, signed as its `Content-Length` (0 to 5 GiB): the URL then uploads that many
   * bytes or none. Browsers send the header themselves from the body. Default: not signed, any size.
   */
  readonly contentLength?: number;
}

/** Options of {@link presignListParts}. */
export interface ListPartsOptions extends MultipartUploadIdOptions {
  /** List the parts after this part number (`part-number-marker`, from the previous page's `NextPartNumberMarker`). */
  readonly partNumberMarker?: number;
  /** The most parts in one answer, 1 to 1000 (`max-parts`). Default: S3's, 1000. */
  readonly maxParts?: number;
}

// An UploadId: opaque visible ASCII (S3's are URL-safe Base64 with "." and "_"). Linear: one class, anchored.
export const UPLOAD_ID: RegExp = /^[\x21-\x7e]{1,1024}$/;

function checkUploadId(value: unknown): string {
  if (typeof value !== 'string' || !UPLOAD_ID.test(value))
    invalidType('uploadId', 'an UploadId: 1 to 1024 characters of visible ASCII', value);
  return value as string;
}

/** An integer option in min..max. */
function checkCount(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    optionError(`"${name}" expected an integer ${min}..${max}, got ${describe(value)}`, typeof value === 'number');
  return value as number;
}

/** Presigns one step: `s3Url` for the object, the step's query parameters and headers, S3's rules. */
function presignStep(
  options: MultipartTarget,
  method: string,
  query: Readonly<Record<string, string>>,
  headers?: HeadersInput,
): Promise<PresignedUrl> {
  const { region, credentials, expiresIn, signingDate, cache } = options;
  return presignUrl({
    url: s3Url(options),
    method,
    service: 's3',
    region,
    credentials,
    query,
    ...(headers === undefined ? {} : { headers }),
    ...(expiresIn === undefined ? {} : { expiresIn }),
    ...(signingDate === undefined ? {} : { signingDate }),
    ...(cache === undefined ? {} : { cache }),
  });
}

function checkTarget(options: unknown): asserts options is MultipartTarget {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { key } = options as { key?: unknown };
  // s3Url would take a missing key for the bucket's own URL: a multipart step always names an object.
  if (key === undefined) invalidType('key', 'the object key (a string)', key);
}

/**
 * Presigns CreateMultipartUpload (`POST /key?uploads`): its answer's XML holds the `UploadId` of the new upload.
 * With `contentType`, the object's `Content-Type` is signed, and the holder must send that header.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, before any crypto.
 * @example
 * const create = await presignCreateMultipartUpload({
 *   bucket: 'videos', key: 'uploads/talk.mp4', region: 'eu-west-1', credentials, contentType: 'video/mp4',
 * });
 * // fetch(create.url, { method: 'POST', headers: create.headers }) → <UploadId>…</UploadId>
 */
export async function presignCreateMultipartUpload(options: CreateMultipartUploadOptions): Promise<PresignedUrl> {
  checkTarget(options);
  const { contentType, headers } = options;
  if (contentType === undefined) return presignStep(options, 'POST', { uploads: '' }, headers);
  if (typeof contentType !== 'string' || contentType === '')
    invalidType('contentType', 'a non-empty string such as "video/mp4"', contentType);
  const signed: [string, string][] = [['content-type', contentType]];
  forEachPair('headers', headers, (name, value) => {
    if (name.toLowerCase() === 'content-type')
      optionError('"headers" expected no content-type with "contentType", got both');
    signed.push([name, value]);
  });
  return presignStep(options, 'POST', { uploads: '' }, signed);
}

/**
 * Presigns UploadPart (`PUT /key?partNumber=N&uploadId=…`): the URL uploads part `partNumber` of upload `uploadId`
 * and no other, since both are signed. With `contentLength`, the part's size is signed too. Every part but the
 * last must be 5 MiB or more (see `planParts`); the answer's `ETag` header is what CompleteMultipartUpload needs.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, before any crypto.
 * @example
 * const part = await presignUploadPart({ bucket, key, region, credentials, uploadId, partNumber: 1, contentLength: 8388608 });
 * // fetch(part.url, { method: 'PUT', body: file.slice(0, 8388608) }) → ETag: "…"
 */
export async function presignUploadPart(options: UploadPartOptions): Promise<PresignedUrl> {
  checkTarget(options);
  const uploadId = checkUploadId(options.uploadId);
  const partNumber = checkCount('partNumber', options.partNumber, 1, MAX_PARTS);
  const { contentLength } = options;
  const headers =
    contentLength === undefined
      ? undefined
      : { 'content-length': String(checkCount('contentLength', contentLength, 0, MAX_PART_SIZE)) };
  return presignStep(options, 'PUT', { partNumber: String(partNumber), uploadId }, headers);
}

/**
 * Presigns ListParts (`GET /key?uploadId=…`): the parts uploaded so far, with their numbers, sizes and ETags, up to
 * 1000 a page (`IsTruncated` and `NextPartNumberMarker` lead to the next). What a resumed upload asks first.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, before any crypto.
 */
export async function presignListParts(options: ListPartsOptions): Promise<PresignedUrl> {
  checkTarget(options);
  const query: Record<string, string> = { uploadId: checkUploadId(options.uploadId) };
  if (options.maxParts !== undefined) query['max-parts'] = String(checkCount('maxParts', options.maxParts, 1, 1000));
  if (options.partNumberMarker !== undefined)
    query['part-number-marker'] = String(checkCount('partNumberMarker', options.partNumberMarker, 0, MAX_PARTS));
  return presignStep(options, 'GET', query);
}

/**
 * Presigns CompleteMultipartUpload (`POST /key?uploadId=…`), whose body is {@link completeMultipartUploadBody}.
 * S3 may answer 200 with an `<Error>` in the body: read it before calling the upload done.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, before any crypto.
 */
export async function presignCompleteMultipartUpload(options: MultipartUploadIdOptions): Promise<PresignedUrl> {
  checkTarget(options);
  return presignStep(options, 'POST', { uploadId: checkUploadId(options.uploadId) });
}

/**
 * Presigns AbortMultipartUpload (`DELETE /key?uploadId=…`): S3 frees the parts uploaded so far. A part still being
 * uploaded may land after it; ListParts (or ListMultipartUploads) tells.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, before any crypto.
 */
export async function presignAbortMultipartUpload(options: MultipartUploadIdOptions): Promise<PresignedUrl> {
  checkTarget(options);
  return presignStep(options, 'DELETE', { uploadId: checkUploadId(options.uploadId) });
}
