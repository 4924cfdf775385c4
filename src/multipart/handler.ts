// The server side of a browser's multipart upload: a `(request: Request) => Promise<Response>` that a Worker, Deno,
// Bun or Node server mounts at one URL. It reads the uploader's JSON, checks it against the server's rules (key
// prefix, size, media type, the caller's own `authorize`) every time, and only then presigns the one step asked
// for. It holds no state: the facts come with every request and are checked every time, and each part URL signs
// the part's exact size, so no browser can store more than the size it declared.

import { checkCredentials, type Credentials } from '../core/credentials.js';
import { describe, invalidType, optionError } from '../core/errors.js';
import type { SigningKeyCache } from '../core/key-cache.js';
import { s3Url, type S3UrlOptions } from '../s3/url.js';
import type { PresignedUrl } from '../sign/types.js';
import { MAX_OBJECT_SIZE, MAX_PARTS, planParts, partSizeOf, type PartPlan } from './plan.js';
import {
  presignAbortMultipartUpload,
  presignCompleteMultipartUpload,
  presignCreateMultipartUpload,
  presignListParts,
  presignUploadPart,
  UPLOAD_ID,
  type MultipartTarget,
} from './presign.js';
import type {
  MultipartAction,
  MultipartErrorCode,
  MultipartHandlerRequest,
  MultipartHandlerResponse,
} from './protocol.js';
import { completeMultipartUploadBody } from './xml.js';

/** Options of {@link createMultipartHandler}: where uploads go, and what a browser may upload there. */
export interface MultipartHandlerOptions extends Omit<S3UrlOptions, 'key' | 'region'> {
  /** The region in the credential scope; with no `endpoint`, it also names the AWS host. */
  readonly region: string;
  /** The credentials that sign, or a function returning them (called for each request, may be async). */
  readonly credentials: Credentials | (() => Credentials | PromiseLike<Credentials>);
  /**
   * Every key must start with this (`uploads/`); `''` allows any key. A key with a `.` or `..` segment, or a
   * control character, is refused whatever the prefix.
   */
  readonly keyPrefix: string;
  /** The largest file, in bytes: an integer up to 5 TiB. Larger is refused with 413. */
  readonly maxSize: number;
  /**
   * Media types allowed (`image/png`, or `image/*` for a whole type), compared without case. Default: any. A file
   * with no type is `application/octet-stream`. The type is signed into CreateMultipartUpload: it is the object's.
   */
  readonly contentTypes?: readonly string[];
  /** The part size wanted, 5 MiB to 5 GiB; larger for files that would need more than 10,000 parts. Default 8 MiB. */
  readonly partSize?: number;
  /** Seconds each presigned URL stays valid, 1 to 604800. Default 900: the uploader asks again for each attempt. */
  readonly expiresIn?: number;
  /**
   * Your own rule, run after the handler's checks pass, for every action: the request (its cookies, its
   * `Authorization`) and what it asks. `false` refuses it with 403. What it throws is answered 500.
   */
  readonly authorize?: (request: Request, upload: MultipartHandlerRequest) => boolean | PromiseLike<boolean>;
  /** The clock (epoch milliseconds) that dates the signatures. Default `Date.now`. */
  readonly now?: () => number;
  /** Signing key cache. Default: the shared one; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
  /**
   * Called with what made a request fail with 500 (a credentials function that threw, `authorize` that threw), for
   * your logs: the browser is told only that presigning failed.
   */
  readonly onError?: (error: unknown, request: Request) => void;
}

/** The largest request body the handler reads: 10,000 parts with their ETags fit in it. */
export const MAX_HANDLER_BODY = 1_048_576;

