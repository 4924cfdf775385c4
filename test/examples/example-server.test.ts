// The example file server, driven over loopback with fetch: presigned GET and PUT work; tampered, expired,
// wrong-method and wrong-key requests get 403, and nothing is written.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileServer, type FileServer } from '../../examples/server.js';
import { presignUrl } from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDFILESERVER', secretAccessKey: 'file-server-secret/EXAMPLE+KEY' };
const START = Date.UTC(2025, 0, 1, 12);

let root: string;
let clock = START;
let files: FileServer;
let origin: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sigv4-example-server-'));
  files = createFileServer({ root, credentials, now: () => clock, maxBytes: 1024 });
  await new Promise<void>((resolve) => files.server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(files.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => files.server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

const listing = async (): Promise<string[]> => (await readdir(root)).sort();

async function call(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

/** The S3 code each SigV4 error code is answered with (403 all). */
const S3_CODE: Record<string, string> = {
  ERR_SIGV4_SIGNATURE_MISMATCH: 'SignatureDoesNotMatch',
  ERR_SIGV4_UNKNOWN_ACCESS_KEY: 'InvalidAccessKeyId',
};

/** A 403 whose S3 error XML names the S3 code and the SigV4 error code. */
async function expectForbidden(url: string, init: RequestInit, code: string): Promise<void> {
  const { status, body, type } = await call(url, init);
  expect(status, body).toBe(403);
  expect(type).toBe('application/xml');
  expect(body).toMatch(
    new RegExp(
      `^<\\?xml version="1.0" encoding="UTF-8"\\?>\n<Error><Code>${S3_CODE[code] ?? 'AccessDenied'}</Code><Message>[^<]+</Message><SigV4Code>${code}</SigV4Code></Error>$`,
    ),
  );
}

describe('examples/server.ts over loopback', () => {
  it('a presigned PUT uploads and a presigned GET downloads, with the signed content type', async () => {
    clock = START;
    const key = 'docs/report 1 ü.txt';
    const put = await files.presign({ origin, method: 'PUT', key, contentType: 'text/plain' });
    const uploaded = await call(put, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'hello, world',
    });
    expect(uploaded.status, uploaded.body).toBe(200);
    expect(JSON.parse(uploaded.body)).toEqual({ key, bytes: 12, contentType: 'text/plain' });
    expect(await listing()).toHaveLength(1); // the data and its metadata, in one file

    clock = START + 30_000;
    const get = await files.presign({ origin, method: 'GET', key });
    expect(await call(get)).toEqual({ status: 200, body: 'hello, world', type: 'text/plain' });
    // The same URL works for as long as it is valid.
    clock = START + 30_000 + 900_000;
    expect((await call(get)).status).toBe(200);
  });

  it('nothing is written by a tampered, expired, wrong-method or wrong-key request', async () => {
    clock = START;
    const before = await listing();
    const key = 'uploads/new.bin';
    const put = await files.presign({
      origin,
      method: 'PUT',
      key,
      contentType: 'application/octet-stream',
      expiresIn: 60,
    });
    const init = { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: 'payload' };

    // Tampered: another key, another signature character, another (signed) content type, a dropped parameter.
    expect(put).toContain('/uploads%2Fnew.bin?');
    await expectForbidden(
      put.replace('/uploads%2Fnew.bin?', '/uploads%2Fnew.bim?'),
      init,
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    await expectForbidden(
      put.replace('/uploads%2Fnew.bin?', '/docs%2Freport%201%20%C3%BC.txt?'),
      init,
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    await expectForbidden(
      put.replace('/uploads%2Fnew.bin?', '/uploads/new.bin?'),
      init,
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    const last = put.at(-1)!;
    await expectForbidden(put.slice(0, -1) + (last === '0' ? '1' : '0'), init, 'ERR_SIGV4_SIGNATURE_MISMATCH');
    await expectForbidden(put, { ...init, headers: { 'content-type': 'text/html' } }, 'ERR_SIGV4_SIGNATURE_MISMATCH');
    // (fetch gives a string body a content type of its own; bytes go without one.)
    await expectForbidden(
      put,
      { method: 'PUT', body: new TextEncoder().encode('payload') },
      'ERR_SIGV4_SIGNED_HEADERS',
    );
    await expectForbidden(put.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'), init, 'ERR_SIGV4_SIGNATURE_MISMATCH');
    await expectForbidden(put.replace(/&X-Amz-Signature=\w+/, ''), init, 'ERR_SIGV4_MALFORMED');
    await expectForbidden(`${origin}/${encodeURIComponent(key)}`, init, 'ERR_SIGV4_MALFORMED');

    // Wrong method: the download URL used to upload, and the upload URL used to download or delete. The server
    // does not diagnose the method (diagnoseMethod is off: a forged request must cost what a good one does).
    const get = await files.presign({ origin, method: 'GET', key });
    await expectForbidden(get, init, 'ERR_SIGV4_SIGNATURE_MISMATCH');
    const typed = { headers: { 'content-type': 'application/octet-stream' } };
    await expectForbidden(put, {}, 'ERR_SIGV4_SIGNED_HEADERS'); // checked first: its content type is signed
    await expectForbidden(put, typed, 'ERR_SIGV4_SIGNATURE_MISMATCH');
    await expectForbidden(put, { ...typed, method: 'DELETE' }, 'ERR_SIGV4_SIGNATURE_MISMATCH');
    await expectForbidden(put, { ...typed, method: 'POST', body: 'payload' }, 'ERR_SIGV4_SIGNATURE_MISMATCH');

    // Wrong key: signed with another secret under this server's access key id, or with an unknown key.
    const sign = (secretAccessKey: string, accessKeyId = credentials.accessKeyId) =>
      presignUrl({
        url: `${origin}/${encodeURIComponent(key)}`,
        method: 'PUT',
        service: 's3',
        region: 'us-east-1',
        credentials: { accessKeyId, secretAccessKey },
        signingDate: clock,
      });
    await expectForbidden(
      (await sign('a guessed secret')).url,
      { method: 'PUT', body: 'x' },
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    await expectForbidden(
      (await sign(credentials.secretAccessKey, 'AKIDSOMEONEELSE')).url,
      { method: 'PUT', body: 'x' },
      'ERR_SIGV4_UNKNOWN_ACCESS_KEY',
    );

    // Expired: valid through its 60th second, refused at the 61st.
    clock = START + 61_000;
    await expectForbidden(put, init, 'ERR_SIGV4_EXPIRED');
    // Not yet valid: the server's clock is more than 15 minutes behind the URL's date.
    clock = START - 901_000;
    await expectForbidden(put, init, 'ERR_SIGV4_NOT_YET_VALID');

    expect(await listing()).toEqual(before);

    // And the untouched URL, in time, does write.
    clock = START + 60_000;
    expect((await call(put, init)).status).toBe(200);
    expect((await listing()).length).toBe(before.length + 1);
  });

  it('answers 404 for a validly signed download of a missing key, and 413 for an upload over the limit', async () => {
    clock = START;
    expect((await call(await files.presign({ origin, method: 'GET', key: 'nothing/here' }))).status).toBe(404);
    const before = await listing();
    const put = await files.presign({ origin, method: 'PUT', key: 'big' });
    expect((await call(put, { method: 'PUT', body: 'x'.repeat(2048) })).status).toBe(413);
    expect(await listing()).toEqual(before);
  });

  it('keys are names, never paths: ".." and "/" stay inside the folder', async () => {
    clock = START;
    for (const key of ['../escape', 'a/../../b', './x']) {
      const put = await files.presign({ origin, method: 'PUT', key });
      const uploaded = await call(put, { method: 'PUT', body: key });
      expect(uploaded.status, uploaded.body).toBe(200);
      expect(JSON.parse(uploaded.body)).toMatchObject({ key });
      expect(await call(await files.presign({ origin, method: 'GET', key }))).toMatchObject({ status: 200, body: key });
    }
    expect((await readdir(join(root, '..'))).some((name) => name === 'escape' || name === 'b')).toBe(false);
  });

  it('a raw client may send a ".." segment as it was signed (S3 rules keep it): still a name', async () => {
    clock = START;
    const put = new URL(await files.presign({ origin, method: 'PUT', key: '..' }));
    expect(put.pathname).toBe('/'); // fetch and URL resolve "..": this key needs a client that sends the path as is
    const raw = (await files.presign({ origin, method: 'PUT', key: '..' })).slice(origin.length);
    expect(raw.startsWith('/..?')).toBe(true);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(put.port), method: 'PUT', path: raw }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('dots');
    });
    expect(status).toBe(200);
    expect(await call(await files.presign({ origin, method: 'GET', key: '..' }))).toMatchObject({ status: 403 });
  });
});
