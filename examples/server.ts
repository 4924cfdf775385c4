// A file server (plain node:http) that serves downloads and accepts uploads signed with SigV4: URLs it presigned
// itself (checked with verifyPresignedUrl), or requests signed in the Authorization header (verifyRequest) with a
// key its credential lookup knows. What the signature covers (method, path, the signed content-type, the payload
// hash) is what the server acts on. Run it, then try the curl commands it prints:
//   npx tsx examples/server.ts [port]
// Files go to $FILES_DIR, or a fresh temporary folder.
//
// Built to be copied, so it holds up under load and faults:
// - an upload streams to a temporary file (hashed on the way when the payload hash is signed) and is renamed into
//   place only when whole and checked: data and metadata are one file, so concurrent PUTs to one key leave exactly
//   one writer's bytes with that writer's content-type (the last rename wins), and a reader never sees a mix;
// - an aws-chunked upload (x-amz-content-sha256: STREAMING-…, as minio-go, boto3 over https and the AWS SDKs with
//   a stream body send it) goes to verifyRequest as a stream, and what is written is the verified body stream it
//   hands back: each signed chunk once it verified, the trailer's checksum and the decoded length checked at the
//   end. A bad chunk, checksum or length stops the upload there (403 SignatureDoesNotMatch, 400 BadDigest or
//   IncompleteBody) and nothing is kept;
// - uploads are capped (maxConcurrentUploads, then 503 SlowDown with Retry-After), bounded in size (413
//   EntityTooLarge) and in time (bodyTimeoutMs, then 400 RequestTimeout); a refused body is not read: the answer
//   carries `Connection: close` and the connection is closed once it is sent;
// - only ENOENT is "no such key": out of file descriptors or disk is 503 ServiceUnavailable, anything else 500;
// - errors are S3's XML with fixed messages; the log gets one line per failure (no stack, no exception text),
//   at most logLinesPerSecond a second.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import {
  isSigV4Error,
  presignUrl,
  verifyPresignedUrl,
  verifyRequest,
  type CredentialLookup,
  type Credentials,
  type SigV4ErrorCode,
  type VerifiedRequest,
} from '../src/index.js'; // in your project: from 'sigv4'

/** The file-system calls the server makes: node:fs/promises by default (tests inject failures here). */
export type Storage = Pick<typeof fs, 'open' | 'rename' | 'unlink'>;

export interface FileServerOptions {
  /** Folder the files are kept in. */
  readonly root: string;
  /** The key this server presigns with (and, without getCredentials, the only one it accepts). */
  readonly credentials: Credentials;
  /** Finds the secret of any access key id (a database, a secrets store). Default: `credentials` only. */
  readonly getCredentials?: CredentialLookup;
  readonly region?: string;
  /** Largest upload, in bytes. Default 10 MiB. */
  readonly maxBytes?: number;
  /** Uploads received at once; more are answered 503 SlowDown. Default 32. */
  readonly maxConcurrentUploads?: number;
  /** Milliseconds an upload's body may take to arrive; then 400 RequestTimeout. Default 60 s. */
  readonly bodyTimeoutMs?: number;
  /** Milliseconds the credential lookup may take; then 503 ServiceUnavailable (the `signal` option). Default 2 s. */
  readonly lookupTimeoutMs?: number;
  /** The clock, in epoch milliseconds: injectable for tests. */
  readonly now?: () => number;
  /** Where files are read and written. Default: node:fs/promises. */
  readonly storage?: Storage;
  /** Where failures are logged, one line each. Default: console.error. */
  readonly log?: (line: string) => void;
  /** Log lines written per second at most; the others are counted and reported. Default 10. */
  readonly logLinesPerSecond?: number;
}

export interface FileServer {
  readonly server: Server;
  /** A URL that lets its holder GET (download) or PUT (upload) one key, until it expires. */
  presign(request: {
    origin: string;
    method: 'GET' | 'PUT';
    key: string;
    contentType?: string;
    expiresIn?: number;
  }): Promise<string>;
}

const SERVICE = 's3'; // S3's rules: keys are taken as they are (no path normalization).

// A file name for a key: its hash, so no key ("..", "a/b", 300 characters) can reach outside the folder.
const fileFor = (root: string, key: string): string =>
  join(root, createHash('sha256').update(key, 'utf8').digest('hex'));

// On disk, an object is one file: a first line of JSON metadata, then the bytes. One file, so one rename puts
// data and metadata in place together.
interface Metadata {
  readonly key: string;
  readonly contentType: string;
  readonly uploadedBy: string;
}
const MAX_METADATA_BYTES = 8192;

