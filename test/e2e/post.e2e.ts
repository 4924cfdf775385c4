// Presigned POST (browser uploads through a POST policy) end to end.
//
// Finding, checked below so that a change shows: Swift 2.30's s3api has no POST Object. A form POST carries no
// Authorization header and no X-Amz-* query, so s3api does not take it for an S3 request (s3request.py raises
// NotS3Request) and hands it to Swift's own API, whose proxy answers 412 "Bad URL"; an S3 POST on a bucket that is
// signed in the header gets 501 NotImplemented (controllers/bucket.py and obj.py: POST raises S3NotImplemented).
// So the browser form is driven against the gateway of examples/post-form/server.ts, a small Node server that
// checks the form with verifyPresignedPost exactly as S3 would and stores the file in Swift with a signed PUT.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPostFormServer, type PostFormServer } from '../../examples/post-form/server.js';
import { createPresignedPost, presignUrl, signRequest } from '../../src/index.js';
import { launchChromium } from './chromium.js';
import { skipped } from './skip.js';
import { createBucket } from './swift.js';

const swift = inject('swift');
const s = swift!;
const credentials = swift
  ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }
  : { accessKeyId: 'x', secretAccessKey: 'x' };

/** Every key in a bucket, from a header-signed ListObjectsV2. */
async function listKeys(bucket: string): Promise<string[]> {
  const list = await signRequest({
    url: `${s.endpoint}/${bucket}`,
    service: 's3',
    region: s.region,
    credentials,
    query: { 'list-type': '2' },
  });
  const response = await fetch(list.url, { headers: list.headers });
  expect(response.status).toBe(200);
  return [...(await response.text()).matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
}

describe.skipIf(!swift)('Swift s3api has no POST uploads (Swift 2.30)', () => {
  const BUCKET = 'post-direct';
  beforeAll(() => createBucket(s, BUCKET));

  it('a presigned POST form sent straight to the bucket is not an S3 request to s3api: 412 Bad URL, nothing written', async () => {
    const post = await createPresignedPost({
      endpoint: s.endpoint,
      bucket: BUCKET,
      key: 'direct/${filename}',
      conditions: [['content-length-range', 1, 1024]],
      region: s.region,
      credentials,
    });
    expect(post.url).toBe(`${s.endpoint}/${BUCKET}`);
    for (const url of [post.url, `${post.url}/`]) {
      const form = new FormData();
      for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
      form.append('file', new Blob(['hello']), 'hello.txt');
      const response = await fetch(url, { method: 'POST', body: form });
      expect(response.status).toBe(412);
      expect(await response.text()).toBe('Bad URL');
    }
    expect(await listKeys(BUCKET)).toEqual([]);
  });

  it('a header-signed S3 POST on the bucket gets 501 NotImplemented', async () => {
    const body = '--x\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--x--\r\n';
    const signed = await signRequest({
      url: `${s.endpoint}/${BUCKET}`,
      method: 'POST',
      service: 's3',
      region: s.region,
      credentials,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body,
    });
    const response = await fetch(signed.url, { method: 'POST', headers: signed.headers, body });
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('<Code>NotImplemented</Code>');
  });
});

describe.skipIf(!swift || skipped('upload'))(
  'browser form through a POST policy (Chromium → verifyPresignedPost gateway → Swift)',
  () => {
    const BUCKET = 'post-form';
    const MAX = 64 * 1024;
    let server: PostFormServer;
    let browser: Browser;
    const folder = mkdtempSync(join(tmpdir(), 'sigv4-post-'));

    beforeAll(async () => {
      await createBucket(s, BUCKET);
      server = await startPostFormServer({
        endpoint: s.endpoint,
        bucket: BUCKET,
        region: s.region,
        credentials,
        maxBytes: MAX,
      });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      rmSync(folder, { recursive: true, force: true });
    });

    /** Opens the form, picks the file, types a title, lets `before` touch the page, submits; resolves with /upload's answer. */
    async function submit(
      page: Page,
      name: string,
      bytes: Uint8Array,
      title: string,
      before?: (page: Page) => Promise<void>,
    ) {
      const path = join(folder, name);
      writeFileSync(path, bytes);
      await page.goto(server.url);
      await page.setInputFiles('#file', path);
      await page.fill('#title', title);
      await before?.(page);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${server.origin}/upload`),
        page.click('#upload'),
      ]);
      return response;
    }

    it('uploads a file within the policy: 303 to the redirect, and Swift holds the bytes, the key and the title', async () => {
      const page = await browser.newPage();
      try {
        const bytes = randomBytes(MAX); // the largest size the policy allows
        const response = await submit(page, 'photo ü 1+1.bin', bytes, 'Holiday');
        expect(response.status()).toBe(303);
        await page.waitForURL(`${server.origin}/done?**`);
        const key = (await page.locator('#result').getAttribute('data-key'))!;
        expect(key).toMatch(/^uploads\/[0-9a-f-]{36}\/photo ü 1\+1\.bin$/);
        expect(await page.locator('#result').textContent()).toMatch(
          /^Uploaded uploads\/.* \(ETag "?[0-9a-f]{32}"?\)\.$/,
        );

        // The object in Swift: same bytes, the title as metadata.
        const keyPath = key.replace(/%/g, '%25').replace(/\?/g, '%3F').replace(/#/g, '%23');
        const get = await presignUrl({
          url: `${s.endpoint}/${BUCKET}/${keyPath}`,
          service: 's3',
          region: s.region,
          credentials,
        });
        const object = await fetch(get.url);
        expect(object.status).toBe(200);
        expect(object.headers.get('x-amz-meta-title')).toBe('Holiday');
        expect(object.headers.get('content-type')).toBe('binary/octet-stream');
        expect(Buffer.from(await object.arrayBuffer()).equals(bytes)).toBe(true);
        expect(await listKeys(BUCKET)).toContain(key);
      } finally {
        await page.close();
      }
    });

    it('refuses a file one byte over content-length-range: 400 EntityTooLarge, nothing written', async () => {
      const page = await browser.newPage();
      try {
        const before = await listKeys(BUCKET);
        const response = await submit(page, 'too-large.bin', randomBytes(MAX + 1), 'Too large');
        expect(response.status()).toBe(400);
        const body = await response.text();
        expect(body).toContain('<Code>EntityTooLarge</Code>');
        expect(body).toContain('<SigV4Code>ERR_SIGV4_ENTITY_TOO_LARGE</SigV4Code>');
        // S3's fixed message: the SigV4Error's text stays on the server.
        expect(body).toContain('<Message>Your proposed upload exceeds the maximum allowed size.</Message>');
        expect(body).not.toContain('content-length-range');
        expect(await listKeys(BUCKET)).toEqual(before);
      } finally {
        await page.close();
      }
    });

    it('refuses an empty file: 400 EntityTooSmall', async () => {
      const page = await browser.newPage();
      try {
        const response = await submit(page, 'empty.bin', new Uint8Array(0), 'Empty');
        expect(response.status()).toBe(400);
        expect(await response.text()).toContain('<SigV4Code>ERR_SIGV4_ENTITY_TOO_SMALL</SigV4Code>');
      } finally {
        await page.close();
      }
    });

    it('refuses a key moved out of its prefix in the page: 403, nothing written', async () => {
      const page = await browser.newPage();
      try {
        const before = await listKeys(BUCKET);
        const response = await submit(page, 'moved.txt', new TextEncoder().encode('moved'), 'Moved', (p) =>
          p.evaluate(() => {
            (document.querySelector('input[name="key"]') as HTMLInputElement).value = 'elsewhere/${filename}';
          }),
        );
        expect(response.status()).toBe(403);
        const body = await response.text();
        expect(body).toContain('<SigV4Code>ERR_SIGV4_POLICY_CONDITION</SigV4Code>');
        expect(body).toContain('<Code>AccessDenied</Code><Message>Access Denied</Message>');
        expect(body).not.toContain('expected to start with');
        expect(await listKeys(BUCKET)).toEqual(before);
      } finally {
        await page.close();
      }
    });
  },
);