const ACTIONS: readonly MultipartAction[] = ['create', 'part', 'list', 'complete', 'abort'];
// A media type as File.type gives it (RFC 6838 names, no parameters), and an allowed pattern (`type/*` too).
// Linear: each class is followed by a character it cannot match.
const MEDIA_TYPE = /^[\w!#$&^.+-]{1,127}\/[\w!#$&^.+-]{1,127}$/;
const MEDIA_PATTERN = /^[\w!#$&^.+-]{1,127}\/(?:[\w!#$&^.+-]{1,127}|\*)$/;
// C0 controls and DEL: no key a browser sends needs them, and logs and listings show them raw.
const CONTROL = /[\0-\x1f\x7f]/;

/** A refusal: the status and the JSON error sent back. */
class Refusal {
  constructor(
    readonly status: number,
    readonly code: MultipartErrorCode,
    readonly message: string,
  ) {}
}

const refuse = (status: number, code: MultipartErrorCode, message: string): never => {
  throw new Refusal(status, code, message);
};
const invalid = (name: string, expected: string, got: unknown): never =>
  refuse(400, 'ERR_MULTIPART_INVALID', `"${name}" expected ${expected}, got ${describe(got)}`);

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });

/** The request body as text, or `undefined` past `limit` bytes (the rest is not read). */
async function readText(request: Request, limit: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return undefined;
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return refuse(400, 'ERR_MULTIPART_INVALID', 'expected a JSON body in UTF-8, got other bytes');
  }
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    invalid(name, `an integer ${min}..${max}`, value);
  return value as number;
}

/** The checks of {@link MultipartHandlerOptions} that do not depend on a request. */
function checkOptions(options: MultipartHandlerOptions) {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { keyPrefix, maxSize, contentTypes, partSize, expiresIn, authorize, now, credentials } = options;
  // The bucket, the region and the endpoint, as s3Url reads them (they are the same for every key).
  s3Url({ ...options, key: 'k' });
  if (typeof credentials === 'object') checkCredentials(credentials);
  else if (typeof credentials !== 'function')
    invalidType(
      'credentials',
      'an object { accessKeyId, secretAccessKey, sessionToken? } or a function',
      credentials,
      true,
    );
  if (typeof keyPrefix !== 'string' || CONTROL.test(keyPrefix))
    invalidType('keyPrefix', 'a string without control characters ("" for any key)', keyPrefix);
  if (typeof maxSize !== 'number' || !Number.isInteger(maxSize) || maxSize < 0 || maxSize > MAX_OBJECT_SIZE)
    optionError(`"maxSize" expected an integer 0..${MAX_OBJECT_SIZE} (5 TiB), got ${describe(maxSize)}`, true);
  if (contentTypes !== undefined) {
    if (!Array.isArray(contentTypes)) invalidType('contentTypes', 'an array of media types', contentTypes);
    for (const [i, type] of contentTypes.entries())
      if (typeof type !== 'string' || !MEDIA_PATTERN.test(type))
        invalidType(`contentTypes[${i}]`, 'a media type "type/subtype" or "type/*"', type);
  }
  if (partSize !== undefined) planParts(0, partSize);
  if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && expiresIn >= 1 && expiresIn <= 604800))
    optionError(`"expiresIn" expected an integer 1..604800, got ${describe(expiresIn)}`, true);
  for (const [name, value] of [
    ['authorize', authorize],
    ['now', now],
    ['onError', options.onError],
  ] as const)
    if (value !== undefined && typeof value !== 'function') invalidType(name, 'a function', value);
}