/** The S3 error codes this server answers with, and S3's fixed message for each. */
const S3_MESSAGES = {
  AccessDenied: 'Access Denied',
  SignatureDoesNotMatch: 'The request signature we calculated does not match the signature you provided.',
  InvalidAccessKeyId: 'The AWS Access Key Id you provided does not exist in our records.',
  NoSuchKey: 'The specified key does not exist.',
  InvalidURI: "Couldn't parse the specified URI.",
  InvalidRequest: 'The request is not valid for this server.',
  MethodNotAllowed: 'The specified method is not allowed against this resource.',
  NotImplemented: 'A header you provided implies functionality that is not implemented.',
  EntityTooLarge: 'Your proposed upload exceeds the maximum allowed size.',
  IncompleteBody: 'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  RequestTimeout: 'Your socket connection to the server was not read from or written to within the timeout period.',
  XAmzContentSHA256Mismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  BadDigest: 'The Content-MD5 or checksum value that you specified did not match what the server received.',
  SlowDown: 'Please reduce your request rate.',
  ServiceUnavailable: 'Please reduce your request rate.',
  InternalError: 'We encountered an internal error. Please try again.',
} as const;
type S3Code = keyof typeof S3_MESSAGES;

/** A verification failure's S3 code; 403 (AccessDenied unless named here), the SigV4 code says more. */
const S3_CODES: Partial<Record<SigV4ErrorCode, S3Code>> = {
  ERR_SIGV4_SIGNATURE_MISMATCH: 'SignatureDoesNotMatch',
  ERR_SIGV4_UNKNOWN_ACCESS_KEY: 'InvalidAccessKeyId',
  ERR_SIGV4_CHUNK_SIGNATURE: 'SignatureDoesNotMatch', // an aws-chunked body's chunk or trailer signature
};
/** An aws-chunked body whose data is not what was announced: 400, as S3 answers it. */
const S3_BODY_CODES: Partial<Record<SigV4ErrorCode, S3Code>> = {
  ERR_SIGV4_CHECKSUM_MISMATCH: 'BadDigest',
  ERR_SIGV4_CHUNK_FRAMING: 'IncompleteBody',
  ERR_SIGV4_LENGTH_MISMATCH: 'IncompleteBody',
};

/** A refusal with its S3 status and code. `close`: the body was not read, so the connection cannot be reused. */
class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: S3Code,
    readonly close = false,
  ) {
    super(code);
  }
}

/** A failure of the credential lookup, kept apart so the log can say where it happened. */
class LookupError extends Error {}

/** The errno code of a file-system error (ENOENT, EMFILE…), if it is one. */
const errnoOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
};
/** Errors that pass: the server is out of something for now, so 503 and the client retries. */
const EXHAUSTED = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ENOMEM', 'ENOSPC']);

/** An unexpected error, as the log shows it: its class and errno code, never its message or stack (they may hold secrets). */
const summary = (error: unknown): string => {
  const cause = error instanceof LookupError ? error.cause : error;
  const kind = `${cause instanceof Error ? cause.name : typeof cause}${errnoOf(cause) ? ` ${errnoOf(cause)}` : ''}`;
  if (error instanceof LookupError) return `credential lookup failed (${kind})`;
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'credential lookup timed out';
  return errnoOf(error) ? `storage failed (${kind})` : `unexpected error (${kind})`;
};

/**
 * A log that writes at most `perSecond` lines each second (of the injected clock) and counts the rest, reported
 * with the next line written: a failure that repeats on every request cannot flood the log.
 */
export function rateLimitedLog(
  write: (line: string) => void,
  now: () => number,
  perSecond: number,
): (line: string) => void {
  let second = Number.NaN;
  let written = 0;
  let suppressed = 0;
  return (line) => {
    const current = Math.floor(now() / 1000);
    if (current !== second) {
      if (suppressed > 0) write(`(suppressed ${suppressed} similar lines)`);
      second = current;
      written = 0;
      suppressed = 0;
    }
    if (written < perSecond) {
      written += 1;
      write(line);
    } else suppressed += 1;
  };
}

const xml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Answers an S3 error. A request whose body was not read to its end gets `Connection: close`, and its connection
 * is closed once the answer is sent: the rest of the body is never read.
 */
