// examples/multipart/server.ts over loopback: the page, the uploader's modules from dist/ (and nothing else from
// the disk), and the handler at POST /multipart with a Node request turned into a Fetch Request (its body
// streamed, capped by the handler). The page itself runs in Chromium in test/e2e/multipart.e2e.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMultipartServer, type MultipartServer } from '../../examples/multipart/server.js';

let server: MultipartServer;

beforeAll(async () => {
  server = await startMultipartServer({
    endpoint: 'http://127.0.0.1:9',
    bucket: 'uploads',
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDUPLOAD', secretAccessKey: 'upload-secret/EXAMPLE+KEY' },
    partSize: 5 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
  });
});

afterAll(() => server.close());

const post = (body: BodyInit) =>
  fetch(`${server.origin}/multipart`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('examples/multipart/server.ts', () => {
  it('serves the page, which loads the uploader from /sigv4/upload.js', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("from '/sigv4/upload.js'");
  });

  it('serves only .js files of dist/ under /sigv4/', async () => {
    for (const path of [
      '/sigv4/../package.json',
      '/sigv4/%2e%2e/%2e%2e/package.json',
      '/sigv4/upload.d.ts',
      '/package.json',
    ]) {
      expect((await fetch(`${server.origin}${path}`)).status, path).toBe(404);
    }
  });

  it('presigns through the handler: a create for a key under uploads/, a refusal outside it', async () => {
    const created = await post(
      JSON.stringify({
        action: 'create',
        key: 'uploads/a b.bin',
        size: 12 * 1024 * 1024,
        type: 'application/octet-stream',
      }),
    );
    expect(created.status).toBe(200);
    const answer = (await created.json()) as {
      request: { method: string; url: string };
      partSize: number;
      partCount: number;
    };
    expect(answer.request.method).toBe('POST');
    expect(answer.request.url.startsWith('http://127.0.0.1:9/uploads/uploads/a%20b.bin?')).toBe(true);
    expect([answer.partSize, answer.partCount]).toEqual([5 * 1024 * 1024, 3]);

    const refused = await post(JSON.stringify({ action: 'create', key: 'b.bin', size: 1, type: 'text/plain' }));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ERR_MULTIPART_FORBIDDEN');
  });

  it('a body over 1 MiB is refused with 413', async () => {
    const response = await post('x'.repeat(1024 * 1024 + 1));
    expect(response.status).toBe(413);
  });
});