/** The uploader's request, checked field by field against the handler's rules. */
function readUpload(value: unknown, options: MultipartHandlerOptions): MultipartHandlerRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid('body', 'a JSON object { action, key, size, type, … }', value);
  const body = value as Record<string, unknown>;
  const action = body['action'] as MultipartAction;
  if (!ACTIONS.includes(action)) invalid('action', ACTIONS.map((a) => `"${a}"`).join(', '), action);

  const { key, size, type } = body;
  if (typeof key !== 'string' || key === '' || new TextEncoder().encode(key).length > 1024)
    invalid('key', 'an object key of 1 to 1024 bytes of UTF-8', key);
  if (!(key as string).startsWith(options.keyPrefix))
    refuse(
      403,
      'ERR_MULTIPART_FORBIDDEN',
      `"key" expected a key starting with ${describe(options.keyPrefix)}, got ${describe(key)}`,
    );
  // Browsers resolve "." and ".." segments out of a URL before sending it (and the signature covers the path).
  if (CONTROL.test(key as string) || (key as string).split('/').some((s) => s === '.' || s === '..'))
    invalid('key', 'a key without control characters or "." and ".." segments', key);

  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) invalid('size', 'a size in bytes', size);
  if ((size as number) > options.maxSize)
    refuse(413, 'ERR_MULTIPART_TOO_LARGE', `"size" expected at most ${options.maxSize} bytes, got ${describe(size)}`);

  if (typeof type !== 'string' || !MEDIA_TYPE.test(type)) invalid('type', 'a media type "type/subtype"', type);
  const allowed = options.contentTypes;
  const lower = (type as string).toLowerCase();
  if (
    allowed !== undefined &&
    !allowed.some((p) => {
      const pattern = p.toLowerCase();
      return pattern.endsWith('/*') ? lower.startsWith(pattern.slice(0, -1)) : lower === pattern;
    })
  )
    refuse(415, 'ERR_MULTIPART_TYPE', `"type" expected one of ${allowed.join(', ')}, got ${describe(type)}`);

  const upload: Record<string, unknown> = { action, key, size, type };
  if (action === 'create') return upload as unknown as MultipartHandlerRequest;

  upload['partSize'] = integer('partSize', body['partSize'], 1, MAX_OBJECT_SIZE);
  const uploadId = body['uploadId'];
  if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId))
    invalid('uploadId', 'an UploadId: 1 to 1024 characters of visible ASCII', uploadId);
  upload['uploadId'] = uploadId;
  if (action === 'part') upload['partNumber'] = integer('partNumber', body['partNumber'], 1, MAX_PARTS);
  if (action === 'list' && body['partNumberMarker'] !== undefined)
    upload['partNumberMarker'] = integer('partNumberMarker', body['partNumberMarker'], 0, MAX_PARTS);
  if (action === 'complete') {
    const parts = body['parts'];
    if (!Array.isArray(parts)) invalid('parts', 'an array of { partNumber, etag }', parts);
    upload['parts'] = (parts as unknown[]).map((part, i) => {
      const { partNumber, etag } = (typeof part === 'object' && part !== null ? part : {}) as Record<string, unknown>;
      if (typeof etag !== 'string') invalid(`parts[${i}].etag`, 'a string', etag);
      return { partNumber: integer(`parts[${i}].partNumber`, partNumber, 1, MAX_PARTS), etag };
    });
  }
  return upload as unknown as MultipartHandlerRequest;
}

/** The plan an upload was made with: the part size it names must be what planParts gives for its size. */
function planOf(upload: MultipartHandlerRequest): PartPlan {
  const { size, partSize } = upload;
  let plan: PartPlan | undefined;
  try {
    plan = planParts(size, partSize);
  } catch {
    // Out of S3's limits: answered below.
  }
  if (plan === undefined || plan.partSize !== partSize)
    invalid('partSize', `a part size that cuts ${size} bytes into 1 to ${MAX_PARTS} parts of 5 MiB to 5 GiB`, partSize);
  return plan!;
}

/**
 * A request handler for the browser uploader of `sigv4/upload`: mount it at one URL (`POST /multipart`) of a
 * Worker, Deno, Bun or Node server. For each request it checks what the uploader asks (the key starts with
 * `keyPrefix`, the size is at most `maxSize`, the media type is in `contentTypes`, `authorize` agrees), then
 * presigns that one step of the multipart upload and answers it as JSON: CreateMultipartUpload with the media type
 * signed, UploadPart with the part's exact `Content-Length` signed (a URL for one part of one upload, of one size),
 * ListParts, CompleteMultipartUpload with its XML body built here from the ETags, or AbortMultipartUpload. The
 * credentials never leave the server. A refusal is a 4xx with `{ error: { code, message } }`.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, when it is created.
 * @example
 * const handler = createMultipartHandler({
 *   bucket: 'uploads', region: 'eu-west-1', credentials, keyPrefix: 'incoming/', maxSize: 2 ** 30,
 * });
 * export default { fetch: (request: Request) => handler(request) }; // a Worker; in Node: see examples/multipart
 */
