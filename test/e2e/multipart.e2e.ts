// The multipart upload page (examples/multipart/, sigv4/upload from dist/) end to end: Debian's Chromium opens
// the page, which has no credentials, picks a file and uploads it in 5 MiB parts straight to Swift's S3 API, each
// step presigned by the page's server (createMultipartHandler). Between the page and Swift, test/e2e/s3-cors.ts
// plays the bucket's CORS rule (Swift 2.30 has none for multipart answers). Checked: the bytes read back
// identical; a part that fails once is sent again; a reload in the middle resumes (ListParts) and sends only the
// missing parts; an abort leaves no upload behind (ListMultipartUploads); a key outside the server's prefix is
// refused before anything reaches the bucket; a part URL works for its own part number and upload only; and a
// CORS rule without ExposeHeaders: ETag gets a message that says so.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMultipartServer, type MultipartServer } from '../../examples/multipart/server.js';
import { presignUrl, s3Url, signRequest, type MultipartHandlerResponse } from '../../src/index.js';
import { launchChromium } from './chromium.js';
import { startCorsProxy, type CorsProxy, type CorsRule } from './s3-cors.js';
import { skipped } from './skip.js';
import { createBucket } from './swift.js';

const swift = inject('swift');
const BUCKET = 'multipart';
const MiB = 1024 * 1024;

