// A browser upload page and the tiny server behind it. The server holds the credentials and presigns, with this
// library, one PUT (with the file's content-type signed) and one GET (with a download file name) per file; the
// page, which has no credentials, uploads the file straight to the bucket with a progress bar, then shows the
// download link. The bucket must allow the page's origin (CORS): see examples/upload/README.md.
//
//   S3_BUCKET=my-bucket AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… \
//     npx tsx examples/upload/server.ts
// (with S3_ENDPOINT=http://127.0.0.1:8080 for an S3-compatible store).
//
// Also used by test/e2e/upload.e2e.ts, which drives the page in Chromium against a real S3 server.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { presignUrl, s3Url, type Credentials } from '../../src/index.js'; // in your project: from 'sigv4'

export interface UploadServerOptions {
  /** An S3-compatible endpoint, scheme://host[:port] (addressed path-style). Default: AWS, in `region`. */
  readonly endpoint?: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: Credentials;
  /** Port on 127.0.0.1. Default 0: a free one. */
  readonly port?: number;
  /** The largest file the server presigns an upload for, in bytes. Default 100 MiB. */
  readonly maxBytes?: number;
}

export interface UploadServer {
  /** `http://127.0.0.1:PORT/`: the page. */
  readonly url: string;
  /** The page's origin, which the bucket's CORS rules must allow. */
  readonly origin: string;
  close(): Promise<void>;
}

const PAGE = new URL('./index.html', import.meta.url);
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/** Too large to read: answered 413 with `Connection: close`, the rest of the body left unread. */
class TooLarge extends Error {}

/** Reads a small JSON body. Past `limit` bytes it stops reading (without destroying the request, so it can be answered). */
function readJson(request: IncomingMessage, limit = 4096): Promise<unknown> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.reject(new TooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off('data', onData).pause();
      reject(new TooLarge());
    };
    request.on('data', onData).on('error', reject);
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Starts the page's server on 127.0.0.1. */
export async function startUploadServer(options: UploadServerOptions): Promise<UploadServer> {
  const { endpoint, bucket, region, credentials } = options;
  const maxBytes = options.maxBytes ?? 100 * 1024 * 1024;
  const page = readFileSync(PAGE);

  /** Answers POST /presign { name, type, size } with a presigned PUT (content-type signed) and GET. */
  async function presignFor(request: IncomingMessage): Promise<[number, string, string?]> {
    let body: unknown;
    try {
      body = await readJson(request);
    } catch (error) {
      if (error instanceof TooLarge) throw error;
      return [400, 'expected JSON { name, type, size }'];
    }
    const { name, type, size } = (body ?? {}) as { name?: unknown; type?: unknown; size?: unknown };
    // Not "." or "..": the key would hold a dot segment, which browsers resolve before sending (the upload would
    // fail its signature).
    if (
      typeof name !== 'string' ||
      name === '' ||
      name.length > 200 ||
      /[\0-\x1f/\\]/.test(name) ||
      name === '.' ||
      name === '..'
    ) {
      return [
        400,
        'expected a file name of 1 to 200 characters, without "/", "\\" or control characters, not "." or ".."',
      ];
    }
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > maxBytes) {
      return [413, `expected a size of 0 to ${maxBytes} bytes`];
    }
    const contentType = typeof type === 'string' && MIME_TYPE.test(type) ? type : 'application/octet-stream';
    // A fresh folder per upload, so names never collide; the file keeps its own name.
    const key = `uploads/${randomUUID()}/${name}`;
    // The key as data: a name with "?", "#" or "%" stays part of it.
    const url = s3Url({ bucket, key, region, ...(endpoint === undefined ? {} : { endpoint }) });
    const common = { url, service: 's3', region, credentials } as const;
    // The page must send the content-type it asked for: it is signed.
    const put = await presignUrl({
      ...common,
      method: 'PUT',
      expiresIn: 600,
      headers: { 'content-type': contentType },
    });
    const get = await presignUrl({
      ...common,
      expiresIn: 3600,
      query: { 'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` },
    });
    const answer = {
      key,
      put: { url: put.url, headers: put.headers },
      get: { url: get.url, expiresAt: get.expiresAt },
    };
    return [200, JSON.stringify(answer), 'application/json'];
  }

  const server = createServer((request, response) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') =>
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/') return send(200, page, 'text/html; charset=utf-8');
    if (request.method !== 'POST' || path !== '/presign') return send(404, 'not found');

    presignFor(request).then(
      ([status, text, type]) => send(status, text, type),
      (error: unknown) => {
        if (error instanceof TooLarge) {
          // The body was not read to its end: the connection cannot be reused, and is closed once this is sent.
          response.setHeader('connection', 'close');
          response.once('finish', () => request.socket.destroy());
          return send(413, 'expected at most 4096 bytes of JSON');
        }
        // One line in the log (no stack, no message: they may hold secrets), a generic answer.
        console.error(
          `${new Date().toISOString()} POST /presign 500: presigning failed (${error instanceof Error ? error.name : typeof error})`,
        );
        send(500, 'could not presign');
      },
    );
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
  const missing = ['S3_BUCKET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((name) => !env[name]);
  if (missing.length > 0) {
    console.error(`set ${missing.join(', ')} (see examples/upload/README.md)`);
    process.exit(2);
  }
  const server = await startUploadServer({
    ...(env['S3_ENDPOINT'] ? { endpoint: env['S3_ENDPOINT'] } : {}),
    bucket: env['S3_BUCKET']!,
    region: env['AWS_REGION'] ?? 'us-east-1',
    credentials: {
      accessKeyId: env['AWS_ACCESS_KEY_ID']!,
      secretAccessKey: env['AWS_SECRET_ACCESS_KEY']!,
      ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}),
    },
    port: Number(env['PORT'] ?? 0),
  });
  console.log(`upload page: ${server.url} (the bucket must allow the origin ${server.origin})`);
}
