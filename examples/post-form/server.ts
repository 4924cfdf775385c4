// A browser upload through a POST policy, for an S3-compatible store that has no POST uploads of its own
// (OpenStack Swift's s3api, for one). The page is a plain HTML form, no JavaScript: its hidden fields come from
// createPresignedPost (a key under a fresh folder, 1 byte to `maxBytes`, any `x-amz-meta-title`, a redirect back
// to this server). The form posts to this server's /upload, which checks it with verifyPresignedPost exactly as S3
// would, then stores the file in the bucket with a signed PUT and redirects the browser to /done.
//
// With AWS S3 itself, no gateway is needed: make the form post straight to the bucket
// (createPresignedPost({ url: s3Url({ bucket, region }), bucket, … })).
//
//   S3_ENDPOINT=http://127.0.0.1:8080 S3_BUCKET=uploads AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… \
//     npx tsx examples/post-form/server.ts
//
// Also used by test/e2e/post.e2e.ts, which drives the form in Chromium against a real S3 server.
//
// Under load: verifyPresignedPost reads the whole form, so a body is held in memory (up to maxBytes + 64 KiB);
// what bounds the memory is the number of uploads received at once (maxConcurrentUploads, then 503 SlowDown
// with Retry-After). A body over the limit (by its Content-Length, or while it arrives) is refused without being
// read further, as is one that takes longer than bodyTimeoutMs (400 RequestTimeout): the answer carries
// `Connection: close` and the connection is closed once it is sent. Failures are logged one line each (no stack,
// no exception text), at most 10 a second.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPresignedPost,
  isSigV4Error,
  s3Url,
  signRequest,
  verifyPresignedPost,
  type Credentials,
  type SigV4ErrorCode,
} from '../../src/index.js'; // in your project: from 'sigv4'

export interface PostFormServerOptions {
  /** The S3-compatible endpoint the files are stored in, scheme://host[:port] (addressed path-style). */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: Credentials;
  /** Port on 127.0.0.1. Default 0: a free one. */
  readonly port?: number;
  /** The largest file the policy allows, in bytes. Default 10 MiB. */
  readonly maxBytes?: number;
  /** Seconds each form stays valid. Default 600. */
  readonly expiresIn?: number;
  /** Uploads received at once (each held in memory); more are answered 503 SlowDown. Default 8. */
  readonly maxConcurrentUploads?: number;
  /** Milliseconds an upload's body may take to arrive; then 400 RequestTimeout. Default 60 s. */
  readonly bodyTimeoutMs?: number;
  /** Where failures are logged, one line each, at most 10 a second. Default: console.error. */
  readonly log?: (line: string) => void;
  /** The clock, in epoch milliseconds, for the log's timestamps and rate. Default: Date.now. */
  readonly now?: () => number;
}

export interface PostFormServer {
  /** `http://127.0.0.1:PORT/`: the form. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

const html = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const xml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The S3 error each verification failure answers with, as S3 would: status and code. */
const S3_ERRORS: Partial<Record<SigV4ErrorCode, [number, string]>> = {
  ERR_SIGV4_MALFORMED: [400, 'MalformedPOSTRequest'],
  ERR_SIGV4_ENTITY_TOO_SMALL: [400, 'EntityTooSmall'],
  ERR_SIGV4_ENTITY_TOO_LARGE: [400, 'EntityTooLarge'],
  ERR_SIGV4_POLICY: [400, 'InvalidPolicyDocument'],
  ERR_SIGV4_SIGNATURE_MISMATCH: [403, 'SignatureDoesNotMatch'],
  ERR_SIGV4_UNKNOWN_ACCESS_KEY: [403, 'InvalidAccessKeyId'],
};

/**
 * The fixed message of each S3 error code this server answers with. A response never carries an exception's text
 * or stack: the SigV4Error's message stays on the server, the client gets the code.
 */
const S3_MESSAGES: Record<string, string> = {
  MalformedPOSTRequest: 'The body of your POST request is not well-formed multipart/form-data.',
  EntityTooSmall: 'Your proposed upload is smaller than the minimum allowed object size.',
  EntityTooLarge: 'Your proposed upload exceeds the maximum allowed size.',
  InvalidPolicyDocument: 'The policy document is not valid.',
  SignatureDoesNotMatch: 'The request signature we calculated does not match the signature you provided.',
  InvalidAccessKeyId: 'The AWS Access Key Id you provided does not exist in our records.',
  AccessDenied: 'Access Denied',
  InvalidArgument: 'The object key or file name is not allowed here.',
  InternalError: 'We encountered an internal error. Please try again.',
  IncompleteBody: 'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  RequestTimeout: 'Your socket connection to the server was not read from or written to within the timeout period.',
  SlowDown: 'Please reduce your request rate.',
  ServiceUnavailable: 'Please reduce your request rate.',
};

/** A refusal with its status and S3 code. `close`: the body was not read to its end, so the connection cannot be reused. */
class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly close = false,
  ) {
    super(code);
  }
}

