// The browser uploader (src/upload, the sigv4/upload entry) against the real handler and an in-memory S3 that
// verifies every presigned request (test/upload/fake-s3.ts), with fetch, the clock and the backoff injected:
// whole uploads whose bytes come back identical, bounded parallelism, progress in bytes, retries with backoff,
// pause and resume, resume after a reload (ListParts and the saved state, as a property over which parts S3
// already has), abort, and every failure as a typed error. test/e2e/multipart.e2e.ts does the same in Chromium
// against Swift.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MultipartUpload,
  UploadError,
  type MultipartUploadOptions,
  type UploadProgress,
  type UploadStart,
} from '../../src/upload.js';
import { ENDPOINT, FakeS3, MemoryStore, MiB, makeFile } from './fake-s3.js';

const KEY = 'uploads/talk ü.mp4';

function setup(fake: FakeS3, file: Blob, extra: Partial<MultipartUploadOptions> = {}) {
  const delays: number[] = [];
  const progress: UploadProgress[] = [];
  const starts: UploadStart[] = [];
  const store = (extra.store as MemoryStore | undefined) ?? new MemoryStore();
  const upload = new MultipartUpload({
    file,
    key: KEY,
    endpoint: ENDPOINT,
    store,
    fetch: fake.fetch,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    now: () => 1_700_000_000_000,
    onProgress: (p) => progress.push(p),
    onStart: (s) => starts.push(s),
    ...extra,
  });
  return { upload, delays, progress, starts, store };
}

const bytesOf = async (file: Blob): Promise<Uint8Array> => new Uint8Array(await file.arrayBuffer());
/** The object holds the file's bytes (compared as Buffers: vitest's deep equality is slow on megabytes). */
const same = async (bytes: Uint8Array, file: Blob): Promise<boolean> =>
  Buffer.from(bytes).equals(Buffer.from(await file.arrayBuffer()));
const settle = <T>(promise: Promise<T>): Promise<T | unknown> =>
  promise.then(
    (v) => v,
    (e: unknown) => e,
  );
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await tick();
  expect(condition()).toBe(true);
}

describe('MultipartUpload: whole uploads', () => {
  it('uploads a file in parts of the planned size; the object is the file, with its type', async () => {
    const fake = new FakeS3();
    const file = makeFile(12 * MiB + 17);
    const { upload, progress, starts, store } = setup(fake, file);
    expect(upload.status).toBe('idle');
    const result = await upload.start();
    expect(upload.status).toBe('done');

    const object = fake.objects.get(KEY)!;
    expect(await same(object.bytes, file)).toBe(true);
    expect(object.type).toBe('video/mp4');
    expect(result).toEqual({
      key: KEY,
      uploadId: 'upload-1',
      etag: object.etag,
      location: 'http://s3.test/bucket/uploads/talk ü.mp4',
      size: 12 * MiB + 17,
      partCount: 3,
    });
    expect(starts).toEqual([{ uploadId: 'upload-1', partSize: 5 * MiB, partCount: 3, resumed: false, partsDone: 0 }]);
    expect(fake.seen.map((s) => [s.operation, s.partNumber, s.size])).toEqual([
      ['create', undefined, undefined],
      ['part', 1, 5 * MiB],
      ['part', 2, 5 * MiB],
      ['part', 3, 2 * MiB + 17],
      ['complete', undefined, undefined],
    ]);
    // With fetch, each part reports once it is done; the total only grows and ends at the size.
    expect(progress.map((p) => [p.partNumber, p.partLoaded, p.partSize])).toEqual([
      [1, 5 * MiB, 5 * MiB],
      [2, 5 * MiB, 5 * MiB],
      [3, 2 * MiB + 17, 2 * MiB + 17],
    ]);
    expect(progress.at(-1)).toMatchObject({ loaded: 12 * MiB + 17, total: 12 * MiB + 17 });
    expect(upload.progress).toEqual({ loaded: 12 * MiB + 17, total: 12 * MiB + 17 });
    expect(store.items.size).toBe(0);
    expect(fake.uploads.size).toBe(0);
    // start() once done gives the same result.
    expect(await upload.start()).toBe(result);
  });

  it('an empty file is one empty part; a file with no type is application/octet-stream', async () => {
    const fake = new FakeS3();
    const { upload } = setup(fake, new Blob([]));
    await upload.start();
    expect(fake.objects.get(KEY)).toMatchObject({ bytes: new Uint8Array(0), type: 'application/octet-stream' });
    expect(fake.count('part')).toBe(1);
  });

  it('sends at most `concurrency` parts at once, and that many when it can', async () => {
    const fake = new FakeS3({ fault: (seen) => (seen.operation === 'part' ? 'hang' : undefined) });
    const file = makeFile(26 * MiB);
    const { upload } = setup(fake, file, { concurrency: 2 });
    const done = upload.start();
    let most = 0;
    for (let released = 0; released < 6; released++) {
      await until(() => fake.held.length > 0 && (fake.held.length === 2 || released >= 5));
      most = Math.max(most, fake.held.length);
      fake.held.shift()!.release();
    }
    await done;
    expect(most).toBe(2);
    expect(await same(fake.objects.get(KEY)!.bytes, file)).toBe(true);
  });
});

