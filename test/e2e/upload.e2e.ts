// The browser upload page (examples/upload/) end to end: Debian's Chromium opens the page, which has no
// credentials, picks a file, asks the tiny server for a presigned PUT, uploads the file straight to Swift's S3
// API (another origin: the bucket allows the page's origin with CORS) with a progress bar, and shows a
// presigned download link. The test then fetches that link and compares the bytes.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startUploadServer, type UploadServer } from '../../examples/upload/server.js';
import { signRequest } from '../../src/index.js';
import { launchChromium } from './chromium.js';
import { skipped } from './skip.js';
import { createBucket } from './swift.js';

const swift = inject('swift');
const BUCKET = 'uploads';

describe.skipIf(!swift || skipped('upload'))('browser upload page (Chromium → Swift s3api)', () => {
  const s = swift!;
  let server: UploadServer;
  let browser: Browser;
  const folder = mkdtempSync(join(tmpdir(), 'sigv4-upload-'));

  beforeAll(async () => {
    server = await startUploadServer({
      endpoint: s.endpoint,
      bucket: BUCKET,
      region: s.region,
      credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    });
    // The bucket allows the page's origin, as an S3 bucket's CORS rules would.
    await createBucket(s, BUCKET, { corsOrigin: server.origin });
    browser = await launchChromium();
  });

  /** Every key in the bucket, from a header-signed ListObjectsV2. */
  async function listKeys(): Promise<string[]> {
    const list = await signRequest({
      url: `${s.endpoint}/${BUCKET}`,
      service: 's3',
      region: s.region,
      credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
      query: { 'list-type': '2' },
    });
    const text = await (await fetch(list.url, { headers: list.headers })).text();
    return [...text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
  }

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const files: [string, number, string][] = [
    ['photo ü 1+1 (copy).bin', 3 * 1024 * 1024 + 17, 'application/octet-stream'],
    ['notes.txt', 2000, 'text/plain'],
    ['empty.txt', 0, 'text/plain'],
  ];
  for (const [name, size, type] of files) {
    it(`uploads ${JSON.stringify(name)} (${size} bytes) with progress, and the download link gives the same bytes`, async () => {
      const bytes = randomBytes(size);
      const path = join(folder, name);
      writeFileSync(path, bytes);

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      const puts: { url: string; headers: Record<string, string> }[] = [];
      page.on('request', (request) => {
        if (request.method() === 'PUT') puts.push({ url: request.url(), headers: request.headers() });
      });
      try {
        await page.goto(server.url);
        await page.setInputFiles('#file', path);
        await page.click('#upload');
        await page.locator('#download').waitFor({ state: 'visible', timeout: 30_000 });

        expect(errors).toEqual([]);
        expect(await page.locator('#status').textContent()).toBe(`Uploaded ${size} bytes.`);
        const progress = await page.locator('#progress').evaluate((p: HTMLProgressElement) => [p.value, p.max]);
        expect(progress[0]).toBe(progress[1]);

        // The page sent the file straight to the S3 server, with no credential of its own.
        expect(puts).toHaveLength(1);
        expect(puts[0]!.url.startsWith(`${s.endpoint}/${BUCKET}/uploads/`)).toBe(true);
        expect(puts[0]!.url).toContain('X-Amz-Signature=');
        expect(puts[0]!.headers['authorization']).toBeUndefined();
        expect(puts[0]!.headers['content-type']).toBe(type);

        const href = await page.locator('#download').getAttribute('href');
        expect(href).toMatch(/X-Amz-Signature=[0-9a-f]{64}$/);
        const download = await fetch(href!);
        expect(download.status).toBe(200);
        expect(download.headers.get('content-type')).toBe(type);
        expect(download.headers.get('content-disposition')).toBe(
          `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        );
        const got = Buffer.from(await download.arrayBuffer());
        expect(got.length).toBe(size);
        expect(got.equals(bytes)).toBe(true);
        expect((await listKeys()).filter((key) => key.endsWith(`/${name}`))).toHaveLength(1);
      } finally {
        await page.close();
      }
    });
  }

  it('a tampered upload URL is refused: the page says so, shows no link, and nothing is written', async () => {
    const page = await browser.newPage();
    try {
      // Tamper with the presigned URL on its way to the page: the bucket refuses it, and nothing is uploaded.
      await page.route('**/presign', async (route) => {
        const response = await route.fetch();
        const answer = (await response.json()) as { put: { url: string } };
        answer.put.url = answer.put.url.replace(
          /X-Amz-Signature=(.)/,
          (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
        );
        await route.fulfill({ response, json: answer });
      });
      await page.goto(server.url);
      const path = join(folder, 'refused.txt');
      writeFileSync(path, 'refused');
      await page.setInputFiles('#file', path);
      await page.click('#upload');
      // Swift's s3api sends its 403 without CORS headers (S3 adds them to errors too), so the page is only told that
      // the request failed; with S3 it would show "the bucket answered 403".
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: 30_000 })
        .toMatch(/^(the upload failed \(network or CORS\)|the bucket answered 403: .*)$/);
      expect(await page.locator('#download').isHidden()).toBe(true);
      expect((await listKeys()).filter((key) => key.endsWith('/refused.txt'))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
