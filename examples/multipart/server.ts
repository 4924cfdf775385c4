// A page that uploads files of any size straight to S3 with sigv4/upload, and the tiny server behind it. The
// server holds the credentials and mounts createMultipartHandler at POST /multipart: it checks each step the page
// asks for (keys under uploads/, at most maxBytes, the part size it planned) and presigns it; the page, which has
// no credentials, sends the parts to the bucket, with a progress bar, pause, resume (also after a reload) and
// abort. The bucket must allow the page's origin (CORS, with ExposeHeaders: ETag): see README.md.
//
//   npm run build   # the page loads the uploader from dist/ (in your app: import from 'sigv4/upload')
//   S3_BUCKET=my-bucket AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… \
//     npx tsx examples/multipart/server.ts
// (with S3_ENDPOINT=http://127.0.0.1:8080 for an S3-compatible store).
//
// Also used by test/e2e/multipart.e2e.ts, which drives the page in Chromium against a real S3 server.

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createMultipartHandler, type Credentials } from '../../src/index.js'; // in your project: from 'sigv4'

export interface MultipartServerOptions {
  /** An S3-compatible endpoint, scheme://host[:port] (addressed path-style). Default: AWS, in `region`. */
  readonly endpoint?: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: Credentials;
  /** Port on 127.0.0.1. Default 0: a free one. */
  readonly port?: number;
  /** The largest file the server presigns an upload for, in bytes. Default 1 GiB. */
  readonly maxBytes?: number;
  /** The part size, 5 MiB or more. Default 8 MiB. */
  readonly partSize?: number;
}

export interface MultipartServer {
  /** `http://127.0.0.1:PORT/`: the page. */
  readonly url: string;
  /** The page's origin, which the bucket's CORS rules must allow. */
  readonly origin: string;
  close(): Promise<void>;
}

const PAGE = new URL('./index.html', import.meta.url);
// The built package: the page imports /sigv4/upload.js, which imports its own files.
const DIST = new URL('../../dist/', import.meta.url);
const MODULE = /^\/sigv4\/((?:[\w-]+\/)*[\w.-]+\.js)$/;

/** A Node request as a Fetch API Request (the handler's one argument), its body streamed. */
function toRequest(request: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i < request.rawHeaders.length; i += 2)
    headers.append(request.rawHeaders[i]!, request.rawHeaders[i + 1]!);
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? undefined : (Readable.toWeb(request) as ReadableStream);
  return new Request(`${origin}${request.url ?? '/'}`, {
    method: request.method ?? 'GET',
    headers,
    ...(body ? { body, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Starts the page's server on 127.0.0.1. */
export async function startMultipartServer(options: MultipartServerOptions): Promise<MultipartServer> {
  const { endpoint, bucket, region, credentials } = options;
  const page = readFileSync(PAGE);
  const handler = createMultipartHandler({
    bucket,
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    credentials,
    keyPrefix: 'uploads/',
    maxSize: options.maxBytes ?? 1024 ** 3,
    ...(options.partSize === undefined ? {} : { partSize: options.partSize }),
    // One line in the log (no message, no stack: they may hold secrets); the page is told only that it failed.
    onError: (error) =>
      console.error(
        `${new Date().toISOString()} POST /multipart 500: ${error instanceof Error ? error.name : typeof error}`,
      ),
  });
  let origin = '';

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') =>
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (request.method === 'GET' && path === '/') return send(200, page, 'text/html; charset=utf-8');
    const module = request.method === 'GET' ? MODULE.exec(path) : null;
    if (module) {
      const file = new URL(module[1]!, DIST);
      if (existsSync(file)) return send(200, readFileSync(file), 'text/javascript; charset=utf-8');
      return send(404, module[1] === 'upload.js' ? 'dist/upload.js not found: run `npm run build`' : 'not found');
    }
    if (path !== '/multipart') return send(404, 'not found');
    handler(toRequest(request, origin)).then(
      async (answer) => {
        const headers: Record<string, string> = {};
        answer.headers.forEach((value, name) => (headers[name] = value));
        response.writeHead(answer.status, headers);
        response.end(Buffer.from(await answer.arrayBuffer()));
      },
      () => send(500, 'could not answer'),
    );
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
  const missing = ['S3_BUCKET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((name) => !env[name]);
  if (missing.length > 0) {
    console.error(`set ${missing.join(', ')} (see examples/multipart/README.md)`);
    process.exit(2);
  }
  const server = await startMultipartServer({
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
  if (!existsSync(new URL('upload.js', DIST))) console.error('dist/upload.js not found: run `npm run build` first');
  console.log(`upload page: ${server.url} (the bucket must allow the origin ${server.origin})`);
}