describe('MultipartUpload: retries', () => {
  it('a part that fails (network, then 503) is sent again after a backoff, its progress back to 0', async () => {
    const fake = new FakeS3({
      fault: (seen, nth) =>
        seen.partNumber === 2 && nth === 1
          ? 'network'
          : seen.partNumber === 2 && nth === 2
            ? new Response('<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>', {
                status: 503,
              })
            : undefined,
    });
    const file = makeFile(11 * MiB);
    const { upload, delays, progress } = setup(fake, file, { concurrency: 1 });
    await upload.start();
    expect(fake.count('part', 2)).toBe(3);
    // Full jitter, random() = 0.5: half of 500 ms, then of 1000 ms.
    expect(delays).toEqual([250, 500]);
    expect(await same(fake.objects.get(KEY)!.bytes, file)).toBe(true);
    expect(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1]!.loaded)).toBe(true);
  });

  it('an expired URL (403 "Request has expired") is presigned again; the backoff ceiling doubles up to maxRetryDelay', async () => {
    const fake = new FakeS3({
      fault: (seen, nth) =>
        seen.partNumber === 1 && nth <= 4
          ? new Response('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', {
              status: 403,
            })
          : undefined,
    });
    const { upload, delays } = setup(fake, makeFile(MiB), { retryDelay: 100, maxRetryDelay: 300, random: () => 1 });
    await upload.start();
    expect(delays).toEqual([100, 200, 300, 300]);
  });

  it('gives up after `retries` retries with the last error, keeping the upload to resume', async () => {
    const fake = new FakeS3({
      fault: (seen) =>
        seen.partNumber === 1
          ? new Response(
              '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>',
              { status: 500 },
            )
          : undefined,
    });
    const { upload, delays, store } = setup(fake, makeFile(MiB), { retries: 2 });
    const error = (await settle(upload.start())) as UploadError;
    expect(error).toBeInstanceOf(UploadError);
    expect([error.code, error.status, error.reason, error.message]).toEqual([
      'ERR_UPLOAD_FAILED',
      500,
      'InternalError',
      'part 1: the bucket answered 500 InternalError: We encountered an internal error.',
    ]);
    expect(fake.count('part', 1)).toBe(3);
    expect(delays).toHaveLength(2);
    expect(upload.status).toBe('failed');
    expect(store.items.size).toBe(1);
  });

  it('a refusal is not retried: 403 AccessDenied fails at once; start() again resumes where it stopped', async () => {
    let deny = true;
    const fake = new FakeS3({
      fault: (seen) =>
        deny && seen.partNumber === 2
          ? new Response('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', { status: 403 })
          : undefined,
    });
    const file = makeFile(11 * MiB);
    const { upload, starts } = setup(fake, file, { concurrency: 1 });
    const error = (await settle(upload.start())) as UploadError;
    expect([error.code, error.status, error.reason]).toEqual(['ERR_UPLOAD_FAILED', 403, 'AccessDenied']);
    expect(fake.count('part', 2)).toBe(1);
    deny = false;
    await upload.start();
    expect(starts.at(-1)).toEqual({
      uploadId: 'upload-1',
      partSize: 5 * MiB,
      partCount: 3,
      resumed: true,
      partsDone: 1,
    });
    expect(fake.count('part', 1)).toBe(1);
    expect(fake.count('list')).toBe(1);
    expect(await same(fake.objects.get(KEY)!.bytes, file)).toBe(true);
  });

  it('the handler unreachable or failing (5xx) is retried; its refusal is not', async () => {
    let calls = 0;
    const fake = new FakeS3();
    const flaky = async (url: string, init: RequestInit) => {
      if (url === ENDPOINT && ++calls <= 2) {
        if (calls === 1) throw new TypeError('Failed to fetch');
        return Response.json(
          { error: { code: 'ERR_MULTIPART_INTERNAL', message: 'could not presign this step' } },
          { status: 500 },
        );
      }
      return fake.fetch(url, init);
    };
    const { upload, delays } = setup(fake, makeFile(100), { fetch: flaky });
    await upload.start();
    expect(delays).toHaveLength(2);

    const refused = setup(new FakeS3(), makeFile(100), { key: 'private/x' });
    const error = (await settle(refused.upload.start())) as UploadError;
    expect([error.code, error.status, error.reason, error.message]).toEqual([
      'ERR_UPLOAD_REFUSED',
      403,
      'ERR_MULTIPART_FORBIDDEN',
      'the upload handler answered 403: "key" expected a key starting with "uploads/", got "private/x"',
    ]);
    expect(refused.delays).toEqual([]);
  });

  it('a part answered without a readable ETag (CORS without ExposeHeaders: ETag) fails with ERR_UPLOAD_CORS', async () => {
    const fake = new FakeS3({ hideEtag: true });
    const error = (await settle(setup(fake, makeFile(100)).upload.start())) as UploadError;
    expect([error.code, error.status]).toEqual(['ERR_UPLOAD_CORS', 200]);
    expect(error.message).toContain('ExposeHeaders: ["ETag"]');
    expect(fake.count('part')).toBe(1);
  });

  it('CompleteMultipartUpload answered 200 with an <Error>: retried when S3 says so, failed otherwise', async () => {
    const fault = (code: string) => (seen: { operation: string }, nth: number) =>
      seen.operation === 'complete' && nth === 1
        ? new Response(`<?xml version="1.0"?>\n<Error><Code>${code}</Code><Message>m</Message></Error>`, {
            status: 200,
          })
        : undefined;
    const retried = new FakeS3({ fault: fault('InternalError') });
    await setup(retried, makeFile(100)).upload.start();
    expect(retried.count('complete')).toBe(2);
    const failed = new FakeS3({ fault: fault('InvalidPart') });
    const error = (await settle(setup(failed, makeFile(100)).upload.start())) as UploadError;
    expect([error.code, error.status, error.reason]).toEqual(['ERR_UPLOAD_FAILED', 200, 'InvalidPart']);
  });

  it('an answer that is not what S3 sends: ERR_UPLOAD_RESPONSE', async () => {
    const fake = new FakeS3({
      fault: (seen) => (seen.operation === 'create' ? new Response('<html>proxy</html>') : undefined),
    });
    const error = (await settle(setup(fake, makeFile(100)).upload.start())) as UploadError;
    expect([error.code, error.message]).toEqual([
      'ERR_UPLOAD_RESPONSE',
      'CreateMultipartUpload answered without an UploadId or a plan',
    ]);
  });
});

