// Issue 12, section 1, end to end on loopback: requests signed by @smithy/signature-v4 (the AWS SDK for
// JavaScript's signer) and sent with fetch reach a real HTTP server, which verifies them with verifyRequest from
// the URL it received (`http://${req.headers.host}${req.url}`, the README's recipe). And the reverse: what
// signRequest signs, sent with fetch to the URL the caller gave, verifies there too.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSigV4Error, signRequest, verifyRequest } from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const smithy = new SignatureV4({ credentials, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });

// The paths of the issue, and more that AWS's signers take as sent: raw sub-delims, ":" and "@", escapes of
// unreserved characters and in lowercase, unicode, dot and empty segments.
const PATHS = [
  '/prod/events/2024-01-01T10:00:00Z',
  '/prod/users/alice@example.com',
  '/prod/filter/a,b;c=d',
  '/prod/files/report(1)*!.txt',
  "/prod/files/it's$&+=[1]|.txt",
  '/prod/x/%7Euser',
  '/prod/x/%7euser/%2Fslash/%c3%bc',
  '/prod/ü/a b/😀',
  '/prod/a/./b/../c',
  '/prod//double//slash/',
  '/prod/a/b/..',
  '/prod/a/%2e%2E/b',
];

let server: Server;
let origin: string;
const verdicts: string[] = [];

async function receive(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const verified = await verifyRequest({
      url: `http://${req.headers.host}${req.url}`,
      method: req.method!,
      headers: req.headersDistinct as Record<string, string[]>,
      body: new Uint8Array(Buffer.concat(chunks)),
      service: 'execute-api',
      region: 'us-east-1',
      getCredentials: (id) =>
        id === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey } : undefined,
    });
    return `ok ${verified.path}`;
  } catch (error) {
    return isSigV4Error(error) ? error.code : `error ${String(error)}`;
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void receive(req).then((verdict) => {
      verdicts.push(`${req.url} ${verdict}`);
      res.writeHead(verdict.startsWith('ok') ? 200 : 403, { 'content-type': 'text/plain' }).end(verdict);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Signs with smithy as the SDK does: the request's path is the URL's, as the URL parser (and fetch) writes it. */
async function smithyFetch(path: string, method: string, body?: string): Promise<string> {
  const url = new URL(origin + path);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? [query[k]!].flat().concat(v) : v;
  const signed = await smithy.sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: { host: url.host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    }),
  );
  const response = await fetch(url, { method, headers: signed.headers, ...(body === undefined ? {} : { body }) });
  return `${response.status} ${await response.text()}`;
}

describe('smithy signs, fetch sends, a real server verifies with verifyRequest', () => {
  it.each(PATHS)('GET %s', async (path) => {
    expect(await smithyFetch(path, 'GET')).toMatch(/^200 ok \//);
  });
  it.each(PATHS.slice(0, 4))('POST %s with a JSON body and a query', async (path) => {
    expect(await smithyFetch(`${path}?a=1&a=2&empty=&q=a%20b`, 'POST', '{"a":1}')).toMatch(/^200 ok \//);
  });
  it('the path the verifier reports is the path as received, normalized', async () => {
    expect(await smithyFetch('/prod/a/./b/../c', 'GET')).toBe('200 ok /prod/a/c');
    expect(await smithyFetch('/prod/events/2024-01-01T10:00:00Z', 'GET')).toBe(
      '200 ok /prod/events/2024-01-01T10:00:00Z',
    );
    expect(await smithyFetch('/prod/a/b/..', 'GET')).toBe('200 ok /prod/a/');
  });
});

describe('signRequest signs, fetch sends the URL the caller gave, the server verifies', () => {
  it.each(PATHS)('GET %s', async (path) => {
    const url = origin + path;
    const signed = await signRequest({ url, service: 'execute-api', region: 'us-east-1', credentials });
    const response = await fetch(url, { headers: signed.headers });
    expect(`${response.status} ${await response.text()}`).toMatch(/^200 ok \//);
    // And the URL signRequest returns is the same request.
    const again = await fetch(signed.url, { headers: signed.headers });
    expect(again.status).toBe(200);
  });
  it('a changed path is refused', async () => {
    const signed = await signRequest({
      url: `${origin}/prod/x/%7Euser`,
      service: 'execute-api',
      region: 'us-east-1',
      credentials,
    });
    const response = await fetch(`${origin}/prod/x/~user`, { headers: signed.headers });
    expect(`${response.status} ${await response.text()}`).toBe('403 ERR_SIGV4_SIGNATURE_MISMATCH');
  });
});