function sendError(req: IncomingMessage, res: ServerResponse, error: S3Error, sigv4Code?: string): void {
  if (res.headersSent) return void res.destroy(); // mid-download: all the client can be told is that it broke
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${xml(S3_MESSAGES[error.code])}</Message>` +
    `${sigv4Code ? `<SigV4Code>${sigv4Code}</SigV4Code>` : ''}</Error>`;
  const headers: Record<string, string | number> = {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
  };
  if (error.status === 503) headers['retry-after'] = 1;
  if (error.close || !req.complete) {
    headers['connection'] = 'close';
    req.unpipe();
    res.once('finish', () => req.socket.destroy());
  }
  res.writeHead(error.status, headers).end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export function createFileServer(options: FileServerOptions): FileServer {
  const { root, credentials } = options;
  const region = options.region ?? 'us-east-1';
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxConcurrentUploads = options.maxConcurrentUploads ?? 32;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 60_000;
  const lookupTimeoutMs = options.lookupTimeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const storage = options.storage ?? fs;
  const log = rateLimitedLog(options.log ?? ((line) => console.error(line)), now, options.logLinesPerSecond ?? 10);
  const lookup: CredentialLookup =
    options.getCredentials ?? ((id) => (id === credentials.accessKeyId ? credentials : undefined));
  let uploads = 0; // uploads being received now

  /** The lookup, its failures marked as such. */
  const getCredentials: CredentialLookup = async (id, context) => {
    try {
      return await lookup(id, context);
    } catch (error) {
      throw new LookupError('credential lookup failed', { cause: error });
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The URL as the client sent it: the path is not resolved or re-encoded, since for S3 rules it is the key.
    const verify = req.headers.authorization === undefined ? verifyPresignedUrl : verifyRequest;
    // An aws-chunked body is the verifier's to read: given as a stream, it comes back as verified.body, decoded and
    // checked as it is read (none of it is used unless the seed signature verified).
    const chunked =
      req.headers.authorization !== undefined && /^STREAMING-/.test(String(req.headers['x-amz-content-sha256']));
    const verified = await verify({
      ...(chunked ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array> } : {}),
      url: `http://${req.headers.host ?? ''}${req.url ?? ''}`,
      method: req.method ?? '',
      headers: req.headersDistinct,
      service: SERVICE,
      region,
      getCredentials,
      // A deadline: a key store that does not answer must not hold the request (and its socket) for ever.
      signal: AbortSignal.timeout(lookupTimeoutMs),
      now: now(),
    });
    // From here on, only what the signature covers is trusted.
    let key: string;
    try {
      key = decodeURIComponent(verified.path.slice(1));
    } catch {
      throw new S3Error(400, 'InvalidURI');
    }
    if (key === '') throw new S3Error(400, 'InvalidRequest');
    const file = fileFor(root, key);
    if (verified.method === 'GET') await download(res, file);
    else if (verified.method === 'PUT') await upload(req, res, verified, key, file);
    else throw new S3Error(405, 'MethodNotAllowed');
  }

  /** GET: the metadata and the bytes come from one open file, so from one upload. */
  async function download(res: ServerResponse, file: string): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await storage.open(file, 'r');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw new S3Error(404, 'NoSuchKey'); // only this means "no such key"
      throw error;
    }
    let meta: Metadata;
    let start: number;
    let size: number;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(MAX_METADATA_BYTES), 0, MAX_METADATA_BYTES, 0);
      const end = buffer.subarray(0, bytesRead).indexOf('\n');
      if (end < 0) throw new Error('corrupt object file: no metadata line');
      meta = JSON.parse(buffer.toString('utf8', 0, end)) as Metadata;
      start = end + 1;
      size = (await handle.stat()).size - start;
    } catch (error) {
      await handle.close();
      throw error;
    }
    res.writeHead(200, { 'content-type': meta.contentType, 'content-length': size });
    await pipeline(handle.createReadStream({ start }), res); // closes the file when done or failed
  }

  /** PUT: checked and capped before the body is read, then streamed to a temporary file and renamed into place. */
  async function upload(
    req: IncomingMessage,
    res: ServerResponse,
    verified: VerifiedRequest,
    key: string,
    file: string,
  ): Promise<void> {
    // aws-chunked: the size that counts is the data's (x-amz-decoded-content-length, checked against the data by the
    // verified body), not the framed body's content-length. The limit is also counted on the bytes as they come.
    const size = req.headers[verified.body ? 'x-amz-decoded-content-length' : 'content-length'];
    if (Number(size ?? 0) > maxBytes) throw new S3Error(413, 'EntityTooLarge', true);
    if (uploads >= maxConcurrentUploads) throw new S3Error(503, 'SlowDown', true);
    uploads += 1;
    const temporary = `${file}.${randomBytes(8).toString('hex')}.tmp`;
    try {
      const contentType = verified.headers['content-type'] ?? 'application/octet-stream'; // signed, if present
      const meta: Metadata = { key, contentType, uploadedBy: verified.accessKeyId };
      // An aws-chunked body is read from the verified body stream (it errors at the first bad chunk), any other
      // from the request.
      const source = verified.body ? Readable.fromWeb(verified.body as NodeReadableStream<Uint8Array>) : req;
      const body = await receiveBody(req, source, temporary, `${JSON.stringify(meta)}\n`);
      // The signature covered the hash the client claimed (a hex SHA-256, or UNSIGNED-PAYLOAD): the bytes must match
      // it. (An aws-chunked body was checked as it was read: its stream closed, so every chunk and the trailer held.)
      if (!verified.body && verified.payloadHash !== 'UNSIGNED-PAYLOAD' && body.sha256 !== verified.payloadHash) {
        throw new S3Error(400, 'XAmzContentSHA256Mismatch');
      }
      await storage.rename(temporary, file); // atomic: readers see the old object or this one, whole
      sendJson(res, 200, { key, bytes: body.bytes, contentType });
    } catch (error) {
      await storage.unlink(temporary).catch(() => {}); // may not exist yet, or already renamed
      throw error;
    } finally {
      uploads -= 1;
    }
  }

  /**
   * Streams the body (`source`: the request, or the verified body stream read from it) into a new file after
   * `header`, hashing it on the way. Rejects past `maxBytes` (413), past the deadline (400 RequestTimeout), when the
   * client goes away (400 IncompleteBody) or at the verified body's first fault (its SigV4Error), the request then
   * no longer read.
   */
  async function receiveBody(
    req: IncomingMessage,
    source: Readable,
    path: string,
    header: string,
  ): Promise<{ bytes: number; sha256: string }> {
    const out = (await storage.open(path, 'wx')).createWriteStream(); // closes the file when done or failed
    out.write(header);
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(new S3Error(413, 'EntityTooLarge', true));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const timer = setTimeout(() => meter.destroy(new S3Error(400, 'RequestTimeout', true)), bodyTimeoutMs);
    const gone = () => {
      if (!req.complete) meter.destroy(new S3Error(400, 'IncompleteBody', true));
    };
    req.once('close', gone);
    if (req.destroyed) gone();
    // The verified body's fault (a SigV4Error) fails the upload; the request itself is never destroyed here.
    const faulted = (error: Error) => meter.destroy(error);
    if (source !== req) source.once('error', faulted);
    source.pipe(meter); // not in the pipeline: a failure must not destroy the request before it is answered
    try {
      await pipeline(meter, out);
    } finally {
      clearTimeout(timer);
      req.off('close', gone);
      source.unpipe(meter);
      source.off('error', faulted);
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  /** Any failure, as an S3 error; the unexpected ones logged in one line. */
  function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (isSigV4Error(error)) {
      const bodyCode = S3_BODY_CODES[error.code];
      const refusal = bodyCode ? new S3Error(400, bodyCode) : new S3Error(403, S3_CODES[error.code] ?? 'AccessDenied');
      return sendError(req, res, refusal, error.code);
    }
    if (error instanceof S3Error) return sendError(req, res, error);
    if (res.headersSent) return void res.destroy(); // a download cut short, most often by the client
    // Out of something for now (file descriptors, disk), or the lookup's deadline passed: 503, and the client retries.
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    const refusal =
      timedOut || EXHAUSTED.has(errnoOf(error) ?? '')
        ? new S3Error(503, 'ServiceUnavailable')
        : new S3Error(500, 'InternalError');
    log(`${new Date(now()).toISOString()} ${req.method} ${refusal.status} ${refusal.code}: ${summary(error)}`);
    sendError(req, res, refusal);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(req, res, error));
  });

  return {
    server,
    async presign({ origin, method, key, contentType, expiresIn = 900 }) {
      const { url } = await presignUrl({
        // The key is one path segment ("/" as %2F): clients that resolve "." and ".." segments (fetch, browsers)
        // then send it as signed.
        url: `${origin}/${encodeURIComponent(key)}`,
        method,
        service: SERVICE,
        region,
        credentials,
        signingDate: now(),
        expiresIn,
        ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
      });
      return url;
    },
  };
}