describe('MultipartUpload: pause, resume, abort', () => {
  it('pause() cancels the parts in flight and sends nothing more; resume() sends them again', async () => {
    let hold = true;
    const fake = new FakeS3({ fault: (seen) => (hold && seen.partNumber === 2 ? 'hang' : undefined) });
    const file = makeFile(16 * MiB);
    const { upload, progress } = setup(fake, file, { concurrency: 1 });
    const done = upload.start();
    await until(() => fake.held.length === 1);
    upload.pause();
    expect(upload.status).toBe('paused');
    await tick();
    const sent = fake.seen.length;
    for (let i = 0; i < 20; i++) await tick();
    expect(fake.seen.length).toBe(sent);
    expect(progress.at(-1)).toMatchObject({ loaded: 5 * MiB });
    hold = false;
    upload.resume();
    await done;
    expect(fake.count('part', 2)).toBe(2);
    expect(fake.count('part', 1)).toBe(1);
    expect(await same(fake.objects.get(KEY)!.bytes, file)).toBe(true);
  });

  it('start() while paused resumes; pause() and resume() out of turn do nothing', async () => {
    const fake = new FakeS3();
    const { upload } = setup(fake, makeFile(100));
    upload.resume();
    upload.pause();
    expect(upload.status).toBe('idle');
    const done = upload.start();
    upload.pause();
    expect(upload.status).toBe('paused');
    expect(upload.start()).toBe(done);
    await done;
    expect(upload.status).toBe('done');
  });

  it('pause() while the upload is being completed: S3 completes it, and start() resolves', async () => {
    const fake = new FakeS3({ fault: (seen) => (seen.operation === 'complete' ? 'hang' : undefined) });
    const { upload } = setup(fake, makeFile(100));
    const done = upload.start();
    await until(() => fake.held.length === 1);
    upload.pause();
    fake.held[0]!.release();
    expect((await done).partCount).toBe(1);
    expect(upload.status).toBe('done');
  });

  it('start() again right after a failure, a part of the failed run still in flight: each part lands once more at most', async () => {
    let refuse = true;
    const fake = new FakeS3({ fault: (seen, nth) => (seen.partNumber === 2 && nth === 1 ? 'hang' : undefined) });
    // The handler refuses part 1 once part 2 is on its way to the bucket.
    const fetch = async (url: string, init: RequestInit): Promise<Response> => {
      const body =
        url === ENDPOINT ? (JSON.parse(String(init.body)) as { action: string; partNumber?: number }) : undefined;
      if (refuse && body?.action === 'part' && body.partNumber === 1) {
        await until(() => fake.held.length === 1);
        return Response.json({ error: { code: 'ERR_MULTIPART_FORBIDDEN', message: 'no' } }, { status: 403 });
      }
      return fake.fetch(url, init);
    };
    const file = makeFile(11 * MiB);
    const { upload, progress } = setup(fake, file, { concurrency: 2, fetch });
    const error = (await settle(upload.start())) as UploadError;
    expect([error.code, error.reason]).toEqual(['ERR_UPLOAD_REFUSED', 'ERR_MULTIPART_FORBIDDEN']);
    refuse = false;
    await upload.start();
    // Part 2 twice (the first cancelled by the failure), the others once.
    expect([1, 2, 3].map((n) => fake.count('part', n))).toEqual([1, 2, 1]);
    expect(progress.at(-1)).toMatchObject({ loaded: 11 * MiB, total: 11 * MiB });
    expect(await same(fake.objects.get(KEY)!.bytes, file)).toBe(true);
  });

  it('abort() stops the upload, has S3 drop it, and forgets it', async () => {
    const fake = new FakeS3({ fault: (seen) => (seen.partNumber === 2 ? 'hang' : undefined) });
    const { upload, store } = setup(fake, makeFile(11 * MiB), { concurrency: 1 });
    const done = settle(upload.start());
    await until(() => fake.held.length === 1);
    expect(store.items.size).toBe(1);
    await upload.abort();
    const error = (await settle(done)) as UploadError;
    expect([error.code, error.message]).toEqual(['ERR_UPLOAD_ABORTED', 'the upload was aborted']);
    expect(upload.status).toBe('aborted');
    expect(fake.count('abort')).toBe(1);
    expect(fake.uploads.size).toBe(0);
    expect(store.items.size).toBe(0);
    expect(((await settle(upload.start())) as UploadError).code).toBe('ERR_UPLOAD_ABORTED');
  });

  it('abort() while the upload is being created waits for its id, then drops it', async () => {
    const fake = new FakeS3({ fault: (seen) => (seen.operation === 'create' ? 'hang' : undefined) });
    const { upload } = setup(fake, makeFile(100));
    const done = settle(upload.start());
    await until(() => fake.held.length === 1);
    const aborted = upload.abort();
    fake.held[0]!.release();
    await aborted;
    expect(((await settle(done)) as UploadError).code).toBe('ERR_UPLOAD_ABORTED');
    expect(fake.count('abort')).toBe(1);
    expect(fake.uploads.size).toBe(0);
    expect(fake.count('part')).toBe(0);
  });

  it('abort() on a new page drops the upload an earlier page saved for this file, without starting it', async () => {
    const store = new MemoryStore();
    const fake = new FakeS3({ fault: (seen) => (seen.partNumber === 2 ? 'hang' : undefined) });
    const file = makeFile(11 * MiB);
    const first = setup(fake, file, { store, concurrency: 1 });
    void settle(first.upload.start());
    await until(() => fake.held.length === 1);
    first.upload.pause(); // the page goes away
    const second = setup(fake, file, { store });
    await second.upload.abort();
    expect(fake.uploads.size).toBe(0);
    expect(store.items.size).toBe(0);
    expect(fake.count('part')).toBe(2);
  });

  it('abort() once done does nothing; an abort that fails can be tried again', async () => {
    const fake = new FakeS3();
    const { upload } = setup(fake, makeFile(100));
    await upload.start();
    await upload.abort();
    expect(upload.status).toBe('done');
    expect(fake.count('abort')).toBe(0);

    let fail = true;
    const flaky = new FakeS3({
      fault: (seen) =>
        seen.operation === 'part'
          ? 'hang'
          : fail && seen.operation === 'abort'
            ? new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 })
            : undefined,
    });
    const second = setup(flaky, makeFile(100));
    void settle(second.upload.start());
    await until(() => flaky.held.length === 1);
    expect(((await settle(second.upload.abort())) as UploadError).reason).toBe('AccessDenied');
    fail = false;
    await second.upload.abort();
    expect(flaky.uploads.size).toBe(0);
  });
});

