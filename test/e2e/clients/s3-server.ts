// Test-only servers for the real-clients suite (test/e2e/clients.e2e.ts), on 127.0.0.1, random ports:
//
//   - an S3-style server (path-style addressing, in-memory storage) that verifies every request with this library
//     before serving it: header-signed with verifyRequest (the body as received, so a body that differs from the
//     signed x-amz-content-sha256 is refused), presigned with verifyPresignedUrl, browser-form POSTs with
//     verifyPresignedPost. It implements what awscli, boto3, s3cmd, rclone, curl and @aws-sdk/client-s3 need:
//     ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, PUT/GET/HEAD object (with ranges for
//     awscli's downloads of large objects), ListObjects v1 and v2 (prefix, delimiter, encoding-type=url),
//     CopyObject, DeleteObject, DeleteObjects (Content-MD5 checked), multipart uploads, GET ?acl.
//     An aws-chunked body (x-amz-content-sha256: STREAMING-…, as minio-go, boto3 >= 1.36 over https and the JS SDK
//     with a stream body send it) goes to verifyRequest as a stream; what is stored is what the verified body
//     stream hands back, read to its end: a chunk whose signature, a trailer whose checksum, or a length that does
//     not match is refused with the S3 error for it (SignatureDoesNotMatch, BadDigest, IncompleteBody) and nothing
//     is stored. The server listens on http and, given a certificate, on https too (botocore sends aws-chunked only
//     over TLS): one store, one log.
//   - an API-Gateway-style listener: service execute-api, verifyRequest with the non-S3 defaults (normalizePath
//     and uriEscapePath on); a verified request is echoed back as JSON.
//
// Every request is logged with the SigV4Error code that refused it ('ok' when it verified), so a test can assert
// which check refused a negative case. Errors are answered as S3 does: XML <Error><Code>…</Code>…, 403 for a
// signature, plus a <SigV4Code> element naming the library's code.

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  checksumAlgorithmOf,
  checksumHeaderName,
  createChecksum,
  isSigV4Error,
  verifyPresignedPost,
  verifyPresignedUrl,
  verifyRequest,
  type CredentialLookup,
  type SigV4ErrorCode,
  type VerifierCredentials,
} from '../../../src/index.js';

/** What the server logs for each request. */
export interface LoggedRequest {
  readonly method: string;
  /** The path and query as received. */
  readonly url: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  /** How the request was signed: in the Authorization header, in the query (presigned), a POST form, or not at all. */
  readonly auth: 'header' | 'presigned' | 'post' | 'none';
  /** 'ok' when the signature verified, else the SigV4Error code (or 'anonymous' for an unsigned request). */
  readonly code: 'ok' | 'anonymous' | SigV4ErrorCode;
  readonly message: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly sessionToken: string | undefined;
  /** The x-amz-content-sha256 header received, if any. */
  readonly contentSha256: string | undefined;
  readonly contentEncoding: string | undefined;
  /** Names of the x-amz-checksum-* headers (and x-amz-trailer) received. */
  readonly checksums: readonly string[];
  /** The x-amz-trailer header received (the checksum an aws-chunked body carries in its trailer). */
  readonly trailer: string | undefined;
  /** http, or https (the TLS listener). */
  readonly scheme: 'http' | 'https';
  /** The transfer-encoding and content-length headers received (a streaming client may send either). */
  readonly transferEncoding: string | undefined;
  readonly contentLength: string | undefined;
  /** The S3 operation the server served (or would have), e.g. PutObject. */
  readonly op: string;
  readonly status: number;
  readonly userAgent: string | undefined;
  /** Bytes of the body as received (for aws-chunked: the framed body, as far as it was read). */
  readonly bodyBytes: number;
  /** For an aws-chunked body: the bytes the verified body stream handed back (the payload stored). */
  readonly decodedBytes: number | undefined;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  meta: Record<string, string>;
}
interface Upload {
  bucket: string;
  key: string;
  contentType: string;
  meta: Record<string, string>;
  parts: Map<number, { body: Buffer; etag: string }>;
}

export interface Clock {
  /** Milliseconds added to the server's clock for requests to one `/bucket/key` (to expire a presigned URL without sleeping). */
  shift(bucket: string, key: string, ms: number): void;
}

export interface RunningServer extends Clock {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly port: number;
  /** https://127.0.0.1:PORT2, when started with a certificate (same store, same log). */
  readonly httpsEndpoint: string | undefined;
  readonly log: LoggedRequest[];
  close(): Promise<void>;
}

export interface S3Server extends RunningServer {
  readonly buckets: Map<string, Map<string, StoredObject>>;
}