describe.skipIf(!swift || skipped('upload'))('multipart upload page (Chromium → Swift s3api)', () => {
  const s = swift!;
  const credentials = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
  const folder = mkdtempSync(join(tmpdir(), 'sigv4-multipart-'));
  const origins: string[] = [];
  const rule: CorsRule = {
    allowedOrigins: origins,
    allowedMethods: ['GET', 'PUT', 'POST', 'DELETE'],
    allowedHeaders: ['content-type'],
    exposeHeaders: ['ETag'],
  };
  let proxy: CorsProxy;
  let server: MultipartServer;
  let browser: Browser;

  beforeAll(async () => {
    await createBucket(s, BUCKET);
    proxy = await startCorsProxy(s.endpoint, rule);
    server = await startMultipartServer({
      endpoint: proxy.endpoint,
      bucket: BUCKET,
      region: s.region,
      credentials,
      partSize: 5 * MiB,
      maxBytes: 64 * MiB,
    });
    origins.push(server.origin);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await proxy?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A file of random bytes on disk, for the page's file picker. */
  function file(name: string, size: number): { path: string; bytes: Buffer } {
    const bytes = randomBytes(size);
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return { path, bytes };
  }

  /** The uploads Swift has under a key (ListMultipartUploads, signed here, sent straight to Swift). */
  async function uploadsOf(key: string): Promise<string[]> {
    const list = await signRequest({
      url: s3Url({ bucket: BUCKET, endpoint: s.endpoint }),
      query: { uploads: '', prefix: key },
      service: 's3',
      region: s.region,
      credentials,
    });
    const response = await fetch(list.url, { headers: list.headers });
    expect(response.status).toBe(200);
    const text = await response.text();
    return [...text.matchAll(/<Upload><Key>([^<]*)<\/Key><UploadId>([^<]*)<\/UploadId>/g)]
      .filter((m) => m[1] === key)
      .map((m) => m[2]!);
  }

  /** The object's bytes and type, read back from Swift with a presigned GET; null when there is none. */
  async function objectOf(key: string): Promise<{ bytes: Buffer; type: string | null } | null> {
    const { url } = await presignUrl({
      url: s3Url({ bucket: BUCKET, key, endpoint: s.endpoint }),
      service: 's3',
      region: s.region,
      credentials,
    });
    const response = await fetch(url);
    if (response.status === 404) return null;
    expect(response.status).toBe(200);
    return { bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
  }

  /** A page of the example, with what it sends to the bucket and every status it shows recorded. */
  async function open(): Promise<{
    page: Page;
    sent: { method: string; url: string; headers: Record<string, string> }[];
    errors: string[];
  }> {
    const page = await browser.newPage();
    const sent: { method: string; url: string; headers: Record<string, string> }[] = [];
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => {
      if (request.url().startsWith(proxy.endpoint))
        sent.push({ method: request.method(), url: request.url(), headers: request.headers() });
    });
    // Every text the status line shows, and every value a part's bar takes (each mutation record: none is lost
    // when several changes come between two callbacks), across reloads.
    await page.addInitScript(() => {
      const w = window as unknown as { statuses: string[]; bars: [string, string | null][] };
      w.statuses = [];
      w.bars = [];
      addEventListener('DOMContentLoaded', () => {
        new MutationObserver((records) => {
          for (const r of records) r.addedNodes.forEach((node) => w.statuses.push(node.textContent ?? ''));
        }).observe(document.getElementById('status')!, { childList: true });
        new MutationObserver((records) => {
          for (const r of records) w.bars.push([(r.target as Element).id, r.oldValue]);
        }).observe(document.getElementById('parts')!, {
          subtree: true,
          attributeFilter: ['value'],
          attributeOldValue: true,
        });
      });
    });
    await page.goto(server.url);
    return { page, sent, errors };
  }

  const statuses = (page: Page) => page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
  /** The values the parts' bars took before their last one, as [bar id, value]. */
  const barValues = (page: Page) =>
    page.evaluate(() => (window as unknown as { bars: [string, string | null][] }).bars);
  const saved = (page: Page) =>
    page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sigv4-upload:')));
  const finished = (page: Page) =>
    expect
      .poll(() => page.locator('#status').textContent(), { timeout: 30_000 })
      .toMatch(/^(Uploaded|Aborted|the |The |part )/);
  /** What the page sent to the bucket, as `METHOD operation`, in order. */
  const operations = (sent: { method: string; url: string }[]) =>
    sent
      .filter((r) => r.method !== 'OPTIONS')
      .map((r) => {
        const q = new URL(r.url).searchParams;
        return `${r.method} ${q.has('uploads') ? 'create' : q.has('partNumber') ? `part ${q.get('partNumber')}` : r.method === 'GET' ? 'list' : r.method === 'POST' ? 'complete' : 'abort'}`;
      });
  /** The page's requests for these parts of the upload (only those are intercepted: the rest go at full speed). */
  const parts =
    (...numbers: number[]) =>
    (url: URL): boolean =>
      url.href.startsWith(proxy.endpoint) && numbers.includes(Number(url.searchParams.get('partNumber')));
  /**
   * Holds the page's PUT of these parts, never answered, and gives them back: abort them once the page is gone (a
   * route left unhandled is let through when the routes are removed).
   */
  async function holdParts(page: Page, numbers: number[]): Promise<Route[]> {
    const held: Route[] = [];
    await page.route(parts(...numbers), (route: Route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      held.push(route);
    });
    return held;
  }
  /** The part numbers Swift has for an upload (ListParts, signed here, sent straight to Swift). */
  async function partsOf(key: string, uploadId: string): Promise<number[]> {
    const list = await presignUrl({
      url: s3Url({ bucket: BUCKET, key, endpoint: s.endpoint }),
      query: { uploadId },
      service: 's3',
      region: s.region,
      credentials,
    });
    const text = await (await fetch(list.url)).text();
    return [...text.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
  }
  const partDone = (page: Page, n: number) =>
    page.waitForResponse(
      (r) =>
        r.request().method() === 'PUT' &&
        new URL(r.url()).searchParams.get('partNumber') === String(n) &&
        r.status() === 200,
    );

  it('uploads a 12 MiB file in three parts with progress; the object reads back identical; nothing is left behind', async () => {
    const { path, bytes } = file('clip ü 1+1 (copy).bin', 12 * MiB + 17);
    const key = 'uploads/clip ü 1+1 (copy).bin';
    const { page, sent, errors } = await open();
    try {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 32 * MiB,
      });
      const started = Date.now();
      await page.setInputFiles('#file', path);
      expect(await page.inputValue('#key')).toBe(key);
      await page.click('#upload');
      await finished(page);
      console.log(`multipart e2e: 12 MiB in 3 parts in ${Date.now() - started} ms`);
      expect(await page.locator('#status').textContent()).toMatch(
        /^Uploaded 12582929 bytes in 3 parts \(ETag "[0-9a-f]{32}-3"\)\.$/,
      );
      expect(errors).toEqual([]);
      const [value, max] = await page.locator('#progress').evaluate((p: HTMLProgressElement) => [p.value, p.max]);
      expect(value).toBe(max);
      const parts = await page
        .locator('#parts progress')
        .evaluateAll((bars) => bars.map((b) => [(b as HTMLProgressElement).value, (b as HTMLProgressElement).max]));
      expect(parts).toEqual([
        [5 * MiB, 5 * MiB],
        [5 * MiB, 5 * MiB],
        [2 * MiB + 17, 2 * MiB + 17],
      ]);
      // Byte progress came in as the parts went out (XMLHttpRequest upload events), not only at their ends: with
      // the upload throttled to 32 MiB/s, a part's bar took a value between empty and full.
      const between = (await barValues(page)).filter(([, v]) => v !== null && +v > 0 && +v < 2 * MiB + 17);
      console.log(`multipart e2e: ${between.length} partial values of part bars`);
      expect(between.length).toBeGreaterThan(0);

      expect(operations(sent).sort()).toEqual([
        'POST complete',
        'POST create',
        'PUT part 1',
        'PUT part 2',
        'PUT part 3',
      ]);
      expect(operations(sent)[0]).toBe('POST create');
      expect(operations(sent).at(-1)).toBe('POST complete');
      for (const request of sent) {
        expect(request.url).toContain('X-Amz-Signature=');
        expect(request.headers['authorization']).toBeUndefined();
      }
      const object = await objectOf(key);
      expect(object!.bytes.equals(bytes)).toBe(true);
      expect(object!.type).toBe('application/octet-stream');
      expect(await uploadsOf(key)).toEqual([]);
      expect(await saved(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a part that fails once (its connection reset) is sent again after a backoff, and the upload completes', async () => {
    const { path, bytes } = file('retried.bin', 6 * MiB);
    const key = 'uploads/retried.bin';
    const { page, sent } = await open();
    let failed = 0;
    try {
      await page.route(parts(2), (route) => {
        if (route.request().method() === 'PUT' && failed++ === 0) return route.abort('connectionreset');
        return route.continue();
      });
      await page.setInputFiles('#file', path);
      await page.click('#upload');
      await finished(page);
      expect(await page.locator('#status').textContent()).toMatch(/^Uploaded 6291456 bytes in 2 parts/);
      expect(operations(sent).filter((o) => o === 'PUT part 2')).toHaveLength(2);
      expect(
        operations(sent)
          .filter((o) => o.startsWith('PUT'))
          .sort(),
      ).toEqual(['PUT part 1', 'PUT part 2', 'PUT part 2']);
      expect((await objectOf(key))!.bytes.equals(bytes)).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('a reload in the middle: the same file picked again resumes, and only the missing parts are sent', async () => {
    const { path, bytes } = file('resumed.bin', 16 * MiB);
    const key = 'uploads/resumed.bin';
    const { page, sent } = await open();
    try {
      const held = await holdParts(page, [3, 4]);
      await page.setInputFiles('#file', path);
      const one = partDone(page, 1);
      const two = partDone(page, 2);
      await page.click('#upload');
      await Promise.all([one, two]);
      expect(await saved(page)).toHaveLength(1);
      const [uploadId] = await uploadsOf(key);
      expect(uploadId).toBeDefined();

      // The reload cancels the held parts: they never reach the bucket.
      await page.reload();
      for (const route of held) await route.abort().catch(() => {});
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      expect(await partsOf(key, uploadId!)).toEqual([1, 2]);
      const before = sent.length;
      await page.setInputFiles('#file', path);
      await page.click('#upload');
      await finished(page);
      expect(await page.locator('#status').textContent()).toMatch(/^Uploaded 16777216 bytes in 4 parts/);
      expect(await statuses(page)).toContain('Resuming: 2 of 4 parts already uploaded.');
      // After the reload: ListParts, the two parts S3 did not have, Complete. No new upload.
      const after = operations(sent.slice(before));
      expect(after[0]).toBe('GET list');
      expect(after.slice(1, 3).sort()).toEqual(['PUT part 3', 'PUT part 4']);
      expect(after.slice(3)).toEqual(['POST complete']);
      expect(sent.slice(before).every((r) => !r.url.includes('uploads='))).toBe(true);
      expect(
        sent
          .slice(before)
          .filter((r) => r.method !== 'OPTIONS')
          .every((r) => r.url.includes(`uploadId=${encodeURIComponent(uploadId!)}`)),
      ).toBe(true);
      expect((await objectOf(key))!.bytes.equals(bytes)).toBe(true);
      expect(await uploadsOf(key)).toEqual([]);
      expect(await saved(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('abort drops the upload: ListMultipartUploads has none left, and no object is made', async () => {
    const { path } = file('aborted.bin', 6 * MiB);
    const key = 'uploads/aborted.bin';
    const { page, sent } = await open();
    try {
      await holdParts(page, [2]);
      await page.setInputFiles('#file', path);
      const one = partDone(page, 1);
      await page.click('#upload');
      await one;
      const [uploadId] = await uploadsOf(key);
      expect(uploadId).toBeDefined();
      await page.click('#abort');
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: 30_000 })
        .toBe('Aborted: the bucket dropped the parts.');
      expect(operations(sent).at(-1)).toBe('DELETE abort');
      expect(await uploadsOf(key)).toEqual([]);
      expect(await objectOf(key)).toBeNull();
      expect(await saved(page)).toEqual([]);
      // The upload is gone: its parts cannot be listed any more.
      const list = await presignUrl({
        url: s3Url({ bucket: BUCKET, key, endpoint: s.endpoint }),
        query: { uploadId: uploadId! },
        service: 's3',
        region: s.region,
        credentials,
      });
      const listed = await fetch(list.url);
      expect([listed.status, (await listed.text()).match(/<Code>(\w+)<\/Code>/)?.[1]]).toEqual([404, 'NoSuchUpload']);
    } finally {
      await page.close();
    }
  });

  it('a key outside the server’s prefix is refused before anything reaches the bucket', async () => {
    const { path } = file('private.bin', 1000);
    const { page, sent } = await open();
    try {
      const forwarded = proxy.forwarded.length;
      await page.setInputFiles('#file', path);
      await page.fill('#key', 'private/private.bin');
      await page.click('#upload');
      await finished(page);
      expect(await page.locator('#status').textContent()).toBe(
        'the upload handler answered 403: "key" expected a key starting with "uploads/", got "private/private.bin"',
      );
      expect(sent).toEqual([]);
      expect(proxy.forwarded.length).toBe(forwarded);
      expect(await uploadsOf('private/private.bin')).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a part URL works for its own part number and upload only: Swift refuses it for another', async () => {
    const key = 'uploads/signed-parts.bin';
    const facts = { key, size: 12 * MiB, type: 'application/octet-stream' };
    const ask = async (body: object): Promise<MultipartHandlerResponse> => {
      const response = await fetch(`${server.origin}/multipart`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as MultipartHandlerResponse;
    };
    const create = async (): Promise<string> => {
      const { request } = await ask({ action: 'create', ...facts });
      const created = await fetch(request.url, { method: 'POST', headers: request.headers });
      return /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())![1]!;
    };
    const [first, second] = [await create(), await create()];
    const { request } = await ask({ action: 'part', ...facts, uploadId: first, partSize: 5 * MiB, partNumber: 1 });
    expect(request.headers).toEqual({ 'content-length': String(5 * MiB) });
    const body = randomBytes(5 * MiB);
    // Straight to Swift, with the Host the URL was signed for (the proxy's), and Expect: 100-continue, so that a
    // refusal (sent before the body is read) leaves nothing half-sent.
    const put = (url: string, bytes: Buffer = body) =>
      new Promise<[number, string | undefined]>((resolve, reject) => {
        const { host, pathname, search } = new URL(url);
        const req = httpRequest(s.endpoint, {
          method: 'PUT',
          path: pathname + search,
          agent: false,
          headers: { host, 'content-length': bytes.length, expect: '100-continue' },
        });
        req.on('continue', () => req.end(bytes));
        req.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve([res.statusCode ?? 0, text.match(/<Code>(\w+)<\/Code>/)?.[1]]));
        });
        req.on('error', reject);
      });
    const refused = [403, 'SignatureDoesNotMatch'];
    expect(await put(request.url.replace('partNumber=1', 'partNumber=2'))).toEqual(refused);
    expect(
      await put(request.url.replace(`uploadId=${encodeURIComponent(first)}`, `uploadId=${encodeURIComponent(second)}`)),
    ).toEqual(refused);
    expect(await put(request.url, body.subarray(1))).toEqual(refused); // another size
    expect(await put(request.url)).toEqual([200, undefined]);
    // Nothing reached the other upload, and part 2 of the first was never written.
    for (const [uploadId, parts] of [
      [first, 1],
      [second, 0],
    ] as const) {
      const list = await ask({ action: 'list', ...facts, uploadId, partSize: 5 * MiB });
      const text = await (await fetch(list.request.url)).text();
      expect(text.match(/<PartNumber>/g)?.length ?? 0).toBe(parts);
      const { request: abort } = await ask({ action: 'abort', ...facts, uploadId, partSize: 5 * MiB });
      expect((await fetch(abort.url, { method: 'DELETE' })).status).toBe(204);
    }
    expect(await uploadsOf(key)).toEqual([]);
  });

  it('a CORS rule without ExposeHeaders: ETag gets a message that says what to add', async () => {
    const hidden = await startCorsProxy(s.endpoint, { ...rule, exposeHeaders: [] });
    const other = await startMultipartServer({
      endpoint: hidden.endpoint,
      bucket: BUCKET,
      region: s.region,
      credentials,
      partSize: 5 * MiB,
    });
    origins.push(other.origin);
    const page = await browser.newPage();
    try {
      const { path } = file('no-etag.bin', 1000);
      await page.goto(other.url);
      await page.setInputFiles('#file', path);
      await page.click('#upload');
      await finished(page);
      expect(await page.locator('#status').textContent()).toBe(
        `part 1: the bucket answered 200 without an ETag the page can read: the bucket's CORS rule must expose it (ExposeHeaders: ["ETag"])`,
      );
      // The upload it made stays for a resume (or a lifecycle rule): drop it.
      await page.click('#abort');
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: 30_000 })
        .toBe('Aborted: the bucket dropped the parts.');
      expect(await uploadsOf('uploads/no-etag.bin')).toEqual([]);
    } finally {
      await page.close();
      await other.close();
      await hidden.close();
    }
  });
});