/** A failure of one step, named for the log; its cause is shown by class and code only. */
class StepError extends Error {}

/** An unexpected error, as the log shows it: the step, and the error's class and code, never its message or stack. */
function summary(error: unknown): string {
  const kind = (e: unknown): string => {
    const code = (e as { code?: unknown } | null)?.code;
    return `${e instanceof Error ? e.name : typeof e}${typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? ` ${code}` : ''}`;
  };
  if (!(error instanceof StepError)) return `unexpected error (${kind(error)})`;
  const cause = error.cause as { cause?: unknown } | undefined;
  return `${error.message} (${kind(cause)}${cause?.cause === undefined ? '' : `, cause ${kind(cause.cause)}`})`;
}

/** A log that writes at most `perSecond` lines a second and counts the rest, reported with the next line written. */
function rateLimitedLog(write: (line: string) => void, now: () => number, perSecond = 10): (line: string) => void {
  let second = Number.NaN;
  let written = 0;
  let suppressed = 0;
  return (line) => {
    const current = Math.floor(now() / 1000);
    if (current !== second) {
      if (suppressed > 0) write(`(suppressed ${suppressed} similar lines)`);
      [second, written, suppressed] = [current, 0, 0];
    }
    if (written < perSecond) {
      written += 1;
      write(line);
    } else suppressed += 1;
  };
}

/** Where every stored key lives: the forms this server makes put keys under `uploads/<uuid>/`. */
const KEY_PREFIX = 'uploads/';

/**
 * Whether a verified key may be stored. S3 puts the name the client sent in place of `${filename}`,
 * whatever it holds; here a name is a name: no "/" or "\", not "." or "..", so it cannot add folders to the key or
 * climb out of it. And whatever the key field said (the policy only fixes its prefix), a key with a "." or ".."
 * segment, a "\" or a control character is refused: URL parsers resolve such paths (`uploads/x/../../y` is sent as
 * `/y`), so the file would be stored somewhere else than the key that was checked.
 */
function isStorable(key: string, keyField: string | undefined, fileName: string | undefined): boolean {
  if (
    keyField?.includes('${filename}') &&
    (fileName === undefined || /[/\\]/.test(fileName) || fileName === '.' || fileName === '..')
  )
    return false;
  return (
    key.startsWith(KEY_PREFIX) &&
    !/[\\\x00-\x1f\x7f]/.test(key) &&
    !key.split('/').some((segment) => segment === '.' || segment === '..')
  );
}