export interface ServerOptions {
  readonly getCredentials: CredentialLookup;
  readonly region: string;
  /** PEM key and certificate: the S3 server then listens on https too. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

const xmlEscape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const xmlUnescape = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The S3 error each verification failure answers with: status and S3 code. */
const S3_ERRORS: Record<string, [number, string]> = {
  ERR_SIGV4_MALFORMED: [400, 'AuthorizationHeaderMalformed'],
  ERR_SIGV4_ALGORITHM: [400, 'AuthorizationHeaderMalformed'],
  ERR_SIGV4_CREDENTIAL: [400, 'AuthorizationHeaderMalformed'],
  ERR_SIGV4_SCOPE: [400, 'AuthorizationHeaderMalformed'],
  ERR_SIGV4_REGION: [400, 'AuthorizationHeaderMalformed'],
  ERR_SIGV4_SERVICE: [400, 'AuthorizationHeaderMalformed'],
  ERR_SIGV4_DATE: [400, 'AuthorizationHeaderMalformed'],
  ERR_SIGV4_EXPIRES: [400, 'AuthorizationQueryParametersError'],
  ERR_SIGV4_NOT_YET_VALID: [403, 'RequestTimeTooSkewed'],
  ERR_SIGV4_EXPIRED: [403, 'AccessDenied'],
  ERR_SIGV4_SIGNED_HEADERS: [403, 'AccessDenied'],
  ERR_SIGV4_METHOD: [403, 'SignatureDoesNotMatch'],
  ERR_SIGV4_SESSION_TOKEN: [400, 'InvalidToken'],
  ERR_SIGV4_PAYLOAD_HASH: [400, 'XAmzContentSHA256Mismatch'],
  ERR_SIGV4_SIGNATURE_MISMATCH: [403, 'SignatureDoesNotMatch'],
  ERR_SIGV4_UNKNOWN_ACCESS_KEY: [403, 'InvalidAccessKeyId'],
  ERR_SIGV4_POLICY: [400, 'InvalidPolicyDocument'],
  ERR_SIGV4_POLICY_CONDITION: [403, 'AccessDenied'],
  ERR_SIGV4_ENTITY_TOO_SMALL: [400, 'EntityTooSmall'],
  ERR_SIGV4_ENTITY_TOO_LARGE: [400, 'EntityTooLarge'],
  // aws-chunked bodies, as S3 answers them: a chunk (or trailer) signature that does not match is a signature
  // mismatch; a trailing checksum that does not match the data is BadDigest; broken framing or a decoded length
  // that differs from x-amz-decoded-content-length is a body that is not what was announced.
  ERR_SIGV4_CHUNK_SIGNATURE: [403, 'SignatureDoesNotMatch'],
  ERR_SIGV4_CHECKSUM_MISMATCH: [400, 'BadDigest'],
  ERR_SIGV4_CHUNK_FRAMING: [400, 'IncompleteBody'],
  ERR_SIGV4_LENGTH_MISMATCH: [400, 'IncompleteBody'],
};

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly s3Code: string,
    message: string,
    readonly sigv4Code?: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The request body as a web stream for the verifier, read only as the verifier pulls (backpressure). Cancelled
 * (the verifier stops at a bad chunk), it stops reading and drains the rest of the body unread, so the
 * connection stays usable and the client gets the S3 error rather than a reset.
 */
function webBody(req: IncomingMessage, counted: (n: number) => void): ReadableStream<Uint8Array> {
  const onData = (controller: ReadableStreamDefaultController<Uint8Array>) => (c: Buffer) => {
    counted(c.length);
    controller.enqueue(new Uint8Array(c.buffer, c.byteOffset, c.length));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  let listener: ((c: Buffer) => void) | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on('data', (listener = onData(controller)));
      req.on('end', () => controller.close());
      req.on('error', (error) => controller.error(error));
    },
    pull() {
      req.resume();
    },
    cancel() {
      if (listener) req.off('data', listener);
      req.resume();
    },
  });
}

/** Reads a verified body stream to its end; a SigV4Error on the way is the request's refusal (logged, mapped). */
async function readVerified(entry: Partial<Mutable<LoggedRequest>>, body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
  } catch (error) {
    if (!isSigV4Error(error)) throw error;
    entry.code = error.code;
    entry.message = error.message;
    const [status, s3Code] = S3_ERRORS[error.code] ?? [400, 'InvalidRequest'];
    throw new S3Failure(status, s3Code, error.message, error.code);
  }
  const out = Buffer.concat(parts);
  entry.decodedBytes = out.length;
  return out;
}

/** Headers as the verifiers take them: each repeated header as separate values. */
function headerPairs(req: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, values] of Object.entries(req.headersDistinct)) for (const v of values ?? []) pairs.push([name, v]);
  return pairs;
}