// Run directly: serve a folder and print a presigned PUT and GET to try. The key is $AWS_ACCESS_KEY_ID and
// $AWS_SECRET_ACCESS_KEY, or a random one; port 0 picks a free port.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  const root = env['FILES_DIR'] ?? (await fs.mkdtemp(join(tmpdir(), 'sigv4-files-')));
  await fs.mkdir(root, { recursive: true });
  const credentials = {
    accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? 'AKIDEXAMPLESERVER',
    secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? randomBytes(30).toString('base64'),
  };
  const { server, presign } = createFileServer({ root, credentials });
  server.listen(Number(process.argv[2] ?? 8080), '127.0.0.1', async () => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const key = 'notes/hello world.txt';
    const put = await presign({ origin, method: 'PUT', key, contentType: 'text/plain' });
    const get = await presign({ origin, method: 'GET', key });
    console.log(`Serving ${root} on ${origin}; URLs valid for 15 minutes.\n`);
    console.log(`Upload:\n  curl -X PUT -H 'content-type: text/plain' --data-binary 'hello' '${put}'\n`);
    console.log(`Download:\n  curl '${get}'\n`);
    console.log(
      `Anything else gets 403, e.g. the download URL used to upload:\n  curl -X PUT --data-binary 'x' '${get}'`,
    );
  });
}
