// How the uploader sends one request (src/upload/send.ts): with XMLHttpRequest (a fake one here, as a browser's
// behaves; Chromium runs the real one in test/e2e/multipart.e2e.ts), its upload events as progress, the headers a
// browser refuses left out, the ETag read, an abort and a network error; and with fetch.

import { afterEach, describe, expect, it } from 'vitest';
import { send } from '../../src/upload/send.js';

/** An XMLHttpRequest as a browser runs it, driven by the test. */
class FakeXhr {
  static last: FakeXhr | undefined;
  method = '';
  url = '';
  headers: [string, string][] = [];
  body: unknown;
  status = 0;
  responseText = '';
  responseHeaders: Record<string, string> = {};
  aborted = false;
  upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    // Chromium refuses these ("Refused to set unsafe header") and sends its own.
    if (/^(content-length|host)$/i.test(name)) throw new Error(`unsafe header ${name}`);
    this.headers.push([name, value]);
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  respond(status: number, headers: Record<string, string>, text = '') {
    this.status = status;
    this.responseHeaders = headers;
    this.responseText = text;
    this.onload?.();
  }
}

const noFetch = () => Promise.reject(new Error('fetch is not used with xhr'));
const original = Object.getOwnPropertyDescriptor(globalThis, 'XMLHttpRequest');

describe('send with XMLHttpRequest', () => {
  afterEach(() => {
    if (original) Object.defineProperty(globalThis, 'XMLHttpRequest', original);
    else delete (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
  });
  const install = () =>
    Object.defineProperty(globalThis, 'XMLHttpRequest', { value: FakeXhr, configurable: true, writable: true });

  it('sends the signed headers but those a browser sets, reports upload progress, reads the ETag', async () => {
    install();
    const progress: number[] = [];
    const body = new Blob(['x'.repeat(100)]);
    const sent = send(
      {
        method: 'PUT',
        url: 'http://s3.test/b/k?partNumber=1&uploadId=u',
        headers: { 'content-length': '100', Host: 's3.test', 'content-type': 'video/mp4' },
        body,
        onProgress: (loaded) => progress.push(loaded),
      },
      'xhr',
      noFetch,
    );
    const xhr = FakeXhr.last!;
    expect([xhr.method, xhr.url, xhr.headers, xhr.body]).toEqual([
      'PUT',
      'http://s3.test/b/k?partNumber=1&uploadId=u',
      [['content-type', 'video/mp4']],
      body,
    ]);
    xhr.upload.onprogress!({ loaded: 40 });
    xhr.upload.onprogress!({ loaded: 100 });
    xhr.respond(200, { etag: '"abc"' });
    expect(await sent).toEqual({ status: 200, etag: '"abc"', text: '' });
    expect(progress).toEqual([40, 100]);
  });

  it("rejects on a network error, and with the signal's reason on an abort (before or during)", async () => {
    install();
    const failed = send({ method: 'GET', url: 'http://s3.test/', headers: {} }, 'xhr', noFetch);
    FakeXhr.last!.onerror!();
    await expect(failed).rejects.toThrow('network error');

    const controller = new AbortController();
    const during = send(
      { method: 'GET', url: 'http://s3.test/', headers: {}, signal: controller.signal },
      'xhr',
      noFetch,
    );
    controller.abort(new Error('paused'));
    expect(FakeXhr.last!.aborted).toBe(true);
    await expect(during).rejects.toThrow('paused');

    FakeXhr.last = undefined;
    await expect(
      send({ method: 'GET', url: 'http://s3.test/', headers: {}, signal: controller.signal }, 'xhr', noFetch),
    ).rejects.toThrow('paused');
    expect(FakeXhr.last).toBeUndefined(); // nothing was opened
  });
});

describe('send with fetch', () => {
  it('sends through the fetch given, reports a part when it is done, reads the ETag and the body', async () => {
    const calls: [string, RequestInit][] = [];
    const fetch = async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response('<x/>', { status: 200, headers: { etag: '"e"' } });
    };
    const progress: number[] = [];
    const body = new Blob(['abc']);
    expect(
      await send(
        {
          method: 'PUT',
          url: 'http://s3.test/k',
          headers: { 'content-length': '3', a: 'b' },
          body,
          onProgress: (n) => progress.push(n),
        },
        'fetch',
        fetch,
      ),
    ).toEqual({ status: 200, etag: '"e"', text: '<x/>' });
    expect(calls[0]![1]).toEqual({ method: 'PUT', headers: [['a', 'b']], body });
    expect(progress).toEqual([3]);
  });

  it('reports no progress for a failed part', async () => {
    const progress: number[] = [];
    const fetch = async () => new Response('<Error/>', { status: 500 });
    expect(
      (
        await send(
          {
            method: 'PUT',
            url: 'http://s3.test/k',
            headers: {},
            body: new Blob(['abc']),
            onProgress: (n) => progress.push(n),
          },
          'fetch',
          fetch,
        )
      ).status,
    ).toBe(500);
    expect(progress).toEqual([]);
  });
});
