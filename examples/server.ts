// A file server (plain node:http) that serves downloads and accepts uploads only through URLs it presigned
// itself: every request is checked with verifyPresignedUrl, and what the signature covers (method, path, the
// signed content-type) is what the server acts on. Run it, then try the curl commands it prints:
//   npx tsx examples/server.ts [port]
// Files go to $FILES_DIR, or a fresh temporary folder.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSigV4Error, presignUrl, verifyPresignedUrl, type Credentials } from '../src/index.js';

export interface FileServerOptions {
  /** Folder the files are kept in. */
  readonly root: string;
  /** The key this server presigns with (and the only one it accepts). */
  readonly credentials: Credentials;
  readonly region?: string;
  /** Largest upload, in bytes. Default 10 MiB. */
  readonly maxBytes?: number;
  /** The clock, in epoch milliseconds: injectable for tests. */
  readonly now?: () => number;
}

export interface FileServer {
  readonly server: Server;
  /** A URL that lets its holder GET (download) or PUT (upload) one key, until it expires. */
  presign(request: { origin: string; method: 'GET' | 'PUT'; key: string; contentType?: string; expiresIn?: number }): Promise<string>;
}

const SERVICE = 's3'; // S3's rules: keys are taken as they are (no path normalization), payload unsigned.

// A file name for a key: its hash, so no key ("..", "a/b", 300 characters) can reach outside the folder.
const fileFor = (root: string, key: string): string => join(root, createHash('sha256').update(key, 'utf8').digest('hex'));

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function createFileServer(options: FileServerOptions): FileServer {
  const { root, credentials } = options;
  const region = options.region ?? 'us-east-1';
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const now = options.now ?? Date.now;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The URL as the client sent it: the path is not resolved or re-encoded, since for S3 rules it is the key.
    const verified = await verifyPresignedUrl({
      url: `http://${req.headers.host ?? ''}${req.url ?? ''}`,
      method: req.method ?? '',
      headers: req.headersDistinct,
      service: SERVICE,
      region,
      getCredentials: (id) => (id === credentials.accessKeyId ? credentials : undefined),
      now: now(),
    });
    // From here on, only what the signature covers is trusted.
    let key: string;
    try {
      key = decodeURIComponent(verified.path.slice(1));
    } catch {
      return send(res, 400, { error: 'the key is not UTF-8' });
    }
    if (key === '') return send(res, 400, { error: 'no key' });
    const file = fileFor(root, key);

    if (verified.method === 'GET') {
      let meta: { contentType: string };
      try {
        meta = JSON.parse(await readFile(`${file}.json`, 'utf8')) as { contentType: string };
      } catch {
        return send(res, 404, { error: 'no such key', key });
      }
      const data = await readFile(file);
      res.writeHead(200, { 'content-type': meta.contentType, 'content-length': data.length }).end(data);
    } else if (verified.method === 'PUT') {
      const body = await readBody(req, maxBytes);
      if (body === undefined) return send(res, 413, { error: `larger than ${maxBytes} bytes` });
      // Write to a temporary name, then rename: a reader never sees half a file.
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, body);
      await rename(temporary, file);
      const contentType = verified.headers['content-type'] ?? 'application/octet-stream'; // signed, if present
      await writeFile(`${file}.json`, JSON.stringify({ key, contentType, uploadedBy: verified.accessKeyId }));
      send(res, 200, { key, bytes: body.length, contentType });
    } else {
      send(res, 405, { error: `this server presigns GET and PUT only, got ${verified.method}` });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (isSigV4Error(error)) send(res, 403, { error: error.code, message: error.message });
      else {
        console.error(error);
        send(res, 500, { error: 'internal error' });
      }
    });
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

// Run directly: serve a folder and print a presigned PUT and GET to try.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.env['FILES_DIR'] ?? (await mkdtemp(join(tmpdir(), 'sigv4-files-')));
  await mkdir(root, { recursive: true });
  const credentials = { accessKeyId: 'AKIDEXAMPLESERVER', secretAccessKey: randomBytes(30).toString('base64') };
  const { server, presign } = createFileServer({ root, credentials });
  const port = Number(process.argv[2] ?? 8080);
  server.listen(port, '127.0.0.1', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const key = 'notes/hello world.txt';
    const put = await presign({ origin, method: 'PUT', key, contentType: 'text/plain' });
    const get = await presign({ origin, method: 'GET', key });
    console.log(`Serving ${root} on ${origin}; URLs valid for 15 minutes.\n`);
    console.log(`Upload:\n  curl -X PUT -H 'content-type: text/plain' --data-binary 'hello' '${put}'\n`);
    console.log(`Download:\n  curl '${get}'\n`);
    console.log(`Anything else gets 403, e.g. the download URL used to upload:\n  curl -X PUT --data-binary 'x' '${get}'`);
  });
}