describe('MultipartUpload: resume after a reload', () => {
  it('finds the saved upload, lists its parts page by page, and sends only the missing ones', async () => {
    const store = new MemoryStore();
    // Parts 1 and 2 arrive; 3 and 4 are on their way when the page goes.
    const fake = new FakeS3({
      pageSize: 1,
      fault: (seen, nth) => (seen.partNumber! >= 3 && nth === 1 ? 'hang' : undefined),
    });
    const file = makeFile(16 * MiB);
    const first = setup(fake, file, { store, concurrency: 2 });
    void settle(first.upload.start());
    await until(() => fake.held.length === 2 && fake.uploads.get('upload-1')!.parts.size === 2);
    first.upload.pause(); // the reload: nothing of the page is left but the store

    const second = setup(fake, file, { store });
    await second.upload.start();
    expect(second.starts).toEqual([
      { uploadId: 'upload-1', partSize: 5 * MiB, partCount: 4, resumed: true, partsDone: 2 },
    ]);
    expect(fake.count('create')).toBe(1);
    expect(fake.count('list')).toBe(2); // pages of one part
    expect([1, 2, 3, 4].map((n) => fake.count('part', n))).toEqual([1, 1, 2, 2]);
    expect(second.progress[0]).toMatchObject({ loaded: 10 * MiB + (second.progress[0]!.partLoaded ?? 0) });
    expect(await same(fake.objects.get(KEY)!.bytes, file)).toBe(true);
    expect(store.items.size).toBe(0);
  });

  it('another file, key or handler does not resume it', async () => {
    const store = new MemoryStore();
    const fake = new FakeS3({ fault: (seen) => (seen.operation === 'part' ? 'hang' : undefined) });
    const first = setup(fake, makeFile(100, 'a.bin', 1), { store });
    void settle(first.upload.start());
    await until(() => fake.held.length === 1);
    first.upload.pause();
    for (const [file, key] of [
      [makeFile(100, 'a.bin', 2), KEY], // same name and size, another lastModified
      [makeFile(101, 'a.bin', 1), KEY],
      [makeFile(100, 'b.bin', 1), KEY],
      [makeFile(100, 'a.bin', 1), 'uploads/other'],
    ] as const) {
      const other = setup(fake, file, { store, key });
      void settle(other.upload.start());
      await until(() => other.starts.length === 1);
      expect(other.starts[0]!.resumed).toBe(false);
      other.upload.pause();
    }
  });

  it('a saved upload S3 no longer has (NoSuchUpload) is started again', async () => {
    const store = new MemoryStore();
    const fake: FakeS3 = new FakeS3({
      fault: (seen) => (seen.operation === 'part' && fake.uploads.has('upload-1') ? 'hang' : undefined),
    });
    const file = makeFile(100);
    const first = setup(fake, file, { store });
    void settle(first.upload.start());
    await until(() => fake.held.length === 1);
    first.upload.pause();
    fake.uploads.delete('upload-1'); // a lifecycle rule aborted it
    const second = setup(fake, file, { store });
    await second.upload.start();
    expect(second.starts[0]).toMatchObject({ uploadId: 'upload-2', resumed: false });
    expect(await same(fake.objects.get(KEY)!.bytes, file)).toBe(true);
  });

  it('saved state that is not an upload is ignored and removed; a store that throws only costs the resume', async () => {
    const file = makeFile(100);
    const store = new MemoryStore();
    // The name the upload is saved under, from a first run that stops before its part.
    const fake = new FakeS3({ fault: (seen) => (seen.operation === 'part' ? 'hang' : undefined) });
    const first = setup(fake, file, { store });
    void settle(first.upload.start());
    await until(() => fake.held.length === 1);
    first.upload.pause();
    const [name] = [...store.items.keys()];
    expect(name).toBe(
      `sigv4-upload:${JSON.stringify([ENDPOINT, KEY, 'talk ü.mp4', 100, file.lastModified, 'video/mp4'])}`,
    );
    expect(JSON.parse(store.items.get(name!)!)).toEqual({
      uploadId: 'upload-1',
      partSize: 5 * MiB,
      created: 1_700_000_000_000,
    });
    for (const junk of ['{', '{"uploadId":""}', '{"uploadId":"u","partSize":0,"created":1}', 'null', '[]']) {
      store.setItem(name!, junk);
      const fresh = new FakeS3();
      const run = setup(fresh, file, { store });
      await run.upload.start();
      expect(run.starts[0]!.resumed).toBe(false);
      expect(fresh.count('list')).toBe(0);
      expect(store.items.size).toBe(0);
    }
    const fail = () => {
      throw new Error('SecurityError');
    };
    const fake2 = new FakeS3();
    await setup(fake2, file, { store: { getItem: fail, setItem: fail, removeItem: fail } }).upload.start();
    expect(await same(fake2.objects.get(KEY)!.bytes, file)).toBe(true);
  });

  it('for any parts S3 already has (some of another size), sends exactly the others and completes with every ETag in order', async () => {
    const PART = 5 * MiB;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((count) =>
          fc.record({
            size: fc.integer({ min: (count - 1) * PART + 1, max: count * PART }),
            present: fc.subarray([...Array(count).keys()].map((i) => i + 1)),
            torn: fc.subarray([...Array(count).keys()].map((i) => i + 1)),
            pageSize: fc.integer({ min: 1, max: 4 }),
            concurrency: fc.integer({ min: 1, max: 4 }),
          }),
        ),
        async ({ size, present, torn, pageSize, concurrency }) => {
          const store = new MemoryStore();
          const file = makeFile(size, 'p.bin', size);
          const fake: FakeS3 = new FakeS3({
            pageSize,
            fault: (seen) => (seen.operation === 'part' && !fake.objects.size && phase === 1 ? 'hang' : undefined),
          });
          let phase = 1;
          // The first page creates the upload and is gone before it sends a part.
          const first = setup(fake, file, { store });
          void settle(first.upload.start());
          await until(() => fake.held.length > 0);
          first.upload.pause();
          // S3 has these parts (and some of them of another size, as a part from another plan would be).
          const upload = fake.uploads.get('upload-1')!;
          const bytes = await bytesOf(file);
          for (const n of present) {
            const part = bytes.slice((n - 1) * PART, n * PART);
            const body = torn.includes(n) ? part.slice(0, Math.max(0, part.length - 1)) : part;
            upload.parts.set(n, { bytes: body, etag: `"${n}-${body.length}"` });
          }
          phase = 2;
          const before = fake.seen.length;
          const second = setup(fake, file, { store, concurrency });
          await second.upload.start();
          const kept = present.filter((n) => !torn.includes(n) && bytes.slice((n - 1) * PART, n * PART).length > 0);
          const count = Math.ceil(size / PART);
          const sent = fake.seen
            .slice(before)
            .filter((s) => s.operation === 'part')
            .map((s) => s.partNumber!)
            .sort((a, b) => a - b);
          expect(sent).toEqual([...Array(count).keys()].map((i) => i + 1).filter((n) => !kept.includes(n)));
          expect(second.starts[0]).toMatchObject({ resumed: true, partsDone: kept.length, partCount: count });
          expect(Buffer.from(fake.objects.get(KEY)!.bytes).equals(bytes)).toBe(true);
        },
      ),
      { seed: 0x18d1, numRuns: 25 },
    );
  });
});