export function createMultipartHandler(options: MultipartHandlerOptions): (request: Request) => Promise<Response> {
  checkOptions(options);
  const { credentials, authorize, now = Date.now, expiresIn = 900, cache, onError } = options;

  async function answer(request: Request): Promise<Response> {
    if (request.method !== 'POST')
      return json(
        405,
        { error: { code: 'ERR_MULTIPART_METHOD', message: `expected POST, got ${describe(request.method)}` } },
        { allow: 'POST' },
      );
    const text = await readText(request, MAX_HANDLER_BODY);
    if (text === undefined)
      refuse(413, 'ERR_MULTIPART_TOO_LARGE', `expected a JSON body of at most ${MAX_HANDLER_BODY} bytes`);
    let value: unknown;
    try {
      value = JSON.parse(text!);
    } catch {
      refuse(400, 'ERR_MULTIPART_INVALID', 'expected a JSON body, got text that does not parse');
    }
    const upload = readUpload(value, options);
    // Checked before anything is signed: a bad part number or part list is the browser's mistake.
    const plan = upload.action === 'create' ? planParts(upload.size, options.partSize) : planOf(upload);
    if (upload.action === 'part' && upload.partNumber! > plan.partCount)
      invalid('partNumber', `a part number 1..${plan.partCount}`, upload.partNumber);
    let body: string | undefined;
    if (upload.action === 'complete') {
      const numbers = upload.parts!.map((p) => p.partNumber).sort((a, b) => a - b);
      if (numbers.length !== plan.partCount || numbers.some((n, i) => n !== i + 1))
        refuse(
          400,
          'ERR_MULTIPART_INVALID',
          `"parts" expected parts 1..${plan.partCount}, each once, got ${numbers.length} parts (${numbers.slice(0, 10).join(', ')}${numbers.length > 10 ? ', …' : ''})`,
        );
      try {
        body = completeMultipartUploadBody(upload.parts!);
      } catch (error) {
        refuse(400, 'ERR_MULTIPART_INVALID', (error as Error).message);
      }
    }
    if (authorize !== undefined && (await authorize(request, upload)) !== true)
      refuse(403, 'ERR_MULTIPART_FORBIDDEN', 'expected an upload this server allows, got one it refuses');

    const target: MultipartTarget = {
      ...options,
      key: upload.key,
      credentials: typeof credentials === 'function' ? await credentials() : credentials,
      expiresIn,
      signingDate: now(),
      ...(cache === undefined ? {} : { cache }),
    };
    const uploadId = upload.uploadId!;
    let presigned: PresignedUrl;
    switch (upload.action) {
      case 'create':
        presigned = await presignCreateMultipartUpload({ ...target, contentType: upload.type });
        break;
      case 'part':
        presigned = await presignUploadPart({
          ...target,
          uploadId,
          partNumber: upload.partNumber!,
          contentLength: partSizeOf(plan, upload.partNumber!)!,
        });
        break;
      case 'list':
        presigned = await presignListParts({
          ...target,
          uploadId,
          ...(upload.partNumberMarker === undefined ? {} : { partNumberMarker: upload.partNumberMarker }),
        });
        break;
      case 'complete':
        presigned = await presignCompleteMultipartUpload({ ...target, uploadId });
        break;
      default:
        presigned = await presignAbortMultipartUpload({ ...target, uploadId });
    }
    const response: MultipartHandlerResponse = {
      request: {
        method: presigned.method,
        url: presigned.url,
        headers: presigned.headers,
        expiresAt: presigned.expiresAt.toISOString(),
      },
      ...(upload.action === 'create' ? { partSize: plan.partSize, partCount: plan.partCount } : {}),
      ...(body === undefined ? {} : { body }),
    };
    return json(200, response);
  }

  return (request) =>
    answer(request).catch((error: unknown) => {
      if (error instanceof Refusal) return json(error.status, { error: { code: error.code, message: error.message } });
      onError?.(error, request);
      // No detail: a message from a credentials function or a bug may hold what the browser must not see.
      return json(500, { error: { code: 'ERR_MULTIPART_INTERNAL', message: 'could not presign this step' } });
    });
}