/** Starts the form's server on 127.0.0.1. */
export async function startPostFormServer(options: PostFormServerOptions): Promise<PostFormServer> {
  const { endpoint, bucket, region, credentials } = options;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxConcurrentUploads = options.maxConcurrentUploads ?? 8;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 60_000;
  const now = options.now ?? Date.now;
  const log = rateLimitedLog(options.log ?? ((line) => console.error(line)), now);
  let uploads = 0; // bodies being received or stored now
  let origin = '';

  /** The form: fresh fields for each page view. */
  async function page(): Promise<string> {
    const post = await createPresignedPost({
      url: `${origin}/upload`, // with S3: the bucket's URL
      bucket,
      key: `uploads/${randomUUID()}/\${filename}`,
      conditions: [
        ['content-length-range', 1, maxBytes],
        ['starts-with', '$x-amz-meta-title', ''], // any title the user types
      ],
      fields: { success_action_redirect: `${origin}/done` },
      region,
      credentials,
      expiresIn: options.expiresIn ?? 600,
    });
    const hidden = Object.entries(post.fields)
      .map(([name, value]) => `  <input type="hidden" name="${html(name)}" value="${html(value)}">`)
      .join('\n');
    return `<!doctype html>
<meta charset="utf-8">
<title>Upload through a POST policy</title>
<h1>Upload a file (1 byte to ${maxBytes} bytes)</h1>
<form id="form" method="post" action="${html(post.url)}" enctype="multipart/form-data">
${hidden}
  <label>Title <input id="title" name="x-amz-meta-title"></label>
  <input id="file" type="file" name="file">
  <button id="upload" type="submit">Upload</button>
</form>
<p>The form expires at ${html(post.expiresAt.toISOString())}.</p>
`;
  }

  /**
   * Reads the body, up to `limit` bytes and `bodyTimeoutMs`. Past either, or when the client goes away, it throws
   * an S3Error and stops reading, without destroying the request: the refusal can still be answered.
   */
  function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer>> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const stop = (error: S3Error) => {
        clear();
        request.pause();
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) return stop(new S3Error(400, 'EntityTooLarge', true));
        chunks.push(chunk);
      };
      const onEnd = () => {
        clear();
        const body = new Uint8Array(size);
        let offset = 0;
        for (const chunk of chunks) {
          body.set(chunk, offset);
          offset += chunk.length;
        }
        resolve(body);
      };
      const onClose = () => stop(new S3Error(400, 'IncompleteBody', true)); // before 'end': the client went away
      const timer = setTimeout(() => stop(new S3Error(400, 'RequestTimeout', true)), bodyTimeoutMs);
      const clear = () => {
        clearTimeout(timer);
        request.off('data', onData).off('end', onEnd).off('close', onClose);
      };
      request.on('data', onData).on('end', onEnd).on('close', onClose);
    });
  }

  /**
   * An S3-style error: the code and its fixed message (never an exception's text), and the SigV4 error code if
   * any. A request whose body was not read to its end gets `Connection: close`, and its connection is closed once
   * the answer is sent: the rest is never read.
   */
  const sendError = (
    response: ServerResponse,
    status: number,
    code: string,
    sigv4Code?: string,
    close = false,
  ): void => {
    const message = S3_MESSAGES[code] ?? S3_MESSAGES['AccessDenied']!;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>${sigv4Code ? `<SigV4Code>${sigv4Code}</SigV4Code>` : ''}</Error>`;
    const headers: Record<string, string> = { 'content-type': 'application/xml', 'cache-control': 'no-store' };
    if (status === 503) headers['retry-after'] = '1';
    if (close || !response.req.complete) {
      headers['connection'] = 'close';
      response.once('finish', () => response.req.socket.destroy());
    }
    response.writeHead(status, headers).end(body);
  };

  /** POST /upload, capped: at most maxConcurrentUploads bodies in memory at once. */
  async function upload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The form's fields are a few KB: anything much past the largest file allowed is refused unread.
    const limit = maxBytes + 64 * 1024;
    if (Number(request.headers['content-length'] ?? 0) > limit) throw new S3Error(400, 'EntityTooLarge', true);
    if (uploads >= maxConcurrentUploads) throw new S3Error(503, 'SlowDown', true);
    uploads += 1;
    try {
      await store(request, response, await readBody(request, limit));
    } finally {
      uploads -= 1;
    }
  }

  /** What S3 does with a POST Object, on a store that cannot. */
  async function store(
    request: IncomingMessage,
    response: ServerResponse,
    body: Uint8Array<ArrayBuffer>,
  ): Promise<void> {
    let form: FormData;
    try {
      form = await new Request('http://localhost/', {
        method: 'POST',
        headers: { 'content-type': request.headers['content-type'] ?? '' },
        body,
      }).formData();
    } catch {
      return sendError(response, 400, 'MalformedPOSTRequest');
    }
    let verified;
    try {
      verified = await verifyPresignedPost({
        form,
        bucket,
        region,
        getCredentials: (id) => (id === credentials.accessKeyId ? credentials : undefined),
        // A deadline for the key store: here it is a constant, but one that does not answer must not hold the upload.
        signal: AbortSignal.timeout(2_000),
      });
    } catch (error) {
      if (!isSigV4Error(error)) throw error;
      const [status, code] = S3_ERRORS[error.code] ?? [403, 'AccessDenied'];
      return sendError(response, status, code, error.code);
    }
    if (!isStorable(verified.key, verified.fields['key'], verified.fileName))
      return sendError(response, 400, 'InvalidArgument');

    // Verified: store the file as S3 would, with its Content-Type and metadata. The file is the part that was
    // checked (verified.file), never form.get('file'): names are case-insensitive, the part may be named "File".
    const file = verified.file!; // the form held the file: no fileSize was passed
    const bytes = typeof file === 'string' ? new TextEncoder().encode(file) : new Uint8Array(await file.arrayBuffer());
    const headers: Record<string, string> = {
      'content-type': verified.fields['content-type'] ?? 'binary/octet-stream',
    };
    for (const [name, value] of Object.entries(verified.fields)) {
      if (!name.startsWith('x-amz-meta-')) continue;
      // Header values are ASCII: other text is stored percent-encoded.
      headers[name] = /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
    }
    // The key as data: whatever it holds ("?", "#", "%"), it names this object.
    const location = s3Url({ endpoint, bucket, key: verified.key });
    const put = await signRequest({
      url: location,
      method: 'PUT',
      service: 's3',
      region,
      credentials,
      headers,
      body: bytes,
    });
    // And the URL sent is still under the bucket's folder (isStorable refused what a URL parser would resolve).
    if (!new URL(put.url).pathname.startsWith(new URL(s3Url({ endpoint, bucket, key: KEY_PREFIX })).pathname))
      return sendError(response, 400, 'InvalidArgument');
    let stored: Response;
    try {
      stored = await fetch(put.url, {
        method: 'PUT',
        headers: put.headers,
        body: bytes,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new StepError('the bucket PUT: fetch failed', { cause: error });
    }
    if (!stored.ok) return sendError(response, 502, 'InternalError');
    const etag = stored.headers.get('etag') ?? '';

    const redirect = verified.fields['success_action_redirect'] ?? verified.fields['redirect'];
    if (redirect) {
      const to = new URL(redirect);
      to.searchParams.set('bucket', bucket);
      to.searchParams.set('key', verified.key);
      to.searchParams.set('etag', etag);
      response.writeHead(303, { location: to.href }).end();
      return;
    }
    const status = Number(verified.fields['success_action_status'] ?? 204);
    if (status !== 201) return void response.writeHead(status === 200 ? 200 : 204, { etag }).end();
    response
      .writeHead(201, { 'content-type': 'application/xml', etag, location })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xml(location)}</Location><Bucket>${xml(bucket)}</Bucket><Key>${xml(verified.key)}</Key><ETag>${xml(etag)}</ETag></PostResponse>`,
      );
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, body: string) =>
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
    const failed = (error: unknown) => {
      if (error instanceof S3Error) return sendError(response, error.status, error.code, undefined, error.close);
      if (response.headersSent) return void response.destroy();
      // The credential lookup's deadline passed: not the request's fault, and worth a retry.
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      const [status, code] = timedOut ? [503, 'ServiceUnavailable'] : [500, 'InternalError'];
      log(`${new Date(now()).toISOString()} ${request.method} ${url.pathname} ${status} ${code}: ${summary(error)}`); // one line, no stack
      sendError(response, status, code);
    };
    if (request.method === 'GET' && url.pathname === '/') return void page().then((text) => send(200, text), failed);
    if (request.method === 'POST' && url.pathname === '/upload') return void upload(request, response).catch(failed);
    if (request.method === 'GET' && url.pathname === '/done') {
      const key = url.searchParams.get('key') ?? '';
      return send(
        200,
        `<!doctype html>\n<meta charset="utf-8">\n<title>Uploaded</title>\n<p id="result" data-key="${html(key)}">Uploaded ${html(key)} (ETag ${html(url.searchParams.get('etag') ?? '')}).</p>\n<p><a href="/">Upload another</a></p>\n`,
      );
    }
    send(404, 'not found');
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const env = process.env;
  const missing = ['S3_ENDPOINT', 'S3_BUCKET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter(
    (name) => !env[name],
  );
  if (missing.length > 0) {
    console.error(`set ${missing.join(', ')} (see examples/post-form/README.md)`);
    process.exit(2);
  }
  const server = await startPostFormServer({
    endpoint: env['S3_ENDPOINT']!,
    bucket: env['S3_BUCKET']!,
    region: env['AWS_REGION'] ?? 'us-east-1',
    credentials: {
      accessKeyId: env['AWS_ACCESS_KEY_ID']!,
      secretAccessKey: env['AWS_SECRET_ACCESS_KEY']!,
      ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}),
    },
    port: Number(env['PORT'] ?? 0),
  });
  console.log(`upload form: ${server.url}`);
}