function sendError(res: ServerResponse, failure: S3Failure, resource: string): void {
  const body =
    XML_HEAD +
    `<Error><Code>${failure.s3Code}</Code><Message>${xmlEscape(failure.message)}</Message>` +
    (failure.sigv4Code ? `<SigV4Code>${failure.sigv4Code}</SigV4Code>` : '') +
    `<Resource>${xmlEscape(resource)}</Resource><RequestId>sigv4-e2e</RequestId></Error>`;
  res.writeHead(failure.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * A base listener (plain http, or https given a certificate): parses nothing, logs every request, answers a
 * thrown S3Failure as S3's XML error.
 */
async function listen(
  handle: (req: IncomingMessage, res: ServerResponse, entry: Partial<Mutable<LoggedRequest>>) => Promise<void>,
  log: LoggedRequest[],
  tls?: { readonly key: string; readonly cert: string },
): Promise<{ server: Server; port: number }> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const entry: Partial<Mutable<LoggedRequest>> = {
      method: req.method ?? '',
      url: req.url ?? '',
      scheme: tls ? 'https' : 'http',
      userAgent: req.headers['user-agent'],
      contentSha256: req.headers['x-amz-content-sha256'] as string | undefined,
      contentEncoding: req.headers['content-encoding'],
      transferEncoding: req.headers['transfer-encoding'],
      contentLength: req.headers['content-length'],
      trailer: req.headers['x-amz-trailer'] as string | undefined,
      checksums: Object.keys(req.headers).filter(
        (h) => (h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-mode') || h === 'x-amz-trailer',
      ),
      auth: 'none',
      op: 'unknown',
    };
    handle(req, res, entry)
      .catch((error: unknown) => {
        const failure =
          error instanceof S3Failure
            ? error
            : new S3Failure(
                500,
                'InternalError',
                error instanceof Error ? (error.stack ?? error.message) : String(error),
              );
        entry.message ??= failure.message;
        // A body refused before it was read to its end (a seed signature that does not verify, a bad chunk): the
        // rest is drained unread, so the client, still sending, gets this answer rather than a reset.
        if (!req.complete) {
          req.removeAllListeners('data');
          req.resume();
        }
        if (!res.headersSent) sendError(res, failure, req.url ?? '');
        else res.destroy();
      })
      .finally(() => {
        entry.status = res.statusCode;
        entry.code ??= 'anonymous';
        entry.bodyBytes ??= 0;
        log.push(entry as LoggedRequest);
      });
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest) : createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
}

/** Runs a verifier; turns a SigV4Error into the S3 error (logged with its code). */
async function verified<T extends { accessKeyId: string; sessionToken: string | undefined }>(
  entry: Partial<Mutable<LoggedRequest>>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    const result = await run();
    entry.code = 'ok';
    entry.accessKeyId = result.accessKeyId;
    entry.sessionToken = result.sessionToken;
    return result;
  } catch (error) {
    if (!isSigV4Error(error)) throw error;
    entry.code = error.code;
    entry.message = error.message;
    const [status, s3Code] = S3_ERRORS[error.code] ?? [403, 'AccessDenied'];
    throw new S3Failure(status, s3Code, error.message, error.code);
  }
}

/** The CRC32 a client sent (x-amz-checksum-crc32, base64 of the big-endian value) against the body received. */
function checkCrc32(req: IncomingMessage, body: Buffer): void {
  const claimed = req.headers['x-amz-checksum-crc32'];
  if (typeof claimed !== 'string') return;
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32(body));
  if (value.toString('base64') !== claimed)
    throw new S3Failure(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
}

/**
 * The x-amz-checksum-* response headers S3 returns for an upload that came with a checksum (as a header, or
 * announced in x-amz-trailer): each recomputed over the bytes stored, with this library's checksums.
 */
function checksumsOf(req: IncomingMessage, body: Buffer): Record<string, string> {
  const names = [
    ...String(req.headers['x-amz-trailer'] ?? '').split(','),
    ...Object.keys(req.headers).filter((h) => h !== 'x-amz-checksum-mode'),
  ];
  const out: Record<string, string> = {};
  for (const name of names) {
    const algorithm = checksumAlgorithmOf(name.trim());
    if (algorithm === undefined) continue;
    const checksum = createChecksum(algorithm);
    checksum.update(body);
    out[checksumHeaderName(algorithm)] = checksum.digest();
  }
  return out;
}

const shiftKey = (bucket: string, key: string): string => `${bucket}/${key}`;

