// End to end against a real S3 server: OpenStack Swift's s3api middleware (started by test/e2e/global-setup.ts)
// checks SigV4 headers and presigned URLs the way S3 does. Every request here is signed by this project's own
// presigner (the full entry, and sigv4/lite for the awkward keys); every request Swift accepts is also verified by this project's verifier, and every request Swift
// refuses is refused by the verifier with the code that names the tampering.
//
// Learned from Swift (2.30, Debian bookworm): tempauth access keys are `account:user` (test:tester), so the ":"
// travels as %3A in X-Amz-Credential; URLs are path-style; it accepts any session token value and does not
// refuse an X-Amz-Date in the future (both checked below as known differences from S3), and it answers a body
// that does not match its signed x-amz-content-sha256 with 400 BadDigest (S3: XAmzContentSHA256Mismatch).

import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  isSigV4Error,
  presignUrl,
  signRequest,
  verifyPresignedUrl,
  verifyRequest,
  type PresignOptions,
  type SignRequestOptions,
} from '../../src/index.js';
import * as lite from '../../src/lite.js';
import { createBucket, swiftLogTail } from './swift.js';

const swift = inject('swift');
const BUCKET = 'sigv4-e2e';

/** A key as the library takes it in a URL string: `%`, `?` and `#` that belong to the key are escaped. */
const keyPath = (key: string): string => key.replace(/%/g, '%25').replace(/\?/g, '%3F').replace(/#/g, '%23');

/** The S3 error code in a response body, if any. */
const s3Code = (body: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

const bytesOf = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

describe.skipIf(!swift)('S3 end to end (Swift s3api)', () => {
  const s = swift!;
  const credentials = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
  const scope = { service: 's3', region: s.region } as const;
  const objectUrl = (key: string): string => `${s.endpoint}/${BUCKET}/${keyPath(key)}`;
  const getCredentials = (id: string) => (id === s.accessKeyId ? { secretAccessKey: s.secretAccessKey } : undefined);

  const presign = (method: string, key: string, options: Partial<PresignOptions> = {}) =>
    presignUrl({ ...scope, url: objectUrl(key), method, credentials, expiresIn: 300, ...options });
  const sign = (method: string, key: string, options: Partial<SignRequestOptions> = {}) =>
    signRequest({ ...scope, url: objectUrl(key), method, credentials, ...options });

  /** Sends a request; resolves with status, headers, body bytes and the S3 error code. */
  async function send(
    url: string,
    method: string,
    headers: Record<string, string> = {},
    body?: Uint8Array<ArrayBuffer>,
  ) {
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    return { status: response.status, headers: response.headers, bytes, text, code: s3Code(text) };
  }

  /** The local verifier's answer for a presigned request: 'ok' or the SigV4Error code. */
  async function localPresigned(url: string, method: string, headers: Record<string, string> = {}): Promise<string> {
    try {
      // diagnoseMethod: these tests name the tampering, a wrong method included.
      await verifyPresignedUrl({ url, method, headers, ...scope, getCredentials, diagnoseMethod: true });
      return 'ok';
    } catch (error) {
      if (isSigV4Error(error)) return error.code;
      throw error;
    }
  }
  async function localSigned(
    url: string,
    method: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<string> {
    try {
      await verifyRequest({
        url,
        method,
        headers,
        ...scope,
        getCredentials,
        diagnoseMethod: true,
        ...(body === undefined ? {} : { body }),
      });
      return 'ok';
    } catch (error) {
      if (isSigV4Error(error)) return error.code;
      throw error;
    }
  }

  /** Status of a valid, header-signed HEAD: 200 when the object exists, 404 when it does not. */
  async function exists(key: string): Promise<boolean> {
    const head = await sign('HEAD', key);
    const { status } = await send(head.url, 'HEAD', head.headers);
    if (status !== 200 && status !== 404) throw new Error(`HEAD ${key}: ${status}`);
    return status === 200;
  }

  /** Keys under a prefix, from a header-signed ListObjectsV2. */
  async function listKeys(prefix: string): Promise<string[]> {
    const list = await signRequest({
      ...scope,
      url: `${s.endpoint}/${BUCKET}`,
      credentials,
      query: { 'list-type': '2', prefix },
    });
    const { status, text } = await send(list.url, 'GET', list.headers);
    expect(status, text).toBe(200);
    const unescape = (x: string) =>
      x
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#x?[0-9a-f]+;/gi, (e) =>
          String.fromCodePoint(Number(e.slice(2, -1).startsWith('x') ? '0' + e.slice(2, -1) : e.slice(2, -1))),
        )
        .replace(/&amp;/g, '&');
    return [...text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescape(m[1]!));
  }

  /** PUT through a presigned URL, checked by Swift and by the local verifier. */
  async function presignedPut(key: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
    const put = await presign('PUT', key, { headers });
    const response = await send(put.url, 'PUT', put.headers, body);
    expect(response.status, `${response.text}\n${swiftLogTail(s)}`).toBe(200);
    expect(await localPresigned(put.url, 'PUT', put.headers)).toBe('ok');
    return response;
  }

  async function presignedGet(key: string, options: Partial<PresignOptions> = {}) {
    const get = await presign('GET', key, options);
    const response = await send(get.url, 'GET');
    if (response.status === 200) expect(await localPresigned(get.url, 'GET')).toBe('ok');
    return response;
  }

  beforeAll(async () => {
    await createBucket(s, BUCKET);
  });

  describe('presigned PUT then GET, HEAD and DELETE', () => {
    const sizes: [string, number][] = [
      ['empty', 0],
      ['small', 13],
      ['6 MiB', 6 * 1024 * 1024],
    ];
    for (const [name, size] of sizes) {
      it(`${name} body (${size} bytes) comes back byte for byte`, async () => {
        const key = `sizes/${name}.bin`;
        const body = new Uint8Array(randomBytes(size));
        await presignedPut(key, body);
        const got = await presignedGet(key);
        expect(got.status).toBe(200);
        expect(got.bytes.length).toBe(size);
        expect(Buffer.from(got.bytes).equals(Buffer.from(body))).toBe(true);

        const head = await presign('HEAD', key);
        const headed = await send(head.url, 'HEAD');
        expect(headed.status).toBe(200);
        expect(headed.headers.get('content-length')).toBe(String(size));
        expect(await localPresigned(head.url, 'HEAD')).toBe('ok');

        const del = await presign('DELETE', key);
        expect((await send(del.url, 'DELETE')).status).toBe(204);
        expect(await localPresigned(del.url, 'DELETE')).toBe('ok');
        expect((await presignedGet(key)).status).toBe(404);
      });
    }
  });

  describe('keys that take every encoding rule', () => {
    const keys = [
      'keys/with space.txt',
      'keys/plus+sign.txt',
      'keys/100% sure.txt',
      'keys/unicodé ü 日本 🙂.txt',
      'keys/double//slash.txt',
      'keys/tilde~.txt',
      "keys/bang!star*quote'paren().txt",
      'keys/question?and#hash.txt',
      "keys/all of them + % ü // ~ !*'() ?#.txt",
    ];
    for (const key of keys) {
      it(JSON.stringify(key), async () => {
        const body = bytesOf(`the body of ${key}`);
        await presignedPut(key, body);
        // Stored under exactly this name: "+" is a plus, "%" a percent sign, "//" two slashes.
        expect(await listKeys(key)).toEqual([key]);
        const got = await presignedGet(key);
        expect(got.status, got.text).toBe(200);
        expect(got.text).toBe(`the body of ${key}`);
        // The same key signed in the Authorization header.
        const again = bytesOf(`signed again: ${key}`);
        const put = await sign('PUT', key, { body: again });
        expect((await send(put.url, 'PUT', put.headers, again)).status).toBe(200);
        expect(await localSigned(put.url, 'PUT', put.headers, again)).toBe('ok');
        const get = await sign('GET', key);
        const gotAgain = await send(get.url, 'GET', get.headers);
        expect(gotAgain.text).toBe(`signed again: ${key}`);
        expect(await localSigned(get.url, 'GET', get.headers)).toBe('ok');
        // And through sigv4/lite: a presigned PUT and GET, then a header-signed DELETE.
        const small = bytesOf(`lite: ${key}`);
        const litePut = await lite.presignUrl({
          ...scope,
          url: objectUrl(key),
          method: 'PUT',
          credentials,
          expiresIn: 300,
        });
        expect((await send(litePut.url, 'PUT', {}, small)).status).toBe(200);
        const liteGet = await lite.presignUrl({ ...scope, url: objectUrl(key), credentials, expiresIn: 300 });
        expect((await send(liteGet.url, 'GET')).text).toBe(`lite: ${key}`);
        const del = await lite.signRequest({ ...scope, url: objectUrl(key), method: 'DELETE', credentials });
        expect((await send(del.url, 'DELETE', del.headers)).status).toBe(204);
        expect(await exists(key)).toBe(false);
      });
    }
  });

  it('a bucket made, checked and removed with signed S3 requests', async () => {
    const bucketUrl = `${s.endpoint}/sigv4-e2e-made-by-s3`;
    const bucketRequest = (method: string) => signRequest({ ...scope, url: bucketUrl, method, credentials });
    const create = await bucketRequest('PUT');
    expect((await send(create.url, 'PUT', create.headers)).status).toBe(200);
    const head = await bucketRequest('HEAD');
    expect((await send(head.url, 'HEAD', head.headers)).status).toBe(200);
    const remove = await bucketRequest('DELETE');
    expect((await send(remove.url, 'DELETE', remove.headers)).status).toBe(204);
    const gone = await bucketRequest('HEAD');
    expect((await send(gone.url, 'HEAD', gone.headers)).status).toBe(404);
  });

  it('response-content-disposition and response-content-type override the stored headers', async () => {
    const key = 'overrides/report.csv';
    await presignedPut(key, bytesOf('a,b\n1,2\n'), { 'content-type': 'text/csv' });
    // Header values are bytes (fetch reads them as Latin-1): non-ASCII names travel in RFC 6266's filename*.
    const disposition = 'attachment; filename="report 2026.csv"; filename*=UTF-8\'\'report%202026%20%C3%BC.csv';
    const got = await presignedGet(key, {
      query: { 'response-content-disposition': disposition, 'response-content-type': 'application/x-test' },
    });
    expect(got.status, got.text).toBe(200);
    expect(got.headers.get('content-disposition')).toBe(disposition);
    expect(got.headers.get('content-type')).toBe('application/x-test');
    expect((await presignedGet(key)).headers.get('content-type')).toBe('text/csv');
  });

  it('a signed content-type must be sent as signed: another one is refused and nothing is written', async () => {
    const key = 'content-type/photo.jpg';
    const put = await presign('PUT', key, { headers: { 'content-type': 'image/jpeg' } });
    expect(put.headers).toEqual({ 'content-type': 'image/jpeg' });
    const wrong = await send(put.url, 'PUT', { 'content-type': 'image/png' }, bytesOf('png?'));
    expect(wrong.status).toBe(403);
    expect(wrong.code).toBe('SignatureDoesNotMatch');
    expect(await localPresigned(put.url, 'PUT', { 'content-type': 'image/png' })).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
    expect(await exists(key)).toBe(false);
    await presignedPut(key, bytesOf('jpeg'), { 'content-type': 'image/jpeg' });
    const got = await presignedGet(key);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
  });

  describe('refused with 403, nothing written, and refused by the local verifier too', () => {
    // [name, make the request from a valid presigned PUT, Swift's S3 error code, the verifier's code]
    type Tamper = (put: {
      url: string;
      headers: Record<string, string>;
    }) => Promise<{ url: string; method: string; headers: Record<string, string> }>;
    const flip = (url: string) =>
      url.replace(/(X-Amz-Signature=[0-9a-f]{20})([0-9a-f])/, (_, a: string, c: string) => a + (c === 'a' ? 'b' : 'a'));
    const cases: [string, Tamper, string, string][] = [
      [
        'flipped signature character',
        async (put) => ({ ...put, url: flip(put.url), method: 'PUT' }),
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'wrong secret',
        async () => {
          const put = await presignUrl({
            ...scope,
            url: objectUrl('refused/object'),
            method: 'PUT',
            credentials: { ...credentials, secretAccessKey: 'wrong' },
          });
          return { url: put.url, method: 'PUT', headers: put.headers };
        },
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'key changed after signing',
        async (put) => ({ ...put, url: put.url.replace('/refused/object?', '/refused/other?'), method: 'PUT' }),
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'method changed (a GET URL used to PUT)',
        async () => {
          const get = await presign('GET', 'refused/object');
          return { url: get.url, method: 'PUT', headers: {} };
        },
        'SignatureDoesNotMatch',
        'ERR_SIGV4_METHOD',
      ],
      [
        'X-Amz-Expires changed',
        async (put) => ({ ...put, url: put.url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3600'), method: 'PUT' }),
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'signed header not sent',
        async () => {
          const put = await presign('PUT', 'refused/object', { headers: { 'x-amz-meta-owner': 'ann' } });
          return { url: put.url, method: 'PUT', headers: {} };
        },
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNED_HEADERS',
      ],
      [
        'expired (signed 10 minutes ago, valid 60 s)',
        async () => {
          const put = await presign('PUT', 'refused/object', { expiresIn: 60, signingDate: Date.now() - 600_000 });
          return { url: put.url, method: 'PUT', headers: {} };
        },
        'AccessDenied',
        'ERR_SIGV4_EXPIRED',
      ],
    ];
    for (const [name, tamper, swiftCode, localCode] of cases) {
      it(name, async () => {
        const put = await presign('PUT', 'refused/object');
        const request = await tamper({ url: put.url, headers: put.headers });
        const response = await send(request.url, request.method, request.headers, bytesOf('must not be written'));
        expect(response.status, response.text).toBe(403);
        expect(response.code).toBe(swiftCode);
        expect(await localPresigned(request.url, request.method, request.headers)).toBe(localCode);
        expect(await exists('refused/object')).toBe(false);
        expect(await exists('refused/other')).toBe(false);
      });
    }

    it('expired by the clock: a URL valid 5 s works, then is refused once its time is up', async () => {
      const key = 'refused/short-lived';
      await presignedPut(key, bytesOf('short'));
      const get = await presign('GET', key, { expiresIn: 5 });
      expect((await send(get.url, 'GET')).status).toBe(200);
      // X-Amz-Date is whole seconds: wait until past expiresAt, with a margin for Swift's own rounding.
      await new Promise((r) => setTimeout(r, Math.max(0, get.expiresAt.getTime() + 1500 - Date.now())));
      const late = await send(get.url, 'GET');
      expect(late.status).toBe(403);
      expect(late.code).toBe('AccessDenied');
      expect(late.text).toMatch(/expired/i);
      expect(await localPresigned(get.url, 'GET')).toBe('ERR_SIGV4_EXPIRED');
      // A refused DELETE leaves the object there.
      const del = await presign('DELETE', key, { expiresIn: 1, signingDate: Date.now() - 5000 });
      expect((await send(del.url, 'DELETE')).status).toBe(403);
      expect(await exists(key)).toBe(true);
    });
  });

  describe('header-signed requests (signRequest)', () => {
    it('PUT (body hashed), GET, HEAD, list and DELETE', async () => {
      const key = 'signed/a b+c ü.txt';
      const body = bytesOf('signed in the Authorization header');
      const put = await sign('PUT', key, {
        body,
        headers: { 'content-type': 'text/plain', 'x-amz-meta-owner': 'ann' },
      });
      expect(put.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      const stored = await send(put.url, 'PUT', put.headers, body);
      expect(stored.status, stored.text).toBe(200);
      expect(await localSigned(put.url, 'PUT', put.headers, body)).toBe('ok');

      const get = await sign('GET', key);
      const got = await send(get.url, 'GET', get.headers);
      expect(got.status).toBe(200);
      expect(got.text).toBe('signed in the Authorization header');
      expect(got.headers.get('content-type')).toBe('text/plain');
      expect(got.headers.get('x-amz-meta-owner')).toBe('ann');
      expect(await localSigned(get.url, 'GET', get.headers)).toBe('ok');

      const head = await sign('HEAD', key);
      expect((await send(head.url, 'HEAD', head.headers)).status).toBe(200);
      expect(await listKeys('signed/')).toEqual([key]);

      const del = await sign('DELETE', key);
      expect((await send(del.url, 'DELETE', del.headers)).status).toBe(204);
      expect(await localSigned(del.url, 'DELETE', del.headers)).toBe('ok');
      expect(await exists(key)).toBe(false);
    });

    it('PUT with UNSIGNED-PAYLOAD', async () => {
      const key = 'signed/unsigned-payload.bin';
      const body = new Uint8Array(randomBytes(100_000));
      const put = await sign('PUT', key, { payloadHash: 'UNSIGNED-PAYLOAD' });
      expect(put.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
      expect((await send(put.url, 'PUT', put.headers, body)).status).toBe(200);
      const get = await presignedGet(key);
      expect(Buffer.from(get.bytes).equals(Buffer.from(body))).toBe(true);
    });

    const refusals: [
      string,
      () => Promise<{ url: string; method: string; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> }>,
      number,
      string,
      string,
    ][] = [
      [
        'flipped signature character',
        async () => {
          const put = await sign('PUT', 'refused/signed', { body: bytesOf('x') });
          const authorization = put.headers['authorization']!.replace(/([0-9a-f])$/, (c) => (c === 'a' ? 'b' : 'a'));
          return { url: put.url, method: 'PUT', headers: { ...put.headers, authorization }, body: bytesOf('x') };
        },
        403,
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'wrong secret',
        async () => {
          const put = await signRequest({
            ...scope,
            url: objectUrl('refused/signed'),
            method: 'PUT',
            credentials: { ...credentials, secretAccessKey: 'wrong' },
            body: bytesOf('x'),
          });
          return { url: put.url, method: 'PUT', headers: put.headers, body: bytesOf('x') };
        },
        403,
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'key changed after signing',
        async () => {
          const put = await sign('PUT', 'refused/other', { body: bytesOf('x') });
          return { url: objectUrl('refused/signed'), method: 'PUT', headers: put.headers, body: bytesOf('x') };
        },
        403,
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'method changed (signed GET sent as PUT)',
        async () => {
          const get = await sign('GET', 'refused/signed');
          return { url: get.url, method: 'PUT', headers: get.headers, body: new Uint8Array(0) };
        },
        403,
        'SignatureDoesNotMatch',
        'ERR_SIGV4_METHOD',
      ],
      [
        'signed header changed',
        async () => {
          const put = await sign('PUT', 'refused/signed', {
            body: bytesOf('x'),
            headers: { 'x-amz-meta-owner': 'ann' },
          });
          return {
            url: put.url,
            method: 'PUT',
            headers: { ...put.headers, 'x-amz-meta-owner': 'eve' },
            body: bytesOf('x'),
          };
        },
        403,
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNATURE_MISMATCH',
      ],
      [
        'signed header not sent',
        async () => {
          const put = await sign('PUT', 'refused/signed', {
            body: bytesOf('x'),
            headers: { 'x-amz-meta-owner': 'ann' },
          });
          const { 'x-amz-meta-owner': _, ...headers } = put.headers;
          return { url: put.url, method: 'PUT', headers, body: bytesOf('x') };
        },
        403,
        'SignatureDoesNotMatch',
        'ERR_SIGV4_SIGNED_HEADERS',
      ],
      [
        'dated 20 minutes ago (past the 15-minute clock skew)',
        async () => {
          const put = await sign('PUT', 'refused/signed', {
            body: bytesOf('x'),
            signingDate: Date.now() - 20 * 60_000,
          });
          return { url: put.url, method: 'PUT', headers: put.headers, body: bytesOf('x') };
        },
        403,
        'RequestTimeTooSkewed',
        'ERR_SIGV4_EXPIRED',
      ],
      [
        'body changed after signing (x-amz-content-sha256 no longer matches)',
        async () => {
          const put = await sign('PUT', 'refused/signed', { body: bytesOf('the signed body') });
          return { url: put.url, method: 'PUT', headers: put.headers, body: bytesOf('another body!!!') };
        },
        400,
        'BadDigest', // S3 answers XAmzContentSHA256Mismatch, also with 400
        'ERR_SIGV4_PAYLOAD_HASH',
      ],
    ];
    for (const [name, make, status, swiftCode, localCode] of refusals) {
      it(`refused: ${name}`, async () => {
        const request = await make();
        const response = await send(request.url, request.method, request.headers, request.body);
        expect(response.status, response.text).toBe(status);
        expect(response.code).toBe(swiftCode);
        expect(await localSigned(request.url, request.method, request.headers, request.body)).toBe(localCode);
        expect(await exists('refused/signed')).toBe(false);
      });
    }
  });

  describe('known differences between Swift and S3 (and this verifier)', () => {
    it('Swift accepts any session token value; the verifier checks it against the credentials', async () => {
      const key = 'differences/token';
      await presignedPut(key, bytesOf('t'));
      const get = await presignUrl({
        ...scope,
        url: objectUrl(key),
        credentials: { ...credentials, sessionToken: 'any-token-at-all' },
      });
      expect((await send(get.url, 'GET')).status).toBe(200);
      expect(await localPresigned(get.url, 'GET')).toBe('ERR_SIGV4_SESSION_TOKEN');
    });

    it('Swift accepts a presigned URL dated an hour ahead; the verifier refuses it past its clock skew', async () => {
      const key = 'differences/future';
      await presignedPut(key, bytesOf('f'));
      const get = await presign('GET', key, { signingDate: Date.now() + 3600_000 });
      expect((await send(get.url, 'GET')).status).toBe(200);
      expect(await localPresigned(get.url, 'GET')).toBe('ERR_SIGV4_NOT_YET_VALID');
    });
  });
});