describe('MultipartUpload: options', () => {
  const file = makeFile(1);
  it.each([
    ['no options', undefined, TypeError, '"options" expected an object, got undefined'],
    ['no file', { file: 'x' }, TypeError, '"file" expected a File or Blob, got "x"'],
    ['no key', { key: '' }, TypeError, '"key" expected a non-empty string, got ""'],
    ['no endpoint', { endpoint: 1 }, TypeError, `"endpoint" expected the URL of the server's multipart handler, got 1`],
    ['a concurrency of 0', { concurrency: 0 }, RangeError, '"concurrency" expected an integer 1..32, got 0'],
    ['retries as text', { retries: '3' }, TypeError, '"retries" expected an integer 0..100, got "3"'],
    ['a bad transport', { transport: 'ws' }, TypeError, '"transport" expected "xhr" or "fetch", got "ws"'],
    [
      'a bad store',
      { store: {} },
      TypeError,
      '"store" expected an object with getItem, setItem and removeItem (localStorage), or null, got object',
    ],
    ['headers not strings', { headers: { a: 1 } }, TypeError, '"headers" expected an object of strings, got object'],
    ['fetch not a function', { fetch: 'x' }, TypeError, '"fetch" expected a function, got "x"'],
  ])('%s', (_, extra, type, message) => {
    const make = () =>
      new MultipartUpload(
        (extra === undefined ? undefined : { file, key: KEY, endpoint: ENDPOINT, ...extra }) as never,
      );
    expect(make).toThrow(type);
    expect(make).toThrow(message);
    try {
      make();
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ERR_SIGV4_INVALID_OPTION');
    }
  });

  it("the content type given is the object's; the handler's headers go with each call", async () => {
    const fake = new FakeS3();
    const seen: (string | null)[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      if (url === ENDPOINT) seen.push(new Headers(init.headers).get('authorization'));
      return fake.fetch(url, init);
    };
    await setup(fake, makeFile(10), {
      contentType: 'video/webm',
      headers: { authorization: 'Bearer t' },
      fetch,
    }).upload.start();
    expect(fake.objects.get(KEY)!.type).toBe('video/webm');
    expect(new Set(seen)).toEqual(new Set(['Bearer t']));
  });
});