/** Starts the S3-style server. */
export async function startS3Server(options: ServerOptions): Promise<S3Server> {
  const { getCredentials, region } = options;
  const log: LoggedRequest[] = [];
  const buckets = new Map<string, Map<string, StoredObject>>();
  const created = new Map<string, Date>();
  const uploads = new Map<string, Upload>();
  const shifts = new Map<string, number>();
  let uploadCounter = 0;
  let endpoint = '';

  const bucketOf = (name: string): Map<string, StoredObject> => {
    const bucket = buckets.get(name);
    if (!bucket) throw new S3Failure(404, 'NoSuchBucket', `The specified bucket does not exist: ${name}`);
    return bucket;
  };
  const objectOf = (bucket: string, key: string): StoredObject => {
    const object = bucketOf(bucket).get(key);
    if (!object) throw new S3Failure(404, 'NoSuchKey', `The specified key does not exist: ${key}`);
    return object;
  };
  const metaOf = (req: IncomingMessage): Record<string, string> => {
    const meta: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (name.startsWith('x-amz-meta-') && typeof value === 'string') meta[name] = value;
    return meta;
  };
  const objectHeaders = (object: StoredObject): Record<string, string | number> => ({
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    ...object.meta,
  });
  const store = (
    bucket: string,
    key: string,
    body: Buffer,
    contentType: string | undefined,
    meta: Record<string, string>,
    etag?: string,
  ): StoredObject => {
    const object = {
      body,
      contentType: contentType || 'binary/octet-stream',
      etag: etag ?? `"${md5(body).toString('hex')}"`,
      lastModified: new Date(),
      meta,
    };
    bucketOf(bucket).set(key, object);
    return object;
  };
  const xmlResponse = (res: ServerResponse, body: string, status = 200): void => {
    const text = XML_HEAD + body;
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const handler = async (
    req: IncomingMessage,
    res: ServerResponse,
    entry: Partial<Mutable<LoggedRequest>>,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const rawPath = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const slash = rawPath.indexOf('/', 1);
    const bucket =
      rawPath === '/' ? undefined : decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    const keyRaw = slash < 0 ? '' : rawPath.slice(slash + 1);
    const key = keyRaw === '' ? undefined : decodeURIComponent(keyRaw);
    entry.bucket = bucket;
    entry.key = key;
    const contentSha256 = req.headers['x-amz-content-sha256'];
    const streaming =
      req.headers.authorization !== undefined &&
      typeof contentSha256 === 'string' &&
      contentSha256.startsWith('STREAMING-');
    // An aws-chunked body is read by the verifier, as a stream; any other body is read here first.
    let body = streaming ? Buffer.alloc(0) : await readBody(req);
    entry.bodyBytes = body.length;
    const url = `${entry.scheme}://${req.headers.host}${raw}`;
    const headers = headerPairs(req);
    const now = Date.now() + (bucket && key ? (shifts.get(shiftKey(bucket, key)) ?? 0) : 0);
    const common = { url, method, headers, getCredentials, region, service: 's3', now } as const;

    // 1. Authenticate: every request verifies, or is refused.
    const contentType = req.headers['content-type'] ?? '';
    let postForm: FormData | undefined;
    if (req.headers.authorization !== undefined) {
      entry.auth = 'header';
      if (streaming) {
        // The seed signature verifies first (nothing of the body is read before); then the body is what the
        // verified stream hands back, chunk by chunk, read to its end before anything is stored.
        const stream = webBody(req, (n) => (entry.bodyBytes = (entry.bodyBytes ?? 0) + n));
        const result = await verified(entry, () => verifyRequest({ ...common, body: stream }));
        if (result.body === undefined) throw new Error('verifyRequest handed back no body for an aws-chunked request');
        body = await readVerified(entry, result.body);
      } else {
        await verified(entry, () => verifyRequest({ ...common, body }));
      }
    } else if (query.has('X-Amz-Signature') || query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential')) {
      entry.auth = 'presigned';
      await verified(entry, () => verifyPresignedUrl(common));
    } else if (
      method === 'POST' &&
      bucket !== undefined &&
      key === undefined &&
      /^multipart\/form-data/i.test(contentType)
    ) {
      entry.auth = 'post';
      entry.op = 'PostObject';
      const form = await new Request(url, {
        method,
        headers: { 'content-type': contentType },
        body: new Uint8Array(body),
      }).formData();
      const post = await verified(entry, () =>
        verifyPresignedPost({
          form,
          bucket,
          getCredentials,
          region,
          now: Date.now() + (shifts.get(shiftKey(bucket, '')) ?? 0),
        }),
      );
      entry.key = post.key;
      postForm = form;
      const file = form.get('file');
      if (!(file instanceof Blob))
        throw new S3Failure(400, 'InvalidArgument', 'POST requires exactly one file upload per request');
      store(
        bucket,
        post.key,
        Buffer.from(await file.arrayBuffer()),
        post.fields['content-type'],
        Object.fromEntries(Object.entries(post.fields).filter(([n]) => n.startsWith('x-amz-meta-'))),
      );
      const statusField = post.fields['success_action_status'];
      const status = statusField === '200' || statusField === '201' ? Number(statusField) : 204;
      const object = bucketOf(bucket).get(post.key)!;
      if (status === 201) {
        xmlResponse(
          res,
          `<PostResponse><Location>${xmlEscape(`${endpoint}/${bucket}/${post.key}`)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(post.key)}</Key><ETag>${object.etag}</ETag></PostResponse>`,
          201,
        );
      } else {
        res.writeHead(status, { etag: object.etag, location: `${endpoint}/${bucket}/${encodeURIComponent(post.key)}` });
        res.end();
      }
      return;
    } else {
      entry.code = 'anonymous';
      throw new S3Failure(403, 'AccessDenied', 'Anonymous requests are not accepted: sign the request');
    }
    void postForm;

    // 2. Serve it.
    if (bucket === undefined) {
      if (method !== 'GET') throw new S3Failure(405, 'MethodNotAllowed', `${method} on /`);
      entry.op = 'ListBuckets';
      const list = [...buckets.keys()]
        .sort()
        .map(
          (name) =>
            `<Bucket><Name>${xmlEscape(name)}</Name><CreationDate>${created.get(name)!.toISOString()}</CreationDate></Bucket>`,
        )
        .join('');
      return xmlResponse(
        res,
        `<ListAllMyBucketsResult ${NS}><Owner><ID>sigv4</ID><DisplayName>sigv4</DisplayName></Owner><Buckets>${list}</Buckets></ListAllMyBucketsResult>`,
      );
    }

    if (key === undefined) {
      // Bucket operations.
      if (method === 'PUT' && [...query.keys()].length === 0) {
        entry.op = 'CreateBucket';
        if (!buckets.has(bucket)) {
          buckets.set(bucket, new Map());
          created.set(bucket, new Date());
        }
        res.writeHead(200, { location: `/${bucket}` });
        return void res.end();
      }
      if (method === 'HEAD') {
        entry.op = 'HeadBucket';
        bucketOf(bucket);
        res.writeHead(200, { 'x-amz-bucket-region': region });
        return void res.end();
      }
      if (method === 'DELETE') {
        entry.op = 'DeleteBucket';
        if (bucketOf(bucket).size > 0)
          throw new S3Failure(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
        buckets.delete(bucket);
        res.writeHead(204);
        return void res.end();
      }
      if (method === 'GET' && query.has('location')) {
        entry.op = 'GetBucketLocation';
        bucketOf(bucket);
        return xmlResponse(res, `<LocationConstraint ${NS}></LocationConstraint>`);
      }
      if (method === 'GET' && query.has('uploads')) {
        entry.op = 'ListMultipartUploads';
        bucketOf(bucket);
        const list = [...uploads.entries()]
          .filter(([, u]) => u.bucket === bucket)
          .map(([id, u]) => `<Upload><Key>${xmlEscape(u.key)}</Key><UploadId>${id}</UploadId></Upload>`)
          .join('');
        return xmlResponse(
          res,
          `<ListMultipartUploadsResult ${NS}><Bucket>${xmlEscape(bucket)}</Bucket><IsTruncated>false</IsTruncated>${list}</ListMultipartUploadsResult>`,
        );
      }
      if (method === 'GET' && query.has('versioning')) {
        entry.op = 'GetBucketVersioning';
        bucketOf(bucket);
        return xmlResponse(res, `<VersioningConfiguration ${NS}/>`);
      }
      if (method === 'GET' && query.has('policy')) {
        entry.op = 'GetBucketPolicy';
        bucketOf(bucket);
        throw new S3Failure(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist');
      }
      if (method === 'GET' && query.has('cors')) {
        entry.op = 'GetBucketCors';
        bucketOf(bucket);
        throw new S3Failure(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist');
      }
      if (method === 'GET' && query.has('acl')) {
        entry.op = 'GetBucketAcl';
        bucketOf(bucket);
        return xmlResponse(res, acl());
      }
      if (
        method === 'GET' &&
        [...query.keys()].every((k) =>
          [
            'list-type',
            'prefix',
            'delimiter',
            'encoding-type',
            'max-keys',
            'marker',
            'continuation-token',
            'start-after',
            'fetch-owner',
          ].includes(k),
        )
      ) {
        const v2 = query.get('list-type') === '2';
        entry.op = v2 ? 'ListObjectsV2' : 'ListObjects';
        return xmlResponse(res, listObjects(bucket, query, v2));
      }
      if (method === 'POST' && query.has('delete')) {
        entry.op = 'DeleteObjects';
        const md5Header = req.headers['content-md5'];
        if (typeof md5Header === 'string' && md5Header !== md5(body).toString('base64')) {
          throw new S3Failure(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received');
        }
        const objects = bucketOf(bucket);
        const text = body.toString('utf8');
        const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(text);
        const keys = [...text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => xmlUnescape(m[1]!));
        for (const k of keys) objects.delete(k);
        const deleted = quiet ? '' : keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('');
        return xmlResponse(res, `<DeleteResult ${NS}>${deleted}</DeleteResult>`);
      }
      throw new S3Failure(501, 'NotImplemented', `not implemented here: ${method} /${bucket}?${query}`);
    }

    // Object operations.
    const uploadId = query.get('uploadId');
    if (method === 'PUT' && uploadId !== null) {
      entry.op = 'UploadPart';
      const upload = uploads.get(uploadId);
      if (!upload || upload.bucket !== bucket || upload.key !== key)
        throw new S3Failure(404, 'NoSuchUpload', 'The specified upload does not exist');
      const n = Number(query.get('partNumber'));
      if (!Number.isInteger(n) || n < 1 || n > 10000)
        throw new S3Failure(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000');
      checkCrc32(req, body);
      const etag = `"${md5(body).toString('hex')}"`;
      upload.parts.set(n, { body, etag });
      res.writeHead(200, { etag, ...checksumsOf(req, body) });
      return void res.end();
    }
    if (method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined) {
      entry.op = 'CopyObject';
      const source = decodeURIComponent(String(req.headers['x-amz-copy-source']).split('?')[0]!).replace(/^\//, '');
      const i = source.indexOf('/');
      const from = objectOf(source.slice(0, i), source.slice(i + 1));
      const replace = String(req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
      const copy = store(
        bucket,
        key,
        from.body,
        replace ? req.headers['content-type'] : from.contentType,
        replace ? metaOf(req) : { ...from.meta },
        from.etag,
      );
      return xmlResponse(
        res,
        `<CopyObjectResult ${NS}><LastModified>${copy.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(copy.etag)}</ETag></CopyObjectResult>`,
      );
    }
    // A presigned PUT may carry x-amz-* parameters the presigner moved into the query (the SDK v3 presigner puts
    // x-amz-checksum-crc32 and x-amz-sdk-checksum-algorithm there): signed, and otherwise ignored here.
    if (method === 'PUT' && [...query.keys()].every((k) => /^x-amz-/i.test(k) || k === 'x-id')) {
      entry.op = 'PutObject';
      const md5Header = req.headers['content-md5'];
      if (typeof md5Header === 'string' && md5Header !== md5(body).toString('base64')) {
        throw new S3Failure(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received');
      }
      checkCrc32(req, body);
      const object = store(bucket, key, body, req.headers['content-type'], metaOf(req));
      res.writeHead(200, { etag: object.etag, ...checksumsOf(req, body) });
      return void res.end();
    }
    if (method === 'POST' && query.has('uploads')) {
      entry.op = 'CreateMultipartUpload';
      bucketOf(bucket);
      const id = `upload-${++uploadCounter}-${Date.now().toString(36)}`;
      uploads.set(id, {
        bucket,
        key,
        contentType: req.headers['content-type'] || 'binary/octet-stream',
        meta: metaOf(req),
        parts: new Map(),
      });
      return xmlResponse(
        res,
        `<InitiateMultipartUploadResult ${NS}><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (method === 'POST' && uploadId !== null) {
      entry.op = 'CompleteMultipartUpload';
      const upload = uploads.get(uploadId);
      if (!upload || upload.bucket !== bucket || upload.key !== key)
        throw new S3Failure(404, 'NoSuchUpload', 'The specified upload does not exist');
      const text = body.toString('utf8');
      const listed = [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1]!)?.[1]),
        etag: xmlUnescape(/<ETag>([^<]*)<\/ETag>/.exec(m[1]!)?.[1] ?? ''),
      }));
      if (listed.length === 0) throw new S3Failure(400, 'MalformedXML', 'CompleteMultipartUpload lists no parts');
      const bodies: Buffer[] = [];
      const digests: Buffer[] = [];
      let last = 0;
      for (const { n, etag } of listed) {
        const part = upload.parts.get(n);
        if (!part || part.etag.replace(/"/g, '') !== etag.replace(/"/g, ''))
          throw new S3Failure(400, 'InvalidPart', `part ${n} was not uploaded, or its ETag differs`);
        if (n <= last) throw new S3Failure(400, 'InvalidPartOrder', 'The list of parts was not in ascending order');
        last = n;
        bodies.push(part.body);
        digests.push(Buffer.from(part.etag.replace(/"/g, ''), 'hex'));
      }
      for (let i = 0; i < bodies.length - 1; i++) {
        if (bodies[i]!.length < 5 * 1024 * 1024)
          throw new S3Failure(
            400,
            'EntityTooSmall',
            'Your proposed upload is smaller than the minimum allowed object size',
          );
      }
      const etag = `"${md5(Buffer.concat(digests)).toString('hex')}-${bodies.length}"`;
      store(bucket, key, Buffer.concat(bodies), upload.contentType, upload.meta, etag);
      uploads.delete(uploadId);
      return xmlResponse(
        res,
        `<CompleteMultipartUploadResult ${NS}><Location>${xmlEscape(`${endpoint}/${bucket}/${key}`)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
      );
    }
    if (method === 'DELETE' && uploadId !== null) {
      entry.op = 'AbortMultipartUpload';
      if (!uploads.delete(uploadId)) throw new S3Failure(404, 'NoSuchUpload', 'The specified upload does not exist');
      res.writeHead(204);
      return void res.end();
    }
    if (method === 'GET' && uploadId !== null) {
      entry.op = 'ListParts';
      const upload = uploads.get(uploadId);
      if (!upload) throw new S3Failure(404, 'NoSuchUpload', 'The specified upload does not exist');
      const parts = [...upload.parts.entries()]
        .sort(([a], [b]) => a - b)
        .map(
          ([n, p]) =>
            `<Part><PartNumber>${n}</PartNumber><ETag>${xmlEscape(p.etag)}</ETag><Size>${p.body.length}</Size></Part>`,
        )
        .join('');
      return xmlResponse(
        res,
        `<ListPartsResult ${NS}><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts}</ListPartsResult>`,
      );
    }
    if (method === 'PUT' && query.has('acl')) {
      entry.op = 'PutObjectAcl'; // s3cmd sets the ACL after a copy: accepted, and ignored (one owner here)
      objectOf(bucket, key);
      res.writeHead(200);
      return void res.end();
    }
    if (method === 'GET' && query.has('acl')) {
      entry.op = 'GetObjectAcl';
      objectOf(bucket, key);
      return xmlResponse(res, acl());
    }
    if (method === 'GET' || method === 'HEAD') {
      entry.op = method === 'GET' ? 'GetObject' : 'HeadObject';
      const object = bucketOf(bucket).get(key);
      if (!object) {
        if (method === 'HEAD') {
          res.writeHead(404);
          return void res.end();
        }
        throw new S3Failure(404, 'NoSuchKey', `The specified key does not exist: ${key}`);
      }
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
      if (range && method === 'GET' && object.body.length > 0) {
        const size = object.body.length;
        const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1]);
        const end = range[1] === '' || range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
        if (start >= size || start > end)
          throw new S3Failure(416, 'InvalidRange', 'The requested range is not satisfiable');
        res.writeHead(206, {
          ...objectHeaders(object),
          'content-range': `bytes ${start}-${end}/${size}`,
          'content-length': end - start + 1,
        });
        return void res.end(object.body.subarray(start, end + 1));
      }
      res.writeHead(200, { ...objectHeaders(object), 'content-length': object.body.length });
      return void res.end(method === 'GET' ? object.body : undefined);
    }
    if (method === 'DELETE') {
      entry.op = 'DeleteObject';
      bucketOf(bucket).delete(key);
      res.writeHead(204);
      return void res.end();
    }
    throw new S3Failure(501, 'NotImplemented', `not implemented here: ${method} /${bucket}/${key}?${query}`);
  };
  const { server, port } = await listen(handler, log);
  const secure = options.tls ? await listen(handler, log, options.tls) : undefined;

  function acl(): string {
    return `<AccessControlPolicy ${NS}><Owner><ID>sigv4</ID><DisplayName>sigv4</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>sigv4</ID><DisplayName>sigv4</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`;
  }

  function listObjects(bucket: string, query: URLSearchParams, v2: boolean): string {
    const objects = bucketOf(bucket);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const after = (v2 ? (query.get('continuation-token') ?? query.get('start-after')) : query.get('marker')) ?? '';
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000) || 1000, 1000);
    const url = query.get('encoding-type') === 'url';
    const enc = (text: string): string => xmlEscape(url ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
    const contents: string[] = [];
    const prefixes = new Set<string>();
    let truncated = false;
    let lastKey = '';
    for (const key of [...objects.keys()].sort()) {
      if (!key.startsWith(prefix) || key <= after) continue;
      const rest = key.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      const common = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : undefined;
      if (common !== undefined && prefixes.has(common)) continue;
      if (contents.length + prefixes.size >= maxKeys) {
        truncated = true;
        break;
      }
      lastKey = key;
      if (common !== undefined) {
        prefixes.add(common);
        continue;
      }
      const o = objects.get(key)!;
      contents.push(
        `<Contents><Key>${enc(key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass>` +
          (v2 && query.get('fetch-owner') !== 'true'
            ? ''
            : '<Owner><ID>sigv4</ID><DisplayName>sigv4</DisplayName></Owner>') +
          '</Contents>',
      );
    }
    const common = [...prefixes].map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`).join('');
    const head =
      `<Name>${xmlEscape(bucket)}</Name><Prefix>${enc(prefix)}</Prefix>` +
      (delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : '') +
      `<MaxKeys>${maxKeys}</MaxKeys>` +
      (url ? '<EncodingType>url</EncodingType>' : '') +
      `<IsTruncated>${truncated}</IsTruncated>`;
    if (v2) {
      const token = query.get('continuation-token');
      return (
        `<ListBucketResult ${NS}>${head}<KeyCount>${contents.length + prefixes.size}</KeyCount>` +
        (token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '') +
        (truncated ? `<NextContinuationToken>${xmlEscape(lastKey)}</NextContinuationToken>` : '') +
        `${contents.join('')}${common}</ListBucketResult>`
      );
    }
    return (
      `<ListBucketResult ${NS}>${head}<Marker>${enc(query.get('marker') ?? '')}</Marker>` +
      (truncated ? `<NextMarker>${enc(lastKey)}</NextMarker>` : '') +
      `${contents.join('')}${common}</ListBucketResult>`
    );
  }

  endpoint = `http://127.0.0.1:${port}`;
  const closeHttp = closer(server);
  const closeHttps = secure ? closer(secure.server) : async () => {};
  return {
    endpoint,
    port,
    httpsEndpoint: secure ? `https://127.0.0.1:${secure.port}` : undefined,
    log,
    buckets,
    shift: (bucket, key, ms) => void shifts.set(shiftKey(bucket, key), ms),
    close: async () => void (await Promise.all([closeHttp(), closeHttps()])),
  };
}

/** Starts the API-Gateway-style listener (service execute-api, the non-S3 rules). */
export async function startApiServer(options: ServerOptions): Promise<RunningServer> {
  const { getCredentials, region } = options;
  const log: LoggedRequest[] = [];
  const shifts = new Map<string, number>();
  const { server, port } = await listen(async (req, res, entry) => {
    const raw = req.url ?? '/';
    const rawPath = raw.split('?')[0]!;
    entry.op = 'Invoke';
    const body = await readBody(req);
    entry.bodyBytes = body.length;
    if (req.headers.authorization === undefined) {
      entry.code = 'anonymous';
      throw new S3Failure(403, 'MissingAuthenticationToken', 'Missing Authentication Token');
    }
    entry.auth = 'header';
    const result = await verified(entry, () =>
      verifyRequest({
        url: `http://${req.headers.host}${raw}`,
        method: req.method ?? 'GET',
        headers: headerPairs(req),
        body,
        getCredentials,
        region,
        service: 'execute-api',
        now: Date.now() + (shifts.get(rawPath) ?? 0),
      }),
    );
    const text = JSON.stringify({
      method: result.method,
      rawPath,
      signedPath: result.path,
      query: raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '',
      body: body.toString('utf8'),
      accessKeyId: result.accessKeyId,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }, log);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    httpsEndpoint: undefined,
    log,
    shift: (_bucket, path, ms) => void shifts.set(path, ms),
    close: closer(server),
  };
}

/** Credentials for the suite: a long-term key and a temporary one whose requests must carry its session token. */
export const CLIENT_KEYS = {
  region: 'us-east-1',
  long: { accessKeyId: 'AKIDSIGV4CLIENTS', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYCLIENTSKEY' },
  temporary: {
    accessKeyId: 'ASIASIGV4CLIENTS',
    secretAccessKey: 'tEmPoRaRy/SeCrEt+KeY/for/the/e2e/clients',
    // Shaped like an STS token: base64, with '/', '+' and '=' that must be encoded in a query.
    sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+sigv4+e2e/clients+token==',
  },
  wrongSecret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYWRONGSECRET',
} as const;

const KNOWN = new Map<string, VerifierCredentials>([
  [CLIENT_KEYS.long.accessKeyId, { secretAccessKey: CLIENT_KEYS.long.secretAccessKey }],
  [
    CLIENT_KEYS.temporary.accessKeyId,
    { secretAccessKey: CLIENT_KEYS.temporary.secretAccessKey, sessionToken: CLIENT_KEYS.temporary.sessionToken },
  ],
]);

/** The servers' credential lookup: the same object per key, as the verifiers' key cache prefers. */
export const lookup: CredentialLookup = (id) => KNOWN.get(id);
